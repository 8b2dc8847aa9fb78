import { EventEmitter } from 'node:events';
import {
  DOMAIN_EVENT_IDS,
  NETWORK_EVENT_IDS,
  NODE_DEVICE_EVENT_IDS,
  remoteMessages,
  SECRET_EVENT_IDS,
  STORAGE_POOL_EVENT_IDS,
} from './procedures/events.js';
import { remoteProcedures } from './procedures/remote.js';
import type { BodyOf, MessageDef, ProcedureDef } from './procedures/types.js';
import { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION } from './rpc/constants.js';
import { RpcClient, type CallOptions, type KeepaliveOptions } from './rpc/client.js';
import type { Packet } from './rpc/packet.js';
import { ProtocolError } from './rpc/errors.js';
import type { LibvirtStream } from './rpc/stream.js';
import { decode } from './xdr/index.js';
import { parseLibvirtUri, transportForUri, type TransportOptions } from './transport/index.js';
import type { Transport } from './transport/types.js';

/** remote_auth_type */
const AuthType = { NONE: 0, SASL: 1, POLKIT: 2 } as const;

/** VIR_DRV_FEATURE_* values asked with connectSupportsFeature. */
export const DriverFeature = {
  TYPED_PARAM_STRING: 9,
  PROGRAM_KEEPALIVE: 10,
  REMOTE_EVENT_CALLBACK: 14,
  REMOTE_CLOSE_CALLBACK: 15,
} as const;

export const DEFAULT_KEEPALIVE: KeepaliveOptions = { intervalMs: 5000, count: 6 };

export interface OpenOptions extends TransportOptions {
  /** Use this transport instead of the one the URI names (tests, custom tunnels). */
  transport?: Transport;
  /** VIR_CONNECT_RO. */
  readOnly?: boolean;
  /** Keepalive settings, or false to never ping (the daemon may still ping us; we always answer). */
  keepalive?: KeepaliveOptions | false;
  /** Default timeout of every call in ms; 0 (default) waits as long as the connection lives. */
  callTimeoutMs?: number;
  /** Timeout for the transport to connect and the handshake to finish. Default 15 s. */
  connectTimeoutMs?: number;
}

type Procedures = typeof remoteProcedures;
type MethodOf<D> =
  D extends ProcedureDef<infer A, infer R>
    ? D extends { stream: string }
      ? (args: A, options?: CallOptions) => Promise<{ ret: R; stream: LibvirtStream }>
      : (args: A, options?: CallOptions) => Promise<R>
    : never;

/** One typed method per procedure of the catalogue, named as in libvirt's C API (`domainGetXMLDesc`, ...). */
export type RemoteMethods = { [K in keyof Procedures]: MethodOf<Procedures[K]> };

type Messages = typeof remoteMessages;
interface EventIdEntry {
  readonly name: string;
  readonly message: keyof Messages;
  /** First libvirt version (connectGetLibVersion form) whose daemon knows this event ID. */
  readonly since: number;
}
type EventTable = Readonly<Record<number, EventIdEntry>>;

/** The events of one table as delivered to subscribers: the event's name and its decoded message. */
export type EventOf<T extends EventTable> = {
  [I in keyof T & number]: { name: T[I]['name']; body: BodyOf<Messages[T[I]['message']]> };
}[keyof T & number];

export type DomainEvent = EventOf<typeof DOMAIN_EVENT_IDS>;
export type DomainEventName = DomainEvent['name'];
export type NetworkEvent = EventOf<typeof NETWORK_EVENT_IDS>;
export type StoragePoolEvent = EventOf<typeof STORAGE_POOL_EVENT_IDS>;
export type NodeDeviceEvent = EventOf<typeof NODE_DEVICE_EVENT_IDS>;
export type SecretEvent = EventOf<typeof SECRET_EVENT_IDS>;

export interface Subscription {
  readonly callbackIDs: readonly number[];
  /** Deregisters on the daemon; safe to call twice or after the connection closed. */
  unsubscribe(): Promise<void>;
}

interface CallbackEntry {
  callbackID: number;
  name: string;
  deliver: (event: { name: string; body: unknown }) => void;
  deregister: (callbackID: number) => Promise<unknown>;
}

/**
 * The object kind an event belongs to. libvirt numbers callbacks per kind (each driver's event state has its own
 * counter: the qemu driver's domain callbacks and the network driver's both start at 0 after a daemon start), so
 * a callback is known by its kind and ID together, never by the ID alone.
 */
type EventKind = 'domain' | 'network' | 'storagePool' | 'nodeDevice' | 'secret';

const EVENT_TABLES: readonly [EventKind, EventTable][] = [
  ['domain', DOMAIN_EVENT_IDS],
  ['network', NETWORK_EVENT_IDS],
  ['storagePool', STORAGE_POOL_EVENT_IDS],
  ['nodeDevice', NODE_DEVICE_EVENT_IDS],
  ['secret', SECRET_EVENT_IDS],
];

/** Message key (`domainEventCallbackLifecycle`) -> the kind of object its callback IDs belong to. */
const MESSAGE_KINDS: ReadonlyMap<string, EventKind> = new Map(
  EVENT_TABLES.flatMap(([kind, table]) => Object.values(table).map((e): [string, EventKind] => [e.message, kind])),
);

function callbackKey(kind: EventKind, callbackID: number): string {
  return `${kind}:${callbackID}`;
}

interface ConnectionEvents {
  close: [error: Error | undefined];
}

// The class gets one method per catalogue entry (installed on its prototype below); the interface merge types them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface LibvirtConnection extends RemoteMethods {}

/**
 * An open connection to one libvirt daemon (one socket). Calls are multiplexed, events arrive in order, and streams
 * can share the socket, though long streams should get a connection of their own (see the package README).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class LibvirtConnection extends EventEmitter<ConnectionEvents> {
  /** Registered callbacks by `callbackKey(kind, callbackID)`. */
  private readonly callbacks = new Map<string, CallbackEntry>();
  private readonly messageTable: ReadonlyMap<number, { key: string; def: MessageDef }>;
  private closing: Promise<void> | undefined;
  private libVersion: Promise<number> | undefined;

  private constructor(
    readonly rpc: RpcClient,
    /** The URI the caller opened, e.g. `qemu+ssh://root@host/system`. */
    readonly uri: string,
    /** What the daemon was asked to open, e.g. `qemu:///system`. */
    readonly localUri: string,
  ) {
    super();
    const table = new Map<number, { key: string; def: MessageDef }>();
    for (const [key, def] of Object.entries(remoteMessages) as [string, MessageDef][]) table.set(def.number, { key, def });
    this.messageTable = table;
    rpc.onMessages(REMOTE_PROGRAM, (packet) => this.onMessage(packet));
    rpc.on('close', (err) => {
      this.callbacks.clear();
      this.emit('close', err);
    });
  }

  /** Where this connection goes, for errors: `qemu:///system via unix:/var/run/libvirt/libvirt-sock`. */
  get description(): string {
    return this.rpc.description;
  }

  get closed(): boolean {
    return this.rpc.closed;
  }

  /**
   * Opens a connection the way libvirt's own client does: transport, AUTH_LIST (+ polkit), feature probes, then
   * CONNECT_OPEN with the daemon-local form of the URI.
   */
  static async open(uri = 'qemu:///system', options: OpenOptions = {}): Promise<LibvirtConnection> {
    const parsed = parseLibvirtUri(uri);
    const transport = options.transport ?? transportForUri(parsed, options);
    const connectTimeoutMs = options.connectTimeoutMs ?? 15000;
    const socket = await transport.connect({ timeoutMs: connectTimeoutMs });
    const rpc = new RpcClient(socket, {
      description: `${parsed.localUri} via ${transport.description}`,
      callTimeoutMs: options.callTimeoutMs ?? 0,
    });
    const conn = new LibvirtConnection(rpc, uri, parsed.localUri);
    try {
      const handshake = { timeoutMs: connectTimeoutMs };
      await conn.authenticate(handshake);
      const keepalive = options.keepalive ?? DEFAULT_KEEPALIVE;
      if (keepalive && (await conn.supports(DriverFeature.PROGRAM_KEEPALIVE, handshake))) rpc.startKeepalive(keepalive);
      await conn.connectOpen({ name: parsed.localUri, flags: options.readOnly ? 1 : 0 }, handshake);
      return conn;
    } catch (err) {
      await rpc.close();
      throw err;
    }
  }

  private async authenticate(options: CallOptions): Promise<void> {
    const { types } = await this.authList(undefined, options);
    if (types.length === 0 || types.includes(AuthType.NONE)) return;
    if (types.includes(AuthType.POLKIT)) {
      await this.authPolkit(undefined, options);
      return;
    }
    const names = types.map((t) => (t === AuthType.SASL ? 'SASL' : `type ${t}`)).join(', ');
    throw new Error(
      `${this.description}: the daemon requires ${names} authentication, which Vireo does not support; ` +
        'use the unix socket as root, polkit, SSH, or TLS with client certificates and auth_tls="none"',
    );
  }

  /** Asks whether the daemon supports a VIR_DRV_FEATURE_*. */
  async supports(feature: number, options?: CallOptions): Promise<boolean> {
    const { supported } = await this.connectSupportsFeature({ feature }, options);
    return supported !== 0;
  }

  /** Calls a catalogue procedure by name; the typed methods are thin wrappers of this. */
  call<K extends keyof Procedures>(name: K, args: unknown, options?: CallOptions): Promise<unknown> {
    const def = remoteProcedures[name] as ProcedureDef;
    const program = { program: REMOTE_PROGRAM, version: REMOTE_PROTOCOL_VERSION };
    if (def.stream) return this.rpc.callStream(program, name, def, args, def.stream, options);
    return this.rpc.call(program, name, def, args, options);
  }

  /**
   * Registers for domain events: every event this daemon knows by default, or the named ones, optionally for one
   * domain only. Events are delivered in the order the daemon sent them.
   */
  subscribeDomainEvents(
    listener: (event: DomainEvent) => void,
    options: { events?: readonly DomainEventName[]; dom?: { name: string; uuid: Buffer; id: number } | null } = {},
  ): Promise<Subscription> {
    const dom = options.dom ?? null;
    return this.subscribe(
      'domain',
      DOMAIN_EVENT_IDS,
      options.events,
      (eventID) => this.connectDomainEventCallbackRegisterAny({ eventID, dom }),
      (callbackID) => this.connectDomainEventCallbackDeregisterAny({ callbackID }),
      listener,
    );
  }

  subscribeNetworkEvents(
    listener: (event: NetworkEvent) => void,
    options: { events?: readonly NetworkEvent['name'][] } = {},
  ): Promise<Subscription> {
    return this.subscribe(
      'network',
      NETWORK_EVENT_IDS,
      options.events,
      (eventID) => this.connectNetworkEventRegisterAny({ eventID, net: null }),
      (callbackID) => this.connectNetworkEventDeregisterAny({ callbackID }),
      listener,
    );
  }

  subscribeStoragePoolEvents(
    listener: (event: StoragePoolEvent) => void,
    options: { events?: readonly StoragePoolEvent['name'][] } = {},
  ): Promise<Subscription> {
    return this.subscribe(
      'storagePool',
      STORAGE_POOL_EVENT_IDS,
      options.events,
      (eventID) => this.connectStoragePoolEventRegisterAny({ eventID, pool: null }),
      (callbackID) => this.connectStoragePoolEventDeregisterAny({ callbackID }),
      listener,
    );
  }

  subscribeNodeDeviceEvents(
    listener: (event: NodeDeviceEvent) => void,
    options: { events?: readonly NodeDeviceEvent['name'][] } = {},
  ): Promise<Subscription> {
    return this.subscribe(
      'nodeDevice',
      NODE_DEVICE_EVENT_IDS,
      options.events,
      (eventID) => this.connectNodeDeviceEventRegisterAny({ eventID, dev: null }),
      (callbackID) => this.connectNodeDeviceEventDeregisterAny({ callbackID }),
      listener,
    );
  }

  subscribeSecretEvents(
    listener: (event: SecretEvent) => void,
    options: { events?: readonly SecretEvent['name'][] } = {},
  ): Promise<Subscription> {
    return this.subscribe(
      'secret',
      SECRET_EVENT_IDS,
      options.events,
      (eventID) => this.connectSecretEventRegisterAny({ eventID, secret: null }),
      (callbackID) => this.connectSecretEventDeregisterAny({ callbackID }),
      listener,
    );
  }

  /** The daemon's libvirt version, asked once. */
  private daemonVersion(): Promise<number> {
    this.libVersion ??= this.connectGetLibVersion(undefined).then(({ lib_ver }) => Number(lib_ver));
    return this.libVersion;
  }

  /**
   * Registers one callback per event ID. Asked for everything, it takes the IDs the daemon's version knows (an
   * older daemon rejects newer IDs); asked for named events, it registers exactly those and fails if one fails.
   */
  private async subscribe<T extends EventTable>(
    kind: EventKind,
    table: T,
    names: readonly string[] | undefined,
    register: (eventID: number) => Promise<{ callbackID: number }>,
    deregister: (callbackID: number) => Promise<unknown>,
    listener: (event: EventOf<T>) => void,
  ): Promise<Subscription> {
    const entries = Object.entries(table).map(([id, e]) => ({ eventID: Number(id), name: e.name, since: e.since }));
    let wanted: typeof entries;
    if (names) {
      const unknown = names.filter((n) => !entries.some((e) => e.name === n));
      if (unknown.length > 0) throw new Error(`unknown event name(s): ${unknown.join(', ')}`);
      wanted = entries.filter((e) => names.includes(e.name));
    } else {
      const version = await this.daemonVersion();
      wanted = entries.filter((e) => e.since <= version);
    }
    const deliver = listener as (event: { name: string; body: unknown }) => void;
    const callbackIDs: number[] = [];
    const unsubscribe = async (): Promise<void> => {
      const mine = callbackIDs.filter((id) => this.callbacks.delete(callbackKey(kind, id)));
      if (this.rpc.closed) return;
      await Promise.all(mine.map((id) => deregister(id)));
    };
    try {
      for (const { eventID, name } of wanted) {
        const { callbackID } = await register(eventID);
        // Recorded before the next await, so no message for this callback can be missed.
        this.callbacks.set(callbackKey(kind, callbackID), { callbackID, name, deliver, deregister });
        callbackIDs.push(callbackID);
      }
    } catch (err) {
      await unsubscribe().catch(() => undefined);
      throw err;
    }
    return { callbackIDs, unsubscribe };
  }

  private onMessage(packet: Packet): void {
    const entry = this.messageTable.get(packet.header.procedure);
    if (!entry) return; // An event newer than our catalogue: nobody can have asked for it.
    let body: { callbackID?: number };
    try {
      body = decode(entry.def.body, packet.payload) as { callbackID?: number };
    } catch (err) {
      this.rpc.abort(new ProtocolError(`${this.description}: undecodable ${entry.key} message: ${(err as Error).message}`));
      return;
    }
    const kind = MESSAGE_KINDS.get(entry.key);
    const callback = body.callbackID === undefined || kind === undefined ? undefined : this.callbacks.get(callbackKey(kind, body.callbackID));
    callback?.deliver({ name: callback.name, body });
  }

  /** Deregisters every callback, tells the daemon we are leaving, and closes the socket. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.rpc.closed) {
        const quick = { timeoutMs: 2000 };
        const entries = [...this.callbacks.values()];
        this.callbacks.clear();
        await Promise.allSettled(entries.map((e) => e.deregister(e.callbackID)));
        await this.connectClose(undefined, quick).catch(() => undefined);
      }
      await this.rpc.close();
    })();
    return this.closing;
  }
}

for (const name of Object.keys(remoteProcedures) as (keyof Procedures)[]) {
  Object.defineProperty(LibvirtConnection.prototype, name, {
    value: function (this: LibvirtConnection, args: unknown, options?: CallOptions) {
      return this.call(name, args, options);
    },
    writable: true,
    configurable: true,
  });
}

