import type { HostState } from '@vireo/api';
import type { KeepaliveOptions } from '@vireo/libvirt';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import { DomainTracker } from '../domains/domain-tracker.js';
import { DomainService } from '../domains/domain-service.js';
import { RevisionSigner } from '../domains/revision.js';
import { DEFAULT_RING_SIZE, EventHub } from '../events/event-hub.js';
import { EventSockets } from '../events/event-sockets.js';
import { ObjectEventsBridge } from '../events/object-events.js';
import type { HostAccess } from '../host-access/host-access.js';
import { LocalHostAccess } from '../host-access/local-host-access.js';
import { HostMetrics } from '../metrics/metrics-store.js';
import { StatsTicker } from '../metrics/stats-ticker.js';
import { TaskRegistry } from '../tasks/task-registry.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { toApiHealth } from './host-health.js';
import { HostInfoService } from './host-info.js';
import { HostManager, LOCAL_HOST_ID } from './host-manager.js';
import { HostRuntimes } from './host-runtime.js';
import { ManagedHost } from './managed-host.js';

/** Tunables of the live machinery; the defaults suit production, tests shorten the intervals. */
export interface LiveOptions {
  /** One get-all-domain-stats call per host per interval. */
  statsIntervalMs: number;
  /** Heartbeat (and ping) interval of the events sockets. */
  heartbeatMs: number;
  backoff: BackoffOptions;
  downAfterAttempts: number;
  /** Finished tasks stay readable this long. */
  taskTtlMs: number;
  /** Deltas kept for clients that reconnect with `since`. */
  eventRingSize: number;
  /** An events socket with more queued than this is closed (the client reconnects with `since`). */
  maxBufferedBytes: number;
  keepalive: KeepaliveOptions;
  connectTimeoutMs: number;
  /** The local host's access; tests may substitute one. */
  localAccess: HostAccess;
}

export const DEFAULT_LIVE_OPTIONS: Omit<LiveOptions, 'localAccess'> = {
  statsIntervalMs: 5000,
  heartbeatMs: 15_000,
  backoff: DEFAULT_BACKOFF,
  downAfterAttempts: 5,
  taskTtlMs: 60 * 60_000,
  eventRingSize: DEFAULT_RING_SIZE,
  maxBufferedBytes: 8 * 1024 * 1024,
  // libvirt's own client default is 5 s x 5; a hung daemon is found within half a minute.
  keepalive: { intervalMs: 5000, count: 5 },
  connectTimeoutMs: 5000,
};

/** The services the live machinery adds to the server's `Services`. */
export interface LiveServices {
  hosts: HostManager;
  runtimes: HostRuntimes;
  hostInfo: HostInfoService;
  domains: DomainService;
  events: EventHub;
  eventSockets: EventSockets;
  tasks: TaskRegistry;
}

export interface Live {
  services: LiveServices;
  /** Starts connecting to every host (after the server is ready, so a failed start leaves nothing open). */
  start(): void;
  close(): Promise<void>;
}

/**
 * Builds the per-host machinery: connection and health, the domain list kept by events, the stats tick and its
 * history, network and pool events, tasks, and the events hub they all publish to. Hosts are keyed by id from the
 * start (`local` now); an SSH host is one more `ManagedHost` with another `HostAccess`.
 */
export function createLive(config: Config, log: FastifyBaseLogger, overrides: Partial<LiveOptions> = {}): Live {
  // The configuration sets the intervals; an explicit override (tests) still wins over it.
  const options: LiveOptions = {
    ...DEFAULT_LIVE_OPTIONS,
    statsIntervalMs: config.live.statsIntervalMs,
    heartbeatMs: config.live.heartbeatMs,
    localAccess: new LocalHostAccess(),
    ...overrides,
  };
  const hub = new EventHub(options.eventRingSize);
  const publish = hub.publish.bind(hub);

  const local = new ManagedHost(LOCAL_HOST_ID, config.libvirtUri, options.localAccess, {
    backoff: options.backoff,
    downAfterAttempts: options.downAfterAttempts,
    open: { keepalive: options.keepalive, connectTimeoutMs: options.connectTimeoutMs },
  });
  const hosts = new HostManager([local]);
  const runtimes = new HostRuntimes(hosts);

  const snapshot = (): HostState[] =>
    runtimes.list().map((r) => ({
      id: r.host.id,
      uri: r.host.displayUri,
      health: toApiHealth(r.host.health),
      domains: r.tracker.store.list(),
    }));
  const eventSockets = new EventSockets({ hub, snapshot, heartbeatMs: options.heartbeatMs, maxBufferedBytes: options.maxBufferedBytes, log });

  for (const host of hosts.list()) {
    const hostLog = log.child({ host: host.id });
    const metrics = new HostMetrics(host.id, options.statsIntervalMs);
    const tracker = new DomainTracker({ hostId: host.id, publish, log: hostLog, onRemoved: (uuid) => metrics.forgetDomain(uuid) });
    const objects = new ObjectEventsBridge(host.id, publish, hostLog);
    const ticker = new StatsTicker({ host, tracker, metrics, hub, intervalMs: options.statsIntervalMs, log: hostLog });
    runtimes.add({ host, tracker, objects, ticker, metrics });

    host.addSetup((conn) => tracker.attach(conn));
    host.addSetup((conn) => objects.attach(conn));
    host.on('health', (health) => {
      publish({ type: 'host.health', host: host.id, health: toApiHealth(health) });
      if (health.state !== 'connected') hostLog.warn({ health }, `libvirt on host ${host.id} is ${health.state}`);
    });
    host.on('disconnected', (conn) => tracker.detach(conn));
    host.on('connected', () => {
      hostLog.info(`connected to ${host.displayUri}`);
      // Events may have been missed while the daemon was away: clients replace their state with the rebuilt one.
      eventSockets.resyncAll('host-reconnected');
      ticker.start();
    });
  }

  const tasks = new TaskRegistry({ publish, log, ttlMs: options.taskTtlMs });
  const revisions = new RevisionSigner();
  const domains = new DomainService({ runtimes, tasks, revisions, log }, () => hub.seq);

  return {
    services: { hosts, runtimes, hostInfo: new HostInfoService(), domains, events: hub, eventSockets, tasks },
    start: () => hosts.start(),
    async close() {
      eventSockets.close();
      for (const r of runtimes.list()) r.ticker.stop();
      await tasks.close();
      await Promise.allSettled(runtimes.list().flatMap((r) => [r.tracker.close(), r.objects.close()]));
      await hosts.close();
    },
  };
}
