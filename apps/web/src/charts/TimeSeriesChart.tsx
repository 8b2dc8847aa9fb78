import './charts.css';
import { useComputedColorScheme } from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from './format.js';
import { latest, withGaps, type ChartSeries } from './history.js';
import { PALETTES } from './palette.js';

const UPlotCanvas = lazy(() => import('./UPlotCanvas.js'));

export type { ChartSeries };

export interface TimeSeriesChartProps {
  /** The visible heading and the start of the accessible name. */
  title: string;
  timestamps: readonly number[];
  series: readonly ChartSeries[];
  intervalMs: number;
  format: (value: number) => string;
  yMax?: number | undefined;
  /** The smallest top of an automatic y axis (so a flat zero line is not the whole height). */
  minTop?: number | undefined;
  height?: number;
  /** Heading level of the title inside its card. */
  headingLevel?: 3 | 4;
}

/** How many of the newest samples the data table lists. */
const TABLE_ROWS = 60;

/**
 * One time-series chart: a heading, a legend with the latest (or hovered) values, the uPlot canvas (role img,
 * named by a summary of the latest values) and a data table behind a <details> for those who cannot see it.
 */
export function TimeSeriesChart({ title, timestamps, series, intervalMs, format, yMax, minTop, height = 160, headingLevel = 3 }: TimeSeriesChartProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const scheme = useComputedColorScheme('light');
  const palette = PALETTES[scheme];
  const [hovered, setHovered] = useState<number | null>(null);
  const [tableOpen, setTableOpen] = useState(false);

  const gapped = useMemo(() => withGaps(timestamps, series.map((s) => s.values), intervalMs), [timestamps, series, intervalMs]);
  const labels = useMemo(() => series.map((s) => s.label), [series]);
  const latestValues = series.map((s) => latest(s.values));
  const shown = hovered !== null && gapped.timestamps[hovered] !== undefined ? gapped.series.map((s) => s[hovered] ?? null) : latestValues;
  const valueText = (v: number | null) => (v === null ? t('charts.noValue') : format(v));

  const summary = latestValues.every((v) => v === null)
    ? t('charts.summaryEmpty', { title })
    : t('charts.summary', {
        title,
        values: series.map((s, i) => t('charts.valueOf', { label: s.label, value: valueText(latestValues[i] ?? null) })).join(t('charts.listSeparator')),
      });
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const first = Math.max(0, timestamps.length - TABLE_ROWS);

  return (
    <div className="vireo-chart">
      <div className="vireo-chart-head">
        <Heading className="vireo-chart-title">{title}</Heading>
        <ul className="vireo-chart-legend" aria-label={hovered === null ? t('charts.legendLatest') : t('charts.legendAt', { time: formatTime(gapped.timestamps[hovered]!, locale) })}>
          {series.map((s, i) => (
            <li key={s.label}>
              <span className={`vireo-swatch vireo-swatch-${i % 4}`} aria-hidden="true" />
              {s.label} <strong>{valueText(shown[i] ?? null)}</strong>
            </li>
          ))}
        </ul>
      </div>
      <div role="img" aria-label={summary} className="vireo-chart-plot" data-chart={title}>
        <Suspense fallback={<div className="vireo-chart-canvas vireo-chart-pending" />}>
          <UPlotCanvas
            timestamps={gapped.timestamps}
            series={gapped.series}
            labels={labels}
            palette={palette}
            locale={locale}
            format={format}
            yMax={yMax}
            minTop={minTop}
            height={height}
            onHover={setHovered}
          />
        </Suspense>
      </div>
      <details className="vireo-chart-data" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary>{t('charts.showData')}</summary>
        {tableOpen && (
          <div className="vireo-chart-table">
            <table>
              <caption>{t('charts.dataCaption', { title, count: timestamps.length - first })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('charts.time')}</th>
                  {series.map((s) => (
                    <th scope="col" key={s.label}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {timestamps.slice(first).map((at, k) => (
                  <tr key={at}>
                    <th scope="row">{formatTime(at, locale)}</th>
                    {series.map((s) => (
                      <td key={s.label}>{valueText(s.values[first + k] ?? null)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </div>
  );
}
