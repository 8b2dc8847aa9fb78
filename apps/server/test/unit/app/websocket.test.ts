import type { WebSocket } from '@fastify/websocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSocketRoute } from '../../../src/security/websocket.js';
import { ADMIN_PASSWORD, addUser, login, startHarness, type Harness, type SignedIn } from '../../helpers/harness.js';

let h: Harness;
let operator: SignedIn;
let viewer: SignedIn;
let OTTO_PASSWORD: string;
beforeAll(async () => {
  h = await startHarness({
    deps: {
      extraRoutes: [
        (app) =>
          registerSocketRoute(app, {
            url: '/api/v1/test/socket',
            role: 'operator',
            handler: (socket, _request, principal) => socket.send(`hello ${principal.user.name} via ${principal.method}`),
            revalidateMs: 25,
          }),
      ],
    },
  });
  OTTO_PASSWORD = await addUser(h, 'otto', 'operator');
  operator = await login(h.app, 'otto', OTTO_PASSWORD);
  viewer = await login(h.app, 'vic', await addUser(h, 'vic', 'viewer'));
});
afterAll(async () => {
  await h.close();
});

function firstMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
}

describe('authenticated WebSocket upgrades', () => {
  it('refuses an anonymous upgrade with 401 and a short role with 403', async () => {
    await expect(h.app.injectWS('/api/v1/test/socket')).rejects.toThrow(/401/);
    await expect(h.app.injectWS('/api/v1/test/socket', { headers: { cookie: viewer.cookie } })).rejects.toThrow(/403/);
  });

  it('refuses a foreign Origin even with a valid session (cross-site WebSocket hijacking)', async () => {
    await expect(
      h.app.injectWS('/api/v1/test/socket', { headers: { cookie: operator.cookie, origin: 'https://evil.example' } }),
    ).rejects.toThrow(/403/);
  });

  it('opens for the right role from the own origin, with the principal at hand', async () => {
    let message: Promise<string> | undefined;
    const ws = await h.app.injectWS(
      '/api/v1/test/socket',
      { headers: { cookie: operator.cookie, host: 'kvm1.lan', origin: 'https://kvm1.lan' } },
      { onInit: (socket) => void (message = firstMessage(socket)) },
    );
    await expect(message).resolves.toBe('hello otto via session');
    ws.terminate();
  });

  it('accepts a bearer token from scripts', async () => {
    const admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    const created = (await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin.headers, payload: { name: 'ws' } })).json<{ token: string }>();
    let message: Promise<string> | undefined;
    const ws = await h.app.injectWS(
      '/api/v1/test/socket',
      { headers: { authorization: `Bearer ${created.token}` } },
      { onInit: (socket) => void (message = firstMessage(socket)) },
    );
    await expect(message).resolves.toBe('hello admin via token');
    ws.terminate();
  });

  it('closes an open socket when its session is signed out or its token revoked', async () => {
    const session = await login(h.app, 'otto', OTTO_PASSWORD);
    const ws = await h.app.injectWS('/api/v1/test/socket', { headers: { cookie: session.cookie } });
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    expect((await h.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: session.headers })).statusCode).toBe(204);
    await expect(closed).resolves.toBe(1008);

    const admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    const created = (await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin.headers, payload: { name: 'ws2' } })).json<{ id: string; token: string }>();
    const tokenWs = await h.app.injectWS('/api/v1/test/socket', { headers: { authorization: `Bearer ${created.token}` } });
    const tokenClosed = new Promise<number>((resolve) => tokenWs.once('close', (code: number) => resolve(code)));
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, headers: admin.headers })).statusCode).toBe(204);
    await expect(tokenClosed).resolves.toBe(1008);
  });
});
