// A Vireo server on the real libvirtd (the test daemon of scripts/libvirt-daemons.sh), signed-in users of each role,
// and a WebSocket client of the events channel over a real TLS socket.
import type { AddressInfo } from 'node:net';
import type { EventMessage } from '@vireo/api';
import WebSocket from 'ws';
import type { Config } from '../../../src/config/config.js';
import type { LiveOptions } from '../../../src/hosts/live-services.js';
import { ADMIN_PASSWORD, addUser, login, startHarness, type Harness, type SignedIn } from '../../helpers/harness.js';
import { LIBVIRT_URI, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';

export interface LiveHarness extends Harness {
  admin: SignedIn;
  operator: SignedIn;
  viewer: SignedIn;
}

/** Short intervals so ticks, heartbeats and reconnects happen within a test's patience. */
export const FAST_LIVE: Partial<LiveOptions> = {
  statsIntervalMs: 300,
  heartbeatMs: 500,
  backoff: { initialMs: 100, maxMs: 800, factor: 2, jitter: 0 },
  downAfterAttempts: 20,
  keepalive: { intervalMs: 500, count: 4 },
  connectTimeoutMs: 3000,
};

export async function startLive(live: Partial<LiveOptions> = {}, config: Partial<Config> = {}): Promise<LiveHarness> {
  const h = await startHarness({ config: { libvirtUri: LIBVIRT_URI, ...config }, deps: { live: { ...FAST_LIVE, ...live } } });
  const admin = await login(h.app, 'admin', ADMIN_PASSWORD);
  const operator = await login(h.app, 'otto', await addUser(h, 'otto', 'operator'));
  const viewer = await login(h.app, 'vic', await addUser(h, 'vic', 'viewer'));
  await waitFor(() => (h.services.hosts.get('local').connected ? true : undefined), 20_000, 'the local host to connect');
  return { ...h, admin, operator, viewer };
}

/** Listens on 127.0.0.1 on a free port; returns the base URL (https, the test certificate). */
export async function listen(h: Harness): Promise<string> {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = h.app.server.address() as AddressInfo;
  return `wss://127.0.0.1:${port}`;
}

/** An events socket that records every message in arrival order. */
export class EventsClient {
  readonly messages: EventMessage[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString('utf8')) as EventMessage);
      for (const w of [...this.waiters]) w();
    });
  }

  static open(base: string, user: SignedIn, query = ''): Promise<EventsClient> {
    const origin = base.replace(/^wss:/, 'https:');
    const ws = new WebSocket(`${base}/api/v1/events${query}`, { headers: { cookie: user.cookie, origin }, rejectUnauthorized: false });
    const client = new EventsClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  /** Resolves with the first message (from `from` on) that matches, or rejects at the deadline. */
  waitFor<T extends EventMessage>(match: (m: EventMessage) => m is T, timeoutMs: number, what: string, from?: number): Promise<T>;
  waitFor(match: (m: EventMessage) => boolean, timeoutMs: number, what: string, from?: number): Promise<EventMessage>;
  waitFor(match: (m: EventMessage) => boolean, timeoutMs: number, what: string, from = 0): Promise<EventMessage> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.messages.slice(from).find(match);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters.delete(onMessage);
        resolve(found);
        return true;
      };
      const onMessage = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(onMessage);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.messages.map((m) => m.type).join(', ')}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(onMessage);
    });
  }

  /** The highest delta seq applied (what a client would reconnect with). */
  get lastSeq(): number {
    return this.messages.reduce((max, m) => Math.max(max, m.seq), 0);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** What a client holds: domains by host and UUID, patched by deltas as the web app's query cache would be. */
export type ClientState = Map<string, Map<string, Record<string, unknown>>>;

/** Applies one message to a client's state; stats fields are left out (they are not deltas). */
export function applyMessage(state: ClientState, m: EventMessage): void {
  const strip = (d: Record<string, unknown>) => {
    const { cpuPercent: _c, memoryUsedKiB: _m, ...rest } = d;
    return rest;
  };
  switch (m.type) {
    case 'snapshot':
    case 'resync':
      state.clear();
      for (const host of m.hosts) state.set(host.id, new Map(host.domains.map((d) => [d.uuid, strip(d)])));
      break;
    case 'domain.updated':
      state.get(m.host)?.set(m.domain.uuid, strip(m.domain));
      break;
    case 'domain.removed':
      state.get(m.host)?.delete(m.uuid);
      break;
    default:
      break;
  }
}

export function stateOf(messages: readonly EventMessage[]): ClientState {
  const state: ClientState = new Map();
  for (const m of messages) applyMessage(state, m);
  return state;
}
