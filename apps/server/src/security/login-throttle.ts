import type { Clock } from './clock.js';

export interface LoginThrottleOptions {
  /** Failures allowed before back-off starts, per source address and per user name. */
  freeFailures: number;
  /** The first lock; each further failure doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long is forgotten. */
  forgetAfterMs: number;
  /** Bounds memory under a spray of addresses and names; the oldest entries go first. */
  maxEntries: number;
}

export const DEFAULT_THROTTLE: LoginThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 50_000,
};

interface Entry {
  failures: number;
  lastFailureAt: number;
}

/**
 * Failed sign-ins counted twice, per source address and per user name, never as one global counter: an
 * attacker guessing from one address is slowed there and for the names it tries, while everyone else signs
 * in as usual. Past `freeFailures`, each key is locked for an exponentially growing time.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly options: LoginThrottleOptions = DEFAULT_THROTTLE,
  ) {}

  /** Milliseconds until this address may try this user again, or 0 when it may now. */
  retryAfterMs(address: string, userName: string): number {
    return Math.max(this.remaining(addressKey(address)), this.remaining(userKey(userName)));
  }

  recordFailure(address: string, userName: string): void {
    this.bump(addressKey(address));
    this.bump(userKey(userName));
  }

  /**
   * Forgets the user name's failures. The address keeps its own: otherwise an attacker holding any one account
   * could wipe its address's count between guesses at others.
   */
  recordSuccess(userName: string): void {
    this.entries.delete(userKey(userName));
  }

  private lockMs(failures: number): number {
    const over = failures - this.options.freeFailures;
    if (over < 0) return 0;
    return Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(over, 40));
  }

  private remaining(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const now = this.clock.now();
    if (now - e.lastFailureAt >= this.options.forgetAfterMs) {
      this.entries.delete(key);
      return 0;
    }
    return Math.max(0, e.lastFailureAt + this.lockMs(e.failures) - now);
  }

  private bump(key: string): void {
    const now = this.clock.now();
    const e = this.entries.get(key);
    const fresh = e !== undefined && now - e.lastFailureAt < this.options.forgetAfterMs;
    // Re-inserting moves the key to the end of the Map's order, so the first keys are the least recently failed.
    this.entries.delete(key);
    this.entries.set(key, { failures: fresh ? e.failures + 1 : 1, lastFailureAt: now });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

// An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: one address, one counter.
const addressKey = (address: string) => `a:${address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')}`;
const userKey = (name: string) => `u:${name.slice(0, 256)}`;
