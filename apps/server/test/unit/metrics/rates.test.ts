import { describe, expect, it } from 'vitest';
import {
  counterRate,
  cpuPercent,
  domainCounters,
  domainSample,
  memoryUsedKiB,
  nodeCpuStats,
  nodeMemoryStats,
} from '../../../src/metrics/rates.js';

describe('counter rates', () => {
  it('is bytes per second between two samples', () => {
    expect(counterRate(1000n, 6000n, 5000)).toBe(1000);
    expect(counterRate(0n, 1n, 2000)).toBe(0.5);
  });

  it('is null without a previous value, without elapsed time, or when the counter went backwards', () => {
    expect(counterRate(undefined, 10n, 1000)).toBeNull();
    expect(counterRate(null, 10n, 1000)).toBeNull();
    expect(counterRate(10n, null, 1000)).toBeNull();
    expect(counterRate(10n, 20n, 0)).toBeNull();
    // The domain restarted: cpu.time starts again from 0.
    expect(counterRate(10_000n, 5n, 1000)).toBeNull();
  });

  it('gives CPU use as a share of the domain\'s vCPUs', () => {
    // 2 vCPUs, 1 s elapsed, 1 s of CPU time used: half of them.
    expect(cpuPercent(0n, 1_000_000_000n, 1000, 2)).toBe(50);
    expect(cpuPercent(0n, 3_000_000_000n, 1000, 2)).toBe(100);
    expect(cpuPercent(0n, 1_000_000_000n, 1000, 0)).toBeNull();
  });
});

describe('domain stats records', () => {
  const params = {
    'cpu.time': 5_000_000_000n,
    'balloon.rss': 40_000n,
    'block.count': 2,
    'block.0.rd.bytes': 100n,
    'block.0.wr.bytes': 10n,
    'block.1.rd.bytes': 50n,
    'net.count': 1,
    'net.0.rx.bytes': 7n,
    'net.0.tx.bytes': 9n,
  };

  it('sums devices and takes RSS when the guest reports no memory use', () => {
    expect(domainCounters(1000, params)).toEqual({
      at: 1000,
      cpuTimeNs: 5_000_000_000n,
      diskReadBytes: 150n,
      diskWriteBytes: 10n,
      netRxBytes: 7n,
      netTxBytes: 9n,
      memoryUsedKiB: 40_000,
    });
  });

  it('prefers the guest\'s own memory figures (available - unused)', () => {
    expect(memoryUsedKiB({ 'balloon.available': 1_000_000n, 'balloon.unused': 250_000n, 'balloon.rss': 9n })).toBe(750_000);
    expect(memoryUsedKiB({})).toBeNull();
  });

  it('turns two records into one sample of rates', () => {
    const prev = domainCounters(0, params);
    const curr = domainCounters(2000, { ...params, 'cpu.time': 6_000_000_000n, 'block.0.rd.bytes': 2100n, 'net.0.tx.bytes': 4009n });
    expect(domainSample('u', prev, curr, 1)).toEqual({
      uuid: 'u',
      cpuPercent: 50,
      memoryUsedKiB: 40_000,
      diskReadBytesPerSec: 1000,
      diskWriteBytesPerSec: 0,
      netRxBytesPerSec: 0,
      netTxBytesPerSec: 2000,
    });
    expect(domainSample('u', undefined, curr, 1).cpuPercent).toBeNull();
  });
});

describe('node stats', () => {
  const at = (kernel: bigint, user: bigint, idle: bigint, iowait: bigint) => ({ kernel, user, idle, iowait });

  it('computes host CPU use from counter deltas', () => {
    const s = nodeCpuStats(at(0n, 0n, 0n, 0n), at(100n, 200n, 600n, 100n));
    expect(s).toEqual({ percent: 30, userPercent: 20, kernelPercent: 10, iowaitPercent: 10 });
    expect(nodeCpuStats(undefined, at(1n, 1n, 1n, 1n))).toBeNull();
    expect(nodeCpuStats(at(5n, 5n, 5n, 5n), at(5n, 5n, 5n, 5n))).toBeNull();
    expect(nodeCpuStats(at(5n, 5n, 5n, 5n), at(1n, 9n, 9n, 9n))).toBeNull();
  });

  it('converts memory KiB to bytes and leaves caches out of used', () => {
    expect(nodeMemoryStats({ total: 1000n, free: 100n, buffers: 50n, cached: 250n })).toEqual({
      totalBytes: 1_024_000,
      freeBytes: 102_400,
      buffersBytes: 51_200,
      cachedBytes: 256_000,
      usedBytes: 614_400,
    });
  });
});
