// Storage, install media, networks and the OS list through the server on the real libvirtd; virsh is the oracle.
// Everything is made by the test (a dir pool in a temporary directory, an isolated network without addresses)
// and removed afterwards, whatever happened.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type {
  HostInterfaceList,
  InstallMediaList,
  OsVariantList,
  Problem,
  StoragePool,
  StoragePoolList,
  StorageVolume,
  StorageVolumeList,
  VirtualNetworkList,
} from '@vireo/api';
import { buildNetworkXml } from '@vireo/libvirt-xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonAvailable, dirPoolXml, uniqueName, virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { ADMIN_PASSWORD, login, startHarness, type Harness, type SignedIn } from '../../helpers/harness.js';
import { removeTiny, tinySpec, virshWithFile } from '../support/domains.js';
import { startLive, type LiveHarness } from '../support/live-server.js';

const execFileP = promisify(execFile);

/** A small ISO 9660 image made with xorriso, as the wizard's tests use. */
async function makeIso(file: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vireo-it-isosrc-'));
  try {
    writeFileSync(path.join(dir, 'README'), 'vireo test medium\n');
    await execFileP('xorriso', ['-as', 'genisoimage', '-quiet', '-volid', 'VIREOTEST', '-output', file, dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const names = (list: string): string[] =>
  list
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .sort();

describe.skipIf(!daemonAvailable)(`storage, networks and osinfo on the real libvirtd${daemonAvailable ? '' : ' (skipped: no libvirtd socket)'}`, () => {
  let h: LiveHarness;
  let poolDir: string;
  let isoDir: string;
  let outside: string;
  const pool = uniqueName('it-pool');
  const network = uniqueName('it-net');
  const domains: string[] = [];

  beforeAll(async () => {
    poolDir = mkdtempSync(path.join(os.tmpdir(), 'vireo-it-pool-'));
    isoDir = mkdtempSync(path.join(os.tmpdir(), 'vireo-it-isodir-'));
    outside = mkdtempSync(path.join(os.tmpdir(), 'vireo-it-outside-'));
    chmodSync(poolDir, 0o755);
    await makeIso(path.join(poolDir, 'pool-medium.iso'));
    await makeIso(path.join(isoDir, 'dir-medium.iso'));
    await execFileP('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(isoDir, 'cloud.img'), '3G']);
    // Out of the configured directory: a symlink to it must not be followed.
    await makeIso(path.join(outside, 'secret.iso'));
    symlinkSync(path.join(outside, 'secret.iso'), path.join(isoDir, 'escape.iso'));
    writeFileSync(path.join(isoDir, 'notes.txt'), 'not a medium');
    await virshWithFile((f) => ['pool-create', f], dirPoolXml(pool, poolDir));
    await virshWithFile((f) => ['net-define', f], buildNetworkXml({ name: network, forward: { mode: 'isolated' } }));
    h = await startLive({}, { media: { isoDirs: [isoDir] } });
  });

  afterAll(async () => {
    for (const name of domains) await removeTiny(name);
    await h?.close();
    await virsh(['net-destroy', network]).catch(() => undefined);
    await virsh(['net-undefine', network]).catch(() => undefined);
    await virsh(['pool-destroy', pool]).catch(() => undefined);
    for (const dir of [poolDir, isoDir, outside]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = <T>(url: string, cookie = h.viewer.cookie) => h.app.inject({ url, headers: { cookie } }).then((r) => ({ status: r.statusCode, body: r.json<T>(), raw: r.body }));
  const post = (url: string, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url, headers: h.admin.headers, payload });

  it('lists the pools virsh lists, with the test pool active and its path', async () => {
    const res = await get<StoragePoolList>('/api/v1/hosts/local/storage/pools');
    expect(res.status, res.raw).toBe(200);
    expect(res.body.pools.map((p) => p.name).sort()).toEqual(names(await virsh(['pool-list', '--all', '--name'])));
    const mine = res.body.pools.find((p) => p.name === pool)!;
    expect(mine).toMatchObject({ type: 'dir', active: true, persistent: false, path: poolDir });
    expect(mine.capacityBytes).toBeGreaterThan(0);
  });

  it('creates a volume; a duplicate is 409, a bad name or size 400 with the field, an unknown pool 404', async () => {
    const url = `/api/v1/hosts/local/storage/pools/${pool}/volumes`;
    const res = await post(url, { name: 'disk-a.qcow2', capacity: 64 * 1024 * 1024 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<StorageVolume>()).toMatchObject({ name: 'disk-a.qcow2', pool, format: 'qcow2', capacityBytes: 64 * 1024 * 1024, path: path.join(poolDir, 'disk-a.qcow2') });
    expect(await virsh(['vol-list', pool])).toContain('disk-a.qcow2');

    const dup = await post(url, { name: 'disk-a.qcow2', capacity: 1024 * 1024 });
    expect(dup.statusCode).toBe(409);

    const badName = await post(url, { name: 'a/b', capacity: 1024 * 1024 });
    expect(badName.statusCode).toBe(400);
    expect(badName.json<Problem>().errors?.map((e) => e.field)).toContain('body.name');
    const badSize = await post(url, { name: 'zero.qcow2', capacity: 0 });
    expect(badSize.statusCode).toBe(400);
    expect(badSize.json<Problem>().errors?.map((e) => e.field)).toContain('body.capacity');

    const unknown = await post(`/api/v1/hosts/local/storage/pools/${uniqueName('nopool')}/volumes`, { name: 'x.qcow2', capacity: 1024 * 1024 });
    expect(unknown.statusCode).toBe(404);
    // Viewers may look, not make.
    const asViewer = await h.app.inject({ method: 'POST', url, headers: h.viewer.headers, payload: { name: 'v.qcow2', capacity: 1024 } });
    expect(asViewer.statusCode).toBe(403);
    expect(existsSync(path.join(poolDir, 'v.qcow2'))).toBe(false);
  });

  it('lists volumes with their format and the domains that use them', async () => {
    await post(`/api/v1/hosts/local/storage/pools/${pool}/volumes`, { name: 'used.raw', capacity: 1024 * 1024, format: 'raw' });
    const name = uniqueName('it-user');
    domains.push(name);
    const created = await post('/api/v1/hosts/local/domains', {
      spec: tinySpec(name, { disks: [{ source: { type: 'volume', pool, volume: 'used.raw' }, format: 'raw', bus: 'sata' }] }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await get<StorageVolumeList>(`/api/v1/hosts/local/storage/pools/${pool}/volumes`);
    expect(res.status, res.raw).toBe(200);
    // virsh vol-list prints a table: a header, a rule, then "name  path" rows.
    const listed = (await virsh(['vol-list', pool])).split('\n').slice(2).map((l) => l.trim().split(/\s+/, 1)[0]!).filter((n) => n !== '');
    expect(res.body.volumes.map((v) => v.name).sort()).toEqual(listed.sort());
    const used = res.body.volumes.find((v) => v.name === 'used.raw')!;
    expect(used).toMatchObject({ format: 'raw', usedBy: [name] });
    expect(res.body.volumes.find((v) => v.name === 'pool-medium.iso')).toMatchObject({ format: 'iso', usedBy: [] });
  });

  it('offers ISOs and disk images of pools and of the configured directory, never a symlink out of it', async () => {
    const res = await get<InstallMediaList>('/api/v1/hosts/local/install-media');
    expect(res.status, res.raw).toBe(200);
    expect(res.body.directories).toEqual([isoDir]);
    const byName = new Map(res.body.media.map((m) => [m.name, m]));
    expect(byName.get('pool-medium.iso')).toMatchObject({ kind: 'iso', format: 'iso', origin: pool, source: { type: 'volume', pool, volume: 'pool-medium.iso' } });
    expect(byName.get('dir-medium.iso')).toMatchObject({ kind: 'iso', format: 'iso', origin: isoDir, source: { type: 'file', path: path.join(isoDir, 'dir-medium.iso') } });
    expect(byName.get('cloud.img')).toMatchObject({ kind: 'disk-image', format: 'qcow2', virtualSizeBytes: 3 * 1024 ** 3 });
    expect(byName.has('escape.iso')).toBe(false);
    expect(byName.has('notes.txt')).toBe(false);
    expect(res.body.media.some((m) => m.path.startsWith(outside))).toBe(false);
  });

  it('lists the networks virsh lists, and host interfaces as sysfs shows them', async () => {
    const res = await get<VirtualNetworkList>('/api/v1/hosts/local/networks');
    expect(res.status, res.raw).toBe(200);
    expect(res.body.networks.map((n) => n.name).sort()).toEqual(names(await virsh(['net-list', '--all', '--name'])));
    expect(res.body.networks.find((n) => n.name === network)).toMatchObject({ forward: 'isolated', addresses: [], dhcp: false, active: false, persistent: true });

    const ifaces = await get<HostInterfaceList>('/api/v1/hosts/local/host-interfaces');
    expect(ifaces.status, ifaces.raw).toBe(200);
    const sysfs = names((await execFileP('ls', ['/sys/class/net'])).stdout).filter((n) => n !== 'lo');
    expect(ifaces.body.interfaces.map((i) => i.name).sort()).toEqual(sysfs);
  });

  it('marks the bridge a started network made with the network\'s name', async () => {
    try {
      await virsh(['net-start', network]);
    } catch (err) {
      // A sandbox without CAP_NET_ADMIN cannot make bridges; the rest of the suite still ran.
      console.warn(`skipping the bridge check: ${(err as Error).message}`);
      return;
    }
    const nets = await get<VirtualNetworkList>('/api/v1/hosts/local/networks');
    const mine = nets.body.networks.find((n) => n.name === network)!;
    expect(mine.active).toBe(true);
    expect(mine.bridge).toMatch(/^virbr/);
    const ifaces = await get<HostInterfaceList>('/api/v1/hosts/local/host-interfaces');
    expect(ifaces.body.interfaces.find((i) => i.name === mine.bridge)).toMatchObject({ kind: 'bridge', libvirtNetwork: network });
    await virsh(['net-destroy', network]);
  });

  it('lists operating systems of the real osinfo-db, end-of-life ones on request', async () => {
    const all = await get<OsVariantList>('/api/v1/osinfo?eol=true');
    expect(all.status, all.raw).toBe(200);
    expect(all.body.source).toMatch(/^\/usr\/share\/osinfo \(version \d+\)$/);
    // The newest Debian this machine's osinfo-db knows (20221203 has 11, later ones 12 and 13).
    const debian = all.body.os.filter((o) => o.distro === 'debian' && /^debian\d+$/.test(o.shortId)).sort((a, b) => Number(b.version) - Number(a.version))[0]!;
    expect(Number(debian.version)).toBeGreaterThanOrEqual(11);
    expect(debian.recommended.memoryBytes).toBeGreaterThanOrEqual(1024 ** 3);
    expect(debian.devices.virtioDisk).toBe(true);
    const dates = all.body.os.map((o) => o.releaseDate).filter((d): d is string => d !== null);
    expect(dates).toEqual([...dates].sort().reverse());
    const current = await get<OsVariantList>('/api/v1/osinfo');
    expect(current.body.os.every((o) => !o.eol)).toBe(true);
    expect(current.body.os.length).toBeLessThan(all.body.os.length);
  });

  it('previews the XML a spec builds and defines nothing', async () => {
    const name = uniqueName('it-preview');
    const res = await post('/api/v1/hosts/local/domains/preview', { spec: tinySpec(name) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ xml: string }>().xml).toContain(`<name>${name}</name>`);
    await expect(virsh(['domstate', name])).rejects.toThrow();
    const bad = await post('/api/v1/hosts/local/domains/preview', { spec: tinySpec(name, { memory: 'lots' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.field).toBe('body.spec.memory');
  });
});

describe.skipIf(!daemonAvailable)('the default pool on libvirt\'s test driver', () => {
  let h: Harness;
  let admin: SignedIn;
  let made = false;
  beforeAll(async () => {
    h = await startHarness({ config: { libvirtUri: 'test:///default' } });
    admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    await waitFor(() => (h.services.hosts.get('local').connected ? true : undefined), 20_000, 'the test driver to connect');
  });
  afterAll(async () => {
    // The test driver's state lives in the daemon while a connection holds it: removed through ours.
    if (made) {
      const conn = h.services.runtimes.get('local').host.connection();
      const { pool } = await conn.storagePoolLookupByName({ name: 'default' });
      await conn.storagePoolDestroy({ pool }).catch(() => undefined);
      await conn.storagePoolUndefine({ pool }).catch(() => undefined);
    }
    await h?.close();
  });

  it('creates `default` at /var/lib/libvirt/images, started with autostart; a second time is 409', async () => {
    const pools = (await h.app.inject({ url: '/api/v1/hosts/local/storage/pools', headers: { cookie: admin.cookie } })).json<StoragePoolList>();
    if (pools.pools.some((p) => p.name === 'default')) return; // never touch a pool we did not make
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/hosts/local/storage/pools/default', headers: admin.headers });
    made = res.statusCode === 201;
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<StoragePool>()).toMatchObject({ name: 'default', type: 'dir', path: '/var/lib/libvirt/images', active: true, autostart: true, persistent: true });
    const again = await h.app.inject({ method: 'POST', url: '/api/v1/hosts/local/storage/pools/default', headers: admin.headers });
    expect(again.statusCode).toBe(409);
  });
});
