// The host manager's reconnection against a canned-reply daemon: health transitions, backoff, fast 503s, setups.
import type { Transport } from '@vireo/libvirt';
import { afterEach, describe, expect, it } from 'vitest';
import { remoteProcedures as P } from '../../../../../packages/libvirt/src/procedures/remote.js';
import { MockDaemon, reply, waitUntil } from '../../../../../packages/libvirt/test/support/mock-daemon.js';
import { HttpProblem } from '../../../src/errors/http-problem.js';
import { LocalHostAccess } from '../../../src/host-access/local-host-access.js';
import type { HealthRecord } from '../../../src/hosts/host-health.js';
import { ManagedHost, type ConnectionSetup } from '../../../src/hosts/managed-host.js';

const daemons: MockDaemon[] = [];
const hosts: ManagedHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of daemons.splice(0)) await d.close();
});

function daemon(): MockDaemon {
  const d = new MockDaemon();
  daemons.push(d);
  d.handle(P.authList.number, reply.ok(P.authList.ret, { types: [0] }));
  d.handle(P.connectSupportsFeature.number, reply.ok(P.connectSupportsFeature.ret, { supported: 1 }));
  d.handle(P.connectOpen.number, reply.ok(P.connectOpen.ret, undefined));
  d.handle(P.connectClose.number, reply.ok(P.connectClose.ret, undefined));
  d.handle(P.connectGetHostname.number, reply.ok(P.connectGetHostname.ret, { hostname: 'mock' }));
  return d;
}

/** The daemon's transport, refusing to connect while `down` says so (a daemon that is not running). */
function switchable(d: MockDaemon): { transport: Transport; down: boolean; attempts: number } {
  const state = {
    down: false,
    attempts: 0,
    transport: {
      description: 'mock:switchable',
      connect: async () => {
        state.attempts += 1;
        if (state.down) throw new Error('connect ENOENT /var/run/libvirt/libvirt-sock');
        return (await d.connect('unix')).socket;
      },
    } satisfies Transport,
  };
  return state;
}

function managed(transport: Transport, setups: ConnectionSetup[] = [], downAfterAttempts = 3): { host: ManagedHost; health: HealthRecord[] } {
  const host = new ManagedHost('local', 'qemu:///system?keyfile=/secret', new LocalHostAccess(), {
    backoff: { initialMs: 10, maxMs: 40, factor: 2, jitter: 0 },
    downAfterAttempts,
    open: { transport, keepalive: false, connectTimeoutMs: 1000 },
  });
  hosts.push(host);
  for (const s of setups) host.addSetup(s);
  const health: HealthRecord[] = [];
  host.on('health', (h) => health.push(h));
  return { host, health };
}

describe('ManagedHost', () => {
  it('connects in the background, runs the setups on the connection, then reports connected', async () => {
    const d = daemon();
    const sw = switchable(d);
    const seen: string[] = [];
    const { host, health } = managed(sw.transport, [
      async (conn) => {
        seen.push(`setup ${(await conn.connectGetHostname(undefined)).hostname}`);
      },
    ]);
    host.on('connected', () => seen.push('connected'));
    expect(host.health.state).toBe('reconnecting');
    expect(host.displayUri).toBe('qemu:///system');
    host.start();
    await waitUntil(() => host.connected, { what: 'connected' });
    expect(seen).toEqual(['setup mock', 'connected']);
    expect(health.map((h) => h.state)).toEqual(['connected']);
    expect((await host.connection().connectGetHostname(undefined)).hostname).toBe('mock');
  });

  it('fails fast with 503 while not connected, reconnects when the daemon drops it', async () => {
    const d = daemon();
    const sw = switchable(d);
    const { host, health } = managed(sw.transport);
    host.start();
    await waitUntil(() => host.connected, { what: 'connected' });
    const disconnected = new Promise((resolve) => host.once('disconnected', resolve));
    sw.down = true;
    d.connections[0]!.destroy();
    await disconnected;
    expect(host.health.state).toBe('reconnecting');
    expect(host.health.lastError).toMatch(/closed/);
    const err = (() => {
      try {
        host.connection();
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(HttpProblem);
    expect((err as HttpProblem).status).toBe(503);
    expect((err as HttpProblem).detail).toMatch(/^host local: libvirt is reconnecting \(last error: /);
    expect((err as HttpProblem).headers['retry-after']).toBeDefined();

    await waitUntil(() => sw.attempts >= 2, { what: 'retries while down' });
    sw.down = false;
    await waitUntil(() => host.connected, { what: 'reconnected' });
    expect(health.at(-1)).toMatchObject({ state: 'connected', attempts: 0 });
    expect(health.map((h) => h.state)).toContain('reconnecting');
  });

  it('reads down after enough failed attempts, keeps since while down, and keeps trying', async () => {
    const d = daemon();
    const sw = switchable(d);
    sw.down = true;
    const { host, health } = managed(sw.transport, [], 3);
    host.start();
    await waitUntil(() => host.health.state === 'down' && host.health.attempts >= 5, { what: 'down after attempts', timeoutMs: 3000 });
    const downs = health.filter((h) => h.state === 'down');
    expect(downs[0]!.attempts).toBe(3);
    expect(new Set(downs.map((h) => h.since)).size).toBe(1);
    expect(host.health.lastError).toMatch(/ENOENT/);
    sw.down = false;
    await waitUntil(() => host.connected, { what: 'connected after coming back', timeoutMs: 3000 });
    expect(host.health.attempts).toBe(0);
  });

  it('drops a connection whose setup failed and tries again with backoff', async () => {
    const d = daemon();
    const sw = switchable(d);
    let calls = 0;
    const { host } = managed(sw.transport, [
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new Error(`registration ${calls} refused`)) : Promise.resolve();
      },
    ]);
    host.start();
    await waitUntil(() => host.connected, { what: 'connected on the third setup' });
    expect(calls).toBe(3);
    // The two connections whose setup failed were closed, not left open.
    await waitUntil(() => d.connections.filter((c) => !c.closed).length === 1, { what: 'one open connection' });
  });

  it('stops retrying once closed', async () => {
    const d = daemon();
    const sw = switchable(d);
    sw.down = true;
    const { host } = managed(sw.transport);
    host.start();
    await waitUntil(() => sw.attempts >= 1, { what: 'a first attempt' });
    await host.close();
    const after = sw.attempts;
    // An absence can only be watched for a while: 2.5x the longest backoff (40 ms) without a new attempt.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sw.attempts).toBe(after);
  });
});
