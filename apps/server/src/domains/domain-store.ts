import type { DomainSummary } from '@vireo/api';

/** Fields the stats tick owns; a change of them alone is not a `domain.updated` delta (the `stats` message has them). */
const STATS_FIELDS = ['cpuPercent', 'memoryUsedKiB'] as const;
type StatsFields = Pick<DomainSummary, (typeof STATS_FIELDS)[number]>;

export function sameDefinitionAndState(a: DomainSummary, b: DomainSummary): boolean {
  for (const key of Object.keys(a) as (keyof DomainSummary)[]) {
    if ((STATS_FIELDS as readonly string[]).includes(key)) continue;
    if (key === 'addresses') {
      if (!sameList(a.addresses, b.addresses)) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function isActive(row: DomainSummary): boolean {
  return row.state !== 'shutoff' && row.state !== 'nostate' && row.state !== 'crashed';
}

/**
 * A re-read row keeps what the store learnt apart from its read: the stats tick's figures, and the guest addresses
 * the poller found (a read never has them) while the domain is still active. A domain that stopped has none.
 */
function carryOver(prev: DomainSummary | undefined, row: DomainSummary): DomainSummary {
  if (!prev) return row;
  return { ...row, cpuPercent: prev.cpuPercent, memoryUsedKiB: prev.memoryUsedKiB, addresses: isActive(row) ? prev.addresses : [] };
}

/** One host's domain list rows by UUID: what `GET .../domains` and the events snapshot serve, with no libvirt call. */
export class DomainStore {
  private readonly rows = new Map<string, DomainSummary>();

  get size(): number {
    return this.rows.size;
  }

  get(uuid: string): DomainSummary | undefined {
    return this.rows.get(uuid);
  }

  has(uuid: string): boolean {
    return this.rows.has(uuid);
  }

  /** Every row, ordered by name as virsh lists them, for stable pages. */
  list(): DomainSummary[] {
    return [...this.rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  uuids(): string[] {
    return [...this.rows.keys()];
  }

  /**
   * Stores a row read from libvirt, keeping the stats fields already known. Returns the stored row when it differs
   * from before in anything but stats (a delta to publish), else null.
   */
  put(row: DomainSummary): DomainSummary | null {
    const prev = this.rows.get(row.uuid);
    const next = carryOver(prev, row);
    this.rows.set(row.uuid, next);
    return prev && sameDefinitionAndState(prev, next) ? null : next;
  }

  /** Applies a partial change (an event's new state); returns the new row when something changed. */
  patch(uuid: string, change: Partial<DomainSummary>): DomainSummary | null {
    const prev = this.rows.get(uuid);
    if (!prev) return null;
    const next = { ...prev, ...change };
    if (!isActive(next) && next.addresses.length > 0) next.addresses = [];
    this.rows.set(uuid, next);
    return sameDefinitionAndState(prev, next) ? null : next;
  }

  /** The guest addresses the poller found; returns the new row when they changed (a delta to publish). */
  setAddresses(uuid: string, addresses: readonly string[]): DomainSummary | null {
    const prev = this.rows.get(uuid);
    if (!prev || !isActive(prev) || sameList(prev.addresses, addresses)) return null;
    const next = { ...prev, addresses: [...addresses] };
    this.rows.set(uuid, next);
    return next;
  }

  delete(uuid: string): DomainSummary | undefined {
    const prev = this.rows.get(uuid);
    this.rows.delete(uuid);
    return prev;
  }

  /** Replaces every row (a rebuild after reconnecting), keeping known stats; returns the UUIDs that went away. */
  replaceAll(rows: readonly DomainSummary[]): string[] {
    const before = new Map(this.rows);
    this.rows.clear();
    for (const row of rows) {
      this.rows.set(row.uuid, carryOver(before.get(row.uuid), row));
      before.delete(row.uuid);
    }
    return [...before.keys()];
  }

  /**
   * The stats tick's values; domains without a sample (not running) get nulls. Rows are replaced, never mutated:
   * a row already sent in a delta stays as it was in the replay ring.
   */
  applyStats(samples: ReadonlyMap<string, StatsFields>): void {
    for (const [uuid, row] of this.rows) {
      const s = samples.get(uuid) ?? { cpuPercent: null, memoryUsedKiB: null };
      if (row.cpuPercent !== s.cpuPercent || row.memoryUsedKiB !== s.memoryUsedKiB) {
        this.rows.set(uuid, { ...row, cpuPercent: s.cpuPercent, memoryUsedKiB: s.memoryUsedKiB });
      }
    }
  }
}
