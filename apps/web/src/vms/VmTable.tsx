import './vm-table.css';
import { Checkbox, UnstyledButton } from '@mantine/core';
import type { DomainSummary, Role } from '@vireo/api';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Sparkline } from '../charts/Sparkline.js';
import { latest, type SparkHistory } from '../charts/history.js';
import { canOpenConsole, ConsoleLink } from '../consoles/ConsoleLink.js';
import { RowScreen } from './list-screens/RowScreen.js';
import { StateBadge } from './StateBadge.js';
import { actionsFor, formatKiB, formatPercent, type ListAction, type SortKey, type SortSpec } from './vm-logic.js';

export const ROW_HEIGHT = 52;
/** With screens on: the row thumbnail's 80 px box and padding (vm-table.css `.vireo-table-screens`). */
export const ROW_HEIGHT_SCREENS = 96;

export interface VmTableProps {
  rows: readonly DomainSummary[];
  role: Role;
  sort: SortSpec;
  onSort: (key: SortKey) => void;
  onAction: (domain: DomainSummary, action: ListAction) => void;
  /** Actions in flight, by `${uuid}:${action}`. */
  pending?: ReadonlySet<string>;
  /** The host the rows belong to (for the details links); default 'local'. */
  host?: string;
  /** Selection (uuids): with onToggle a checkbox per row and a "Select all" in the header. */
  selected?: ReadonlySet<string>;
  onToggle?: (domain: DomainSummary, checked: boolean) => void;
  onToggleAll?: (checked: boolean) => void;
  /** Admins: a "Delete <name>" button per row. */
  onDelete?: (domain: DomainSummary) => void;
  /** Following a VM's name link within the app (plain clicks only; modified clicks stay browser navigation). */
  onOpen?: (domain: DomainSummary) => void;
  /** CPU and memory use of the last ticks per domain uuid (the bulk metrics, kept live by stats events). */
  sparklines?: SparkHistory['domains'] | undefined;
  /** A "Screen" column with each row's live thumbnail (operators and admins; the rows grow to fit it). */
  screens?: boolean;
  /** The viewport before the first measurement (tests: jsdom measures nothing). */
  initialRect?: { width: number; height: number };
}

/** The VM details page of a domain. */
export function vmHref(host: string, uuid: string): string {
  return `/vms/${encodeURIComponent(host)}/${encodeURIComponent(uuid)}`;
}

type ColumnLabel = 'name' | 'state' | 'vcpus' | 'memory' | 'cpu' | 'memoryUse' | 'ip' | 'autostart' | 'actions';

// Narrow screens hide the less important columns (vm-table.css, by the `vireo-col-<label>` classes).
const COLUMNS: { key: SortKey | null; label: ColumnLabel }[] = [
  { key: 'name', label: 'name' },
  { key: 'state', label: 'state' },
  { key: 'vcpus', label: 'vcpus' },
  { key: 'memory', label: 'memory' },
  { key: 'cpu', label: 'cpu' },
  { key: null, label: 'memoryUse' },
  { key: null, label: 'ip' },
  { key: null, label: 'autostart' },
  { key: null, label: 'actions' },
];

/** The VM list as an ARIA table with virtualised rows: only the rows in view (plus overscan) are in the DOM. */
export function VmTable({
  rows,
  role,
  sort,
  onSort,
  onAction,
  pending,
  initialRect,
  host = 'local',
  selected,
  onToggle,
  onToggleAll,
  onDelete,
  onOpen,
  sparklines,
  screens = false,
}: VmTableProps) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowHeight = screens ? ROW_HEIGHT_SCREENS : ROW_HEIGHT;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    // Rows beyond the view are rendered ahead of a scroll; few, since each row costs a render on every filter key.
    overscan: 4,
    getItemKey: (i) => rows[i]?.uuid ?? i,
    ...(initialRect ? { initialRect } : {}),
  });
  // The rows' positions were laid out for the other height: lay them out again when screens are switched.
  const laidOutFor = useRef(rowHeight);
  useEffect(() => {
    if (laidOutFor.current === rowHeight) return;
    laidOutFor.current = rowHeight;
    virtualizer.measure();
  }, [rowHeight, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const selectedShown = selected ? rows.filter((d) => selected.has(d.uuid)).length : 0;

  return (
    <div role="table" aria-label={t('vms.table')} aria-rowcount={rows.length + 1} className={screens ? 'vireo-table vireo-table-screens' : 'vireo-table'}>
      <div role="rowgroup" className="vireo-thead">
        <div role="row" aria-rowindex={1} className="vireo-row vireo-row-head">
          <div role="columnheader" className="vireo-cell vireo-col-select">
            {onToggleAll && (
              <Checkbox
                size="xs"
                aria-label={t('bulk.selectAll')}
                checked={rows.length > 0 && selectedShown === rows.length}
                indeterminate={selectedShown > 0 && selectedShown < rows.length}
                onChange={(e) => onToggleAll(e.currentTarget.checked)}
              />
            )}
          </div>
          {screens && (
            <div role="columnheader" className="vireo-cell vireo-col-screen">
              {t('vms.columns.screen')}
            </div>
          )}
          {COLUMNS.map((c) => {
            const label = t(`vms.columns.${c.label}`);
            const sorted = c.key !== null && sort.key === c.key;
            return (
              <div
                role="columnheader"
                key={c.label}
                className={`vireo-cell vireo-col-${c.label}`}
                aria-sort={sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.key === null ? (
                  label
                ) : (
                  <UnstyledButton className="vireo-sort" onClick={() => onSort(c.key!)} title={t('vms.sortBy', { column: label })}>
                    {label}
                    {sorted ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </UnstyledButton>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div ref={scrollRef} className="vireo-scroll">
        <div role="rowgroup" className="vireo-tbody" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const d = rows[item.index];
            if (!d) return null;
            return (
              <VmRow
                key={item.key}
                domain={d}
                index={item.index}
                start={item.start}
                host={host}
                role={role}
                selected={selected?.has(d.uuid) ?? false}
                pendingActions={pendingOf(pending, d.uuid)}
                spark={sparklines?.[d.uuid]}
                screens={screens}
                onAction={onAction}
                onToggle={onToggle}
                onDelete={onDelete}
                onOpen={onOpen}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The actions in flight for one domain, as one string (so an unchanged row compares equal and is not redrawn). */
function pendingOf(pending: ReadonlySet<string> | undefined, uuid: string): string {
  if (!pending || pending.size === 0) return '';
  const prefix = `${uuid}:`;
  return [...pending].filter((k) => k.startsWith(prefix)).join(' ');
}

interface VmRowProps {
  domain: DomainSummary;
  index: number;
  start: number;
  host: string;
  role: Role;
  selected: boolean;
  /** `${uuid}:${action}` keys in flight for this row, space-separated. */
  pendingActions: string;
  spark: Readonly<Record<string, readonly (number | null)[]>> | undefined;
  /** A "Screen" cell: only then does a row mount anything for screenshots. */
  screens: boolean;
  onAction: VmTableProps['onAction'];
  onToggle: VmTableProps['onToggle'];
  onDelete: VmTableProps['onDelete'];
  onOpen: VmTableProps['onOpen'];
}

/**
 * One row, with native controls styled by vm-table.css: a row is mounted on every filter key and scroll, and
 * component-kit buttons cost several times as much to render. Memoised: typing a filter or a stats tick re-renders the table, but a row whose domain, position and
 * state are unchanged is skipped, which keeps a keystroke within a frame (the handlers must be stable: see
 * VmListPage).
 */
const VmRow = memo(function VmRow({ domain: d, index, start, host, role, selected, pendingActions, spark, screens, onAction, onToggle, onDelete, onOpen }: VmRowProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const pending = pendingActions === '' ? [] : pendingActions.split(' ');
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-testid={`vm-row-${d.name}`}
      className="vireo-row"
      style={{ transform: `translateY(${start}px)` }}
    >
      <div role="cell" className="vireo-cell vireo-col-select">
        {onToggle && (
          <input
            type="checkbox"
            className="vireo-check"
            aria-label={t('bulk.select', { name: d.name })}
            checked={selected}
            onChange={(e) => onToggle(d, e.currentTarget.checked)}
          />
        )}
      </div>
      {screens && (
        <div role="cell" className="vireo-cell vireo-col-screen">
          <RowScreen host={host} domain={d} role={role} />
        </div>
      )}
      <div role="cell" className="vireo-cell vireo-col-name">
        <a
          className="vireo-name vireo-vm-link"
          href={vmHref(host, d.uuid)}
          onClick={(e) => {
            if (!onOpen || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            onOpen(d);
          }}
        >
          {d.name}
        </a>
        {d.title && <span className="vireo-title">{d.title}</span>}
      </div>
      <div role="cell" className="vireo-cell vireo-col-state">
        <StateBadge state={d.state} />
      </div>
      <div role="cell" className="vireo-cell vireo-col-vcpus">
        {d.vcpus}
      </div>
      <div role="cell" className="vireo-cell vireo-col-memory">
        {formatKiB(d.memoryKiB, locale)}
      </div>
      <div role="cell" className="vireo-cell vireo-col-cpu">
        <UsageCell domain={d} spark={spark} kind="cpu" locale={locale} />
      </div>
      <div role="cell" className="vireo-cell vireo-col-memoryUse">
        <UsageCell domain={d} spark={spark} kind="memory" locale={locale} />
      </div>
      <div role="cell" className="vireo-cell vireo-col-ip" title={d.addresses.join(', ') || undefined}>
        {d.addresses.length > 0 ? d.addresses.join(', ') : '—'}
      </div>
      <div role="cell" className="vireo-cell vireo-col-autostart">
        {d.autostart ? t('vms.autostartOn') : t('vms.autostartOff')}
      </div>
      <div role="cell" className="vireo-cell vireo-col-actions">
        <div className="vireo-actions">
          {actionsFor(d.state, role).map((action) => {
            const busy = pending.includes(`${d.uuid}:${action}`);
            return (
              <button
                key={action}
                type="button"
                className="vireo-act"
                data-variant={action === 'destroy' ? 'danger' : undefined}
                aria-label={t(`actions.${action}`, { name: d.name })}
                aria-busy={busy || undefined}
                disabled={busy}
                onClick={() => onAction(d, action)}
              >
                {t(`actionLabels.${action}`)}
              </button>
            );
          })}
          {canOpenConsole(d.state, role) && <ConsoleLink host={host} domain={d} compact />}
          {onDelete && role === 'admin' && (
            <button type="button" className="vireo-act" data-variant="subtle-danger" aria-label={t('delete.rowButton', { name: d.name })} onClick={() => onDelete(d)}>
              {t('delete.button')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
});

/** A row's CPU or memory use: the sparkline of the last ticks and the current value (a dash when not running). */
function UsageCell({
  domain: d,
  spark,
  kind,
  locale,
}: {
  domain: DomainSummary;
  spark: Readonly<Record<string, readonly (number | null)[]>> | undefined;
  kind: 'cpu' | 'memory';
  locale: string;
}) {
  const { t } = useTranslation();
  const values = kind === 'cpu' ? spark?.['cpuPercent'] : spark?.['memoryUsedKiB'];
  const running = d.state === 'running';
  const now = kind === 'cpu' ? d.cpuPercent : d.memoryUsedKiB;
  const text = !running || now === null ? '—' : kind === 'cpu' ? formatPercent(now, locale) : formatKiB(now, locale);
  const last = latest(values);
  const lastText = last === null ? t('charts.sparkEmpty') : kind === 'cpu' ? formatPercent(last, locale) : formatKiB(last, locale);
  return (
    <span className="vireo-spark-cell">
      {values && values.some((v) => v !== null) && (
        <Sparkline
          values={values}
          yMax={kind === 'cpu' ? 100 : Math.max(d.memoryKiB, ...values.map((v) => v ?? 0))}
          kind={kind}
          label={t(kind === 'cpu' ? 'charts.sparkCpu' : 'charts.sparkMemory', { value: lastText })}
        />
      )}
      <span>{text}</span>
    </span>
  );
}
