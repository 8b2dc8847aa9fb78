/**
 * Metric histories in the query cache: fetched once from the metrics endpoints, then one sample appended per
 * `stats` event. Pure functions returning new objects (the cache compares by reference); nothing here polls.
 */
import type { DomainsMetrics, Metrics } from '@vireo/api';

/** How much history the charts keep: what the server keeps. */
export const HISTORY_MS = 60 * 60_000;

/** Samples of one tick: series name -> value (anything but a finite number counts as none). */
export type Sample = Readonly<Record<string, unknown>>;

function valueOf(sample: Sample | undefined, name: string): number | null {
  const v = sample?.[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Appends one tick to a history fetched from `/metrics`: ignored when not newer than its last sample (an event
 * the fetch already included), and samples older than `windowMs` before it are dropped.
 */
export function appendSample(history: Metrics, at: number, sample: Sample, windowMs = HISTORY_MS): Metrics {
  const last = history.timestamps[history.timestamps.length - 1];
  if (last !== undefined && at <= last) return history;
  const cutoff = at - windowMs;
  let drop = 0;
  while (drop < history.timestamps.length && history.timestamps[drop]! <= cutoff) drop++;
  const series: Record<string, (number | null)[]> = {};
  for (const [name, values] of Object.entries(history.series)) {
    const kept = drop > 0 ? values.slice(drop) : values.slice();
    kept.push(valueOf(sample, name));
    series[name] = kept;
  }
  return { ...history, timestamps: [...history.timestamps.slice(drop), at], series };
}

/** One line of a chart: its label and one value per timestamp. */
export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
}

const NO_VALUES: readonly (number | null)[] = [];

/** The series a chart takes from a history, by name, with their labels (empty until the history is loaded). */
export function pick(metrics: Metrics | undefined, names: readonly (readonly [name: string, label: string])[]): ChartSeries[] {
  // `series?.`: a body that is not a history (a proxy's error page parsed as JSON) draws nothing rather than crashing.
  return names.map(([name, label]) => ({ label, values: metrics?.series?.[name] ?? NO_VALUES }));
}

/** A chart's data: timestamps and one aligned array per series. */
export interface ChartData {
  timestamps: number[];
  series: (number | null)[][];
}

/**
 * Makes gaps visible: where two samples are further apart than three intervals and at least ten seconds more than
 * one (the VM was off, the host unreachable), a null is inserted between them so the line breaks instead of
 * bridging the gap. Ticks are chained on the server, so a busy host stretches them a little: that is no gap.
 */
export function withGaps(timestamps: readonly number[], series: readonly (readonly (number | null)[])[], intervalMs: number): ChartData {
  const out: ChartData = { timestamps: [], series: series.map(() => []) };
  const limit = Math.max(intervalMs * 3, intervalMs + 10_000);
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    const prev = timestamps[i - 1];
    if (prev !== undefined && t - prev > limit) {
      out.timestamps.push(prev + intervalMs);
      for (const s of out.series) s.push(null);
    }
    out.timestamps.push(t);
    series.forEach((values, k) => out.series[k]!.push(values[i] ?? null));
  }
  return out;
}

/** The last non-null value of a series, if any. */
export function latest(values: readonly (number | null)[] | undefined): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** The list's sparklines: DomainsMetrics plus how many points to keep. */
export interface SparkHistory extends DomainsMetrics {
  points: number;
}

/**
 * Appends one tick of the list's sparklines: the shared timestamps move by one; each domain gets its sample's
 * value or null; a domain seen for the first time starts with nulls; a domain left with only nulls is dropped.
 */
export function appendSparkTick(
  history: SparkHistory,
  at: number,
  samples: ReadonlyMap<string, Sample>,
  names: readonly string[],
): SparkHistory {
  const last = history.timestamps[history.timestamps.length - 1];
  if (last !== undefined && at <= last) return history;
  const drop = history.timestamps.length + 1 > history.points ? history.timestamps.length + 1 - history.points : 0;
  const length = history.timestamps.length - drop + 1;
  const domains: SparkHistory['domains'] = {};
  const seen = new Set<string>();
  const put = (uuid: string, old: Readonly<Record<string, (number | null)[]>> | undefined) => {
    const sample = samples.get(uuid);
    const next: Record<string, (number | null)[]> = {};
    let any = false;
    for (const name of names) {
      const values = old?.[name] ? old[name].slice(drop) : new Array<number | null>(length - 1).fill(null);
      values.push(valueOf(sample, name));
      if (!any && values.some((x) => x !== null)) any = true;
      next[name] = values;
    }
    if (any) domains[uuid] = next;
  };
  for (const [uuid, old] of Object.entries(history.domains)) {
    seen.add(uuid);
    put(uuid, old);
  }
  for (const uuid of samples.keys()) if (!seen.has(uuid)) put(uuid, undefined);
  return { ...history, timestamps: [...history.timestamps.slice(drop), at], domains };
}
