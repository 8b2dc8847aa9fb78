import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostList, HostSummary, NodeStats } from '@vireo/api';
import { daemonAvailable, virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { startLive, type LiveHarness } from '../support/live-server.js';

describe.skipIf(!daemonAvailable)(`hosts on the real libvirtd${daemonAvailable ? '' : ' (skipped: no libvirtd socket)'}`, () => {
  let h: LiveHarness;
  beforeAll(async () => {
    h = await startLive();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists the local host as connected', async () => {
    const res = await h.app.inject({ url: '/api/v1/hosts', headers: { cookie: h.viewer.cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json<HostList>();
    expect(body.hosts).toHaveLength(1);
    expect(body.hosts[0]).toMatchObject({ id: 'local', uri: 'qemu:///system', health: { state: 'connected', attempts: 0 } });
  });

  it('summarises the host as virsh sees it', async () => {
    const res = await h.app.inject({ url: '/api/v1/hosts/local', headers: { cookie: h.viewer.cookie } });
    expect(res.statusCode).toBe(200);
    const s = res.json<HostSummary>();
    const nodeinfo = await virsh(['nodeinfo']);
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(nodeinfo)?.[1]?.trim();
    expect(s.cpu.count).toBe(Number(field('CPU\\(s\\)')));
    expect(s.cpu.model).toBe(field('CPU model'));
    // The host's memory as /proc/meminfo counts it (virsh nodememstats), not only its NUMA nodes' (nodeinfo).
    const memTotal = /^total\s*:\s*(\d+) KiB$/m.exec(await virsh(['nodememstats']))?.[1];
    expect(s.memory.totalBytes).toBe(Number(memTotal) * 1024);
    expect(s.hostname).toBe((await virsh(['hostname'])).trim());
    const version = await virsh(['version']);
    expect(version).toContain(`Using library: libvirt ${s.libvirtVersion}`);
    expect(version).toContain(`Running hypervisor: ${s.hypervisor.type} ${s.hypervisor.version}`);
    expect(typeof s.kvm.available).toBe('boolean');
    if (process.env['VIREO_TEST_KVM_HIDDEN'] === '1') expect(s.kvm.available).toBe(false);
    expect(s.uptimeSeconds).toBeGreaterThan(0);
    expect(s.loadAverage).toHaveLength(3);
    expect(s.health.state).toBe('connected');
    // Local host access reads the machine the server runs on.
    expect(Math.abs((s.uptimeSeconds ?? 0) - os.uptime())).toBeLessThan(5);
  });

  it('serves live node stats computed from nodeGetCPUStats deltas', async () => {
    const stats = await waitFor(async () => {
      const res = await h.app.inject({ url: '/api/v1/hosts/local/stats', headers: { cookie: h.viewer.cookie } });
      const body = res.statusCode === 200 ? res.json<NodeStats>() : undefined;
      return body?.cpu ? body : undefined;
    }, 10_000, 'a node stats sample with CPU use');
    expect(stats.cpu!.percent).toBeGreaterThanOrEqual(0);
    expect(stats.cpu!.percent).toBeLessThanOrEqual(100);
    expect(stats.memory.totalBytes).toBeGreaterThan(0);
    expect(stats.memory.usedBytes).toBeLessThanOrEqual(stats.memory.totalBytes);
  });

  it('answers 404 problem for an unknown host', async () => {
    for (const url of ['/api/v1/hosts/nope', '/api/v1/hosts/nope/domains', '/api/v1/hosts/nope/stats', '/api/v1/hosts/nope/metrics']) {
      const res = await h.app.inject({ url, headers: { cookie: h.viewer.cookie } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ detail: string }>().detail).toContain('nope');
    }
  });

  it('serves capabilities and domain capabilities', async () => {
    const caps = await h.app.inject({ url: '/api/v1/hosts/local/capabilities', headers: { cookie: h.viewer.cookie } });
    expect(caps.statusCode).toBe(200);
    const body = caps.json<{ host: { cpu: { arch: string } }; guests: unknown[] }>();
    expect(body.host.cpu.arch).toBe('x86_64');
    expect(body.guests.length).toBeGreaterThan(0);
    const dc = await h.app.inject({ url: '/api/v1/hosts/local/domain-capabilities?virttype=qemu&arch=x86_64', headers: { cookie: h.viewer.cookie } });
    expect(dc.statusCode).toBe(200);
    expect(dc.json<{ domain: string; arch: string }>()).toMatchObject({ domain: 'qemu', arch: 'x86_64' });
    const bad = await h.app.inject({ url: '/api/v1/hosts/local/domain-capabilities?machine=no-such-machine', headers: { cookie: h.viewer.cookie } });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
  });
});
