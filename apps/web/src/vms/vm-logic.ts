import type { DomainAction, DomainStateName, DomainSummary, Role } from '@vireo/api';

/** The lifecycle actions the list offers, in button order. */
export type ListAction = Extract<DomainAction, 'start' | 'shutdown' | 'reboot' | 'suspend' | 'resume' | 'destroy'>;

const ACTIONS_BY_STATE: Record<DomainStateName, readonly ListAction[]> = {
  running: ['shutdown', 'reboot', 'suspend', 'destroy'],
  blocked: ['shutdown', 'reboot', 'suspend', 'destroy'],
  paused: ['resume', 'destroy'],
  pmsuspended: ['destroy'],
  shutdown: ['destroy'],
  shutoff: ['start'],
  crashed: ['start', 'destroy'],
  nostate: ['start'],
};

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** The actions a user of `role` may run on a domain in `state`: none for viewers. */
export function actionsFor(state: DomainStateName, role: Role): readonly ListAction[] {
  if (ROLE_RANK[role] < ROLE_RANK.operator) return [];
  return ACTIONS_BY_STATE[state];
}

export const STATE_NAMES: readonly DomainStateName[] = ['running', 'paused', 'shutoff', 'shutdown', 'crashed', 'pmsuspended', 'blocked', 'nostate'];

export type SortKey = 'name' | 'state' | 'vcpus' | 'memory' | 'cpu';
export interface SortSpec {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface ListFilter {
  search: string;
  /** A state name, or 'all'. */
  state: DomainStateName | 'all';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

// Running first, then the states that need attention, then the stopped ones.
const STATE_ORDER: Record<DomainStateName, number> = {
  running: 0,
  blocked: 1,
  paused: 2,
  pmsuspended: 3,
  shutdown: 4,
  crashed: 5,
  shutoff: 6,
  nostate: 7,
};

function compare(a: DomainSummary, b: DomainSummary, key: SortKey): number {
  switch (key) {
    case 'name':
      return collator.compare(a.name, b.name);
    case 'state':
      return STATE_ORDER[a.state] - STATE_ORDER[b.state];
    case 'vcpus':
      return a.vcpus - b.vcpus;
    case 'memory':
      return a.memoryKiB - b.memoryKiB;
    case 'cpu':
      return (a.cpuPercent ?? -1) - (b.cpuPercent ?? -1);
  }
}

/** Filters by state and by a case-insensitive search of name and title, then sorts (ties broken by name). */
export function filterAndSort(domains: readonly DomainSummary[], filter: ListFilter, sort: SortSpec): DomainSummary[] {
  const needle = filter.search.trim().toLowerCase();
  const rows = domains.filter(
    (d) =>
      (filter.state === 'all' || d.state === filter.state) &&
      (needle === '' || d.name.toLowerCase().includes(needle) || (d.title?.toLowerCase().includes(needle) ?? false)),
  );
  const sign = sort.dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => sign * compare(a, b, sort.key) || collator.compare(a.name, b.name));
  return rows;
}

/** Counts of domains per state (every state present, zero when none). */
export function countByState(domains: readonly DomainSummary[]): Record<DomainStateName, number> {
  const counts = Object.fromEntries(STATE_NAMES.map((s) => [s, 0])) as Record<DomainStateName, number>;
  for (const d of domains) counts[d.state] += 1;
  return counts;
}

/** A size in KiB as the largest binary unit that keeps it >= 1, localised. */
export function formatKiB(kib: number, locale: string): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'] as const;
  let value = kib;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export function formatPercent(value: number | null, locale: string): string {
  if (value === null) return '—';
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)} %`;
}
