// PAM sign-in against real system accounts: throwaway users made with useradd, checked by pamtester through the
// host's PAM stack, their role taken from real group membership. It changes /etc/passwd, so it runs only where the
// test script owns the machine (VIREO_TEST_DAEMON_OWNED=1, as root), and always removes the accounts it made.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';

function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.some((dir) => {
    try {
      accessSync(path.join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missing = ['pamtester', 'useradd', 'userdel', 'chpasswd'].filter((t) => !onPath(t));
const skipReason =
  process.env.VIREO_TEST_DAEMON_OWNED !== '1'
    ? 'VIREO_TEST_DAEMON_OWNED is not 1: this test adds system accounts, only on a machine the test script owns'
    : process.getuid?.() !== 0
      ? 'not root: useradd and reading /etc/shadow need it'
      : missing.length > 0
        ? `missing ${missing.join(', ')}`
        : null;

const made: string[] = [];

function addAccount(groups: string[]): { name: string; password: string } {
  const name = `vireo-pam-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  // Recorded before useradd runs, so a half-made account is still removed.
  made.push(name);
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...(groups.length ? ['--groups', groups.join(',')] : []), name], {
    stdio: 'pipe',
  });
  execFileSync('chpasswd', [], { input: `${name}:${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  return { name, password };
}

function removeAccounts(): void {
  const failures: string[] = [];
  for (const name of made.splice(0)) {
    try {
      // Also removes the account's own group (USERGROUPS_ENAB) and its libvirt membership.
      execFileSync('userdel', [name], { stdio: 'pipe' });
    } catch (err) {
      // useradd may have failed before the account existed; anything else must be seen.
      const gone = (() => {
        try {
          execFileSync('getent', ['passwd', name], { stdio: 'pipe' });
          return false;
        } catch {
          return true;
        }
      })();
      if (!gone) failures.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`could not remove test accounts: ${failures.join('; ')}`);
}

describe.skipIf(skipReason !== null)(`PAM sign-in with real system accounts${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let h: Harness;
  let operator: { name: string; password: string };
  let outsider: { name: string; password: string };

  beforeAll(async () => {
    operator = addAccount(['libvirt']);
    outsider = addAccount([]);
    h = await startHarness({
      // The production default: service `vireo`, which PAM resolves to /etc/pam.d/other (common-auth, pam_unix)
      // when no /etc/pam.d/vireo exists; pam_unix needs no TTY, the password arrives on pamtester's stdin.
      // Plain HTTP on loopback: nothing here is about TLS, and it spares the certificate generation.
      config: { insecureHttp: true, pam: { service: 'vireo', adminGroups: ['sudo'], operatorGroups: ['libvirt'] } },
      // The harness keeps PAM out of app tests; undefined lets buildApp make its pamtester one from the config.
      deps: { pam: undefined },
    });
  });

  afterAll(async () => {
    try {
      await h?.close();
    } finally {
      removeAccounts();
    }
  });

  const signIn = (username: string, password: string, realm?: 'pam') =>
    h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password, ...(realm ? { realm } : {}) } });

  it('signs a libvirt member in as operator, with realm pam and without a realm', async () => {
    const res = await signIn(operator.name, operator.password, 'pam');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ user: { name: string; role: string } }>().user).toMatchObject({ name: operator.name, role: 'operator' });
    expect(h.services.users.get(operator.name)).toMatchObject({ realm: 'pam', passwordHash: null });
    // Without a realm the local users come first; this name is not one, so PAM answers.
    const again = await signIn(operator.name, operator.password);
    expect(again.statusCode, again.body).toBe(200);
  });

  it('answers 401 to a wrong password', async () => {
    const res = await signIn(operator.name, `${operator.password}x`, 'pam');
    expect(res.statusCode, res.body).toBe(401);
  });

  it('refuses an account in neither the admin nor the operator groups', async () => {
    const res = await signIn(outsider.name, outsider.password, 'pam');
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json<{ detail: string }>().detail).toMatch(/none of the groups/);
  });
});
