import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DomainList, EventMessage, Metrics } from '@vireo/api';
import { buildNetworkXml } from '@vireo/libvirt-xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonAvailable, dirPoolXml, uniqueName, virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { defineTiny, removeTiny, virshWithFile } from '../support/domains.js';
import { EventsClient, listen, startLive, stateOf, type LiveHarness } from '../support/live-server.js';

type Updated = Extract<EventMessage, { type: 'domain.updated' }>;
const updatedTo = (uuid: string, state: string) => (m: EventMessage): m is Updated => m.type === 'domain.updated' && m.domain.uuid === uuid && m.domain.state === state;

describe.skipIf(!daemonAvailable)(`the events channel on the real libvirtd${daemonAvailable ? '' : ' (skipped: no libvirtd socket)'}`, () => {
  let h: LiveHarness;
  let base: string;
  const names: string[] = [];
  const clients: EventsClient[] = [];
  const open = async (query = '') => {
    const c = await EventsClient.open(base, h.viewer, query);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    h = await startLive();
    base = await listen(h);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const name of names) await removeTiny(name);
    await h?.close();
  });

  it('starts with a snapshot of every host and its domains', async () => {
    const d = await defineTiny('snap');
    names.push(d.name);
    await waitFor(async () => {
      const res = await h.app.inject({ url: '/api/v1/hosts/local/domains', headers: { cookie: h.viewer.cookie } });
      return res.json<DomainList>().domains.some((x) => x.uuid === d.uuid) ? true : undefined;
    }, 10_000, 'the new domain in the list');
    const c = await open();
    const snap = await c.waitFor((m) => m.type === 'snapshot', 5000, 'the snapshot');
    expect(c.messages[0]).toBe(snap);
    if (snap.type !== 'snapshot') throw new Error('unreachable');
    expect(snap.epoch).toBe(h.services.events.epoch);
    expect(snap.hosts.map((x) => x.id)).toEqual(['local']);
    expect(snap.hosts[0]!.health.state).toBe('connected');
    expect(snap.hosts[0]!.domains.find((x) => x.uuid === d.uuid)).toMatchObject({ name: d.name, state: 'shutoff' });
  });

  it('delivers virsh-made changes as deltas, in order', async () => {
    const d = await defineTiny('order');
    names.push(d.name);
    const c = await open();
    await c.waitFor((m) => m.type === 'snapshot', 5000, 'the snapshot');
    await virsh(['start', d.name]);
    await c.waitFor(updatedTo(d.uuid, 'running'), 10_000, 'running');
    const from = c.messages.length;
    await virsh(['suspend', d.name]);
    await virsh(['resume', d.name]);
    await virsh(['destroy', d.name]);
    await c.waitFor(updatedTo(d.uuid, 'shutoff'), 10_000, 'shut off', from);
    const states = c.messages
      .slice(from)
      .filter((m): m is Updated => m.type === 'domain.updated' && m.domain.uuid === d.uuid)
      .map((m) => m.domain.state);
    // Each state shows, in the order virsh made them (re-reads may repeat a state, never reorder them). A destroy
    // passes through libvirt's transient "in shutdown" state when QEMU reports its own shutdown first.
    const distinct = states.filter((s, i) => s !== 'shutdown' && (i === 0 || s !== states[i - 1]));
    expect(distinct).toEqual(['paused', 'running', 'shutoff']);
    const paused = c.messages.slice(from).find(updatedTo(d.uuid, 'paused'))!;
    expect(paused.domain.stateReason).toBe('user');
    expect(paused.cause).toBe('lifecycle SUSPENDED PAUSED');
    // Arrival order is seq order, and deltas are numbered without gaps.
    const deltas = c.messages.filter((m) => !['snapshot', 'stats', 'heartbeat'].includes(m.type));
    const seqs = deltas.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
  });

  it('brings a client that reconnects with ?since= to the same state as one that stayed', async () => {
    const a = await defineTiny('since-a');
    const b = await defineTiny('since-b');
    names.push(a.name, b.name);
    const stayed = await open();
    const leaving = await open();
    await leaving.waitFor((m) => m.type === 'snapshot', 5000, 'the snapshot');
    const snapshot = leaving.messages[0]!;
    if (snapshot.type !== 'snapshot') throw new Error('expected a snapshot first');
    await leaving.close();
    const missedFrom = leaving.lastSeq;

    // Changes while it is away: a start, a suspend, a new domain, a removal.
    await virsh(['start', a.name]);
    await virsh(['suspend', a.name]);
    const c = await defineTiny('since-c');
    names.push(c.name);
    await virsh(['undefine', b.name]);
    await stayed.waitFor((m) => m.type === 'domain.removed' && m.uuid === b.uuid, 10_000, 'b removed');
    await stayed.waitFor(updatedTo(a.uuid, 'paused'), 10_000, 'a paused');
    await stayed.waitFor((m) => m.type === 'domain.updated' && m.domain.uuid === c.uuid, 10_000, 'c defined');

    const back = await open(`?since=${missedFrom}&epoch=${snapshot.epoch}`);
    await back.waitFor((m) => m.type === 'domain.removed' && m.uuid === b.uuid, 10_000, 'the missed removal');
    expect(back.messages.some((m) => m.type === 'snapshot' || m.type === 'resync')).toBe(false);
    expect(back.messages[0]!.seq).toBe(missedFrom + 1);
    // Both settle on the hub's latest seq; then their states match.
    const latest = h.services.events.seq;
    await waitFor(() => (stayed.lastSeq >= latest && back.lastSeq >= latest ? true : undefined), 10_000, 'both clients at the latest seq');
    const resumed = stateOf([snapshot, ...back.messages]);
    expect(resumed).toEqual(stateOf(stayed.messages));
    expect(resumed.get('local')?.has(b.uuid)).toBe(false);
    expect(resumed.get('local')?.get(a.uuid)).toMatchObject({ state: 'paused' });
    await virsh(['destroy', a.name]);
  });

  it('sends a fresh snapshot (resync) when the missed deltas cannot be replayed', async () => {
    const foreignEpoch = await open(`?since=1&epoch=not-this-process`);
    const m1 = await foreignEpoch.waitFor((m) => m.type === 'resync', 5000, 'a resync for a foreign epoch');
    expect(m1).toMatchObject({ reason: 'since-too-old', epoch: h.services.events.epoch });
    const future = await open(`?since=${h.services.events.seq + 1000}`);
    await future.waitFor((m) => m.type === 'resync', 5000, 'a resync for a seq never sent');
  });

  it('ticks stats for running domains and keeps them as metrics', async () => {
    const d = await defineTiny('stats');
    names.push(d.name);
    await virsh(['start', d.name]);
    const c = await open();
    const tick = await c.waitFor(
      (m) => m.type === 'stats' && m.domains.some((s) => s.uuid === d.uuid && s.cpuPercent !== null),
      10_000,
      'a stats tick with the domain\'s CPU use',
    );
    if (tick.type !== 'stats') throw new Error('unreachable');
    const sample = tick.domains.find((s) => s.uuid === d.uuid)!;
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(sample.cpuPercent).toBeLessThanOrEqual(100);
    expect(sample.memoryUsedKiB).toBeGreaterThan(0);
    expect(tick.node?.memory.totalBytes).toBeGreaterThan(0);
    // Stats messages do not take a seq of their own.
    expect(tick.seq).toBeLessThanOrEqual(h.services.events.seq);

    const metrics = (await h.app.inject({ url: `/api/v1/hosts/local/domains/${d.uuid}/metrics`, headers: { cookie: h.viewer.cookie } })).json<Metrics>();
    expect(metrics.timestamps.length).toBeGreaterThan(0);
    expect(metrics.series['cpuPercent']).toHaveLength(metrics.timestamps.length);
    const host = (await h.app.inject({ url: '/api/v1/hosts/local/metrics', headers: { cookie: h.viewer.cookie } })).json<Metrics>();
    expect(host.series['memoryTotalBytes']!.at(-1)).toBeGreaterThan(0);
    const since = (await h.app.inject({ url: `/api/v1/hosts/local/metrics?since=${host.timestamps.at(-1)}`, headers: { cookie: h.viewer.cookie } })).json<Metrics>();
    expect(since.timestamps.every((t) => t > host.timestamps.at(-1)!)).toBe(true);
    // The list row carries the tick's numbers too.
    const row = (await h.app.inject({ url: '/api/v1/hosts/local/domains', headers: { cookie: h.viewer.cookie } }))
      .json<DomainList>()
      .domains.find((x) => x.uuid === d.uuid)!;
    expect(row.cpuPercent).not.toBeNull();
    await virsh(['destroy', d.name]);
  });

  it('forwards network and storage pool events', async () => {
    const c = await open();
    const net = uniqueName('net');
    const pool = uniqueName('pool');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vireo-test-pool-'));
    try {
      // Defined only, never started: the test daemon has no dnsmasq, and nothing here needs a bridge.
      await virshWithFile((f) => ['net-define', f], buildNetworkXml({ name: net, forward: { mode: 'isolated' } }));
      await virsh(['net-undefine', net]);
      await virshWithFile((f) => ['pool-create', f], dirPoolXml(pool, dir));
      await virsh(['pool-refresh', pool]);
      await virsh(['pool-destroy', pool]);
      const about = (name: string) => (m: EventMessage) => 'name' in m && m.name === name && (m.type.startsWith('network.') || m.type.startsWith('pool.'));
      await c.waitFor((m) => about(pool)(m) && m.type === 'pool.stopped', 10_000, 'the pool stopping');
      const types = c.messages.filter((m) => about(net)(m) || about(pool)(m)).map((m) => m.type);
      expect(types.filter((t) => t.startsWith('network.'))).toEqual(['network.defined', 'network.undefined']);
      expect(types.filter((t) => t.startsWith('pool.'))).toEqual(['pool.started', 'pool.refreshed', 'pool.stopped']);
    } finally {
      await virsh(['net-undefine', net]).catch(() => undefined);
      await virsh(['pool-destroy', pool]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends heartbeats on a quiet stream', async () => {
    const c = await open();
    const hb = await c.waitFor((m) => m.type === 'heartbeat', 3000, 'a heartbeat');
    expect(hb.seq).toBeLessThanOrEqual(h.services.events.seq);
  });
});
