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

async function createToken(s: SignedIn, payload: Record<string, unknown>) {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: s.headers, payload });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string; token: string; name: string; expiresAt: string | null }>();
}

describe('API tokens', () => {
  it('are shown once, listed without their secret, and authenticate as their user', async () => {
    const created = await createToken(admin, { name: 'backup script' });
    expect(created.token).toMatch(/^vireo_[A-Za-z0-9-]{16}_[A-Za-z0-9_-]{43}$/);

    const list = await h.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: admin.cookie } });
    expect(list.json()).toEqual({
      tokens: [{ id: created.id, name: 'backup script', createdAt: expect.any(String) as unknown, lastUsedAt: null, expiresAt: null }],
    });
    // The secret is everything after `vireo_<id>_` (base64url: it may itself hold or start with '_').
    const secret = created.token.slice('vireo_'.length + created.id.length + 1);
    expect(secret).toHaveLength(43);
    expect(list.body).not.toContain(secret);
    // Only a hash is stored.
    const row = h.services.db.prepare('SELECT secret_hash FROM api_tokens').get() as { secret_hash: string };
    expect(created.token).not.toContain(row.secret_hash);

    const me = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${created.token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ user: { name: 'admin', role: 'admin', realm: 'local', mustChangePassword: false, language: null }, authMethod: 'token' });
    const users = await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${created.token}` } });
    expect(users.statusCode).toBe(200);
  });

  it('stop working when revoked', async () => {
    const created = await createToken(admin, { name: 'ci' });
    const auth = { authorization: `Bearer ${created.token}` };
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: auth })).statusCode).toBe(200);
    const revoke = await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, headers: admin.headers });
    expect(revoke.statusCode).toBe(204);
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(after.json<{ detail: string }>().detail).toMatch(/invalid, expired or revoked/);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, headers: admin.headers })).statusCode).toBe(404);
  });

  it('expire after their lifetime', async () => {
    const created = await createToken(admin, { name: 'short', expiresInDays: 1 });
    const auth = { authorization: `Bearer ${created.token}` };
    h.clock.advance(86_400_000 - 1);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: auth })).statusCode).toBe(200);
    h.clock.advance(1);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: auth })).statusCode).toBe(401);
  });

  it('belong to their user: others can neither list nor revoke them', async () => {
    const created = await createToken(admin, { name: 'mine' });
    const pw = await addUser(h, 'olive', 'operator');
    const olive = await login(h.app, 'olive', pw);
    const list = await h.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: olive.cookie } });
    expect(list.json()).toEqual({ tokens: [] });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, headers: olive.headers })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${created.token}` } })).statusCode).toBe(200);
  });

  it('refuse a forged or tampered token, and never fall back to the cookie', async () => {
    const created = await createToken(admin, { name: 'x' });
    const tampered = `${created.token.slice(0, -1)}${created.token.endsWith('A') ? 'B' : 'A'}`;
    for (const value of [`Bearer ${tampered}`, 'Bearer vireo_nope', 'Basic YWRtaW46eA==']) {
      const res = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: value, cookie: admin.cookie } });
      expect(res.statusCode).toBe(401);
    }
  });

  it('die with their user, and with a disabled one', async () => {
    const pw = await addUser(h, 'dave', 'operator');
    const dave = await login(h.app, 'dave', pw);
    const created = await createToken(dave, { name: 'x' });
    const auth = { authorization: `Bearer ${created.token}` };
    const disable = await h.app.inject({ method: 'PATCH', url: '/api/v1/users/dave', headers: admin.headers, payload: { disabled: true } });
    expect(disable.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: auth })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: dave.cookie } })).statusCode).toBe(401);
  });
});
