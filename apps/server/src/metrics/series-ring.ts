/**
 * Aligned ring buffers: one timestamp column (Float64Array, ms since the epoch) and one typed-array column per
 * series, all written at the same slot. An hour of 5 s samples is 720 slots: a few KiB per VM instead of a
 * JavaScript object per sample. A missing value is stored as NaN and read back as null.
 */
export class SeriesRing<N extends string> {
  private readonly times: Float64Array;
  private readonly columns: Record<N, Float32Array | Float64Array>;
  private next = 0;
  private count = 0;

  /** `wide` names the series that need Float64 (byte counts beyond 2^24); the rest are Float32. */
  constructor(
    readonly capacity: number,
    readonly names: readonly N[],
    wide: readonly N[] = [],
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
    this.times = new Float64Array(capacity);
    this.columns = Object.fromEntries(
      names.map((n) => [n, wide.includes(n) ? new Float64Array(capacity) : new Float32Array(capacity)]),
    ) as Record<N, Float32Array | Float64Array>;
  }

  get length(): number {
    return this.count;
  }

  /** The newest timestamp, or undefined when empty. */
  get lastAt(): number | undefined {
    return this.count === 0 ? undefined : this.times[(this.next - 1 + this.capacity) % this.capacity];
  }

  push(at: number, values: Partial<Record<N, number | null>>): void {
    const slot = this.next;
    this.times[slot] = at;
    for (const name of this.names) {
      const v = values[name];
      this.columns[name][slot] = v === null || v === undefined ? Number.NaN : v;
    }
    this.next = (slot + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Samples oldest first, only those taken after `since` when given. */
  read(since?: number): { timestamps: number[]; series: Record<N, (number | null)[]> } {
    const timestamps: number[] = [];
    const series = Object.fromEntries(this.names.map((n) => [n, [] as (number | null)[]])) as Record<N, (number | null)[]>;
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const slot = (start + i) % this.capacity;
      const at = this.times[slot]!;
      if (since !== undefined && at <= since) continue;
      timestamps.push(at);
      for (const name of this.names) {
        const v = this.columns[name][slot]!;
        series[name].push(Number.isNaN(v) ? null : v);
      }
    }
    return { timestamps, series };
  }

  /** The newest `n` timestamps, oldest first. */
  lastTimestamps(n: number): number[] {
    const take = Math.min(n, this.count);
    const out = new Array<number>(take);
    for (let i = 0; i < take; i++) out[i] = this.times[(this.next - take + i + this.capacity * 2) % this.capacity]!;
    return out;
  }

  /**
   * The values of `names` at each of `timestamps` (ascending), null where this ring has no sample at that time,
   * rounded with `round`; undefined when none of them has a sample. Walks both newest first, so it costs the
   * length of the window, not of the ring.
   */
  readAt(
    timestamps: readonly number[],
    names: readonly N[],
    round: (v: number, name: N) => number = (v) => v,
  ): Record<N, (number | null)[]> | undefined {
    const out = Object.fromEntries(names.map((n) => [n, new Array<number | null>(timestamps.length).fill(null)])) as Record<N, (number | null)[]>;
    let found = false;
    let k = 0; // samples of this ring walked, newest first
    for (let i = timestamps.length - 1; i >= 0 && k < this.count; i--) {
      const want = timestamps[i]!;
      let slot = (this.next - 1 - k + this.capacity) % this.capacity;
      // Skip this ring's samples newer than the wanted time.
      while (k < this.count && this.times[slot]! > want) {
        k++;
        slot = (this.next - 1 - k + this.capacity) % this.capacity;
      }
      if (k >= this.count) break;
      if (this.times[slot] !== want) continue;
      for (const name of names) {
        const v = this.columns[name][slot]!;
        if (!Number.isNaN(v)) {
          out[name][i] = round(v, name);
          found = true;
        }
      }
      k++;
    }
    return found ? out : undefined;
  }

  /** Bytes held by the typed arrays, for the memory budget. */
  get byteLength(): number {
    return this.times.byteLength + this.names.reduce((sum, n) => sum + this.columns[n].byteLength, 0);
  }
}
