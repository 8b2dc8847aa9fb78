import { describe, expect, it } from 'vitest';
import { addUser, startHarness } from '../../helpers/harness.js';

describe('sign-in rate limit (per source address)', () => {
  it('answers 429 with Retry-After past the limit, for that address only', async () => {
    const h = await startHarness({ config: { login: { attemptsPerMinute: 3 } } });
    try {
      const attempt = (remoteAddress: string) =>
        h.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, payload: { username: 'admin', password: 'wrong' } });
      for (let i = 0; i < 3; i++) expect((await attempt('192.0.2.1')).statusCode).toBe(401);
      const limited = await attempt('192.0.2.1');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json()).toMatchObject({ status: 429, type: 'urn:vireo:problem:rate-limited', requestId: limited.headers['x-request-id'] });
      expect((await attempt('192.0.2.2')).statusCode).toBe(401);
    } finally {
      await h.close();
    }
  });
});

describe('sign-in lock-out back-off (per address and per user name)', () => {
  it('locks the attacking address and the attacked name, not anyone else, and lifts with time', async () => {
    const h = await startHarness({
      deps: { throttle: { freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 3600_000, maxEntries: 1000 } },
    });
    try {
      const bobPw = await addUser(h, 'bob', 'operator');
      const carolPw = await addUser(h, 'carol', 'viewer');
      const attempt = (remoteAddress: string, username: string, password: string) =>
        h.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, payload: { username, password } });

      const attacker = '203.0.113.66';
      for (let i = 0; i < 2; i++) expect((await attempt(attacker, 'bob', `guess-${i}`)).statusCode).toBe(401);

      // The attacker's address is locked, whoever it tries, even with a right password.
      const fromAttacker = await attempt(attacker, 'carol', carolPw);
      expect(fromAttacker.statusCode).toBe(429);
      expect(fromAttacker.headers['retry-after']).toBe('1');
      // The attacked name is locked from everywhere, while it is under attack.
      const bobElsewhere = await attempt('198.51.100.7', 'bob', bobPw);
      expect(bobElsewhere.statusCode).toBe(429);
      // Everyone else signs in as usual.
      expect((await attempt('198.51.100.7', 'carol', carolPw)).statusCode).toBe(200);
      expect((await attempt('198.51.100.8', 'admin', 'correct horse battery staple')).statusCode).toBe(200);

      // Locked attempts are not counted as failures, so waiting out the delay is enough.
      h.clock.advance(1000);
      expect((await attempt('198.51.100.7', 'bob', bobPw)).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('doubles the delay with each further failure', async () => {
    const h = await startHarness({
      deps: { throttle: { freeFailures: 1, baseDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 3600_000, maxEntries: 1000 } },
    });
    try {
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        expect((await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'x', password: 'y' } })).statusCode).toBe(401);
        const locked = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'x', password: 'y' } });
        expect(locked.statusCode).toBe(429);
        seen.push(String(locked.headers['retry-after']));
        h.clock.advance(Number(locked.headers['retry-after']) * 1000);
      }
      expect(seen).toEqual(['1', '2', '4', '8']);
    } finally {
      await h.close();
    }
  });
});
