import { Alert, CloseButton, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import type { DomainStateName, DomainSummary } from '@vireo/api';
import { useRouter } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDomainAction, useDomains } from '../api/queries.js';
import { useSession } from '../api/session.js';
import { useSparklines } from '../charts/queries.js';
import { BulkActionBar } from './BulkActionBar.js';
import { CreateVmButton } from './wizard/CreateVmButton.js';
import { DeleteVmDialog } from './DeleteVmDialog.js';
import { canTakeScreens, readScreensPreference, writeScreensPreference } from './list-screens/screens-preference.js';
import { ScreensToggle } from './list-screens/ScreensToggle.js';
import { VmTable, vmHref } from './VmTable.js';
import { pruneSelection } from './vm-bulk.js';
import { filterAndSort, STATE_NAMES, type ListAction, type SortKey, type SortSpec } from './vm-logic.js';

const HOST = 'local';

interface Failure {
  id: number;
  text: string;
}

export function VmListPage() {
  const { t } = useTranslation();
  const session = useSession();
  const domains = useDomains(HOST);
  // Fetched once; each stats event then moves every row's sparkline by one tick.
  const sparklines = useSparklines(HOST);
  const action = useDomainAction();
  const [search, setSearch] = useState('');
  const [state, setState] = useState<DomainStateName | 'all'>('all');
  const [sort, setSort] = useState<SortSpec>({ key: 'name', dir: 'asc' });
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [failures, setFailures] = useState<Failure[]>([]);
  const [selectedRaw, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [deleting, setDeleting] = useState<string | null>(null);
  const [screensWanted, setScreensWanted] = useState(readScreensPreference);
  const router = useRouter();

  const all = domains.data?.domains;
  // A VM that left the list (deleted here or elsewhere) leaves the selection too.
  const selected = useMemo(() => pruneSelection(selectedRaw, all ?? []), [selectedRaw, all]);
  const deletingDomain = deleting ? all?.find((d) => d.uuid === deleting) : undefined;
  const role = session.data?.user.role ?? 'viewer';
  // A remembered "on" means nothing to a viewer (the same browser, another user).
  const screens = screensWanted && canTakeScreens(role);
  const onScreens = (on: boolean) => {
    setScreensWanted(on);
    writeScreensPreference(on);
  };
  // Filtered in the keystroke's own render: rows are memoised and cheap, so one pass beats a deferred second one.
  const rows = useMemo(() => filterAndSort(all ?? [], { search, state }, sort), [all, search, state, sort]);

  const onSort = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));

  // Stable handlers: the table's rows are memoised and a new function per render would redraw them all.
  const { mutate } = action;
  const onAction = useCallback(
    (d: DomainSummary, a: ListAction) => {
      const key = `${d.uuid}:${a}`;
      setPending((p) => new Set(p).add(key));
      mutate(
        { host: HOST, uuid: d.uuid, action: a },
        {
          onError: (err) =>
            setFailures((f) => [
              ...f,
              { id: Date.now() + Math.random(), text: `${t('vms.actionFailed', { action: t(`actionLabels.${a}`), name: d.name })}: ${err.message}` },
            ]),
          onSettled: () =>
            setPending((p) => {
              const next = new Set(p);
              next.delete(key);
              return next;
            }),
        },
      );
    },
    [mutate, t],
  );

  const onToggle = useCallback(
    (d: DomainSummary, checked: boolean) =>
      setSelected((sel) => {
        const next = new Set(sel);
        if (checked) next.add(d.uuid);
        else next.delete(d.uuid);
        return next;
      }),
    [],
  );
  const onOpen = useCallback((d: DomainSummary) => router.history.push(vmHref(HOST, d.uuid)), [router]);
  const onDelete = useCallback((d: DomainSummary) => setDeleting(d.uuid), []);
  // "Select all" acts on the rows shown (after search and state filter).
  const onToggleAll = (checked: boolean) =>
    setSelected((sel) => {
      const next = new Set(sel);
      for (const d of rows) {
        if (checked) next.add(d.uuid);
        else next.delete(d.uuid);
      }
      return next;
    });

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{t('vms.title')}</Title>
        <CreateVmButton role={role} />
      </Group>
      {failures.map((f) => (
        <Alert key={f.id} color="red" role="alert" withCloseButton={false}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{f.text}</Text>
            <CloseButton aria-label={t('common.dismiss')} onClick={() => setFailures((all) => all.filter((x) => x.id !== f.id))} />
          </Group>
        </Alert>
      ))}
      <Group gap="sm" align="end" wrap="wrap">
        <TextInput
          label={t('vms.search')}
          placeholder={t('vms.searchPlaceholder')}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
        <NativeSelect
          label={t('vms.state')}
          value={state}
          onChange={(e) => setState(e.currentTarget.value as DomainStateName | 'all')}
          data={[{ value: 'all', label: t('vms.allStates') }, ...STATE_NAMES.map((s) => ({ value: s, label: t(`states.${s}`) }))]}
        />
        {all && (
          <Text size="sm" c="gray.7" aria-live="polite">
            {t('vms.count', { shown: rows.length, total: all.length })}
          </Text>
        )}
        <ScreensToggle role={role} on={screens} onChange={onScreens} />
      </Group>
      {all && (
        <BulkActionBar
          domains={all}
          selected={selected}
          role={role}
          onRun={(a, targets) => {
            for (const d of targets) onAction(d, a);
          }}
        />
      )}
      {domains.isLoading && <Text>{t('vms.loading')}</Text>}
      {domains.error && (
        <Alert color="red" role="alert">
          {domains.error.message}
        </Alert>
      )}
      {all && (
        <VmTable
          host={HOST}
          rows={rows}
          role={role}
          sort={sort}
          onSort={onSort}
          onAction={onAction}
          pending={pending}
          selected={selected}
          sparklines={sparklines.data?.domains}
          screens={screens}
          {...(role === 'viewer' ? {} : { onToggle, onToggleAll })}
          onOpen={onOpen}
          {...(role === 'admin' ? { onDelete } : {})}
        />
      )}
      {all && rows.length === 0 && <Text c="gray.7">{all.length === 0 ? t('vms.empty') : t('vms.noMatch')}</Text>}
      {deletingDomain && <DeleteVmDialog host={HOST} domain={deletingDomain} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}
