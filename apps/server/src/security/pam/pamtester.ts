import { execFile, spawn } from 'node:child_process';
import type { PamAuthenticator, PamResult } from './pam-authenticator.js';

export interface PamtesterOptions {
  /** PAM service (`/etc/pam.d/<service>`; PAM falls back to `other`). */
  service: string;
  /** The pamtester binary; found on PATH by default. */
  pamtester?: string;
  /** `id`, used for the account's groups. */
  id?: string;
  timeoutMs?: number;
}

// Names reach argv (never a shell); this still keeps option-like and odd names away from the tools.
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/**
 * PAM through Debian's `pamtester`: `pamtester <service> <user> authenticate` reads the password on stdin
 * and exits 0 when PAM accepts it. Groups come from `id -Gn`, which goes through NSS (so LDAP/SSSD too).
 */
export class PamtesterAuthenticator implements PamAuthenticator {
  private readonly pamtester: string;
  private readonly id: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: PamtesterOptions) {
    this.pamtester = options.pamtester ?? 'pamtester';
    this.id = options.id ?? 'id';
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async authenticate(userName: string, password: string): Promise<PamResult> {
    if (!SAFE_NAME.test(userName) || password.includes('\n')) return { ok: false, reason: 'invalid-credentials' };
    const exit = await this.runPamtester(userName, password);
    if (exit.kind === 'missing') {
      return { ok: false, reason: 'unavailable', message: 'PAM sign-in needs pamtester, which is not installed (apt-get install pamtester)' };
    }
    if (exit.kind === 'failed') return { ok: false, reason: 'unavailable', message: `PAM sign-in failed to run: ${exit.message}` };
    if (exit.code !== 0) return { ok: false, reason: 'invalid-credentials' };
    const groups = await this.groupsOf(userName);
    return { ok: true, groups };
  }

  private runPamtester(
    userName: string,
    password: string,
  ): Promise<{ kind: 'exit'; code: number | null } | { kind: 'missing' } | { kind: 'failed'; message: string }> {
    return new Promise((resolve) => {
      const child = spawn(this.pamtester, [this.options.service, userName, 'authenticate'], {
        stdio: ['pipe', 'ignore', 'ignore'],
        timeout: this.timeoutMs,
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' },
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        resolve(err.code === 'ENOENT' ? { kind: 'missing' } : { kind: 'failed', message: err.message });
      });
      child.on('close', (code) => resolve({ kind: 'exit', code }));
      // pamtester may exit before reading (unknown service); a broken pipe then is not our failure.
      child.stdin.on('error', () => undefined);
      child.stdin.end(`${password}\n`);
    });
  }

  private groupsOf(userName: string): Promise<string[]> {
    return new Promise((resolve) => {
      execFile(this.id, ['-Gn', '--', userName], { timeout: this.timeoutMs }, (err, stdout) => {
        resolve(err ? [] : stdout.trim().split(/\s+/).filter((g) => g !== ''));
      });
    });
  }
}
