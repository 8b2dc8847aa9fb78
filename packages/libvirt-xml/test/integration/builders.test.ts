/**
 * Builder output against the real libvirtd: define through our client (with libvirt's own schema validation),
 * read back with virsh as the oracle, and check that everything we wrote survived. libvirt canonicalises on define
 * (expands machine aliases, adds defaults, reorders disks by bus and target): the comparison is on information, after
 * putting the elements libvirt reorders into one order, and lists exactly what libvirt dropped or rewrote.
 *
 * Domains are only defined, except one tiny diskless UEFI Secure Boot + TPM domain that is started (it proves
 * firmware autoselection and swtpm accept what we write). Networks are never started. Only dir pools are built and
 * started (in a temp dir); other pool types are defined and undefined, never started.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document, Element } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DomainDefineFlags,
  DomainUndefineFlags,
  LibvirtError,
  type LibvirtConnection,
} from '@vireo/libvirt';
import {
  buildDomainXml,
  buildNetworkXml,
  buildStoragePoolXml,
  buildStorageVolumeXml,
  canonicalDiff,
  diskVolumes,
  gib,
  mib,
  parseXml,
  validateXml,
  type DomainSpec,
  type NetworkSpec,
  type StoragePoolSpec,
  type StorageVolumeSpec,
} from '../../src/index.js';
import { at, attr, children, text } from '../../src/dom/nav.js';
import { daemonAvailable, domainType, open, uniqueName, virsh } from '../support/libvirt.js';

/** VIR_NETWORK_DEFINE_VALIDATE and VIR_STORAGE_POOL_DEFINE_VALIDATE: the daemon checks its schema too. */
const NETWORK_DEFINE_VALIDATE = 1;
const POOL_DEFINE_VALIDATE = 1;

function root(doc: Document): Element {
  return doc.documentElement!;
}

/** Moves the elements named `name` under `parent` into key order (libvirt sorts disks by bus and target). */
function sortChildren(parent: Element | undefined, name: string, key: (e: Element) => string): void {
  if (!parent) return;
  const sorted = children(parent, name).sort((a, b) => key(a).localeCompare(key(b)));
  for (const e of sorted) parent.appendChild(e);
}

function normalised(xml: string): Document {
  const doc = parseXml(xml);
  const r = root(doc);
  if (r.tagName === 'domain') {
    sortChildren(at(r, 'devices'), 'disk', (d) => attr(at(d, 'target'), 'dev') ?? '');
    sortChildren(at(r, 'os/firmware'), 'feature', (f) => attr(f, 'name') ?? '');
  }
  return doc;
}

/** What we wrote that the daemon's copy no longer says, as canonical lines. */
function lostOnDefine(built: string, dumped: string): string[] {
  return canonicalDiff(normalised(built), normalised(dumped)).removed;
}

describe.skipIf(!daemonAvailable)('builders against the real libvirtd (virsh as the oracle)', () => {
  let conn: LibvirtConnection;
  const domains: string[] = [];
  const networks: string[] = [];
  const pools: string[] = [];
  const type = domainType();

  beforeAll(async () => {
    conn = await open();
  });

  afterAll(async () => {
    for (const name of domains) {
      try {
        const { dom } = await conn.domainLookupByName({ name });
        await conn.domainDestroy({ dom }).catch(() => undefined);
        await conn.domainUndefineFlags({ dom, flags: DomainUndefineFlags.NVRAM | DomainUndefineFlags.TPM });
      } catch (err) {
        if (!(err instanceof LibvirtError && err.isNotFound)) throw err;
      }
    }
    for (const name of networks) {
      try {
        const { net } = await conn.networkLookupByName({ name });
        await conn.networkUndefine({ net });
      } catch (err) {
        if (!(err instanceof LibvirtError && err.isNotFound)) throw err;
      }
    }
    for (const name of pools) {
      try {
        const { pool } = await conn.storagePoolLookupByName({ name });
        await conn.storagePoolDestroy({ pool }).catch(() => undefined);
        await conn.storagePoolUndefine({ pool });
      } catch (err) {
        if (!(err instanceof LibvirtError && err.isNotFound)) throw err;
      }
    }
    await conn.close();
  });

  async function defineDomain(spec: DomainSpec): Promise<{ built: string; dumped: string }> {
    const built = buildDomainXml(spec);
    domains.push(spec.name);
    await conn.domainDefineXMLFlags({ xml: built, flags: DomainDefineFlags.VALIDATE });
    // --security-info: the graphics password is part of what we wrote.
    const dumped = await virsh(['dumpxml', '--inactive', '--security-info', spec.name]);
    return { built, dumped };
  }

  describe('domains (defined, not started)', () => {
    it('BIOS, VNC with password, ISO + cloud-init seed, PXE, network/bridge/direct NICs, three disk buses', async () => {
      const spec: DomainSpec = {
        name: uniqueName('dom-bios'),
        type,
        memory: mib(512),
        currentMemory: mib(384),
        vcpus: 2,
        topology: { sockets: 1, cores: 2, threads: 1 },
        disks: [
          { source: { type: 'file', path: '/var/lib/libvirt/images/vireo-test-a.qcow2' }, cache: 'none', discard: 'unmap' },
          { source: { type: 'block', dev: '/dev/vireo-test-vg/data' }, bus: 'sata' },
          { source: { type: 'file', path: '/var/lib/libvirt/images/vireo-test-c.raw' }, bus: 'scsi', format: 'raw' },
        ],
        cdroms: [{ source: { type: 'file', path: '/var/lib/libvirt/images/vireo-test.iso' } }],
        cloudInitSeed: { type: 'file', path: '/var/lib/libvirt/images/vireo-test-seed.iso' },
        interfaces: [
          { source: { type: 'network', network: 'default' }, mac: '52:54:00:12:34:56' },
          { source: { type: 'bridge', bridge: 'br0' }, model: 'e1000e' },
          { source: { type: 'direct', dev: 'eth0', mode: 'vepa' } },
        ],
        pxe: true,
        graphics: { type: 'vnc', password: 'pw' },
        memballoon: { statsPeriod: 10 },
        controllers: [{ type: 'usb', model: 'qemu-xhci', ports: 8 }],
        onCrash: 'coredump-restart',
      };
      const { built, dumped } = await defineDomain(spec);
      expect(lostOnDefine(built, dumped)).toEqual(['/domain[0]/os[0]/type[0]/@machine=q35']);
      const d = root(parseXml(dumped));
      expect(attr(at(d, 'os/type'), 'machine')).toMatch(/^pc-q35-/);
      // libvirt fills in what the wizard left to it: a MAC for each NIC, PCI addresses, the SATA/SCSI controllers.
      expect(children(at(d, 'devices')!, 'interface').every((n) => /^52:54:00:/.test(attr(at(n, 'mac'), 'address') ?? ''))).toBe(true);
      const controllerTypes = new Set(children(at(d, 'devices')!, 'controller').map((c) => attr(c, 'type')));
      for (const t of ['sata', 'scsi', 'usb', 'pci']) expect(controllerTypes).toContain(t);
      const bootOrders: Record<string, string | undefined> = {};
      for (const e of [...children(at(d, 'devices')!, 'disk'), ...children(at(d, 'devices')!, 'interface')]) {
        if (at(e, 'boot')) bootOrders[attr(at(e, 'target'), 'dev') ?? attr(e, 'type') ?? '?'] = attr(at(e, 'boot'), 'order');
      }
      expect(bootOrders).toEqual({ vda: '1', sda: '2', sdb: '3', sdc: '4', network: '5' });
    });

    it('UEFI Secure Boot with enrolled keys, TPM 2.0, SPICE, Hyper-V and a local-time clock', async () => {
      const spec: DomainSpec = {
        name: uniqueName('dom-sb'),
        type,
        memory: gib(1),
        vcpus: 1,
        firmware: 'uefi',
        secureBoot: true,
        tpm: true,
        graphics: { type: 'spice', password: 'a longer spice password' },
        clock: 'localtime',
        features: { hyperv: true },
        osinfo: 'http://microsoft.com/win/11',
        disks: [{ source: { type: 'volume', pool: 'default', volume: 'vireo-test-win.qcow2' }, bus: 'sata' }],
      };
      const { built, dumped } = await defineDomain(spec);
      // SPICE with autoport has no port to record in the inactive definition.
      expect(lostOnDefine(built, dumped)).toEqual(['/domain[0]/os[0]/type[0]/@machine=q35', '/domain[0]/devices[0]/graphics[0]/@port=-1']);
      const d = root(parseXml(dumped));
      expect(attr(at(d, 'os'), 'firmware')).toBe('efi');
      expect(children(at(d, 'os/firmware')!, 'feature').map((f) => `${attr(f, 'name')}=${attr(f, 'enabled')}`).sort()).toEqual(['enrolled-keys=yes', 'secure-boot=yes']);
      expect(attr(at(d, 'features/smm'), 'state')).toBe('on');
      expect(attr(at(d, 'devices/tpm/backend'), 'version')).toBe('2.0');
    });

    it('UEFI without Secure Boot on i440fx, headless: no graphics, balloon off, empty IDE CD-ROM', async () => {
      const spec: DomainSpec = {
        name: uniqueName('dom-pc'),
        type,
        machine: 'pc',
        memory: mib(256),
        vcpus: 1,
        firmware: 'uefi',
        graphics: { type: 'none' },
        memballoon: false,
        rng: false,
        guestAgent: false,
        cdroms: [{}],
        cpu: { mode: 'custom', model: 'qemu64' },
      };
      const { built, dumped } = await defineDomain(spec);
      expect(lostOnDefine(built, dumped)).toEqual(['/domain[0]/os[0]/type[0]/@machine=pc']);
      const d = root(parseXml(dumped));
      expect(attr(at(d, 'os/type'), 'machine')).toMatch(/^pc-i440fx-/);
      expect(children(at(d, 'os/firmware')!, 'feature').map((f) => `${attr(f, 'name')}=${attr(f, 'enabled')}`)).toEqual(['secure-boot=no']);
      expect(at(d, 'devices/graphics')).toBeUndefined();
      expect(attr(at(d, 'devices/memballoon'), 'model')).toBe('none');
    });

    it('keeps names, titles, descriptions and paths with markup characters and non-ASCII', async () => {
      const odd = `<&'"> é 名前`;
      const spec: DomainSpec = {
        name: uniqueName(`odd${odd}`),
        type,
        memory: mib(128),
        vcpus: 1,
        title: `title ${odd}`,
        description: `description ${odd}\nsecond line`,
        disks: [{ source: { type: 'file', path: `/var/lib/libvirt/images/vireo-test ${odd}.qcow2` } }],
      };
      const { built, dumped } = await defineDomain(spec);
      expect(lostOnDefine(built, dumped)).toEqual(['/domain[0]/os[0]/type[0]/@machine=q35']);
      const d = root(parseXml(dumped));
      expect(text(at(d, 'name'))).toBe(spec.name);
      expect(at(d, 'description')!.textContent).toBe(spec.description);
      expect(attr(at(d, 'devices/disk/source'), 'file')).toBe(`/var/lib/libvirt/images/vireo-test ${odd}.qcow2`);
    });

    it('starts one tiny diskless UEFI Secure Boot + TPM domain: autoselection picks enrolled-keys firmware', async () => {
      const spec: DomainSpec = { name: uniqueName('dom-run'), type, memory: mib(128), vcpus: 1, firmware: 'uefi', secureBoot: true, tpm: true, memballoon: false };
      await defineDomain(spec);
      const { dom } = await conn.domainLookupByName({ name: spec.name });
      await conn.domainCreate({ dom });
      try {
        expect((await virsh(['domstate', spec.name])).trim()).toBe('running');
        const live = root(parseXml(await virsh(['dumpxml', spec.name])));
        const loader = at(live, 'os/loader')!;
        expect([attr(loader, 'type'), attr(loader, 'secure'), attr(loader, 'readonly')]).toEqual(['pflash', 'yes', 'yes']);
        // Debian's OVMF names its Microsoft-keys build *.ms.fd.
        expect(text(at(live, 'os/nvram'))).toBeTruthy();
        expect(attr(at(live, 'os/nvram'), 'template')).toMatch(/\.ms\.fd$/);
        expect(attr(at(live, 'devices/graphics'), 'port')).toMatch(/^59\d\d$/);
      } finally {
        await conn.domainDestroy({ dom });
      }
    });
  });

  describe('networks (defined, never started)', () => {
    const specs: Record<string, Omit<NetworkSpec, 'name'>> = {
      nat: {
        forward: { mode: 'nat', natPorts: { start: 1024, end: 65535 } },
        bridge: { name: 'vireotst0', stp: true, delay: 0 },
        mtu: 9000,
        domain: { name: 'vireo.test', localOnly: true },
        dns: { hosts: [{ ip: '10.250.1.10', hostnames: ['h1', 'h1.vireo.test'] }] },
        ipv4: { address: '10.250.1.1', prefix: 24, dhcp: { ranges: [{ start: '10.250.1.100', end: '10.250.1.200' }], hosts: [{ mac: '52:54:00:aa:bb:cc', name: 'h1', ip: '10.250.1.10' }] } },
        ipv6: { address: 'fd00:250::1', prefix: 64, dhcp: { ranges: [{ start: 'fd00:250::100', end: 'fd00:250::1ff' }], hosts: [{ name: 'h6', ip: 'fd00:250::10' }] } },
      },
      route: { forward: { mode: 'route', dev: 'eth0' }, ipv4: { address: '10.250.2.1', prefix: 24 } },
      open: { forward: { mode: 'open' }, ipv4: { address: '10.250.3.1', prefix: 24 } },
      isolated: { forward: { mode: 'isolated' }, ipv4: { address: '10.250.4.1', prefix: 24, dhcp: { ranges: [{ start: '10.250.4.2', end: '10.250.4.99' }] } } },
      'isolated without IP': { forward: { mode: 'isolated' } },
      'host bridge': { forward: { mode: 'bridge', bridge: 'br0' } },
      'macvtap bridge': { forward: { mode: 'bridge', interfaces: ['eth0', 'eth1'] } },
      private: { forward: { mode: 'private', dev: 'eth0', interfaces: ['eth0'] } },
      vepa: { forward: { mode: 'vepa', interfaces: ['eth0', 'eth1'] } },
      passthrough: { forward: { mode: 'passthrough', interfaces: ['eth0'] } },
      'hostdev pf': { forward: { mode: 'hostdev', pf: 'eth3', driver: 'vfio' } },
    };

    it.each(Object.entries(specs))('%s: defined and read back unchanged', async (label, partial) => {
      const name = uniqueName(`net-${label.replace(/\W+/g, '-')}`);
      const xml = buildNetworkXml({ ...partial, name });
      networks.push(name);
      await conn.networkDefineXMLFlags({ xml, flags: NETWORK_DEFINE_VALIDATE });
      const dumped = await virsh(['net-dumpxml', '--inactive', name]);
      expect(lostOnDefine(xml, dumped)).toEqual([]);
      const n = root(parseXml(dumped));
      expect(text(at(n, 'name'))).toBe(name);
      expect(attr(at(n, 'forward'), 'mode')).toBe(partial.forward.mode === 'isolated' ? undefined : partial.forward.mode);
      expect((await virsh(['net-info', name])).match(/^Active:\s+(\S+)/m)?.[1]).toBe('no');
    });

    it('hostdev by PCI address: libvirt reads the addresses and checks them against the host on define', async () => {
      const name = uniqueName('net-vfs');
      const xml = buildNetworkXml({ name, forward: { mode: 'hostdev', addresses: ['0000:7e:10.1', { bus: 0x7e, slot: 0x10, function: 3 }] } });
      networks.push(name);
      const exists = await stat('/sys/bus/pci/devices/0000:7e:10.1').then(() => true, () => false);
      if (exists) {
        await conn.networkDefineXMLFlags({ xml, flags: NETWORK_DEFINE_VALIDATE });
        expect(lostOnDefine(xml, await virsh(['net-dumpxml', '--inactive', name]))).toEqual([]);
      } else {
        // Without that virtual function on this host, the refusal names our (parsed) address.
        await expect(conn.networkDefineXMLFlags({ xml, flags: NETWORK_DEFINE_VALIDATE })).rejects.toThrow(/0000:7e:10\.1.*not an SR-IOV Virtual Function/);
      }
    });

    it('names with markup characters and non-ASCII', async () => {
      const name = uniqueName(`net-<&'">-é`);
      const xml = buildNetworkXml({ name, forward: { mode: 'isolated' } });
      networks.push(name);
      await conn.networkDefineXMLFlags({ xml, flags: NETWORK_DEFINE_VALIDATE });
      const dumped = await virsh(['net-dumpxml', '--inactive', name]);
      expect(lostOnDefine(xml, dumped)).toEqual([]);
      expect(text(at(root(parseXml(dumped)), 'name'))).toBe(name);
    });
  });

  describe('storage pools other than dir (defined, never started)', () => {
    const specs: Record<string, Omit<StoragePoolSpec, 'name'>> = {
      fs: { type: 'fs', device: '/dev/vireo-test-fs1', format: 'ext4', path: '/mnt/vireo-test-fs' },
      netfs: { type: 'netfs', host: 'nfs.example.test', dir: '/export/vireo', path: '/mnt/vireo-test-nfs', protocolVersion: 4 },
      logical: { type: 'logical', vg: 'vireotestvg', devices: ['/dev/vireo-test-pv1', '/dev/vireo-test-pv2'] },
      iscsi: { type: 'iscsi', host: '192.0.2.10', port: 3260, iqn: 'iqn.2013-06.com.example:vireo-test', initiator: 'iqn.2013-06.com.example:vireo-client' },
      disk: { type: 'disk', device: '/dev/vireo-test-disk', format: 'gpt' },
    } as Record<string, Omit<StoragePoolSpec, 'name'>>;

    it.each(Object.entries(specs))('%s: defined and read back unchanged', async (label, partial) => {
      const name = uniqueName(`pool-${label}`);
      const xml = buildStoragePoolXml({ ...partial, name } as StoragePoolSpec);
      pools.push(name);
      await conn.storagePoolDefineXML({ xml, flags: POOL_DEFINE_VALIDATE });
      const dumped = await virsh(['pool-dumpxml', '--inactive', name]);
      expect(lostOnDefine(xml, dumped)).toEqual([]);
      expect(attr(root(parseXml(dumped)), 'type')).toBe(partial.type);
      expect((await virsh(['pool-info', name])).match(/^State:\s+(\S+)/m)?.[1]).toBe('inactive');
    });

    it('zfs: defined when this libvirt has the backend, else refused for lack of it', async () => {
      const name = uniqueName('pool-zfs');
      const xml = buildStoragePoolXml({ type: 'zfs', name, zpool: 'vireotest', devices: ['/dev/vireo-test-vdev'] });
      pools.push(name);
      expect((await validateXml(xml)).valid).toBe(true);
      const caps = await virsh(['pool-capabilities']);
      if (/type='zfs' supported='yes'/.test(caps)) {
        await conn.storagePoolDefineXML({ xml, flags: POOL_DEFINE_VALIDATE });
        expect(lostOnDefine(xml, await virsh(['pool-dumpxml', '--inactive', name]))).toEqual([]);
      } else {
        await expect(conn.storagePoolDefineXML({ xml, flags: POOL_DEFINE_VALIDATE })).rejects.toThrow(/missing backend for pool type \d+ \(zfs\)/);
      }
    });
  });

  describe('a dir pool in a temp dir: build, start, volumes, a wizard disk', () => {
    let dir: string;
    let poolName: string;
    const created: string[] = [];

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vireo-test-pool-'));
      poolName = uniqueName('pool-dir');
      const spec: StoragePoolSpec = { type: 'dir', name: poolName, path: join(dir, 'images'), permissions: { mode: 0o711, owner: 0, group: 0 } };
      const xml = buildStoragePoolXml(spec);
      pools.push(poolName);
      const { pool } = await conn.storagePoolDefineXML({ xml, flags: POOL_DEFINE_VALIDATE });
      await conn.storagePoolBuild({ pool, flags: 0 });
      await conn.storagePoolCreate({ pool, flags: 0 });
      expect(lostOnDefine(xml, await virsh(['pool-dumpxml', '--inactive', poolName]))).toEqual([]);
    });

    afterAll(async () => {
      try {
        const { pool } = await conn.storagePoolLookupByName({ name: poolName });
        for (const name of created.reverse()) {
          const { vol } = await conn.storageVolLookupByName({ pool, name });
          await conn.storageVolDelete({ vol, flags: 0 });
        }
        await conn.storagePoolDestroy({ pool });
        await conn.storagePoolDelete({ pool, flags: 0 });
        await conn.storagePoolUndefine({ pool });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('built the directory with the permissions we asked for', async () => {
      const st = await stat(join(dir, 'images'));
      expect(st.isDirectory()).toBe(true);
      expect(st.mode & 0o7777).toBe(0o711);
      expect((await virsh(['pool-info', poolName])).match(/^State:\s+(\S+)/m)?.[1]).toBe('running');
    });

    async function createVolume(spec: StorageVolumeSpec): Promise<{ built: string; dumped: Element }> {
      const built = buildStorageVolumeXml(spec);
      const { pool } = await conn.storagePoolLookupByName({ name: poolName });
      // libvirt 9.0's dir backend refuses VIR_STORAGE_VOL_CREATE_VALIDATE, so the schema check is ours.
      expect((await validateXml(built)).errors).toEqual([]);
      await conn.storageVolCreateXML({ pool, xml: built, flags: 0 });
      created.push(spec.name);
      const dumpedXml = await virsh(['vol-dumpxml', '--pool', poolName, spec.name]);
      expect(lostOnDefine(built, dumpedXml)).toEqual([]);
      return { built, dumped: root(parseXml(dumpedXml)) };
    }

    it('qcow2 and raw volumes, sizes given in units, raw one sparse with permissions', async () => {
      const q = await createVolume({ name: 'base.qcow2', capacity: '64MiB' });
      expect(text(at(q.dumped, 'capacity'))).toBe(String(64 * 1024 * 1024));
      expect(attr(at(q.dumped, 'target/format'), 'type')).toBe('qcow2');
      const r = await createVolume({ name: 'raw.img', capacity: 8 * 1024 * 1024, allocation: 0, format: 'raw', permissions: { mode: 0o600, owner: 0, group: 0 } });
      expect(attr(at(r.dumped, 'target/format'), 'type')).toBe('raw');
      const st = await stat(join(dir, 'images', 'raw.img'));
      expect([st.size, st.mode & 0o777]).toEqual([8 * 1024 * 1024, 0o600]);
    });

    it('a qcow2 overlay on a backing store: libvirt reads the backing file back from the image', async () => {
      const base = join(dir, 'images', 'base.qcow2');
      const o = await createVolume({ name: 'overlay.qcow2', capacity: mib(128), backingStore: { path: base, format: 'qcow2' } });
      expect(text(at(o.dumped, 'backingStore/path'))).toBe(base);
      expect(attr(at(o.dumped, 'backingStore/format'), 'type')).toBe('qcow2');
      expect(text(at(o.dumped, 'capacity'))).toBe(String(128 * 1024 * 1024));
    });

    it('a volume whose name has markup characters and non-ASCII', async () => {
      const name = `odd <&'"> é 名前.qcow2`;
      const v = await createVolume({ name, capacity: { value: 1.5, unit: 'MiB' } });
      expect(text(at(v.dumped, 'name'))).toBe(name);
      expect(text(at(v.dumped, 'target/path'))).toBe(join(dir, 'images', name));
    });

    it('the wizard flow: create the new disk volume, then define a domain that uses it', async () => {
      const spec: DomainSpec = {
        name: uniqueName('dom-wizard'),
        type,
        memory: mib(256),
        vcpus: 1,
        disks: [{ source: { type: 'volume', pool: poolName, volume: 'vm-disk.qcow2' }, create: true, size: gib(2), discard: 'unmap' }],
      };
      for (const v of diskVolumes(spec)) {
        expect(v.pool).toBe(poolName);
        await createVolume({ name: v.name, capacity: v.capacity, format: v.format });
      }
      const { built, dumped } = await defineDomain(spec);
      expect(lostOnDefine(built, dumped)).toEqual(['/domain[0]/os[0]/type[0]/@machine=q35']);
      const source = at(root(parseXml(dumped)), 'devices/disk/source')!;
      expect([attr(source, 'pool'), attr(source, 'volume')]).toEqual([poolName, 'vm-disk.qcow2']);
    });
  });
});
