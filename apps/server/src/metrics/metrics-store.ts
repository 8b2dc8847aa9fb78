import { DOMAIN_SERIES, HOST_SERIES, type DomainSeriesName, type DomainStatsSample, type HostSeriesName, type Metrics, type NodeCpuStats, type NodeMemoryStats } from '@vireo/api';
import { SeriesRing } from './series-ring.js';

export const HISTORY_MS = 60 * 60_000;

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
    this.host = new SeriesRing(this.capacity, HOST_SERIES, ['memoryUsedBytes', 'memoryTotalBytes']);
  }

  recordHost(at: number, cpu: NodeCpuStats | null, memory: NodeMemoryStats | null): void {
    this.host.push(at, {
      cpuPercent: cpu?.percent ?? null,
      memoryUsedBytes: memory?.usedBytes ?? null,
      memoryTotalBytes: memory?.totalBytes ?? null,
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

  get domainCount(): number {
    return this.domains.size;
  }
}
