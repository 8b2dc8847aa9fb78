import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, addUser, login, startHarness, type Harness, type SignedIn } from '../../helpers/harness.js';

let h: Harness;
let admin: SignedIn;
beforeEach(async () => {
  h = await startHarness();
  admin = await login(h.app, 'admin', ADMIN_PASSWORD);
});
afterEach(async () => {
  await h.close();
});

describe('users API (admin only)', () => {
  it('creates a local user with a one-time password by default', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { name: 'erin', role: 'operator', password: 'initial password 1' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'erin', realm: 'local', role: 'operator', mustChangePassword: true, disabled: false });
    expect(res.body).not.toMatch(/password_hash|passwordHash|argon2/);
    const erin = await login(h.app, 'erin', 'initial password 1');
    expect(erin.body.user.mustChangePassword).toBe(true);

    const list = await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: admin.cookie } });
    expect(list.json<{ users: { name: string }[] }>().users.map((u) => u.name)).toEqual(['admin', 'erin']);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { name: 'erin', role: 'viewer', password: 'initial password 1' } })).statusCode).toBe(409);
  });

  it('validates names, roles and passwords with the field and the reason', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { name: '-rf', role: 'root', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ errors: { field: string; reason: string }[] }>().errors.map((e) => e.field).sort();
    expect(fields).toEqual(['body.name', 'body.password', 'body.role']);
  });

  it('changes a role, resets a password (ending the sessions) and deletes', async () => {
    const pw = await addUser(h, 'frank', 'viewer');
    const frank = await login(h.app, 'frank', pw);
    const promote = await h.app.inject({ method: 'PATCH', url: '/api/v1/users/frank', headers: admin.headers, payload: { role: 'operator' } });
    expect(promote.json()).toMatchObject({ role: 'operator' });
    // The role applies to the existing session at once.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: frank.cookie } })).json()).toMatchObject({ user: { role: 'operator' } });

    const reset = await h.app.inject({ method: 'PATCH', url: '/api/v1/users/frank', headers: admin.headers, payload: { password: 'reset by admin 1' } });
    expect(reset.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: frank.cookie } })).statusCode).toBe(401);

    expect((await h.app.inject({ method: 'DELETE', url: '/api/v1/users/frank', headers: admin.headers })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/users/frank', headers: { cookie: admin.cookie } })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: '/api/v1/users/frank', headers: admin.headers })).statusCode).toBe(404);
  });

  it('never removes, demotes or disables the last active admin', async () => {
    for (const [method, payload] of [
      ['DELETE', undefined],
      ['PATCH', { role: 'operator' }],
      ['PATCH', { disabled: true }],
    ] as const) {
      const res = await h.app.inject({ method, url: '/api/v1/users/admin', headers: admin.headers, ...(payload && { payload }) });
      expect(res.statusCode).toBe(409);
      expect(res.json<{ detail: string }>().detail).toMatch(/last active admin/);
    }
    await addUser(h, 'second', 'admin');
    expect((await h.app.inject({ method: 'PATCH', url: '/api/v1/users/admin', headers: admin.headers, payload: { role: 'operator' } })).statusCode).toBe(200);
  });
});

describe('roles', () => {
  it('a viewer reads but changes nothing; an operator is no admin', async () => {
    const viewer = await login(h.app, 'vic', await addUser(h, 'vic', 'viewer'));
    const operator = await login(h.app, 'otto', await addUser(h, 'otto', 'operator'));
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: viewer.cookie } })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: operator.cookie } })).statusCode).toBe(403);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: viewer.headers,
      payload: { name: 'mallory', role: 'admin', password: 'initial password 1' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ detail: string }>().detail).toBe('this needs the admin role; vic is viewer');
    expect(h.services.users.get('mallory')).toBeNull();
  });
});
