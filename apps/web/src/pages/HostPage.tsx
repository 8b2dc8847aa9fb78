import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDomains, useHostSummary, useNodeUsage } from '../api/queries.js';
import { HostCharts } from '../charts/HostCharts.js';
import { StoragePools } from '../charts/StoragePools.js';
import { countByState, formatKiB, formatPercent, STATE_NAMES } from '../vms/vm-logic.js';
import { StateBadge } from '../vms/StateBadge.js';

const HOST = 'local';

function formatUptime(seconds: number, locale: string): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const nf = new Intl.NumberFormat(locale);
  return `${d > 0 ? `${nf.format(d)}d ` : ''}${h}h ${m}m`;
}

export function HostPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const summary = useHostSummary(HOST);
  const domains = useDomains(HOST);
  const usage = useNodeUsage(HOST);
  const counts = countByState(domains.data?.domains ?? []);
  const h = summary.data;

  return (
    <Stack>
      <Title order={1}>{t('host.title')}</Title>
      <Stack className="vireo-host-grid">
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('host.facts')}
          </Title>
          {summary.isLoading && <Text>{t('vms.loading')}</Text>}
          {summary.error && (
            <Text c="red" role="alert">
              {summary.error.message}
            </Text>
          )}
          {h && (
            <Table>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">{t('host.hostname')}</Table.Th>
                  <Table.Td>{h.hostname}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('host.cpuModel')}</Table.Th>
                  <Table.Td>{h.cpu.model}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('host.cpuCount')}</Table.Th>
                  <Table.Td>
                    {h.cpu.count} ({t('host.cpuTopology', { sockets: h.cpu.sockets, cores: h.cpu.cores, threads: h.cpu.threads })})
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('host.memory')}</Table.Th>
                  <Table.Td>{formatKiB(h.memory.totalBytes / 1024, locale)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('host.libvirt')}</Table.Th>
                  <Table.Td>{h.libvirtVersion}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('host.hypervisor')}</Table.Th>
                  <Table.Td>
                    {h.hypervisor.type} {h.hypervisor.version}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('host.kvm')}</Table.Th>
                  <Table.Td>
                    <Badge color={h.kvm.available ? 'green' : 'gray'} variant="light">
                      {h.kvm.available ? t('host.kvmYes') : t('host.kvmNo')}
                    </Badge>{' '}
                    <Text span size="sm" c="gray.7">
                      {h.kvm.detail}
                    </Text>
                  </Table.Td>
                </Table.Tr>
                {h.uptimeSeconds !== null && (
                  <Table.Tr>
                    <Table.Th scope="row">{t('host.uptime')}</Table.Th>
                    <Table.Td>{formatUptime(h.uptimeSeconds, locale)}</Table.Td>
                  </Table.Tr>
                )}
                {h.loadAverage && (
                  <Table.Tr>
                    <Table.Th scope="row">{t('host.load')}</Table.Th>
                    <Table.Td>{h.loadAverage.map((l) => l.toFixed(2)).join(' ')}</Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('host.usage')}
          </Title>
          <Group gap="xl" mb="sm">
            <Text>
              {t('host.cpuUsage')}: <strong>{formatPercent(usage.data?.cpu?.percent ?? null, locale)}</strong>
            </Text>
            <Text>
              {t('host.memoryUsage')}:{' '}
              <strong>
                {usage.data
                  ? `${formatKiB(usage.data.memory.usedBytes / 1024, locale)} / ${formatKiB(usage.data.memory.totalBytes / 1024, locale)}`
                  : '—'}
              </strong>
            </Text>
          </Group>
          <HostCharts host={HOST} />
        </Card>
        <Card withBorder component="section" aria-labelledby="host-storage">
          <Title order={2} size="h4" mb="sm" id="host-storage">
            {t('charts.storage')}
          </Title>
          <StoragePools host={HOST} />
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('host.vmCounts')}
          </Title>
          <Group gap="md" aria-label={t('host.vmCounts')} role="list">
            <Text role="listitem">
              {t('host.total')}: <strong data-testid="vm-count-total">{domains.data?.domains.length ?? 0}</strong>
            </Text>
            {STATE_NAMES.filter((s) => counts[s] > 0).map((s) => (
              <Group key={s} gap={4} role="listitem">
                <StateBadge state={s} />
                <strong data-testid={`vm-count-${s}`}>{counts[s]}</strong>
              </Group>
            ))}
          </Group>
        </Card>
      </Stack>
    </Stack>
  );
}
