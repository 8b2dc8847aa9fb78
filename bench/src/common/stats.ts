/** Order statistics of timing samples, for the benchmarks' summaries. */

/** Rounds to 3 decimals (microseconds, for milliseconds). */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export interface Distribution {
  /** How many samples. */
  n: number;
  min: number;
  max: number;
  /** The middle sample, or the mean of the two middle ones. */
  median: number;
  mean: number;
  /** Nearest-rank percentile, `p` in 0..1. */
  rank(p: number): number;
}

/** The distribution of `samples` (not rounded). */
export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (i: number): number => sorted[Math.min(n - 1, Math.max(0, i))]!;
  return {
    n,
    min: at(0),
    max: at(n - 1),
    median: n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2,
    mean: sorted.reduce((s, x) => s + x, 0) / n,
    rank: (p) => at(Math.ceil(p * n) - 1),
  };
}

/** A summary of timing samples: `runs`, the figures `K` a benchmark reports, then min, max, mean and the samples. */
export type Summary<K extends string> = { runs: number } & Record<K, number> & {
  min: number;
  max: number;
  mean: number;
  samples: number[];
};

/** Summarizes `samples` with the figures `pick` takes from their distribution; every number rounded to 3 decimals. */
export function summarize<K extends string>(samples: readonly number[], pick: (d: Distribution) => Record<K, number>): Summary<K> {
  const d = distribution(samples);
  const figures = Object.fromEntries(Object.entries<number>(pick(d)).map(([k, v]) => [k, round3(v)])) as Record<K, number>;
  return { runs: d.n, ...figures, min: round3(d.min), max: round3(d.max), mean: round3(d.mean), samples: samples.map(round3) };
}
