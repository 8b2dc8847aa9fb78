import type { DomainSummary } from '@vireo/api';
import { actionsFor, type ListAction } from './vm-logic.js';

/** The bulk lifecycle actions, in button order. */
export const BULK_ACTIONS = ['start', 'shutdown', 'destroy', 'suspend', 'resume'] as const satisfies readonly ListAction[];
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The selected domains (by uuid) that `action` applies to in their current state. */
export function bulkTargets(domains: readonly DomainSummary[], selected: ReadonlySet<string>, action: BulkAction): DomainSummary[] {
  return domains.filter((d) => selected.has(d.uuid) && actionsFor(d.state, 'operator').includes(action));
}

/** Drops uuids that are no longer in the list (a deleted VM cannot stay selected). */
export function pruneSelection(selected: ReadonlySet<string>, domains: readonly DomainSummary[]): ReadonlySet<string> {
  const present = new Set(domains.map((d) => d.uuid));
  let changed = false;
  const next = new Set<string>();
  for (const uuid of selected) {
    if (present.has(uuid)) next.add(uuid);
    else changed = true;
  }
  return changed ? next : selected;
}
