import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { login, startHarness, tmpDir } from '../../helpers/harness.js';

describe('first-run admin', () => {
  it('uses VIREO_ADMIN_PASSWORD without forcing a change, and prints no password', async () => {
    const h = await startHarness({ config: { adminPassword: 'chosen by the operator' } });
    try {
      expect(h.bootstrap).toEqual({ created: true, name: 'admin', generatedPassword: null });
      expect(h.announced).toEqual([]);
      const s = await login(h.app, 'admin', 'chosen by the operator');
      expect(s.body.user).toMatchObject({ name: 'admin', role: 'admin', mustChangePassword: false });
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('otherwise generates a one-time password, prints it once and forces a change at first sign-in', async () => {
    const dataDir = tmpDir();
    const h = await startHarness({ dataDir, config: { adminPassword: null } });
    let generated: string;
    try {
      expect(h.bootstrap.created).toBe(true);
      generated = (h.bootstrap.created && h.bootstrap.generatedPassword) || '';
      expect(generated).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(h.announced).toHaveLength(1);
      expect(h.announced[0]).toContain(generated);
      // Printed to the announcement channel only, never to the structured log.
      expect(JSON.stringify(h.logs)).not.toContain(generated);

      const s = await login(h.app, 'admin', generated);
      expect(s.body.user.mustChangePassword).toBe(true);
      // Everything but the password change, who-am-I and sign-out is refused until then.
      const users = await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: s.cookie } });
      expect(users.statusCode).toBe(403);
      expect(users.json()).toMatchObject({ type: 'urn:vireo:problem:password-change-required' });
      const tokens = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: s.headers, payload: { name: 'x' } });
      expect(tokens.statusCode).toBe(403);
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode).toBe(200);

      const change = await h.app.inject({
        method: 'POST',
        url: '/api/v1/session/password',
        headers: s.headers,
        payload: { currentPassword: generated, newPassword: 'my own admin password' },
      });
      expect(change.statusCode).toBe(204);
      const after = await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: s.cookie } });
      expect(after.statusCode).toBe(200);
    } finally {
      await h.app.close();
    }

    // A restart on the same data dir creates nobody and prints nothing.
    const again = await startHarness({ dataDir, config: { adminPassword: null } });
    try {
      expect(again.bootstrap).toEqual({ created: false });
      expect(again.announced).toEqual([]);
      await login(again.app, 'admin', 'my own admin password');
    } finally {
      await again.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
