/** Exponential backoff between reconnection attempts to a host's libvirtd. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** Longest delay: a host that stays down is still tried this often. */
  maxMs: number;
  factor: number;
  /**
   * Fraction of each delay that is random (0..1). Several servers watching one daemon (or one server watching many
   * hosts behind one failed switch) then do not all knock at the same instant when it comes back.
   */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** The delay before retry number `attempt` (1 = the first retry). `random` returns [0, 1), as Math.random. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  // Capped before exponentiating too far: factor ** 1000 is Infinity, which min() would still handle, but a
  // bounded exponent keeps the arithmetic exact for small factors.
  const exponent = Math.min(n - 1, 64);
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** exponent);
  const jitter = Math.min(Math.max(options.jitter, 0), 1);
  return Math.round(base * (1 - jitter * random()));
}
