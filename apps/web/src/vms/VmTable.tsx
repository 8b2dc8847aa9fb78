import { Button, Checkbox, Group, UnstyledButton } from '@mantine/core';
import type { DomainSummary, Role } from '@vireo/api';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { StateBadge } from './StateBadge.js';
import { actionsFor, formatKiB, formatPercent, type ListAction, type SortKey, type SortSpec } from './vm-logic.js';

export const ROW_HEIGHT = 52;

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
  /** The viewport before the first measurement (tests: jsdom measures nothing). */
  initialRect?: { width: number; height: number };
}

/** The VM details page of a domain. */
export function vmHref(host: string, uuid: string): string {
  return `/vms/${encodeURIComponent(host)}/${encodeURIComponent(uuid)}`;
}

const COLUMNS: { key: SortKey | null; label: 'name' | 'state' | 'vcpus' | 'memory' | 'cpu' | 'autostart' | 'actions' }[] = [
  { key: 'name', label: 'name' },
  { key: 'state', label: 'state' },
  { key: 'vcpus', label: 'vcpus' },
  { key: 'memory', label: 'memory' },
  { key: 'cpu', label: 'cpu' },
  { key: null, label: 'autostart' },
  { key: null, label: 'actions' },
];

/** The VM list as an ARIA table with virtualised rows: only the rows in view (plus overscan) are in the DOM. */
export function VmTable({ rows, role, sort, onSort, onAction, pending, initialRect, host = 'local', selected, onToggle, onToggleAll, onDelete, onOpen }: VmTableProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => rows[i]?.uuid ?? i,
    ...(initialRect ? { initialRect } : {}),
  });
  const items = virtualizer.getVirtualItems();
  const selectedShown = selected ? rows.filter((d) => selected.has(d.uuid)).length : 0;

  return (
    <div role="table" aria-label={t('vms.table')} aria-rowcount={rows.length + 1} className="vireo-table">
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
              <div
                role="row"
                key={item.key}
                aria-rowindex={item.index + 2}
                data-testid={`vm-row-${d.name}`}
                className="vireo-row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <div role="cell" className="vireo-cell vireo-col-select">
                  {onToggle && (
                    <Checkbox
                      size="xs"
                      aria-label={t('bulk.select', { name: d.name })}
                      checked={selected?.has(d.uuid) ?? false}
                      onChange={(e) => onToggle(d, e.currentTarget.checked)}
                    />
                  )}
                </div>
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
                  {d.state === 'running' ? formatPercent(d.cpuPercent, locale) : '—'}
                </div>
                <div role="cell" className="vireo-cell vireo-col-autostart">
                  {d.autostart ? t('vms.autostartOn') : t('vms.autostartOff')}
                </div>
                <div role="cell" className="vireo-cell vireo-col-actions">
                  <Group gap={4} wrap="nowrap">
                    {actionsFor(d.state, role).map((action) => (
                      <Button
                        key={action}
                        size="compact-xs"
                        variant={action === 'destroy' ? 'light' : 'default'}
                        color={action === 'destroy' ? 'red' : undefined}
                        aria-label={t(`actions.${action}`, { name: d.name })}
                        loading={pending?.has(`${d.uuid}:${action}`) ?? false}
                        onClick={() => onAction(d, action)}
                      >
                        {t(`actionLabels.${action}`)}
                      </Button>
                    ))}
                    {onDelete && role === 'admin' && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        aria-label={t('delete.rowButton', { name: d.name })}
                        onClick={() => onDelete(d)}
                      >
                        {t('delete.button')}
                      </Button>
                    )}
                  </Group>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
