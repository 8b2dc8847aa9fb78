// Metric histories: fetched once, then one sample per stats event (merge, trim, gaps) and the list's sparklines.
import type { DomainStatsSample, EventMessage, Metrics, StatsMessage } from '@vireo/api';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { appendSample, appendSparkTick, HISTORY_MS, latest, pick, withGaps, type SparkHistory } from '../../src/charts/history.js';
import { applyStatsToHistories } from '../../src/charts/live.js';
import { metricsKeys } from '../../src/charts/queries.js';
import { applyEvent, initialCursor } from '../../src/events/apply.js';

const hostHistory = (timestamps: number[], cpu: (number | null)[]): Metrics => ({
  host: 'local',
  intervalMs: 5000,
  timestamps,
  series: { cpuPercent: cpu, memoryUsedBytes: cpu.map(() => 1), netRxBytesPerSec: cpu.map(() => null) },
});

const sample = (uuid: string, cpu: number | null, mem: number | null = 512): DomainStatsSample => ({
  uuid,
  cpuPercent: cpu,
  memoryUsedKiB: mem,
  diskReadBytesPerSec: 10,
  diskWriteBytesPerSec: 20,
  netRxBytesPerSec: 30,
  netTxBytesPerSec: 40,
});

const stats = (at: number, domains: DomainStatsSample[], seq = 0): StatsMessage => ({
  type: 'stats',
  seq,
  host: 'local',
  at,
  intervalMs: 5000,
  node: {
    cpu: { percent: 25, userPercent: 20, kernelPercent: 5, iowaitPercent: 0 },
    memory: { totalBytes: 100, freeBytes: 50, buffersBytes: 0, cachedBytes: 0, usedBytes: 50 },
    io: { netRxBytesPerSec: 1000, netTxBytesPerSec: 2000, diskReadBytesPerSec: null, diskWriteBytesPerSec: 4096 },
  },
  domains,
});

describe('appendSample', () => {
  it('appends a newer tick to every series, null for what the tick did not carry', () => {
    const next = appendSample(hostHistory([1000, 6000], [1, 2]), 11_000, { cpuPercent: 3, memoryUsedBytes: Number.NaN });
    expect(next.timestamps).toEqual([1000, 6000, 11_000]);
    expect(next.series).toEqual({ cpuPercent: [1, 2, 3], memoryUsedBytes: [1, 1, null], netRxBytesPerSec: [null, null, null] });
  });

  it('ignores a tick the fetched history already holds, returning the same object', () => {
    const h = hostHistory([1000, 6000], [1, 2]);
    expect(appendSample(h, 6000, { cpuPercent: 9 })).toBe(h);
    expect(appendSample(h, 5000, { cpuPercent: 9 })).toBe(h);
  });

  it('drops samples older than the window', () => {
    const h = hostHistory([0, 1000, HISTORY_MS], [1, 2, 3]);
    const next = appendSample(h, HISTORY_MS + 1000, { cpuPercent: 4 });
    expect(next.timestamps).toEqual([HISTORY_MS, HISTORY_MS + 1000]);
    expect(next.series['cpuPercent']).toEqual([3, 4]);
    // The original is untouched (the cache compares by reference).
    expect(h.timestamps).toHaveLength(3);
  });
});

describe('withGaps', () => {
  it('breaks the line where samples are more than three intervals (and 10 s) apart', () => {
    const out = withGaps([0, 5000, 10_000, 60_000, 65_000], [[1, 2, 3, 4, 5]], 5000);
    expect(out.timestamps).toEqual([0, 5000, 10_000, 15_000, 60_000, 65_000]);
    expect(out.series).toEqual([[1, 2, 3, null, 4, 5]]);
  });

  it('keeps a regular or slightly stretched series as it is, and latest() finds the newest value', () => {
    expect(withGaps([0, 5000, 11_000, 25_000], [[1, null, 3, 4]], 5000)).toEqual({ timestamps: [0, 5000, 11_000, 25_000], series: [[1, null, 3, 4]] });
    // A 1 s tick stretched to 8 s by a busy host is no gap.
    expect(withGaps([0, 8000], [[1, 2]], 1000).timestamps).toEqual([0, 8000]);
    expect(latest([1, 2, null])).toBe(2);
    expect(latest([null])).toBeNull();
    expect(latest(undefined)).toBeNull();
  });

  it('pick() takes named series with labels, empty before the history loads', () => {
    expect(pick(hostHistory([1], [7]), [['cpuPercent', 'CPU']])).toEqual([{ label: 'CPU', values: [7] }]);
    expect(pick(undefined, [['cpuPercent', 'CPU']])).toEqual([{ label: 'CPU', values: [] }]);
  });
});

describe('appendSparkTick', () => {
  const base: SparkHistory = {
    host: 'local',
    intervalMs: 5000,
    points: 3,
    timestamps: [1000, 2000, 3000],
    domains: {
      a: { cpuPercent: [1, 2, 3], memoryUsedKiB: [10, 20, 30] },
      gone: { cpuPercent: [null, null, 5], memoryUsedKiB: [null, null, 50] },
    },
  };
  const names = ['cpuPercent', 'memoryUsedKiB'];

  it('moves the window by one tick: samples appended, absent domains get null, new ones start with nulls', () => {
    const next = appendSparkTick(base, 4000, new Map([['a', sample('a', 4, 40)], ['new', sample('new', 9, 90)]]), names);
    expect(next.timestamps).toEqual([2000, 3000, 4000]);
    expect(next.domains['a']).toEqual({ cpuPercent: [2, 3, 4], memoryUsedKiB: [20, 30, 40] });
    expect(next.domains['gone']).toEqual({ cpuPercent: [null, 5, null], memoryUsedKiB: [null, 50, null] });
    expect(next.domains['new']).toEqual({ cpuPercent: [null, null, 9], memoryUsedKiB: [null, null, 90] });
  });

  it('drops a domain left with only nulls, and ignores a tick it already has', () => {
    const once = appendSparkTick(base, 4000, new Map(), names);
    const twice = appendSparkTick(once, 5000, new Map(), names);
    const thrice = appendSparkTick(twice, 6000, new Map(), names);
    expect(Object.keys(twice.domains).sort()).toEqual(['a', 'gone']);
    expect(thrice.domains).toEqual({});
    expect(appendSparkTick(base, 3000, new Map(), names)).toBe(base);
  });

  it('grows until it holds `points` ticks', () => {
    const short: SparkHistory = { ...base, timestamps: [1000], domains: { a: { cpuPercent: [1], memoryUsedKiB: [1] } } };
    const next = appendSparkTick(short, 2000, new Map([['a', sample('a', 2)]]), names);
    expect(next.timestamps).toEqual([1000, 2000]);
    expect(next.domains['a']!['cpuPercent']).toEqual([1, 2]);
  });
});

describe('stats events feed the loaded histories', () => {
  function client(): QueryClient {
    const c = new QueryClient();
    c.setQueryData<Metrics>(metricsKeys.host('local'), hostHistory([1000], [10]));
    // The details page may spell the UUID in capitals; the stats samples are canonical.
    c.setQueryData<Metrics>(metricsKeys.domain('local', 'AAAA-BBBB'), { host: 'local', uuid: 'AAAA-BBBB', intervalMs: 5000, timestamps: [], series: { cpuPercent: [], memoryUsedKiB: [] } });
    c.setQueryData<Metrics>(metricsKeys.domain('local', 'stopped'), { host: 'local', uuid: 'stopped', intervalMs: 5000, timestamps: [1000], series: { cpuPercent: [5] } });
    c.setQueryData<SparkHistory>(metricsKeys.sparklines('local'), { host: 'local', intervalMs: 5000, points: 40, timestamps: [1000], domains: {} });
    return c;
  }

  it('appends host CPU, memory and I/O, each running domain\'s sample, and a sparkline tick', () => {
    const c = client();
    applyStatsToHistories(c, stats(6000, [sample('aaaa-bbbb', 50, 2048)]));
    const host = c.getQueryData<Metrics>(metricsKeys.host('local'))!;
    expect(host.timestamps).toEqual([1000, 6000]);
    expect(host.series['cpuPercent']).toEqual([10, 25]);
    expect(host.series['memoryUsedBytes']).toEqual([1, 50]);
    expect(host.series['netRxBytesPerSec']).toEqual([null, 1000]);
    const vm = c.getQueryData<Metrics>(metricsKeys.domain('local', 'AAAA-BBBB'))!;
    expect(vm.timestamps).toEqual([6000]);
    expect(vm.series).toEqual({ cpuPercent: [50], memoryUsedKiB: [2048] });
    // No sample for a VM that is not running: its history keeps its gap.
    expect(c.getQueryData<Metrics>(metricsKeys.domain('local', 'stopped'))!.timestamps).toEqual([1000]);
    expect(c.getQueryData<SparkHistory>(metricsKeys.sparklines('local'))!.domains['aaaa-bbbb']).toEqual({ cpuPercent: [null, 50], memoryUsedKiB: [null, 2048] });
  });

  it('fetches nothing and creates nothing for histories not loaded', () => {
    const c = new QueryClient();
    applyStatsToHistories(c, stats(6000, [sample('x', 1)]));
    expect(c.getQueryCache().getAll()).toHaveLength(0);
  });

  it('runs from applyEvent on a stats message, and not on one that reveals a gap', () => {
    const c = client();
    const cursor = initialCursor();
    expect(applyEvent(c, cursor, stats(6000, []) as EventMessage)).toBe('ok');
    expect(c.getQueryData<Metrics>(metricsKeys.host('local'))!.timestamps).toEqual([1000, 6000]);
    expect(applyEvent(c, cursor, stats(11_000, [], 5) as EventMessage)).toBe('gap');
    expect(c.getQueryData<Metrics>(metricsKeys.host('local'))!.timestamps).toEqual([1000, 6000]);
  });
});
