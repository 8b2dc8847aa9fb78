/** The outcome of a PAM sign-in attempt. */
export type PamResult =
  | { ok: true; groups: string[] }
  | { ok: false; reason: 'invalid-credentials' }
  | { ok: false; reason: 'unavailable'; message: string };

/**
 * System-account sign-in. The implementation runs a host tool; it is an interface so it can later move behind
 * the privileged helper (and so tests need no PAM stack).
 */
export interface PamAuthenticator {
  authenticate(userName: string, password: string): Promise<PamResult>;
}

/** Used when PAM is switched off, and by tests of that path. */
export class UnavailablePam implements PamAuthenticator {
  constructor(private readonly message: string) {}
  authenticate(): Promise<PamResult> {
    return Promise.resolve({ ok: false, reason: 'unavailable', message: this.message });
  }
}
