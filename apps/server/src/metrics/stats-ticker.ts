import type { DomainStatsSample, HostIoRates, NodeCpuStats, NodeMemoryStats } from '@vireo/api';
import { DomainStatsTypes, GetAllDomainStatsFlags, typedParamsToRecord, uuidToString, type LibvirtConnection } from '@vireo/libvirt';
import type { FastifyBaseLogger } from 'fastify';
import type { DomainTracker } from '../domains/domain-tracker.js';
import type { EventHub } from '../events/event-hub.js';
import type { ManagedHost } from '../hosts/managed-host.js';
import { NodeCounters } from '../hosts/node-counters.js';
import type { HostIoCounters } from './host-io.js';
import type { HostMetrics } from './metrics-store.js';
import { domainCounters, domainSample, hostIoRates, nodeCpuStats, nodeMemoryStats, type DomainCounters, type NodeCpuCounters } from './rates.js';

const NO_IO: HostIoCounters = { netRxBytes: null, netTxBytes: null, diskReadBytes: null, diskWriteBytes: null };

const DOMAIN_STATS = DomainStatsTypes.CPU_TOTAL | DomainStatsTypes.BALLOON | DomainStatsTypes.INTERFACE | DomainStatsTypes.BLOCK;

/** The host's numbers of the last tick, as `GET .../stats` serves them. */
export interface NodeSnapshot {
  at: number;
  cpu: NodeCpuStats | null;
  memory: NodeMemoryStats;
  io: HostIoRates;
}

export interface StatsTickerDeps {
  host: ManagedHost;
  tracker: DomainTracker;
  metrics: HostMetrics;
  hub: EventHub;
  intervalMs: number;
  log: FastifyBaseLogger;
}

/**
 * One host's stats tick: every interval, one get-all-domain-stats call for all running domains and the node's CPU
 * and memory counters. Rates are computed here once per host, whatever the number of clients, then go to the list
 * rows, the metrics rings and one `stats` message.
 *
 * Ticks are chained (the next is scheduled when one ends), so a slow daemon delays ticks instead of piling them up.
 */
export class StatsTicker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private readonly counters = new NodeCounters();
  private prevDomains = new Map<string, DomainCounters>();
  private prevNode: { conn: LibvirtConnection; cpu: NodeCpuCounters } | undefined;
  private prevIo: { at: number; counters: HostIoCounters } | undefined;
  private lastNode: NodeSnapshot | undefined;
  private tickDone = new Set<() => void>();

  constructor(private readonly deps: StatsTickerDeps) {}

  get node(): NodeSnapshot | undefined {
    return this.lastNode;
  }

  /** Ticks now (priming the counters a first rate needs), then every interval. */
  start(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), 0);
    this.timer.unref();
  }

  /** Resolves after the next tick has finished (tests; never used to synchronise requests). */
  nextTick(): Promise<void> {
    return new Promise((resolve) => this.tickDone.add(resolve));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.deps.intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      if (this.deps.host.connected) await this.sample(this.deps.host.connection());
    } catch (err) {
      if (this.deps.host.connected) this.deps.log.warn({ err, host: this.deps.host.id }, 'stats tick failed');
    } finally {
      this.running = false;
      const waiting = [...this.tickDone];
      this.tickDone.clear();
      for (const resolve of waiting) resolve();
      this.schedule();
    }
  }

  private async sample(conn: LibvirtConnection): Promise<void> {
    const [stats, node, ioCounters] = await Promise.all([
      conn.connectGetAllDomainStats({ doms: [], stats: DOMAIN_STATS, flags: GetAllDomainStatsFlags.ACTIVE }),
      this.counters.read(conn),
      // The host's own I/O is a nice-to-have: a host that cannot tell still gets its CPU and memory.
      this.deps.host.access.ioCounters().catch((err: unknown) => {
        this.deps.log.debug({ err, host: this.deps.host.id }, 'host I/O counters unreadable');
        return null;
      }),
    ]);
    const at = Date.now();
    const { tracker, metrics, hub, host } = this.deps;

    const next = new Map<string, DomainCounters>();
    const samples: DomainStatsSample[] = [];
    for (const record of stats.retStats) {
      const uuid = uuidToString(record.dom.uuid);
      const counters = domainCounters(at, typedParamsToRecord(record.params));
      next.set(uuid, counters);
      const vcpus = tracker.store.get(uuid)?.vcpus ?? 1;
      samples.push(domainSample(uuid, this.prevDomains.get(uuid), counters, vcpus));
    }
    this.prevDomains = next;

    // CPU counters of another connection may be another daemon (a restart): no delta across them.
    const prevCpu = this.prevNode?.conn === conn ? this.prevNode.cpu : undefined;
    const cpu = nodeCpuStats(prevCpu, node.cpu);
    this.prevNode = { conn, cpu: node.cpu };
    const memory = nodeMemoryStats(node.memory);
    const io = hostIoRates(this.prevIo?.counters, ioCounters ?? NO_IO, this.prevIo ? at - this.prevIo.at : 0);
    this.prevIo = ioCounters ? { at, counters: ioCounters } : undefined;
    this.lastNode = { at, cpu, memory, io };

    tracker.store.applyStats(new Map(samples.map((s) => [s.uuid, s])));
    metrics.recordHost(at, cpu, memory, io);
    metrics.recordDomains(at, samples);
    hub.broadcast({ type: 'stats', host: host.id, at, intervalMs: this.deps.intervalMs, node: { cpu, memory, io }, domains: samples });

    await tracker.reconcile(conn).catch((err: unknown) => {
      this.deps.log.warn({ err, host: host.id }, 'domain list reconciliation failed');
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const waiting = [...this.tickDone];
    this.tickDone.clear();
    for (const resolve of waiting) resolve();
  }
}
