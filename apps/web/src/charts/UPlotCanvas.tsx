/**
 * The uPlot drawing behind TimeSeriesChart, loaded lazily (its own chunk) so the VM list's cold load does not carry
 * it. uPlot sets element styles through the CSSOM (allowed by the CSP's style-src 'self'); its stylesheet is static.
 */
import 'uplot/dist/uPlot.min.css';
import uPlot from 'uplot';
import { useEffect, useRef } from 'react';
import { formatClock, formatTime } from './format.js';
import { translucent, type Palette } from './palette.js';

export interface UPlotCanvasProps {
  timestamps: readonly number[];
  series: readonly (readonly (number | null)[])[];
  labels: readonly string[];
  palette: Palette;
  locale: string;
  format: (value: number) => string;
  /** A fixed top of the y axis (100 for percentages); else from the data, never below `minTop`. */
  yMax?: number | undefined;
  minTop?: number | undefined;
  height: number;
  /** The index of the hovered sample, or null when the cursor leaves. */
  onHover?: ((index: number | null) => void) | undefined;
}

function toData(timestamps: readonly number[], series: readonly (readonly (number | null)[])[]): uPlot.AlignedData {
  return [timestamps as number[], ...series.map((s) => s as (number | null)[])];
}

export default function UPlotCanvas({ timestamps, series, labels, palette, locale, format, yMax, minTop = 1, height, onHover }: UPlotCanvasProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const hover = useRef(onHover);
  hover.current = onHover;
  const fmt = useRef(format);
  fmt.current = format;
  const latest = useRef<uPlot.AlignedData>([]);
  latest.current = toData(timestamps, series);

  // The plot is rebuilt when what its options depend on changes (series, colours, language); data alone is setData.
  const shape = `${labels.join('\u0000')}|${palette.axis}|${palette.series.join(',')}|${locale}|${yMax ?? ''}|${minTop}|${height}`;
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const opts: uPlot.Options = {
      width: Math.max(100, el.clientWidth),
      height,
      ms: 1,
      legend: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
      scales: {
        x: { time: true },
        y: {
          range: (_u, _min, max) => [0, yMax ?? Math.max(minTop, (max ?? 0) * 1.15)],
        },
      },
      axes: [
        {
          stroke: palette.axis,
          grid: { stroke: palette.grid, width: 1 },
          ticks: { stroke: palette.grid, width: 1 },
          space: 70,
          // Minutes for an hour's axis; seconds too while the history is only a few minutes long.
          values: (_u, splits) => {
            const step = splits.length > 1 ? splits[1]! - splits[0]! : Infinity;
            return splits.map((v) => (step < 60_000 ? formatTime(v, locale) : formatClock(v, locale)));
          },
        },
        {
          stroke: palette.axis,
          grid: { stroke: palette.grid, width: 1 },
          ticks: { stroke: palette.grid, width: 1 },
          size: 78,
          values: (_u, splits) => splits.map((v) => fmt.current(v)),
        },
      ],
      series: [
        {},
        ...labels.map((label, i) => {
          const colour = palette.series[i % palette.series.length]!;
          return { label, stroke: colour, width: 1.5, fill: translucent(colour, 0.12), points: { show: false }, spanGaps: false };
        }),
      ],
      hooks: {
        setCursor: [(u) => hover.current?.(u.cursor.idx ?? null)],
      },
    };
    const u = new uPlot(opts, latest.current, el);
    plot.current = u;
    const resize = new ResizeObserver(() => {
      const width = Math.max(100, el.clientWidth);
      if (width !== u.width) u.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // `shape` stands for the options' inputs; the data goes in below.
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(toData(timestamps, series));
  }, [timestamps, series]);

  return <div ref={box} className="vireo-chart-canvas" />;
}
