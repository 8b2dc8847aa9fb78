import { describe, expect, it } from 'vitest';
import type { PamAuthenticator, PamResult } from '../../../src/security/pam/pam-authenticator.js';
import { UnavailablePam } from '../../../src/security/pam/pam-authenticator.js';
import { login, startHarness } from '../../helpers/harness.js';

/** A PAM stack in memory: user -> [password, groups]. */
class FakePam implements PamAuthenticator {
  constructor(private readonly accounts: Record<string, [string, string[]]>) {}
  authenticate(user: string, password: string): Promise<PamResult> {
    const a = this.accounts[user];
    return Promise.resolve(a && a[0] === password ? { ok: true, groups: a[1] } : { ok: false, reason: 'invalid-credentials' });
  }
}

const PAM = new FakePam({
  root2: ['pw-root', ['root', 'sudo']],
  lib: ['pw-lib', ['users', 'libvirt']],
  nobody2: ['pw-nobody', ['users']],
  admin: ['system-admin-pw', ['sudo']],
});

describe('PAM sign-in', () => {
  it('maps sudo to admin and libvirt to operator, and records the account', async () => {
    const h = await startHarness({ deps: { pam: PAM } });
    try {
      expect((await login(h.app, 'root2', 'pw-root')).body.user).toMatchObject({ name: 'root2', role: 'admin' });
      expect((await login(h.app, 'lib', 'pw-lib')).body.user).toMatchObject({ name: 'lib', role: 'operator' });
      expect(h.services.users.get('lib')).toMatchObject({ realm: 'pam', passwordHash: null });
    } finally {
      await h.close();
    }
  });

  it('refuses an account in no mapped group, and a wrong password', async () => {
    const h = await startHarness({ deps: { pam: PAM } });
    try {
      const none = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'nobody2', password: 'pw-nobody' } });
      expect(none.statusCode).toBe(403);
      expect(none.json<{ detail: string }>().detail).toMatch(/none of the groups.*sudo, libvirt/);
      const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'lib', password: 'nope', realm: 'pam' } });
      expect(wrong.statusCode).toBe(401);
    } finally {
      await h.close();
    }
  });

  it('never lets a system account in under a local user name', async () => {
    const h = await startHarness({ deps: { pam: PAM } });
    try {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'admin', password: 'system-admin-pw', realm: 'pam' } });
      expect(res.statusCode).toBe(401);
    } finally {
      await h.close();
    }
  });

  it('says clearly when PAM is unavailable', async () => {
    const h = await startHarness({ deps: { pam: new UnavailablePam('PAM sign-in needs pamtester, which is not installed') } });
    try {
      const explicit = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'lib', password: 'pw-lib', realm: 'pam' } });
      expect(explicit.statusCode).toBe(503);
      expect(explicit.json()).toMatchObject({ title: 'PAM unavailable', detail: 'PAM sign-in needs pamtester, which is not installed' });
      const implicit = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'lib', password: 'pw-lib' } });
      expect(implicit.statusCode).toBe(401);
      expect(implicit.json<{ detail: string }>().detail).toMatch(/system accounts cannot sign in: .*pamtester/);
      // Local users are unaffected.
      await login(h.app, 'admin', 'correct horse battery staple');
    } finally {
      await h.close();
    }
  });
});
