import './charts.css';

const W = 64;
const H = 22;

/**
 * An SVG path through the values, equally spaced, scaled to [0, yMax]; a null breaks the line, and a lone value
 * between nulls is a dot. Empty when there is no value at all.
 */
export function sparkPath(values: readonly (number | null)[], yMax: number, width = W, height = H): string {
  const n = values.length;
  if (n === 0) return '';
  const top = yMax > 0 ? yMax : 1;
  const step = n > 1 ? width / (n - 1) : 0;
  const parts: string[] = [];
  let open = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      open = false;
      continue;
    }
    const x = (n > 1 ? i * step : width).toFixed(1);
    const y = (height - (Math.min(Math.max(v, 0), top) / top) * height).toFixed(1);
    const next = values[i + 1];
    const lone = !open && (next === null || next === undefined);
    parts.push(`${open ? 'L' : 'M'}${x} ${y}${lone ? 'h0.01' : ''}`);
    open = true;
  }
  return parts.join('');
}

export interface SparklineProps {
  values: readonly (number | null)[] | undefined;
  yMax: number;
  /** The accessible name (what it shows and its latest value). */
  label: string;
  kind: 'cpu' | 'memory';
}

/** A tiny trend line for a table row: one <svg> and one <path>, no chart library. */
export function Sparkline({ values, yMax, label, kind }: SparklineProps) {
  const d = values ? sparkPath(values, yMax) : '';
  return (
    <svg className={`vireo-spark vireo-spark-${kind}`} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label} focusable="false">
      {d && <path d={d} />}
    </svg>
  );
}
