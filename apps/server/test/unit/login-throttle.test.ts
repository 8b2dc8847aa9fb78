import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/security/login-throttle.js';
import { ManualClock } from '../helpers/harness.js';

const OPTIONS = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000, maxEntries: 100 };

describe('LoginThrottle', () => {
  it('lets the free failures through, then locks with doubling delays up to the cap', () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(clock, OPTIONS);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      t.recordFailure('10.0.0.1', 'alice');
      delays.push(t.retryAfterMs('10.0.0.1', 'alice'));
    }
    expect(delays).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000]);
  });

  it('counts per address and per user name, so one attacker does not lock out others', () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(clock, OPTIONS);
    for (let i = 0; i < 5; i++) t.recordFailure('10.0.0.66', 'bob');
    expect(t.retryAfterMs('10.0.0.66', 'carol')).toBeGreaterThan(0); // the attacker's address
    expect(t.retryAfterMs('10.0.0.7', 'bob')).toBeGreaterThan(0); // the attacked name
    expect(t.retryAfterMs('10.0.0.7', 'carol')).toBe(0); // everyone else
  });

  it('unlocks when the delay has passed and forgets quiet keys', () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(clock, OPTIONS);
    for (let i = 0; i < 4; i++) t.recordFailure('a', 'u');
    expect(t.retryAfterMs('a', 'u')).toBe(2000);
    clock.advance(2000);
    expect(t.retryAfterMs('a', 'u')).toBe(0);
    clock.advance(60_000);
    t.recordFailure('a', 'u'); // counted from one again
    expect(t.retryAfterMs('a', 'u')).toBe(0);
  });

  it('clears the user name on success but keeps the address count', () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(clock, OPTIONS);
    for (let i = 0; i < 3; i++) t.recordFailure('a', 'u');
    t.recordSuccess('u');
    expect(t.retryAfterMs('b', 'u')).toBe(0);
    expect(t.retryAfterMs('a', 'other')).toBe(1000);
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    const t = new LoginThrottle(new ManualClock(), OPTIONS);
    for (let i = 0; i < 3; i++) t.recordFailure('::ffff:192.0.2.1', `u${i}`);
    expect(t.retryAfterMs('192.0.2.1', 'someone')).toBe(1000);
  });

  it('stays within maxEntries under a spray of names', () => {
    const t = new LoginThrottle(new ManualClock(), { ...OPTIONS, maxEntries: 10 });
    for (let i = 0; i < 1000; i++) t.recordFailure('a', `user${i}`);
    // The address entry was refreshed on every failure, so it survives the eviction of old names.
    expect(t.retryAfterMs('a', 'fresh')).toBe(8000);
    expect(t.retryAfterMs('b', 'user0')).toBe(0);
  });
});
