// libvirtd dies and comes back under a running server: requests in flight fail fast with 503, the host manager
// reconnects with backoff (reconnecting -> connected), clients are told to resync, and events flow again.
// Runs only against a daemon the test script started (it kills it); files of this project run one at a time.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { DomainList, EventMessage, HostList, Problem } from '@vireo/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonOwned, LIBVIRT_SOCKET, virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { defineTiny, removeTiny } from '../support/domains.js';
import { EventsClient, listen, startLive, type LiveHarness } from '../support/live-server.js';

const pidFile = process.env['VIREO_TEST_LIBVIRTD_PIDFILE'] ?? '/run/libvirtd.pid';
const restart = process.env['VIREO_TEST_DAEMON_START'];
const skipReason = daemonOwned && restart ? '' : 'libvirtd was not started by the test script (VIREO_TEST_DAEMON_OWNED!=1)';

function daemonPid(): number {
  return Number(readFileSync(pidFile, 'utf8').trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Brings the daemon back whatever state the test left it in. */
async function revive(): Promise<void> {
  try {
    process.kill(daemonPid(), 'SIGCONT');
  } catch {
    // already gone
  }
  execSync(restart!, { stdio: 'inherit' });
  await waitFor(() => (existsSync(LIBVIRT_SOCKET) ? true : undefined), 30_000, 'libvirtd to come back');
}

type Health = Extract<EventMessage, { type: 'host.health' }>;
const healthIs = (state: string) => (m: EventMessage): m is Health => m.type === 'host.health' && m.health.state === state;

describe.skipIf(skipReason !== '')(`libvirtd restarting under the server${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let h: LiveHarness;
  let events: EventsClient;
  let dom: { name: string; uuid: string };
  beforeAll(async () => {
    h = await startLive();
    events = await EventsClient.open(await listen(h), h.viewer);
    dom = await defineTiny('restart');
    await virsh(['start', dom.name]);
  });
  afterAll(async () => {
    if (!existsSync(LIBVIRT_SOCKET) || !alive(daemonPid())) await revive();
    await events?.close();
    await removeTiny(dom.name);
    await h?.close();
  });

  it('fails requests in flight with 503, fails fast while down, reconnects, resyncs and resumes events', async () => {
    const pid = daemonPid();
    const viewer = { cookie: h.viewer.cookie };
    process.kill(pid, 'SIGSTOP');
    let inFlight: { url: string; status: number; ms: number }[];
    try {
      // These reach the shared connection and wait on a daemon that does not answer.
      const started = Date.now();
      const requests = [
        '/api/v1/hosts/local',
        `/api/v1/hosts/local/domains/${dom.uuid}`,
        '/api/v1/hosts/local/domain-capabilities?virttype=qemu&machine=pc',
      ].map((url) => h.app.inject({ url, headers: viewer }).then((res) => ({ url, status: res.statusCode, ms: Date.now() - started, body: res.body })));
      const action = h.app
        .inject({ method: 'POST', url: `/api/v1/hosts/local/domains/${dom.uuid}/actions/suspend`, headers: h.operator.headers })
        .then((res) => ({ url: 'suspend', status: res.statusCode, ms: Date.now() - started, body: res.body }));
      process.kill(pid, 'SIGKILL');
      inFlight = await Promise.all([...requests, action]);
    } finally {
      await waitFor(() => (alive(pid) ? undefined : true), 10_000, 'the killed daemon to exit').catch(() => undefined);
    }
    for (const r of inFlight) {
      expect(r.status, `${r.url}: ${JSON.stringify(r)}`).toBe(503);
      expect(r.ms, r.url).toBeLessThan(2000);
    }

    // While the daemon is away: health says so, and requests fail at once instead of waiting.
    await events.waitFor(healthIs('reconnecting'), 5000, 'health reconnecting');
    const down = await h.app.inject({ url: '/api/v1/hosts/local/domains', headers: viewer });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.json<Problem>()).toMatchObject({ type: 'urn:vireo:problem:libvirt-unavailable' });
    expect(down.json<Problem>().detail).toMatch(/host local: libvirt is (reconnecting|down)/);
    const hosts = (await h.app.inject({ url: '/api/v1/hosts', headers: viewer })).json<HostList>();
    expect(['reconnecting', 'down']).toContain(hosts.hosts[0]!.health.state);
    expect(hosts.hosts[0]!.health.lastError).toBeTruthy();

    const from = events.messages.length;
    await revive();
    await events.waitFor(healthIs('connected'), 30_000, 'health connected again', from);
    const resync = await events.waitFor((m) => m.type === 'resync', 10_000, 'a resync after the reconnect', from);
    if (resync.type !== 'resync') throw new Error('unreachable');
    expect(resync.reason).toBe('host-reconnected');
    expect(resync.hosts[0]!.health.state).toBe('connected');
    // The rebuilt state matches virsh: the domain survived the daemon (QEMU kept running).
    expect(resync.hosts[0]!.domains.find((d) => d.uuid === dom.uuid)?.state).toBe('running');

    // One libvirt registration again: a virsh change reaches the client.
    const after = events.messages.length;
    await virsh(['suspend', dom.name]);
    await events.waitFor((m) => m.type === 'domain.updated' && m.domain.uuid === dom.uuid && m.domain.state === 'paused', 10_000, 'the suspend delta', after);
    const list = (await h.app.inject({ url: '/api/v1/hosts/local/domains', headers: viewer })).json<DomainList>();
    expect(list.domains.find((d) => d.uuid === dom.uuid)?.state).toBe('paused');
    await virsh(['resume', dom.name]);
  });

  it('fails a request within the keepalive window when the daemon hangs, then recovers', async () => {
    const pid = daemonPid();
    process.kill(pid, 'SIGSTOP');
    let res: { status: number; ms: number };
    try {
      const started = Date.now();
      res = await h.app.inject({ url: '/api/v1/hosts/local', headers: { cookie: h.viewer.cookie } }).then((r) => ({ status: r.statusCode, ms: Date.now() - started }));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(res.status).toBe(503);
    // keepalive 500 ms x 4 in the test options, plus a timer period.
    expect(res.ms).toBeLessThan(4000);
    await waitFor(() => (h.services.hosts.get('local').connected ? true : undefined), 30_000, 'the host to reconnect');
    expect((await h.app.inject({ url: '/api/v1/hosts/local', headers: { cookie: h.viewer.cookie } })).statusCode).toBe(200);
  });
});
