import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildDomain,
  buildDomainXml,
  buildNetworkXml,
  buildStoragePoolXml,
  buildStorageVolumeXml,
  gib,
  mib,
  parseValidatorOutput,
  rootElementName,
  schemaKindOf,
  SchemaValidatorError,
  serializeXml,
  validateXml,
  wizardDefaults,
  type DomainSpec,
  type NetworkSpec,
  type StoragePoolSpec,
  type StorageVolumeSpec,
} from '../../src/index.js';
import { addChild, at } from '../../src/dom/nav.js';

const odd = `odd <&'"> é 名前`;
const disk = (path: string): DomainSpec['disks'] => [{ source: { type: 'file', path }, create: true, size: gib(10), cache: 'none', discard: 'unmap' }];
const nic = (source: NonNullable<DomainSpec['interfaces']>[number]['source']): DomainSpec['interfaces'] => [{ source }];
const base = { memory: gib(1), vcpus: 1 } as const;

const domains: Record<string, DomainSpec> = {
  'minimal (all defaults)': { name: 'd-min', ...base },
  'bios + vnc + cdrom + seed + network NIC': {
    name: 'd-bios',
    ...base,
    disks: disk('/var/lib/libvirt/images/d.qcow2'),
    cdroms: [{ source: { type: 'file', path: '/isos/debian.iso' } }],
    cloudInitSeed: { type: 'file', path: '/var/lib/vireo/seed.iso' },
    interfaces: nic({ type: 'network', network: 'default' }),
  },
  'uefi (no secure boot) + spice': { name: 'd-uefi', ...base, firmware: 'uefi', graphics: { type: 'spice', password: 'pw' }, disks: disk('/v.qcow2') },
  'uefi + secure boot + tpm + hyperv (windows-like)': { ...wizardDefaults('windows'), name: 'd-win', disks: [{ source: { type: 'volume', pool: 'default', volume: 'w.qcow2' }, bus: 'sata' }], cdroms: [{ source: { type: 'volume', pool: 'isos', volume: 'win.iso' } }] },
  'secure boot without enrolled keys': { name: 'd-sb', ...base, firmware: 'uefi', secureBoot: true, enrolledKeys: false },
  'graphics none, no balloon/rng/agent, serial only': { name: 'd-headless', ...base, graphics: { type: 'none' }, memballoon: false, rng: false, guestAgent: false },
  'pxe from a bridge NIC': { name: 'd-pxe', ...base, disks: disk('/p.qcow2'), interfaces: nic({ type: 'bridge', bridge: 'br0' }), pxe: true },
  'direct (macvtap) NIC with MAC': { name: 'd-direct', ...base, interfaces: [{ source: { type: 'direct', dev: 'eno1', mode: 'vepa' }, mac: '52:54:00:12:34:56', model: 'e1000e' }] },
  'i440fx with ide cdrom, block and scsi disks': {
    name: 'd-pc',
    ...base,
    machine: 'pc',
    disks: [{ source: { type: 'block', dev: '/dev/vg/d' }, bus: 'scsi' }, { source: { type: 'file', path: '/s.img' }, bus: 'sata', format: 'raw' }],
    cdroms: [{}],
  },
  'qemu type, custom cpu, topology, extra controllers, fixed vnc port, balloon stats': {
    name: 'd-tcg',
    ...base,
    type: 'qemu',
    vcpus: 4,
    cpu: { mode: 'custom', model: 'qemu64' },
    topology: { sockets: 1, dies: 1, cores: 2, threads: 2 },
    controllers: [{ type: 'usb', model: 'qemu-xhci', ports: 15 }, { type: 'virtio-serial', index: 0 }],
    graphics: { type: 'vnc', port: 5905, password: 'secret', listen: '0.0.0.0' },
    memballoon: { statsPeriod: 10 },
    onCrash: 'coredump-destroy',
  },
  'title, description, uuid, osinfo, odd characters': {
    name: odd,
    title: odd,
    description: `${odd}\nsecond line`,
    uuid: '6f6c1b5a-8b43-4b8e-9f0e-0c4b1a7d2e11',
    osinfo: 'http://ubuntu.com/ubuntu/24.04',
    ...base,
    disks: disk(`/images/${odd}.qcow2`),
  },
  'linux wizard defaults': { ...wizardDefaults('linux'), name: 'd-linux', disks: disk('/l.qcow2') },
};

const networks: Record<string, NetworkSpec> = {
  nat: {
    name: 'n-nat',
    forward: { mode: 'nat', natPorts: { start: 1024, end: 65535 } },
    bridge: { name: 'virbr77', stp: true, delay: 0 },
    mtu: 9000,
    domain: { name: 'lab.test', localOnly: true },
    dns: { hosts: [{ ip: '192.168.77.10', hostnames: ['db', 'db.lab.test'] }] },
    ipv4: { address: '192.168.77.1', prefix: 24, dhcp: { ranges: [{ start: '192.168.77.100', end: '192.168.77.200' }], hosts: [{ mac: '52:54:00:00:00:10', name: 'db', ip: '192.168.77.10' }] } },
    ipv6: { address: 'fd00:77::1', prefix: 64, dhcp: { ranges: [{ start: 'fd00:77::100', end: 'fd00:77::1ff' }], hosts: [{ name: 'db', ip: 'fd00:77::10' }] } },
  },
  'nat minimal': { name: 'n-nat-min', forward: { mode: 'nat' }, ipv4: { address: '10.77.0.1', prefix: 16 } },
  route: { name: 'n-route', forward: { mode: 'route', dev: 'eth0' }, ipv4: { address: '10.78.0.1', prefix: 24 } },
  open: { name: 'n-open', forward: { mode: 'open' }, ipv4: { address: '10.79.0.1', prefix: 24 } },
  isolated: { name: 'n-iso', forward: { mode: 'isolated' }, ipv4: { address: '10.80.0.1', prefix: 24, dhcp: { ranges: [{ start: '10.80.0.2', end: '10.80.0.9' }] } } },
  'isolated, no IP': { name: 'n-iso-bare', forward: { mode: 'isolated' } },
  'host bridge': { name: 'n-br', forward: { mode: 'bridge', bridge: 'br0' } },
  'macvtap bridge': { name: 'n-mvbr', forward: { mode: 'bridge', interfaces: ['eth0', 'eth1'] } },
  private: { name: 'n-priv', forward: { mode: 'private', dev: 'eth0', interfaces: ['eth0'] } },
  vepa: { name: 'n-vepa', forward: { mode: 'vepa', interfaces: ['eth0', 'eth1'] } },
  passthrough: { name: 'n-pt', forward: { mode: 'passthrough', interfaces: ['eth2'] } },
  'hostdev pf': { name: 'n-pf', forward: { mode: 'hostdev', pf: 'enp3s0f0' } },
  'hostdev addresses': { name: 'n-vfs', forward: { mode: 'hostdev', managed: false, driver: 'vfio', addresses: ['0000:03:10.1', { bus: 3, slot: 16, function: 3 }] } },
  'odd name': { name: odd, forward: { mode: 'isolated' } },
};

const pools: Record<string, StoragePoolSpec> = {
  dir: { type: 'dir', name: 'p-dir', path: '/var/lib/libvirt/images', permissions: { mode: 0o711, owner: 0, group: 0, label: 'system_u:object_r:virt_image_t:s0' } },
  fs: { type: 'fs', name: 'p-fs', device: '/dev/sdb1', format: 'ext4', path: '/mnt/p-fs' },
  netfs: { type: 'netfs', name: 'p-nfs', host: 'nas.example.test', dir: '/export/vms', path: '/mnt/p-nfs', protocolVersion: 4 },
  logical: { type: 'logical', name: 'p-lvm', vg: 'vg_vms', devices: ['/dev/sdc', '/dev/sdd'] },
  'logical, existing VG': { type: 'logical', name: 'vg_existing' },
  // libvirt's schema allows one <device> for zfs (its C parser takes several).
  zfs: { type: 'zfs', name: 'p-zfs', zpool: 'tank', devices: ['/dev/sde'] },
  iscsi: { type: 'iscsi', name: 'p-iscsi', host: '192.0.2.10', port: 3260, iqn: 'iqn.2013-06.com.example:storage', initiator: 'iqn.2013-06.com.example:host1' },
  disk: { type: 'disk', name: 'p-disk', device: '/dev/sdf', format: 'dos' },
  'odd name and path': { type: 'dir', name: odd, path: `/srv/${odd}` },
};

const volumes: Record<string, StorageVolumeSpec> = {
  qcow2: { name: 'v.qcow2', capacity: gib(20) },
  'raw, allocated, permissions': { name: 'v.img', capacity: '512MiB', allocation: mib(512), format: 'raw', permissions: { mode: '0600', owner: 64055, group: 64055 } },
  'overlay on a backing store': { name: 'overlay.qcow2', capacity: gib(20), backingStore: { path: '/var/lib/libvirt/images/base.qcow2', format: 'qcow2' } },
  'odd name': { name: odd, capacity: 1n << 30n },
};

describe('builder output validates against libvirt’s schemas', () => {
  it.each(Object.entries(domains))('domain: %s', async (_, spec) => {
    const res = await validateXml(buildDomainXml(spec));
    expect(res.errors).toEqual([]);
    expect(res).toMatchObject({ valid: true, kind: 'domain' });
  });
  it.each(Object.entries(networks))('network: %s', async (_, spec) => {
    const res = await validateXml(buildNetworkXml(spec));
    expect(res.errors).toEqual([]);
    expect(res).toMatchObject({ valid: true, kind: 'network' });
  });
  it.each(Object.entries(pools))('storage pool: %s', async (_, spec) => {
    const res = await validateXml(buildStoragePoolXml(spec));
    expect(res.errors).toEqual([]);
    expect(res).toMatchObject({ valid: true, kind: 'storagepool' });
  });
  it.each(Object.entries(volumes))('storage volume: %s', async (_, spec) => {
    const res = await validateXml(buildStorageVolumeXml(spec), 'storagevol');
    expect(res.errors).toEqual([]);
    expect(res).toMatchObject({ valid: true, kind: 'storagevol' });
  });
});

describe('validateXml reports problems with their location', () => {
  it('an element the schema does not know: the line and element where validation failed', async () => {
    const doc = buildDomain({ name: 'bad', ...base });
    addChild(at(doc.documentElement!, 'devices')!, 'frobnicator', { level: 11 });
    const xml = serializeXml(doc);
    // RelaxNG's interleave cannot say which child broke it: xmllint reports the enclosing <devices>.
    const devicesLine = xml.split('\n').findIndex((l) => l.trim() === '<devices>') + 1;
    const res = await validateXml(xml);
    expect(res.valid).toBe(false);
    expect(res.errors).toContainEqual({ line: devicesLine, element: 'devices', message: expect.stringMatching(/failed to validate/) as unknown });
  });

  it('a bad attribute value points at its line', async () => {
    const xml = buildNetworkXml({ name: 'n', forward: { mode: 'isolated' } }).replace('<name>n</name>', '<name>n</name>\n  <mtu size="big"/>');
    const res = await validateXml(xml);
    expect(res.valid).toBe(false);
    expect(res.errors[0]).toMatchObject({ line: 3, element: 'mtu' });
  });

  it('a document that is not well-formed: parser error with its line', async () => {
    const res = await validateXml('<pool type="dir">\n  <name>p</name>\n  <target><path>/x</path>\n</pool>\n');
    expect(res.valid).toBe(false);
    expect(res.kind).toBe('storagepool');
    expect(res.errors[0]!.line).toBeGreaterThanOrEqual(3);
    expect(res.errors[0]!.message).toMatch(/parser error/);
  });

  it('a missing required element', async () => {
    const res = await validateXml('<volume>\n  <capacity>1</capacity>\n</volume>\n');
    expect(res.valid).toBe(false);
    expect(res.errors[0]!.line).toBe(1);
    expect(res.errors[0]!.element).toBe('volume');
  });

  it('a document checked against the wrong kind is invalid', async () => {
    const res = await validateXml(buildNetworkXml({ name: 'n', forward: { mode: 'isolated' } }), 'domain');
    expect(res).toMatchObject({ valid: false, kind: 'domain' });
    expect(res.errors[0]!.line).toBe(1);
  });

  it('no root element at all', async () => {
    const res = await validateXml('   ');
    expect(res.valid).toBe(false);
    expect(res.errors[0]!.message).toMatch(/no root element/);
  });
});

describe('validateXml: kinds and failures', () => {
  it('detects the kind from the root element, past prolog, comments and prefixes', () => {
    expect(schemaKindOf('<?xml version="1.0"?>\n<!-- hi -->\n<domain type="kvm"/>')).toBe('domain');
    expect(schemaKindOf('<pool type="dir"/>')).toBe('storagepool');
    expect(schemaKindOf('<volume/>')).toBe('storagevol');
    expect(schemaKindOf('<device><name>x</name></device>')).toBe('nodedev');
    expect(schemaKindOf('<capabilities/>')).toBe('capability');
    expect(schemaKindOf('<domainCapabilities/>')).toBe('domaincaps');
    expect(schemaKindOf('<filterbinding/>')).toBe('nwfilterbinding');
    expect(schemaKindOf('<domainsnapshot/>')).toBe('domainsnapshot');
    expect(schemaKindOf('<html/>')).toBeUndefined();
    expect(rootElementName('\uFEFF<!DOCTYPE x>\n<x:network xmlns:x="u"/>')).toBe('network');
  });

  it('validates libvirt’s own kinds beyond the builders’ (capabilities)', async () => {
    const res = await validateXml('<capabilities><host><uuid>6f6c1b5a-8b43-4b8e-9f0e-0c4b1a7d2e11</uuid><cpu><arch>x86_64</arch></cpu></host></capabilities>');
    expect(res).toMatchObject({ valid: true, kind: 'capability' });
  });

  it('an unknown root element or kind is the caller’s error, not an invalid document', async () => {
    await expect(validateXml('<html/>')).rejects.toMatchObject({ name: 'SchemaValidatorError', failure: 'unknown-kind' });
    await expect(validateXml('<domain/>', '../../etc/passwd' as 'domain')).rejects.toBeInstanceOf(SchemaValidatorError);
  });

  it('a clear error when the tool is missing', async () => {
    const err = (await validateXml('<domain/>', undefined, { command: '/nonexistent/virt-xml-validate' }).catch((e: unknown) => e)) as SchemaValidatorError;
    expect(err).toBeInstanceOf(SchemaValidatorError);
    expect(err.failure).toBe('missing-tool');
    expect(err.message).toMatch(/libvirt-clients/);
  });

  it('gives up after the timeout, and removes its temp file either way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vireo-validate-test-'));
    try {
      const slow = join(dir, 'slow-validate');
      await writeFile(slow, `#!/bin/sh\necho "$1" > '${dir}/seen'\nexec sleep 10\n`, { mode: 0o755 });
      await expect(validateXml('<domain/>', undefined, { command: slow, timeoutMs: 300 })).rejects.toMatchObject({ failure: 'timeout' });
      const seen = (await readFile(join(dir, 'seen'), 'utf8')).trim();
      expect(seen).toMatch(/document\.xml$/);
      expect(existsSync(seen)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('parses xmllint’s lines and ignores the excerpt, caret and summary lines', () => {
    const file = '/tmp/vireo-validate-x/document.xml';
    const output = [
      `${file}:12: element foo: Relax-NG validity error : Element devices has extra content: foo`,
      `${file}:3: parser error : Opening and ending tag mismatch: target line 3 and pool`,
      '</pool>',
      '       ^',
      `${file}:0: element domain: Relax-NG validity error : Expecting an element name, got nothing`,
      `${file} fails to validate`,
    ].join('\n');
    expect(parseValidatorOutput(output, file)).toEqual([
      { line: 12, element: 'foo', message: 'Element devices has extra content: foo' },
      { line: 3, element: undefined, message: 'parser error: Opening and ending tag mismatch: target line 3 and pool' },
      { line: undefined, element: 'domain', message: 'Expecting an element name, got nothing' },
    ]);
  });
});
