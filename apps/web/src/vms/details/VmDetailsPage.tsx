import './details.css';
import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { DomainDetail, DomainSummary } from '@vireo/api';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { useDomains } from '../../api/queries.js';
import { StateBadge } from '../StateBadge.js';
import { formatKiB } from '../vm-logic.js';
import { useDomainDetail } from './queries.js';
import { detailView, diskSource, interfaceSource } from './view.js';

export interface VmDetailsPageProps {
  host: string;
  uuid: string;
}

/** UUIDs compare without dashes and case, as libvirt accepts them. */
function sameUuid(a: string, b: string): boolean {
  const norm = (u: string) => u.replace(/-/g, '').toLowerCase();
  return norm(a) === norm(b);
}

export function VmDetailsPage({ host, uuid }: VmDetailsPageProps) {
  const { t } = useTranslation();
  const detail = useDomainDetail(host, uuid);
  // The list cache is kept current by the events stream: the live state (and name) come from its row.
  const domains = useDomains(host);
  const row = domains.data?.domains.find((d) => sameUuid(d.uuid, uuid));

  if (detail.isPending) return <Text>{t('details.loading')}</Text>;
  if (detail.error) {
    const notFound = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <Stack>
        <Text c="red" role="alert">
          {notFound ? t('details.notFound') : t('details.loadFailed', { error: detail.error.message })}
        </Text>
        <Anchor component={Link} to="/" c="blue.9">
          {t('details.back')}
        </Anchor>
      </Stack>
    );
  }
  return <DetailsBody detail={detail.data} summary={row ?? detail.data.summary} />;
}

function DetailsBody({ detail, summary }: { detail: DomainDetail; summary: DomainSummary }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const view = detailView(detail);
  const disks = view.devices?.disks ?? [];
  const nics = view.devices?.interfaces ?? [];
  const dash = t('details.none');
  const yesNo = (b: boolean) => (b ? t('details.yes') : t('details.no'));

  const facts: [string, React.ReactNode][] = [
    [t('details.state'), <StateBadge key="state" state={summary.state} />],
    [t('details.vcpus'), summary.vcpus === summary.maxVcpus ? String(summary.vcpus) : t('details.vcpusValue', { current: summary.vcpus, max: summary.maxVcpus })],
    [
      t('details.memory'),
      summary.memoryKiB === summary.maxMemoryKiB
        ? formatKiB(summary.memoryKiB, locale)
        : t('details.memoryValue', { current: formatKiB(summary.memoryKiB, locale), max: formatKiB(summary.maxMemoryKiB, locale) }),
    ],
    [t('details.os'), view.os?.type ?? dash],
    [t('details.arch'), view.os?.arch ?? dash],
    [t('details.machine'), view.os?.machine ?? dash],
    [
      t('details.firmware'),
      <Group key="fw" gap="xs">
        <span>{view.firmware === 'uefi' ? t('details.uefi') : t('details.bios')}</span>
        {view.secureBoot && (
          <Badge variant="light" color="blue">
            {t('details.secureBoot')}
          </Badge>
        )}
      </Group>,
    ],
    [t('details.autostart'), yesNo(summary.autostart)],
  ];

  return (
    <Stack>
      <Anchor component={Link} to="/" size="sm" c="blue.9">
        {t('details.back')}
      </Anchor>
      <Title order={1}>{summary.name}</Title>

      <Card withBorder component="section" aria-labelledby="vm-details-overview">
        <Title order={2} size="h4" mb="sm" id="vm-details-overview">
          {t('details.overview')}
        </Title>
        <Table>
          <Table.Tbody>
            {facts.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row">{label}</Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>

      <Card withBorder component="section" aria-labelledby="vm-details-disks">
        <Title order={2} size="h4" mb="sm" id="vm-details-disks">
          {t('details.disks')}
        </Title>
        <Table.ScrollContainer minWidth={500}>
          <Table aria-label={t('details.disks')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('details.diskColumns.target')}</Table.Th>
                <Table.Th scope="col">{t('details.diskColumns.device')}</Table.Th>
                <Table.Th scope="col">{t('details.diskColumns.bus')}</Table.Th>
                <Table.Th scope="col">{t('details.diskColumns.source')}</Table.Th>
                <Table.Th scope="col">{t('details.diskColumns.format')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {disks.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>{t('details.noDisks')}</Table.Td>
                </Table.Tr>
              )}
              {disks.map((d, i) => {
                const device = d.device ?? 'disk';
                return (
                  <Table.Tr key={d.target?.dev ?? i}>
                    <Table.Td>{d.target?.dev ?? dash}</Table.Td>
                    <Table.Td>{t(`details.diskDevices.${device}`, { defaultValue: device })}</Table.Td>
                    <Table.Td>{d.target?.bus ?? dash}</Table.Td>
                    <Table.Td className="vireo-mono">{diskSource(d) ?? dash}</Table.Td>
                    <Table.Td>{d.driver?.type ?? dash}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      <Card withBorder component="section" aria-labelledby="vm-details-nics">
        <Title order={2} size="h4" mb="sm" id="vm-details-nics">
          {t('details.interfaces')}
        </Title>
        <Table.ScrollContainer minWidth={500}>
          <Table aria-label={t('details.interfaces')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('details.interfaceColumns.mac')}</Table.Th>
                <Table.Th scope="col">{t('details.interfaceColumns.type')}</Table.Th>
                <Table.Th scope="col">{t('details.interfaceColumns.source')}</Table.Th>
                <Table.Th scope="col">{t('details.interfaceColumns.model')}</Table.Th>
                <Table.Th scope="col">{t('details.interfaceColumns.link')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {nics.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>{t('details.noInterfaces')}</Table.Td>
                </Table.Tr>
              )}
              {nics.map((n, i) => {
                const link = n.linkState ?? 'up';
                return (
                  <Table.Tr key={n.mac ?? i}>
                    <Table.Td className="vireo-mono">{n.mac ?? dash}</Table.Td>
                    <Table.Td>{n.type ?? dash}</Table.Td>
                    <Table.Td>{interfaceSource(n) ?? dash}</Table.Td>
                    <Table.Td>{n.model ?? dash}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={link === 'up' ? 'green' : 'gray'} data-link={link}>
                        {t(`details.link.${link}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      <Card withBorder component="section" aria-labelledby="vm-details-xml">
        <Title order={2} size="h4" mb="sm" id="vm-details-xml">
          {t('details.xml')}
        </Title>
        {detail.redacted.length > 0 && (
          <Text size="sm" c="gray.7" mb="xs">
            {t('details.redacted')}
          </Text>
        )}
        <pre className="vireo-xml" aria-label={t('details.xmlLabel')} tabIndex={0}>
          {detail.xml}
        </pre>
      </Card>
    </Stack>
  );
}
