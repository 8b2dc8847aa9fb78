import { describe, expect, it } from 'vitest';
import { HISTORY_MS, HostMetrics } from '../../../src/metrics/metrics-store.js';

const sample = (uuid: string, cpu: number) => ({
  uuid,
  cpuPercent: cpu,
  memoryUsedKiB: 1024,
  diskReadBytesPerSec: null,
  diskWriteBytesPerSec: null,
  netRxBytesPerSec: null,
  netTxBytesPerSec: null,
});

describe('HostMetrics', () => {
  it('sizes its rings for an hour of ticks', () => {
    expect(new HostMetrics('local', 5000).capacity).toBe(720);
    expect(new HostMetrics('local', 300).capacity).toBe(12_000);
  });

  it('keeps a domain\'s samples while it runs and forgets it on request', () => {
    const m = new HostMetrics('local', 5000);
    m.recordDomains(1000, [sample('a', 10), sample('b', 20)]);
    m.recordDomains(6000, [sample('a', 30)]);
    expect(m.domainMetrics('a')).toMatchObject({ host: 'local', uuid: 'a', intervalMs: 5000, timestamps: [1000, 6000] });
    expect(m.domainMetrics('a').series['cpuPercent']).toEqual([10, 30]);
    expect(m.domainMetrics('b').timestamps).toEqual([1000]);
    m.forgetDomain('a');
    expect(m.domainMetrics('a').timestamps).toEqual([]);
    expect(m.domainMetrics('a').series['cpuPercent']).toEqual([]);
  });

  it('drops a domain that has not run for an hour', () => {
    const m = new HostMetrics('local', 5000);
    m.recordDomains(0, [sample('old', 1)]);
    m.recordDomains(HISTORY_MS + 1, [sample('new', 1)]);
    expect(m.domainCount).toBe(1);
  });

  it('records host series with nulls for what was not known', () => {
    const m = new HostMetrics('local', 5000);
    m.recordHost(1, null, { totalBytes: 10, freeBytes: 1, buffersBytes: 1, cachedBytes: 1, usedBytes: 7 });
    expect(m.hostMetrics().series).toEqual({
      cpuPercent: [null],
      memoryUsedBytes: [7],
      memoryTotalBytes: [10],
      netRxBytesPerSec: [null],
      netTxBytesPerSec: [null],
      diskReadBytesPerSec: [null],
      diskWriteBytesPerSec: [null],
    });
  });
});
