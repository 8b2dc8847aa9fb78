import { Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatByteRate, formatBytes, formatPercentValue } from './format.js';
import { pick } from './history.js';
import { useHostMetrics } from './queries.js';
import { TimeSeriesChart } from './TimeSeriesChart.js';

/** The host's CPU, memory, network and disk over the last hour, live from the stats events. */
export function HostCharts({ host }: { host: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const metrics = useHostMetrics(host);
  const m = metrics.data;
  const timestamps = m?.timestamps ?? EMPTY_TIMES;
  const intervalMs = m?.intervalMs ?? 5000;

  const charts = useMemo(
    () => ({
      cpu: pick(m, [['cpuPercent', t('charts.series.cpuPercent')]]),
      memory: pick(m, [
        ['memoryUsedBytes', t('charts.series.memoryUsed')],
        ['memoryTotalBytes', t('charts.series.memoryTotal')],
      ]),
      network: pick(m, [
        ['netRxBytesPerSec', t('charts.series.netRx')],
        ['netTxBytesPerSec', t('charts.series.netTx')],
      ]),
      disk: pick(m, [
        ['diskReadBytesPerSec', t('charts.series.diskRead')],
        ['diskWriteBytesPerSec', t('charts.series.diskWrite')],
      ]),
    }),
    [m, t],
  );

  if (metrics.error) return <Text c="red">{t('charts.loadFailed', { error: metrics.error.message })}</Text>;
  if (!m) return <Text>{t('charts.loading')}</Text>;
  return (
    <div className="vireo-chart-grid">
      <TimeSeriesChart title={t('charts.cpu')} timestamps={timestamps} series={charts.cpu} intervalMs={intervalMs} yMax={100} format={(v) => formatPercentValue(v, locale)} />
      <TimeSeriesChart title={t('charts.memory')} timestamps={timestamps} series={charts.memory} intervalMs={intervalMs} format={(v) => formatBytes(v, locale)} />
      <TimeSeriesChart title={t('charts.network')} timestamps={timestamps} series={charts.network} intervalMs={intervalMs} minTop={1024} format={(v) => formatByteRate(v, locale)} />
      <TimeSeriesChart title={t('charts.disk')} timestamps={timestamps} series={charts.disk} intervalMs={intervalMs} minTop={1024} format={(v) => formatByteRate(v, locale)} />
    </div>
  );
}

const EMPTY_TIMES: readonly number[] = [];
