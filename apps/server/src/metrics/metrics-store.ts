import {
  DOMAIN_SERIES,
  HOST_SERIES,
  type DomainSeriesName,
  type DomainStatsSample,
  type DomainsMetrics,
  type HostIoRates,
  type HostSeriesName,
  type Metrics,
  type NodeCpuStats,
  type NodeMemoryStats,
} from '@vireo/api';
import { SeriesRing } from './series-ring.js';

export const HISTORY_MS = 60 * 60_000;

/** Sparkline precision, to keep the bulk body small: percentages to a tenth, byte and KiB figures to a unit. */
const roundPercent = (v: number): number => Math.round(v * 10) / 10;
const roundUnit = (v: number): number => Math.round(v);

/** One host's history: its own series and one ring per domain that has run within the hour. */
export class HostMetrics {
  readonly capacity: number;
  private readonly host: SeriesRing<HostSeriesName>;
  private readonly domains = new Map<string, SeriesRing<DomainSeriesName>>();

  constructor(
    readonly hostId: string,
    readonly intervalMs: number,
  ) {
    this.capacity = Math.max(2, Math.ceil(HISTORY_MS / intervalMs));
    // Memory in bytes needs Float64 (exact beyond 16 MiB); rates and percentages are fine in Float32 (7 digits).
    this.host = new SeriesRing(this.capacity, HOST_SERIES, ['memoryUsedBytes', 'memoryTotalBytes']);
  }

  recordHost(at: number, cpu: NodeCpuStats | null, memory: NodeMemoryStats | null, io: HostIoRates | null = null): void {
    this.host.push(at, {
      cpuPercent: cpu?.percent ?? null,
      memoryUsedBytes: memory?.usedBytes ?? null,
      memoryTotalBytes: memory?.totalBytes ?? null,
      ...io,
    });
  }

  /** Samples of running domains; a domain that is not running gets no sample (a gap in its timestamps). */
  recordDomains(at: number, samples: readonly DomainStatsSample[]): void {
    for (const s of samples) {
      let ring = this.domains.get(s.uuid);
      if (!ring) {
        ring = new SeriesRing(this.capacity, DOMAIN_SERIES);
        this.domains.set(s.uuid, ring);
      }
      ring.push(at, s);
    }
    // A domain that stopped more than an hour ago has nothing left to show.
    for (const [uuid, ring] of this.domains) {
      if (ring.lastAt !== undefined && at - ring.lastAt > HISTORY_MS) this.domains.delete(uuid);
    }
  }

  forgetDomain(uuid: string): void {
    this.domains.delete(uuid);
  }

  hostMetrics(since?: number): Metrics {
    return { host: this.hostId, intervalMs: this.intervalMs, ...this.host.read(since) };
  }

  /** A domain's history; empty series for a domain that has not run within the hour. */
  domainMetrics(uuid: string, since?: number): Metrics {
    const ring = this.domains.get(uuid);
    const read = ring ? ring.read(since) : { timestamps: [], series: Object.fromEntries(DOMAIN_SERIES.map((n) => [n, []])) };
    return { host: this.hostId, uuid, intervalMs: this.intervalMs, ...read };
  }

  /**
   * The newest `points` ticks of every domain with a sample among them, aligned on the host's tick timestamps (the
   * host ring gets one sample per tick, domains one per tick they ran), values rounded (see roundPercent).
   */
  domainsMetrics(names: readonly DomainSeriesName[], points: number): DomainsMetrics {
    const timestamps = this.host.lastTimestamps(points);
    const domains: DomainsMetrics['domains'] = {};
    const round = (v: number, name: DomainSeriesName) => (name === 'cpuPercent' ? roundPercent(v) : roundUnit(v));
    if (timestamps.length > 0) {
      const oldest = timestamps[0]!;
      for (const [uuid, ring] of this.domains) {
        if (ring.lastAt === undefined || ring.lastAt < oldest) continue;
        const values = ring.readAt(timestamps, names, round);
        if (values) domains[uuid] = values;
      }
    }
    return { host: this.hostId, intervalMs: this.intervalMs, timestamps, domains };
  }

  /** Bytes held by all rings (typed arrays only), for the memory budget. */
  get byteLength(): number {
    let total = this.host.byteLength;
    for (const ring of this.domains.values()) total += ring.byteLength;
    return total;
  }

  get domainCount(): number {
    return this.domains.size;
  }
}
