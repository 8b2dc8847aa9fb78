/**
 * What an error reported by spice-html5 means for the console session. Most end with a socket closing, and the
 * close code our proxy sent (ended, unavailable, bad ticket) says more than spice-html5's guess ("Unexpected
 * protocol mismatch." when the proxy refused before the link): those wait for the close. Errors on an open socket
 * end the session now, a refused password or a broken handshake for good (retrying would fail the same way).
 */
import { CloseCode } from './session.js';

export interface SpiceOutcome {
  /** Passed to the session as a socket close code: CloseCode.unavailable stops, anything else retries. */
  code: number;
  reason: string;
}

/** The close code of a connection lost without a close frame. */
export const CLOSE_LOST = 1006;

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'the connection failed';
}

/**
 * `socketClosed`: the channel's socket is already closed (the error comes from its close or error event, and its
 * close event, with the proxy's code, follows or is being handled).
 */
export function spiceErrorOutcome(error: unknown, socketClosed: boolean): SpiceOutcome | null {
  if (socketClosed) return null;
  const text = errorText(error);
  if (/permission denied/i.test(text)) return { code: CloseCode.unavailable, reason: 'the SPICE display refused the password' };
  if (/magic mismatch|link error|protocol mismatch/i.test(text)) return { code: CloseCode.unavailable, reason: `SPICE handshake failed: ${text}` };
  if (/timed out/i.test(text)) return { code: CLOSE_LOST, reason: 'the SPICE display did not answer in time' };
  return { code: CLOSE_LOST, reason: text };
}
