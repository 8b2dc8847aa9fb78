import type { HostHealth, HostHealthState } from '@vireo/api';

/** A host's connection health, as the host manager tracks it (times in ms; the API form has ISO dates). */
export interface HealthRecord {
  state: HostHealthState;
  since: number;
  lastError: string | null;
  attempts: number;
}

export function toApiHealth(h: HealthRecord): HostHealth {
  return { state: h.state, since: new Date(h.since).toISOString(), lastError: h.lastError, attempts: h.attempts };
}

/** One line for an error from opening or using a connection, without a stack. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
