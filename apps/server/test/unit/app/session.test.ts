import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, addUser, cookieFrom, login, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('sign-in and sign-out', () => {
  it('sets a hardened session cookie and returns the user and a CSRF token', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { name: 'admin', role: 'admin', realm: 'local', mustChangePassword: false, language: null },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
    });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-vireo_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Domain=');
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'admin', password: 'nope' } });
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'nobody', password: 'nope' } });
    const unknownLocal = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'nobody', password: 'nope', realm: 'local' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknownLocal.statusCode).toBe(401);
    expect(unknownLocal.json<{ detail: string }>().detail).toBe(wrong.json<{ detail: string }>().detail);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // Without a realm, an unknown name goes to PAM (absent here): still a 401, with the reason.
    expect(unknown.statusCode).toBe(401);
  });

  it('reports who is signed in, and signs out on the server', async () => {
    const s = await login(h.app, 'admin', ADMIN_PASSWORD);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { name: 'admin', role: 'admin' }, authMethod: 'session', csrfToken: s.csrf });

    const out = await h.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: s.headers });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/__Host-vireo_session=;/);
    // The old cookie value is dead even if a client keeps sending it.
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('replaces the previous session of the browser at sign-in', async () => {
    const first = await login(h.app, 'admin', ADMIN_PASSWORD);
    const second = await login(h.app, 'admin', ADMIN_PASSWORD, { cookie: first.cookie });
    expect(second.cookie).not.toBe(first.cookie);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: first.cookie } })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: second.cookie } })).statusCode).toBe(200);
  });

  it('keeps the browser signed in when a sign-in from it fails', async () => {
    const current = await login(h.app, 'admin', ADMIN_PASSWORD);
    const failed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie: current.cookie },
      payload: { username: 'admin', password: 'not the password' },
    });
    expect(failed.statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: current.cookie } })).statusCode).toBe(200);
  });
});

describe('interface language', () => {
  it('is remembered per user, for every session of theirs, and refused when unknown', async () => {
    const viewer = await login(h.app, 'vic', await addUser(h, 'vic', 'viewer'));
    const set = await h.app.inject({ method: 'PUT', url: '/api/v1/session/language', headers: viewer.headers, payload: { language: 'zh-CN' } });
    expect(set.statusCode).toBe(204);
    // A new sign-in (another browser) gets it with the user; the admin's choice is their own.
    const again = await login(h.app, 'vic', 'vic-password-123');
    expect(again.body.user).toMatchObject({ name: 'vic', language: 'zh-CN' });
    const whoami = await h.app.inject({ url: '/api/v1/session', headers: { cookie: again.cookie } });
    expect(whoami.json<{ user: { language: string } }>().user.language).toBe('zh-CN');
    expect((await login(h.app, 'admin', ADMIN_PASSWORD)).body.user).toMatchObject({ language: null });
    const bad = await h.app.inject({ method: 'PUT', url: '/api/v1/session/language', headers: viewer.headers, payload: { language: 'xx' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('body.language');
    const anonymous = await h.app.inject({ method: 'PUT', url: '/api/v1/session/language', payload: { language: 'en' } });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('session expiry', () => {
  it('ends a session left idle past the idle timeout, and not before', async () => {
    const s = await login(h.app, 'admin', ADMIN_PASSWORD);
    h.clock.advance(30 * 60_000 - 1);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    // That request counted as use: the idle clock restarted.
    h.clock.advance(30 * 60_000 - 1);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    h.clock.advance(30 * 60_000);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('ends even a busy session at the absolute timeout', async () => {
    const s = await login(h.app, 'admin', ADMIN_PASSWORD);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } });
    expect(me.json<{ expiresAt: string }>().expiresAt).toBe(new Date(h.clock.now() + 12 * 3600_000).toISOString());
    for (let elapsed = 0; elapsed < 12 * 3600_000 - 20 * 60_000; elapsed += 20 * 60_000) {
      h.clock.advance(20 * 60_000);
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    }
    h.clock.advance(20 * 60_000);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('prunes expired sessions from the database', async () => {
    await login(h.app, 'admin', ADMIN_PASSWORD);
    h.clock.advance(31 * 60_000);
    expect(h.services.sessions.prune()).toBe(1);
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated change without the token or with a wrong one', async () => {
    const s = await login(h.app, 'admin', ADMIN_PASSWORD);
    const payload = { name: 'ci' };
    const missing = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: s.cookie }, payload });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ type: 'urn:vireo:problem:csrf' });
    const other = await login(h.app, 'admin', ADMIN_PASSWORD);
    const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: s.cookie, 'x-csrf-token': other.csrf }, payload });
    expect(wrong.statusCode).toBe(403);
    const right = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: s.headers, payload });
    expect(right.statusCode).toBe(201);
  });

  it('is not needed for reads, nor with a bearer token', async () => {
    const s = await login(h.app, 'admin', ADMIN_PASSWORD);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    const created = (await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: s.headers, payload: { name: 'ci' } })).json<{ token: string }>();
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { authorization: `Bearer ${created.token}` }, payload: { name: 'ci2' } });
    expect(res.statusCode).toBe(201);
  });
});

describe('Origin check', () => {
  it('refuses a change from a foreign origin, even with valid credentials', async () => {
    const s = await login(h.app, 'admin', ADMIN_PASSWORD);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { ...s.headers, origin: 'https://evil.example' }, payload: { name: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ type: 'urn:vireo:problem:origin' });
    const nullOrigin = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { ...s.headers, origin: 'null' }, payload: { name: 'x' } });
    expect(nullOrigin.statusCode).toBe(403);
  });

  it('guards sign-in too (login CSRF)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { origin: 'https://evil.example' },
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(res.statusCode).toBe(403);
  });

  it("accepts the request's own origin and no Origin at all", async () => {
    const s = await login(h.app, 'admin', ADMIN_PASSWORD);
    const own = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...s.headers, host: 'kvm1.lan:8443', origin: 'https://kvm1.lan:8443' },
      payload: { name: 'x' },
    });
    expect(own.statusCode).toBe(201);
    // The scheme is part of the origin: the server is HTTPS.
    const http = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...s.headers, host: 'kvm1.lan:8443', origin: 'http://kvm1.lan:8443' },
      payload: { name: 'x' },
    });
    expect(http.statusCode).toBe(403);
  });

  it('ignores reads', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/health', headers: { origin: 'https://evil.example' } });
    expect(res.statusCode).toBe(200);
  });
});

describe('Origin behind a proxy', () => {
  it('accepts VIREO_PUBLIC_URL and forwarded headers from trusted proxies only', async () => {
    const proxied = await startHarness({ config: { publicOrigin: 'https://vireo.example.org', trustedProxies: ['127.0.0.1'] } });
    try {
      const s = await login(proxied.app, 'admin', ADMIN_PASSWORD);
      const post = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
        proxied.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { ...s.headers, ...headers }, remoteAddress, payload: { name: 'x' } });

      expect((await post({ origin: 'https://vireo.example.org' })).statusCode).toBe(201);
      // What the trusted proxy says the client reached.
      expect((await post({ origin: 'https://alias.example.org', 'x-forwarded-host': 'alias.example.org', 'x-forwarded-proto': 'https' })).statusCode).toBe(201);
      // The same headers from an untrusted peer are not believed.
      expect(
        (await post({ origin: 'https://alias.example.org', 'x-forwarded-host': 'alias.example.org', 'x-forwarded-proto': 'https' }, '192.0.2.9')).statusCode,
      ).toBe(403);
    } finally {
      await proxied.close();
    }
  });
});

describe('password change', () => {
  it('changes the password, keeps this session and ends the others', async () => {
    const password = await addUser(h, 'carol', 'operator');
    const a = await login(h.app, 'carol', password);
    const b = await login(h.app, 'carol', password);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: a.headers,
      payload: { currentPassword: password, newPassword: 'a brand new password' },
    });
    expect(res.statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: a.cookie } })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.cookie } })).statusCode).toBe(401);
    await expect(login(h.app, 'carol', password)).rejects.toThrow(/401/);
    await login(h.app, 'carol', 'a brand new password');
  });

  it('refuses a wrong current password and a short new one', async () => {
    const s = await login(h.app, 'admin', ADMIN_PASSWORD);
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: s.headers,
      payload: { currentPassword: 'not it', newPassword: 'a brand new password' },
    });
    expect(wrong.statusCode).toBe(401);
    const short = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: s.headers,
      payload: { currentPassword: ADMIN_PASSWORD, newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('body.newPassword');
  });
});

it('cookieFrom reads the first Set-Cookie', async () => {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'admin', password: ADMIN_PASSWORD } });
  expect(cookieFrom(res)).toMatch(/^__Host-vireo_session=/);
});
