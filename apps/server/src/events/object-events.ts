import { NETWORK_EVENT_TYPES, POOL_EVENT_TYPES, type DeltaBody } from '@vireo/api';
import { uuidToString, type LibvirtConnection, type NetworkEvent, type StoragePoolEvent, type Subscription } from '@vireo/libvirt';
import type { FastifyBaseLogger } from 'fastify';

type NetworkType = (typeof NETWORK_EVENT_TYPES)[number];
type PoolType = (typeof POOL_EVENT_TYPES)[number];

// Indexed by virNetworkEventLifecycleType / virStoragePoolEventLifecycleType.
const NETWORK_LIFECYCLE: readonly NetworkType[] = ['network.defined', 'network.undefined', 'network.started', 'network.stopped'];
const POOL_LIFECYCLE: readonly PoolType[] = ['pool.defined', 'pool.undefined', 'pool.started', 'pool.stopped', 'pool.created', 'pool.deleted'];

/** The delta for a network event, or null for a lifecycle value newer than this table. */
export function networkDelta(host: string, event: NetworkEvent): DeltaBody | null {
  const { net } = event.body;
  const type = event.name === 'metadataChange' ? 'network.metadata' : NETWORK_LIFECYCLE[event.body.event];
  return type ? { type, host, name: net.name, uuid: uuidToString(net.uuid) } : null;
}

export function poolDelta(host: string, event: StoragePoolEvent): DeltaBody | null {
  const { pool } = event.body;
  const type = event.name === 'refresh' ? 'pool.refreshed' : POOL_LIFECYCLE[event.body.event];
  return type ? { type, host, name: pool.name, uuid: uuidToString(pool.uuid) } : null;
}

/**
 * Forwards one host's network and storage pool events to the events channel: one registration per host per
 * connection. The network and storage pages keep their own state from these; the server keeps none for them yet.
 */
export class ObjectEventsBridge {
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly hostId: string,
    private readonly publish: (delta: DeltaBody) => void,
    private readonly log: FastifyBaseLogger,
  ) {}

  async attach(conn: LibvirtConnection): Promise<void> {
    this.subscriptions = [];
    const forward = <E>(toDelta: (host: string, e: E) => DeltaBody | null) => (e: E) => {
      // Called from the connection's message handler: a bug here must not break the connection for the rest.
      try {
        const delta = toDelta(this.hostId, e);
        if (delta) this.publish(delta);
      } catch (err) {
        this.log.error({ err, host: this.hostId }, 'could not forward a network or pool event');
      }
    };
    this.subscriptions.push(await conn.subscribeNetworkEvents(forward(networkDelta)));
    this.subscriptions.push(await conn.subscribeStoragePoolEvents(forward(poolDelta)));
  }

  async close(): Promise<void> {
    const subs = this.subscriptions;
    this.subscriptions = [];
    await Promise.allSettled(subs.map((s) => s.unsubscribe()));
  }
}
