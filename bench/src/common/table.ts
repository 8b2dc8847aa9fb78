/** The benchmarks' result tables: one row per measurement, runs and some figures in ms. */

/** A measured row, or a heading (a bare string, printed as it is). */
export type TableRow = string | { label: string; runs: number; values: readonly number[] };

export interface TableLayout {
  /** The first column's heading. */
  first: string;
  /** The headings of the figures after `runs`. */
  columns: readonly string[];
  /** The width of a figure's column. */
  cell: number;
  /** How far the rule under the heading reaches past the first column. */
  rule: number;
}

/** Writes the table to stdout. */
export function printTable(layout: TableLayout, rows: readonly TableRow[]): void {
  const label = (r: TableRow): string => (typeof r === 'string' ? r : r.label);
  const width = Math.max(...rows.map((r) => label(r).length));
  const num = (x: number): string => x.toFixed(2).padStart(layout.cell);
  const lines = [
    `${layout.first.padEnd(width)}  runs${layout.columns.map((c) => ` ${c.padStart(layout.cell)}`).join('')}  (ms)`,
    '-'.repeat(width + layout.rule),
    ...rows.map((r) =>
      typeof r === 'string' ? r : `${r.label.padEnd(width)}  ${String(r.runs).padStart(4)} ${r.values.map(num).join(' ')}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
