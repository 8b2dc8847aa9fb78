import './consoles.css';
import { Alert, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ConsoleInfo, DomainSummary, Role } from '@vireo/api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDomains } from '../api/queries.js';
import { useSession } from '../api/session.js';
import { errorMessage } from '../components/notify.js';
import { StateBadge } from '../vms/StateBadge.js';
import { useConsoleInfo } from './api.js';
import { consoleHref } from './ConsoleLink.js';
import { SerialConsole } from './SerialConsole.js';
import { consoleLive } from './session.js';
import { SpicePanel } from './SpicePanel.js';
import { VncConsole } from './VncConsole.js';

export interface ConsolePageProps {
  host: string;
  uuid: string;
  /** A window of its own (the pop-out): no app header, the screen fills it. */
  popout?: boolean;
}

const sameUuid = (a: string, b: string) => a.replace(/-/g, '').toLowerCase() === b.replace(/-/g, '').toLowerCase();

/** /vms/$host/$uuid/console: the VM's screen (VNC, or what to do about SPICE) and its serial console. */
export function ConsolePage({ host, uuid, popout = false }: ConsolePageProps) {
  const { t } = useTranslation();
  const domains = useDomains(host);
  const row = domains.data?.domains.find((d) => sameUuid(d.uuid, uuid));
  const live = row ? consoleLive(row.state) : false;
  const info = useConsoleInfo(host, uuid, live ? 'live' : 'off');
  const role = useSession().data?.user?.role ?? 'viewer';

  let body: React.ReactNode;
  if (domains.isPending || info.isPending) body = <Text>{t('consoles.loading')}</Text>;
  else if (info.error || domains.error || !row) {
    const error = info.error ?? domains.error;
    body = (
      <Text c="red" role="alert">
        {error ? t('consoles.loadFailed', { error: errorMessage(error) }) : t('details.notFound')}
      </Text>
    );
  } else body = <Consoles host={host} summary={row} info={info.data} role={role} popout={popout} />;

  return (
    <Stack gap="sm" className={popout ? 'vireo-console-page vireo-console-popout' : 'vireo-console-page'}>
      {!popout && (
        <Link to="/vms/$host/$uuid" params={{ host, uuid }} className="vireo-console-back">
          {t('consoles.back', { name: row?.name ?? uuid })}
        </Link>
      )}
      <Group gap="sm">
        <Title order={1} size={popout ? 'h3' : 'h2'}>
          {t('consoles.title', { name: row?.name ?? uuid })}
        </Title>
        {row && <StateBadge state={row.state} />}
      </Group>
      {body}
    </Stack>
  );
}

type Tab = 'screen' | 'serial';

function Consoles({ host, summary, info, role, popout }: { host: string; summary: DomainSummary; info: ConsoleInfo; role: Role; popout: boolean }) {
  const { t } = useTranslation();
  const graphics = info.graphics[0] ?? null;
  const [tab, setTab] = useState<Tab>(graphics ? 'screen' : 'serial');
  const live = consoleLive(summary.state);
  const canOpen = role !== 'viewer';

  if (!graphics && !info.serial) return <Alert color="gray" role="note">{t('consoles.noConsole')}</Alert>;

  const screen = (() => {
    if (!graphics) return <Alert color="gray" role="note">{t('consoles.noGraphics')}</Alert>;
    if (graphics.type === 'spice') {
      return <SpicePanel host={host} uuid={summary.uuid} name={summary.name} graphics={graphics} live={live} canOpen={canOpen} canEdit={role === 'admin'} />;
    }
    if (graphics.type !== 'vnc') return <Alert color="gray" role="note">{t('consoles.noGraphics')}</Alert>;
    if (!canOpen) return <Alert color="gray" role="note">{t('consoles.needsOperator')}</Alert>;
    return <VncConsole host={host} uuid={summary.uuid} name={summary.name} live={live} popout={popout} popOutHref={consoleHref(host, summary.uuid, true)} />;
  })();
  const serial = !info.serial ? (
    <Alert color="gray" role="note">{t('consoles.noSerial')}</Alert>
  ) : !canOpen ? (
    <Alert color="gray" role="note">{t('consoles.needsOperator')}</Alert>
  ) : (
    <SerialConsole host={host} uuid={summary.uuid} name={summary.name} live={live} />
  );

  // One console connected at a time: the hidden tab's unmounts (a serial console held open would be "busy" for
  // everyone else).
  return (
    <Tabs value={tab} onChange={(v) => setTab(v === 'serial' ? 'serial' : 'screen')} keepMounted={false}>
      <Tabs.List aria-label={t('consoles.tabs.label')}>
        <Tabs.Tab value="screen">{t('consoles.tabs.screen')}</Tabs.Tab>
        <Tabs.Tab value="serial">{t('consoles.tabs.serial')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="screen" pt="sm">
        {screen}
      </Tabs.Panel>
      <Tabs.Panel value="serial" pt="sm">
        {serial}
      </Tabs.Panel>
    </Tabs>
  );
}
