import { describe, expect, it } from 'vitest';
import { SeriesRing } from '../../../src/metrics/series-ring.js';

describe('SeriesRing', () => {
  it('reads samples oldest first, and wraps around keeping the newest capacity', () => {
    const ring = new SeriesRing(3, ['a', 'b'] as const);
    for (let i = 1; i <= 5; i++) ring.push(i * 1000, { a: i, b: i * 10 });
    expect(ring.length).toBe(3);
    expect(ring.read()).toEqual({ timestamps: [3000, 4000, 5000], series: { a: [3, 4, 5], b: [30, 40, 50] } });
    expect(ring.lastAt).toBe(5000);
  });

  it('stores a missing value as NaN and reads it back as null', () => {
    const ring = new SeriesRing(4, ['a', 'b'] as const);
    ring.push(1, { a: null });
    ring.push(2, { a: 1.5, b: Number.NaN });
    expect(ring.read().series).toEqual({ a: [null, 1.5], b: [null, null] });
  });

  it('filters by time with since (strictly after)', () => {
    const ring = new SeriesRing(10, ['a'] as const);
    for (let i = 1; i <= 4; i++) ring.push(i, { a: i });
    expect(ring.read(2)).toEqual({ timestamps: [3, 4], series: { a: [3, 4] } });
    expect(ring.read(4).timestamps).toEqual([]);
  });

  it('keeps Float32 series compact and wide series exact', () => {
    const ring = new SeriesRing(720, ['cpu', 'bytes'] as const, ['bytes']);
    const big = 2 ** 40 + 1;
    ring.push(1, { cpu: 12.5, bytes: big });
    const read = ring.read();
    expect(read.series.bytes[0]).toBe(big);
    expect(read.series.cpu[0]).toBe(12.5);
    // 720 x (8 timestamp + 4 cpu + 8 bytes)
    expect(ring.byteLength).toBe(720 * 20);
  });

  it('is empty before the first push and refuses a useless capacity', () => {
    const ring = new SeriesRing(2, ['a'] as const);
    expect(ring.read()).toEqual({ timestamps: [], series: { a: [] } });
    expect(ring.lastAt).toBeUndefined();
    expect(() => new SeriesRing(0, ['a'] as const)).toThrow(/positive integer/);
  });
});
