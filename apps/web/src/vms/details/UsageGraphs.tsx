import { Card, Text, Title } from '@mantine/core';
import type { DomainSummary } from '@vireo/api';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatByteRate, formatBytes, formatPercentValue } from '../../charts/format.js';
import { pick } from '../../charts/history.js';
import { useDomainMetrics } from '../../charts/queries.js';
import { TimeSeriesChart } from '../../charts/TimeSeriesChart.js';

const EMPTY_TIMES: readonly number[] = [];

/** A VM's CPU, memory, disk and network rates over the last hour (samples while it ran), live from stats events. */
export function UsageGraphs({ host, summary }: { host: string; summary: DomainSummary }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const metrics = useDomainMetrics(host, summary.uuid);
  const m = metrics.data;

  const charts = useMemo(() => {
    // Memory comes in KiB; the chart shows bytes like the host's.
    const memory = m?.series?.['memoryUsedKiB']?.map((v) => (v === null ? null : v * 1024));
    return {
      cpu: pick(m, [['cpuPercent', t('charts.series.cpuPercent')]]),
      memory: [{ label: t('charts.series.memoryUsed'), values: memory ?? [] }],
      disk: pick(m, [
        ['diskReadBytesPerSec', t('charts.series.diskRead')],
        ['diskWriteBytesPerSec', t('charts.series.diskWrite')],
      ]),
      network: pick(m, [
        ['netRxBytesPerSec', t('charts.series.netRx')],
        ['netTxBytesPerSec', t('charts.series.netTx')],
      ]),
    };
  }, [m, t]);

  const timestamps = m?.timestamps ?? EMPTY_TIMES;
  const intervalMs = m?.intervalMs ?? 5000;
  return (
    <Card withBorder component="section" aria-labelledby="vm-details-usage">
      <Title order={2} size="h4" mb="sm" id="vm-details-usage">
        {t('charts.vmUsage')}
      </Title>
      {metrics.error && <Text c="red">{t('charts.loadFailed', { error: metrics.error.message })}</Text>}
      {metrics.isPending && <Text>{t('charts.loading')}</Text>}
      {m && (
        <>
          {timestamps.length === 0 && (
            <Text c="gray.7" mb="sm">
              {t('charts.vmNoSamples')}
            </Text>
          )}
          <div className="vireo-chart-grid">
            <TimeSeriesChart title={t('charts.cpu')} timestamps={timestamps} series={charts.cpu} intervalMs={intervalMs} yMax={100} format={(v) => formatPercentValue(v, locale)} />
            <TimeSeriesChart
              title={t('charts.memory')}
              timestamps={timestamps}
              series={charts.memory}
              intervalMs={intervalMs}
              minTop={summary.memoryKiB * 1024}
              format={(v) => formatBytes(v, locale)}
            />
            <TimeSeriesChart title={t('charts.disk')} timestamps={timestamps} series={charts.disk} intervalMs={intervalMs} minTop={1024} format={(v) => formatByteRate(v, locale)} />
            <TimeSeriesChart title={t('charts.network')} timestamps={timestamps} series={charts.network} intervalMs={intervalMs} minTop={1024} format={(v) => formatByteRate(v, locale)} />
          </div>
        </>
      )}
    </Card>
  );
}
