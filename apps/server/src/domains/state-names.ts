import type { DomainStateName } from '@vireo/api';
import { DomainEventDetail, DomainEventType, domainStateName } from '@vireo/libvirt';

/**
 * Reason names per state (virDomain*Reason in libvirt-domain.h), indexed by the reason number. Lower-case and
 * hyphenated; libvirt adds reasons over time, so an unknown number reads `unknown(N)`.
 */
const REASONS: Readonly<Record<DomainStateName, readonly string[]>> = {
  nostate: ['unknown'],
  running: [
    'unknown', 'booted', 'migrated', 'restored', 'from-snapshot', 'unpaused', 'migration-canceled', 'save-canceled',
    'wakeup', 'crashed', 'postcopy', 'postcopy-failed',
  ],
  blocked: ['unknown'],
  paused: [
    'unknown', 'user', 'migration', 'save', 'dump', 'ioerror', 'watchdog', 'from-snapshot', 'shutting-down', 'snapshot',
    'crashed', 'starting-up', 'postcopy', 'postcopy-failed', 'api-error',
  ],
  shutdown: ['unknown', 'user'],
  shutoff: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from-snapshot', 'daemon'],
  crashed: ['unknown', 'panicked'],
  pmsuspended: ['unknown'],
};

const STATE_NAMES: ReadonlySet<string> = new Set(Object.keys(REASONS));

export function stateName(state: number): DomainStateName {
  const name = domainStateName(state);
  return STATE_NAMES.has(name) ? (name as DomainStateName) : 'nostate';
}

export function reasonName(state: DomainStateName, reason: number): string {
  return REASONS[state][reason] ?? `unknown(${reason})`;
}

/** The state a lifecycle event leaves the domain in, so a delta goes out before any libvirt call is made. */
export interface EventState {
  state: DomainStateName;
  reason: string;
  /** False when the domain no longer runs (its id goes). */
  active: boolean;
}

const D = DomainEventDetail;
type DetailMap = Readonly<Record<number, string>>;

const STARTED: DetailMap = {
  [D.STARTED.BOOTED]: 'booted',
  [D.STARTED.MIGRATED]: 'migrated',
  [D.STARTED.RESTORED]: 'restored',
  [D.STARTED.FROM_SNAPSHOT]: 'from-snapshot',
  [D.STARTED.WAKEUP]: 'wakeup',
};
const SUSPENDED: DetailMap = {
  [D.SUSPENDED.PAUSED]: 'user',
  [D.SUSPENDED.MIGRATED]: 'migration',
  [D.SUSPENDED.IOERROR]: 'ioerror',
  [D.SUSPENDED.WATCHDOG]: 'watchdog',
  [D.SUSPENDED.FROM_SNAPSHOT]: 'from-snapshot',
  [D.SUSPENDED.API_ERROR]: 'api-error',
  [D.SUSPENDED.POSTCOPY]: 'postcopy',
  [D.SUSPENDED.POSTCOPY_FAILED]: 'postcopy-failed',
};
const RESUMED: DetailMap = {
  [D.RESUMED.UNPAUSED]: 'unpaused',
  [D.RESUMED.MIGRATED]: 'migrated',
  [D.RESUMED.FROM_SNAPSHOT]: 'from-snapshot',
  [D.RESUMED.POSTCOPY]: 'postcopy',
  [D.RESUMED.POSTCOPY_FAILED]: 'postcopy-failed',
};
const STOPPED: DetailMap = {
  [D.STOPPED.SHUTDOWN]: 'shutdown',
  [D.STOPPED.DESTROYED]: 'destroyed',
  [D.STOPPED.CRASHED]: 'crashed',
  [D.STOPPED.MIGRATED]: 'migrated',
  [D.STOPPED.SAVED]: 'saved',
  [D.STOPPED.FAILED]: 'failed',
  [D.STOPPED.FROM_SNAPSHOT]: 'from-snapshot',
};

/** The state after a lifecycle event, or null for events that do not change it (defined, undefined). */
export function stateAfterLifecycle(event: number, detail: number): EventState | null {
  switch (event) {
    case DomainEventType.STARTED:
      return { state: 'running', reason: STARTED[detail] ?? 'unknown', active: true };
    case DomainEventType.SUSPENDED:
      return { state: 'paused', reason: SUSPENDED[detail] ?? 'unknown', active: true };
    case DomainEventType.RESUMED:
      return { state: 'running', reason: RESUMED[detail] ?? 'unknown', active: true };
    case DomainEventType.STOPPED:
      return { state: 'shutoff', reason: STOPPED[detail] ?? 'unknown', active: false };
    case DomainEventType.SHUTDOWN:
      return { state: 'shutdown', reason: 'user', active: true };
    case DomainEventType.PMSUSPENDED:
      return { state: 'pmsuspended', reason: 'unknown', active: true };
    case DomainEventType.CRASHED:
      return { state: 'crashed', reason: detail === D.CRASHED.PANICKED ? 'panicked' : 'unknown', active: true };
    default:
      return null;
  }
}
