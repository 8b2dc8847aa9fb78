// Walks every route the app registered (as its onRoute hook recorded them), so a route added later is
// covered without touching this file: anonymous callers get 401 everywhere but the public list, and a
// viewer gets 403 on every change except the few a user makes to their own account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../../src/security/auth-declaration.js';
import { ADMIN_PASSWORD, addUser, login, startHarness, type Harness, type SignedIn } from '../../helpers/harness.js';

/** Reachable without credentials, by design: sign-in, health, the API docs and the web app's files (GETs outside /api). */
function isPublic(r: RouteEntry): boolean {
  return (
    (r.method === 'POST' && r.url === '/api/v1/session') ||
    r.url === '/api/v1/health' ||
    r.url === '/api/docs' ||
    r.url.startsWith('/api/docs/') ||
    ((r.method === 'GET' || r.method === 'HEAD') && !r.url.startsWith('/api'))
  );
}

/** Changes a viewer may make, to their own account only. Everything else that changes state needs operator+. */
const VIEWER_SELF_SERVICE = new Set(['DELETE /api/v1/session', 'POST /api/v1/session/password', 'POST /api/v1/tokens', 'DELETE /api/v1/tokens/:id', 'PUT /api/v1/session/language']);

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A concrete URL for a route pattern: every parameter and wildcard filled with a plausible value. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, 'vireo-test-x').replace(/\*/g, 'x');
}

let h: Harness;
let viewer: SignedIn;
beforeAll(async () => {
  h = await startHarness();
  viewer = await login(h.app, 'vera', await addUser(h, 'vera', 'viewer'));
});
afterAll(async () => {
  await h.close();
});

describe('every registered route', () => {
  it('covers the routes the app registers', () => {
    const keys = new Set(h.routes.map((r) => `${r.method} ${r.url}`));
    for (const expected of ['POST /api/v1/session', 'GET /api/v1/users', 'PATCH /api/v1/users/:name', 'GET /api/v1/audit', 'HEAD /api/v1/users', 'GET /api/docs/json']) {
      expect(keys).toContain(expected);
    }
  });

  it('answers 401 without credentials, except the public ones', async () => {
    const failures: string[] = [];
    for (const r of h.routes) {
      const res = await h.app.inject({ method: r.method as 'GET', url: concrete(r.url), ...(SAFE.has(r.method) ? {} : { payload: {} }) });
      const expected = isPublic(r) ? 'not 401' : 401;
      if (isPublic(r) ? res.statusCode === 401 : res.statusCode !== 401) {
        failures.push(`${r.method} ${r.url}: got ${res.statusCode}, expected ${expected}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses WebSocket upgrades without credentials', async () => {
    for (const r of h.routes.filter((x) => x.websocket && !isPublic(x))) {
      await expect(h.app.injectWS(concrete(r.url))).rejects.toThrow(/Unexpected server response: 401/);
    }
  });

  it('answers 403 to a viewer on every change but their own account', async () => {
    const failures: string[] = [];
    const changes = h.routes.filter((r) => !SAFE.has(r.method) && !isPublic(r) && !VIEWER_SELF_SERVICE.has(`${r.method} ${r.url}`));
    expect(changes.length).toBeGreaterThanOrEqual(3);
    for (const r of changes) {
      const res = await h.app.inject({ method: r.method as 'POST', url: concrete(r.url), headers: viewer.headers, payload: {} });
      if (res.statusCode !== 403) failures.push(`${r.method} ${r.url}: got ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
    // The viewer's session survived all that (none of those routes ran).
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: viewer.cookie } })).statusCode).toBe(200);
  });

  it('lets an admin past the gate on every route (so the 401s and 403s above are the gate, not the route)', async () => {
    const admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    const failures: string[] = [];
    for (const r of h.routes.filter((x) => !isPublic(x) && !x.websocket && !(x.method === 'DELETE' && x.url === '/api/v1/session'))) {
      const res = await h.app.inject({ method: r.method as 'POST', url: concrete(r.url), headers: admin.headers, ...(SAFE.has(r.method) ? {} : { payload: {} }) });
      if (res.statusCode === 401 || res.statusCode === 403) failures.push(`${r.method} ${r.url}: got ${res.statusCode} ${res.body}`);
    }
    expect(failures).toEqual([]);
  });
});
