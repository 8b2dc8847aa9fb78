import './details.css';
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { DomainDetail, DomainSummary } from '@vireo/api';
import { Link } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { useDomains } from '../../api/queries.js';
import { useSession } from '../../api/session.js';
import { canOpenConsole, ConsoleLink } from '../../consoles/ConsoleLink.js';
import { ScreenThumbnail } from '../../consoles/ScreenThumbnail.js';
import { StateBadge } from '../StateBadge.js';
import { formatKiB } from '../vm-logic.js';
import { AutostartSwitch } from './AutostartSwitch.js';
import { BootOrderEditor } from './BootOrderEditor.js';
import { CpuMemoryDialog } from './CpuMemoryDialog.js';
import { editPermissions } from './permissions.js';
import { domainDetailKey, useDomainDetail } from './queries.js';
import { RestartBadge, RestartNotice } from './RestartNotice.js';
import { UsageGraphs } from './UsageGraphs.js';
import { pendingRestart, type RestartFact } from './restart-diff.js';
import { detailView, diskSource, interfaceSource, liveView } from './view.js';
import { XmlSection } from './xml/XmlSection.js';

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
  return <DetailsBody host={host} uuid={uuid} detail={detail.data} summary={row ?? detail.data.summary} />;
}

/** A fact's value with its "needs restart" badge. */
function withBadge(value: React.ReactNode, fact: RestartFact, pending: ReadonlySet<RestartFact>): React.ReactNode {
  return (
    <Group gap="xs">
      {value}
      <RestartBadge fact={fact} pending={pending} />
    </Group>
  );
}

function DetailsBody({ host, uuid, detail, summary }: { host: string; uuid: string; detail: DomainDetail; summary: DomainSummary }) {
  const { t, i18n } = useTranslation();
  // A session without a user (none yet) is read-only, as the server would treat it.
  const role = useSession().data?.user?.role ?? 'viewer';
  const can = editPermissions(role);
  const [editingCpuMemory, setEditingCpuMemory] = useState(false);
  const client = useQueryClient();
  // The running configuration only matters while it runs (the list's state is the live one), and only the one read
  // in this run: after a stop and start the definition is read again.
  const stoppedSinceRead = useRef(false);
  useEffect(() => {
    stoppedSinceRead.current = false;
  }, [detail]);
  useEffect(() => {
    if (detail.live === null) return;
    if (summary.state === 'shutoff') stoppedSinceRead.current = true;
    else if (stoppedSinceRead.current) void client.invalidateQueries({ queryKey: domainDetailKey(host, uuid) });
  }, [summary.state, detail, client, host, uuid]);
  const live = summary.state === 'shutoff' || stoppedSinceRead.current ? null : liveView(detail);
  const locale = i18n.language;
  const view = detailView(detail);
  const pending = pendingRestart(view, live);
  const disks = view.devices?.disks ?? [];
  const nics = view.devices?.interfaces ?? [];
  const dash = t('details.none');
  const yesNo = (b: boolean) => (b ? t('details.yes') : t('details.no'));

  const facts: [string, React.ReactNode][] = [
    [t('details.state'), <StateBadge key="state" state={summary.state} />],
    [
      t('details.vcpus'),
      withBadge(
        summary.vcpus === summary.maxVcpus ? String(summary.vcpus) : t('details.vcpusValue', { current: summary.vcpus, max: summary.maxVcpus }),
        'vcpus',
        pending,
      ),
    ],
    [
      t('details.memory'),
      withBadge(
        summary.memoryKiB === summary.maxMemoryKiB
          ? formatKiB(summary.memoryKiB, locale)
          : t('details.memoryValue', { current: formatKiB(summary.memoryKiB, locale), max: formatKiB(summary.maxMemoryKiB, locale) }),
        'memory',
        pending,
      ),
    ],
    [t('details.os'), view.os?.type ?? dash],
    [t('details.arch'), view.os?.arch ?? dash],
    [t('details.machine'), withBadge(view.os?.machine ?? dash, 'machine', pending)],
    [
      t('details.firmware'),
      <Group key="fw" gap="xs">
        <span>{view.firmware === 'uefi' ? t('details.uefi') : t('details.bios')}</span>
        {view.secureBoot && (
          <Badge variant="light" color="blue">
            {t('details.secureBoot')}
          </Badge>
        )}
        <RestartBadge fact="firmware" pending={pending} />
      </Group>,
    ],
    [
      t('details.autostart'),
      can.autostart ? <AutostartSwitch key="autostart" host={host} uuid={uuid} name={summary.name} enabled={summary.autostart} /> : yesNo(summary.autostart),
    ],
  ];

  return (
    <Stack>
      <Anchor component={Link} to="/" size="sm" c="blue.9">
        {t('details.back')}
      </Anchor>
      <Title order={1}>{summary.name}</Title>
      <RestartNotice pending={pending} />

      <Card withBorder component="section" aria-labelledby="vm-details-overview">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="vm-details-overview">
            {t('details.overview')}
          </Title>
          <Group gap="xs">
            {canOpenConsole(summary.state, role) && <ConsoleLink host={host} domain={summary} />}
            {can.definition && (
              <Button variant="default" size="xs" onClick={() => setEditingCpuMemory(true)}>
                {t('edit.cpuMemory.button')}
              </Button>
            )}
          </Group>
        </Group>
        {summary.graphics !== null && canOpenConsole(summary.state, role) && <ScreenThumbnail host={host} uuid={uuid} name={summary.name} running />}
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
      <UsageGraphs host={host} summary={summary} />
      {editingCpuMemory && (
        <CpuMemoryDialog host={host} uuid={uuid} name={summary.name} detail={detail} onClose={() => setEditingCpuMemory(false)} />
      )}

      <BootOrderEditor host={host} uuid={uuid} name={summary.name} detail={detail} canEdit={can.definition} pending={pending} />

      <Card withBorder component="section" aria-labelledby="vm-details-disks">
        <Group gap="xs" mb="sm">
          <Title order={2} size="h4" id="vm-details-disks">
            {t('details.disks')}
          </Title>
          <RestartBadge fact="disks" pending={pending} />
        </Group>
        <Table.ScrollContainer minWidth={500} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
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
        <Group gap="xs" mb="sm">
          <Title order={2} size="h4" id="vm-details-nics">
            {t('details.interfaces')}
          </Title>
          <RestartBadge fact="interfaces" pending={pending} />
        </Group>
        <Table.ScrollContainer minWidth={500} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
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

      <XmlSection host={host} uuid={uuid} name={summary.name} detail={detail} canEdit={can.definition} />
    </Stack>
  );
}
