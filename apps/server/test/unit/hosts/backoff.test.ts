import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../src/hosts/backoff.js';

const exact = { initialMs: 100, maxMs: 5000, factor: 2, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, exact))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('stays capped for very many attempts (no Infinity, no NaN)', () => {
    expect(backoffDelay(10_000, exact)).toBe(5000);
    expect(backoffDelay(0, exact)).toBe(100);
  });

  it('takes off at most the jitter fraction, at random', () => {
    const jittery = { ...exact, jitter: 0.5 };
    expect(backoffDelay(3, jittery, () => 0)).toBe(400);
    expect(backoffDelay(3, jittery, () => 0.999999)).toBe(200);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(4, jittery);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it('has defaults that retry quickly at first and settle at 30 s', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0)).toBe(250);
    expect(backoffDelay(100, DEFAULT_BACKOFF, () => 0)).toBe(30_000);
  });
});
