// The events channel's defences against clients that stop reading: a socket that no longer answers pings is
// terminated, and one that lets the server's send buffer grow past maxBufferedBytes is closed with 1013. Both over a
// real TLS listener on 127.0.0.1 with the `ws` client, since inject sockets have neither pings nor send buffers.
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventMessage } from '@vireo/api';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveOptions } from '../../../src/hosts/live-services.js';
import { ADMIN_PASSWORD, login, startHarness, type Harness, type SignedIn } from '../../helpers/harness.js';

let h: Harness | undefined;
const opened: WebSocket[] = [];
afterEach(async () => {
  for (const ws of opened.splice(0)) ws.terminate();
  await h?.close();
  h = undefined;
});

async function start(live: Partial<LiveOptions>): Promise<{ h: Harness; base: string; admin: SignedIn }> {
  const harness = await startHarness({ deps: { live } });
  h = harness;
  const admin = await login(harness.app, 'admin', ADMIN_PASSWORD);
  await harness.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = harness.app.server.address() as AddressInfo;
  return { h: harness, base: `wss://127.0.0.1:${port}`, admin };
}

interface Opened {
  ws: WebSocket;
  messages: EventMessage[];
  closed: Promise<{ code: number; at: number }>;
}

async function openEvents(base: string, user: SignedIn, options: { autoPong?: boolean } = {}): Promise<Opened> {
  const ws = new WebSocket(`${base}/api/v1/events`, {
    headers: { cookie: user.cookie, origin: base.replace(/^wss:/, 'https:') },
    rejectUnauthorized: false,
    autoPong: options.autoPong ?? true,
  });
  opened.push(ws);
  const messages: EventMessage[] = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as EventMessage));
  const closed = new Promise<{ code: number; at: number }>((resolve) => ws.once('close', (code) => resolve({ code, at: Date.now() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed };
}

/** Polls `check` every turn of the event loop until it holds or the deadline passes. */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('events sockets and clients that stop reading', () => {
  it('terminates a client that stops answering pings within about two heartbeats, and keeps one that answers', async () => {
    const heartbeatMs = 300;
    const { h, base, admin } = await start({ heartbeatMs });
    const live = await openEvents(base, admin);
    const dead = await openEvents(base, admin, { autoPong: false });
    const openedAt = Date.now();
    await until(() => h.services.eventSockets.count === 2, 2000, 'both sockets to be attached');

    // The first beat after the attach marks the client and pings it; the next one finds no pong and terminates.
    const { code, at } = await within(dead.closed, 10 * heartbeatMs, 'the silent client to be dropped');
    expect(code).toBe(1006); // terminate(): no close frame, the TCP connection is simply cut
    // Two heartbeat periods plus scheduling slack, short of a third (which would mean the check is off by one).
    expect(at - openedAt).toBeLessThan(2.8 * heartbeatMs);
    expect(dead.messages.filter((m) => m.type === 'heartbeat').length).toBeLessThanOrEqual(2);
    await until(() => h.services.eventSockets.count === 1, 2000, 'the server to forget the dropped socket');

    // The answering client is still there several beats later.
    const beats = live.messages.filter((m) => m.type === 'heartbeat').length;
    await until(() => live.messages.filter((m) => m.type === 'heartbeat').length >= beats + 3, 20 * heartbeatMs, 'three more heartbeats');
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a client whose send buffer passes maxBufferedBytes with 1013, so it reconnects with ?since=', async () => {
    const maxBufferedBytes = 256 * 1024;
    const { h, base, admin } = await start({ maxBufferedBytes });
    const slow = await openEvents(base, admin);
    await until(() => slow.messages.some((m) => m.type === 'snapshot'), 2000, 'the snapshot');
    // The client stops reading: the kernel's socket buffers fill, then the server's own queue grows.
    slow.ws.pause();

    const serverSide = (): WebSocket | undefined => [...h.app.websocketServer.clients][0];
    const name = 'x'.repeat(16 * 1024);
    const deadline = Date.now() + 15_000;
    let published = 0;
    // Bursts of deltas with a turn of the event loop between them, so the writes reach the socket and fill it.
    while (serverSide()?.readyState === WebSocket.OPEN) {
      if (Date.now() > deadline) throw new Error(`the slow client was not closed after ${published} deltas`);
      for (let i = 0; i < 64; i++) {
        h.services.events.publish({ type: 'domain.removed', host: 'local', uuid: `00000000-0000-4000-8000-${String(published).padStart(12, '0')}`, name });
        published += 1;
      }
      await nextTurn();
    }

    // Reading again, the client drains what was queued and then gets the close frame.
    slow.ws.resume();
    const { code } = await within(slow.closed, 15_000, 'the close frame');
    expect(code).toBe(1013);
    await until(() => h.services.eventSockets.count === 0, 5000, 'the server to forget the closed socket');
    // It was cut for being slow, not before the buffer passed the limit: at least that much had been sent its way.
    expect(published * name.length).toBeGreaterThan(maxBufferedBytes);
  }, 30_000);
});
