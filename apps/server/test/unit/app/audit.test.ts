import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, addUser, login, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

interface Entry {
  user: string | null;
  authMethod: string | null;
  method: string;
  route: string;
  target: string | null;
  status: number;
  requestId: string;
  sourceAddress: string;
  at: string;
}

async function auditLog(cookie: string, query = ''): Promise<{ entries: Entry[]; nextBefore: number | null }> {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1/audit${query}`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('audit log', () => {
  it('records every change with who, when, what, target and result; never reads', async () => {
    const failed = await h.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: '192.0.2.5', payload: { username: 'admin', password: 'wrong' } });
    const admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: admin.cookie } });
    h.clock.advance(1000);
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { name: 'gina', role: 'viewer', password: 'initial password 1' } });
    const patched = await h.app.inject({ method: 'PATCH', url: '/api/v1/users/gina', headers: admin.headers, payload: { role: 'operator' } });

    const { entries } = await auditLog(admin.cookie);
    expect(entries.map((e) => [e.method, e.route, e.user, e.target, e.status])).toEqual([
      ['PATCH', '/api/v1/users/:name', 'admin', 'name=gina', 200],
      ['POST', '/api/v1/users', 'admin', 'name=gina', 201],
      ['POST', '/api/v1/session', 'admin', 'user=admin', 200],
      ['POST', '/api/v1/session', null, 'user=admin', 401],
    ]);
    expect(entries[0]).toMatchObject({ authMethod: 'session', requestId: patched.headers['x-request-id'], sourceAddress: '127.0.0.1' });
    expect(entries[1]?.requestId).toBe(created.headers['x-request-id']);
    expect(entries[1]?.at).toBe(new Date(h.clock.now()).toISOString());
    expect(entries[3]).toMatchObject({ sourceAddress: '192.0.2.5', requestId: failed.headers['x-request-id'] });
    // No password ever reaches the log.
    expect(JSON.stringify(h.services.db.prepare('SELECT * FROM audit_log').all())).not.toMatch(/initial password|wrong|correct horse/);
  });

  it('records refused changes too', async () => {
    const viewer = await login(h.app, 'vic', await addUser(h, 'vic', 'viewer'));
    await h.app.inject({ method: 'DELETE', url: '/api/v1/users/admin', headers: viewer.headers });
    await h.app.inject({ method: 'DELETE', url: '/api/v1/users/admin' });
    const admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    const { entries } = await auditLog(admin.cookie, '?user=vic');
    expect(entries.map((e) => [e.method, e.route, e.target, e.status])).toEqual([
      ['DELETE', '/api/v1/users/:name', 'name=admin', 403],
      ['POST', '/api/v1/session', 'user=vic', 200],
    ]);
    const all = await auditLog(admin.cookie);
    expect(all.entries.some((e) => e.user === null && e.method === 'DELETE' && e.status === 401)).toBe(true);
  });

  it('is readable by admins only, a page at a time', async () => {
    const viewer = await login(h.app, 'vic', await addUser(h, 'vic', 'viewer'));
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: viewer.cookie } })).statusCode).toBe(403);
    const admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    const first = await auditLog(admin.cookie, '?limit=1');
    expect(first.entries).toHaveLength(1);
    expect(first.nextBefore).not.toBeNull();
    const second = await auditLog(admin.cookie, `?limit=1&before=${first.nextBefore}`);
    expect(second.entries[0]?.target).toBe('user=vic');
    expect(second.nextBefore).toBeNull();
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/audit?limit=0', headers: { cookie: admin.cookie } })).statusCode).toBe(400);
  });
});
