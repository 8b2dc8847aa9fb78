import { DomainsMetricsSchema, type DomainStatsSample, type DomainsMetrics } from '@vireo/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostMetrics } from '../../../src/metrics/metrics-store.js';
import { SeriesRing } from '../../../src/metrics/series-ring.js';
import { login, startHarness, type Harness, type SignedIn } from '../../helpers/harness.js';

const sample = (uuid: string, cpu: number | null, mem: number | null = 1024): DomainStatsSample => ({
  uuid,
  cpuPercent: cpu,
  memoryUsedKiB: mem,
  diskReadBytesPerSec: 1,
  diskWriteBytesPerSec: 2,
  netRxBytesPerSec: 3,
  netTxBytesPerSec: 4,
});

const memory = { totalBytes: 8 * 2 ** 30, freeBytes: 0, buffersBytes: 0, cachedBytes: 0, usedBytes: 2 ** 30 };

/** Ticks at 1000, 2000, ... recorded for the host and the domains given per tick. */
function filled(ticks: number, domainsAt: (tick: number) => DomainStatsSample[]): HostMetrics {
  const m = new HostMetrics('local', 1000);
  for (let i = 1; i <= ticks; i++) {
    m.recordHost(i * 1000, null, memory);
    m.recordDomains(i * 1000, domainsAt(i));
  }
  return m;
}

describe('SeriesRing.readAt', () => {
  it('aligns a ring with gaps on given timestamps, null where it has none', () => {
    const ring = new SeriesRing(4, ['a'] as const);
    for (const t of [1, 2, 4, 6, 7]) ring.push(t, { a: t * 10 });
    // The ring holds 2, 4, 6, 7 (1 was overwritten).
    expect(ring.readAt([1, 2, 3, 4, 5, 6, 7], ['a'])).toEqual({ a: [null, 20, null, 40, null, 60, 70] });
    expect(ring.readAt([5, 6], ['a'])).toEqual({ a: [null, 60] });
    expect(ring.readAt([8, 9], ['a'])).toBeUndefined();
    expect(ring.lastTimestamps(2)).toEqual([6, 7]);
    expect(ring.lastTimestamps(10)).toEqual([2, 4, 6, 7]);
  });
});

describe('HostMetrics.domainsMetrics', () => {
  it('returns the newest points on the host\'s timestamps, rounded, leaving out domains without a sample', () => {
    const m = filled(10, (i) => [sample('a', i + 0.123456, 1024.4), ...(i >= 9 ? [sample('b', null, 2048)] : []), ...(i <= 2 ? [sample('old', 5)] : [])]);
    const bulk = m.domainsMetrics(['cpuPercent', 'memoryUsedKiB'], 3);
    expect(bulk.timestamps).toEqual([8000, 9000, 10_000]);
    expect(bulk.intervalMs).toBe(1000);
    expect(Object.keys(bulk.domains).sort()).toEqual(['a', 'b']);
    expect(bulk.domains['a']).toEqual({ cpuPercent: [8.1, 9.1, 10.1], memoryUsedKiB: [1024, 1024, 1024] });
    expect(bulk.domains['b']).toEqual({ cpuPercent: [null, null, null], memoryUsedKiB: [null, 2048, 2048] });
    expect(m.domainsMetrics(['netRxBytesPerSec'], 1).domains['a']).toEqual({ netRxBytesPerSec: [3] });
  });

  it('is empty before the first tick', () => {
    expect(new HostMetrics('local', 1000).domainsMetrics(['cpuPercent'], 60)).toEqual({ host: 'local', intervalMs: 1000, timestamps: [], domains: {} });
  });

  it('records the host\'s network and disk rates next to CPU and memory', () => {
    const m = new HostMetrics('local', 5000);
    m.recordHost(1, null, memory, { netRxBytesPerSec: 10, netTxBytesPerSec: 20, diskReadBytesPerSec: null, diskWriteBytesPerSec: 2 ** 31 });
    m.recordHost(2, null, memory);
    const s = m.hostMetrics().series;
    expect(s['netRxBytesPerSec']).toEqual([10, null]);
    expect(s['netTxBytesPerSec']).toEqual([20, null]);
    expect(s['diskReadBytesPerSec']).toEqual([null, null]);
    expect(s['diskWriteBytesPerSec']).toEqual([2 ** 31, null]);
  });

  it('keeps an hour of 1,000 running domains compact', () => {
    const m = filled(720, (i) => (i % 100 === 0 || i === 720 ? Array.from({ length: 1000 }, (_, d) => sample(`d${d}`, d % 100)) : []));
    // One Float64 timestamp and six Float32 values per slot: 32 bytes x 720 slots per domain.
    // The host ring: a Float64 timestamp, two Float64 memory figures and five Float32 series per slot.
    const perDomain = (m.byteLength - m.capacity * (8 + 2 * 8 + 5 * 4)) / 1000;
    expect(m.domainCount).toBe(1000);
    expect(perDomain).toBe(m.capacity * 32);
  });
});

describe('GET /api/v1/hosts/:host/metrics/domains', () => {
  let h: Harness;
  let viewer: SignedIn;
  const N = 1000;
  const TICKS = 720;

  beforeAll(async () => {
    // A socket nobody listens on: the host never connects, so no real tick writes into the synthetic store.
    h = await startHarness({ config: { libvirtUri: 'qemu:///system?socket=/nonexistent/vireo-test.sock' } });
    viewer = await login(h.app, 'admin', 'correct horse battery staple');
    const metrics = h.services.runtimes.get('local').metrics;
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < TICKS; i++) {
      const at = t0 + i * metrics.intervalMs;
      metrics.recordHost(at, null, memory);
      // Every domain ran the whole hour, with CPU values that have many decimals (the worst case for the body).
      metrics.recordDomains(
        at,
        Array.from({ length: N }, (_, d) => sample(`00000000-0000-4000-8000-${String(d).padStart(12, '0')}`, ((i * 7 + d) % 1000) / 9.7, 524_288 + d)),
      );
    }
  });
  afterAll(() => h.close());

  const get = (query: string) => h.app.inject({ url: `/api/v1/hosts/local/metrics/domains${query}`, headers: { cookie: viewer.cookie } });

  it('serves 1,000 domains\' sparklines in one compact body', async () => {
    const res = await get('');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    const parsed = DomainsMetricsSchema.parse(JSON.parse(body)) satisfies DomainsMetrics;
    expect(parsed.timestamps).toHaveLength(60);
    expect(Object.keys(parsed.domains)).toHaveLength(N);
    const first = Object.values(parsed.domains)[0]!;
    expect(Object.keys(first).sort()).toEqual(['cpuPercent', 'memoryUsedKiB']);
    expect(first['cpuPercent']).toHaveLength(60);
    // A tenth of a percent at most; KiB whole.
    for (const v of first['cpuPercent']!) expect(Math.round(v! * 10) / 10).toBe(v);
    for (const v of first['memoryUsedKiB']!) expect(Number.isInteger(v)).toBe(true);
    // The size is deterministic for this data (unrounded Float32s would be about 2.5x). Speed belongs to bench/.
    expect(body.length).toBeLessThan(900_000);
  });

  it('takes the series and the number of points asked for', async () => {
    const res = await get('?series=netRxBytesPerSec&points=5');
    expect(res.statusCode).toBe(200);
    const body = res.json<DomainsMetrics>();
    expect(body.timestamps).toHaveLength(5);
    expect(Object.values(body.domains)[0]).toEqual({ netRxBytesPerSec: [3, 3, 3, 3, 3] });
  });

  it('refuses an unknown series or too many points with a 400 naming the field', async () => {
    const bad = await get('?series=cpuPercent,bogus');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('series');
    expect((await get('?points=721')).statusCode).toBe(400);
  });

  it('needs a session', async () => {
    expect((await h.app.inject({ url: '/api/v1/hosts/local/metrics/domains' })).statusCode).toBe(401);
  });
});
