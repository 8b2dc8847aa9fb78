/** Time as the server sees it; tests pass a clock they move by hand instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
