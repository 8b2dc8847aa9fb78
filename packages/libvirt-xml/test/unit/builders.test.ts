import type { Document, Element } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildDomain,
  buildDomainXml,
  buildNetwork,
  buildNetworkXml,
  buildStoragePool,
  buildStoragePoolXml,
  buildStorageVolume,
  buildStorageVolumeXml,
  canonicalLines,
  diskVolumes,
  gib,
  kib,
  mib,
  parseXml,
  sizeToBytes,
  SpecError,
  wizardDefaults,
  type DomainSpec,
  type IpSpec,
  type NetworkSpec,
  type StoragePoolSpec,
  type StorageVolumeSpec,
} from '../../src/index.js';
import { at, attr, children, text } from '../../src/dom/nav.js';

const base: DomainSpec = { name: 'vm1', memory: gib(2), vcpus: 2 };

function root(doc: Document): Element {
  return doc.documentElement!;
}
function domain(extra: Partial<DomainSpec> = {}): Element {
  return root(buildDomain({ ...base, ...extra }));
}
function devices(extra: Partial<DomainSpec> = {}): Element {
  return at(domain(extra), 'devices')!;
}
/** Child element names of the domain's <devices>, in order. */
function deviceKinds(d: Element): string[] {
  return children(d).map((c) => c.tagName);
}
function specError(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected a SpecError');
}
function expectField(fn: () => unknown, field: string, message?: RegExp): void {
  const err = specError(fn);
  expect(err.field).toBe(field);
  expect(err.message.startsWith(`${field}: `)).toBe(true);
  if (message) expect(err.message).toMatch(message);
}

describe('buildDomain defaults', () => {
  it('writes the wizard defaults: kvm, x86_64 q35, host-passthrough, BIOS, VNC on localhost and the usual devices', () => {
    const d = domain();
    expect(attr(d, 'type')).toBe('kvm');
    expect(text(at(d, 'name'))).toBe('vm1');
    expect(attr(at(d, 'memory'), 'unit')).toBe('KiB');
    expect(text(at(d, 'memory'))).toBe('2097152');
    expect(text(at(d, 'currentMemory'))).toBe('2097152');
    expect(text(at(d, 'vcpu'))).toBe('2');
    const type = at(d, 'os/type')!;
    expect([attr(type, 'arch'), attr(type, 'machine'), text(type)]).toEqual(['x86_64', 'q35', 'hvm']);
    expect(attr(at(d, 'os'), 'firmware')).toBeUndefined();
    expect(at(d, 'os/firmware')).toBeUndefined();
    expect(attr(at(d, 'cpu'), 'mode')).toBe('host-passthrough');
    expect(children(at(d, 'features')!).map((c) => c.tagName)).toEqual(['acpi', 'apic']);
    expect(attr(at(d, 'clock'), 'offset')).toBe('utc');
    expect([text(at(d, 'on_poweroff')), text(at(d, 'on_reboot')), text(at(d, 'on_crash'))]).toEqual(['destroy', 'restart', 'destroy']);
    const dev = at(d, 'devices')!;
    expect(deviceKinds(dev)).toEqual(['serial', 'console', 'channel', 'input', 'graphics', 'video', 'memballoon', 'rng']);
    expect(attr(at(dev, 'serial'), 'type')).toBe('pty');
    expect(attr(at(dev, 'console/target'), 'type')).toBe('serial');
    expect(attr(at(dev, 'channel'), 'type')).toBe('unix');
    expect(attr(at(dev, 'channel/target'), 'name')).toBe('org.qemu.guest_agent.0');
    expect([attr(at(dev, 'input'), 'type'), attr(at(dev, 'input'), 'bus')]).toEqual(['tablet', 'usb']);
    const g = at(dev, 'graphics')!;
    expect([attr(g, 'type'), attr(g, 'autoport'), attr(g, 'listen'), attr(g, 'port')]).toEqual(['vnc', 'yes', '127.0.0.1', '-1']);
    expect([attr(at(g, 'listen'), 'type'), attr(at(g, 'listen'), 'address')]).toEqual(['address', '127.0.0.1']);
    expect(attr(at(dev, 'video/model'), 'type')).toBe('virtio');
    expect(attr(at(dev, 'memballoon'), 'model')).toBe('virtio');
    expect(at(dev, 'memballoon/stats')).toBeUndefined();
    expect(attr(at(dev, 'rng'), 'model')).toBe('virtio');
    expect(text(at(dev, 'rng/backend'))).toBe('/dev/urandom');
  });

  it('prints two-space indentation, one element per line', () => {
    const xml = buildDomainXml(base);
    expect(xml.startsWith('<domain type="kvm">\n  <name>vm1</name>\n  <memory unit="KiB">2097152</memory>\n')).toBe(true);
    expect(xml).toContain('\n  <devices>\n    <serial type="pty">\n      <target port="0"/>\n    </serial>\n');
    expect(xml.endsWith('\n  </devices>\n</domain>')).toBe(true);
  });

  it('serialises to what it built (string and document agree)', () => {
    const spec: DomainSpec = { ...base, firmware: 'uefi', secureBoot: true };
    expect(canonicalLines(buildDomainXml(spec))).toEqual(canonicalLines(buildDomain(spec)));
  });
});

describe('buildDomain: identity, memory, CPU', () => {
  it('writes title, description, uuid and libosinfo metadata in its namespace', () => {
    const d = domain({ title: 'Web server', description: 'line one\nline two', uuid: '6f6c1b5a-8b43-4b8e-9f0e-0c4b1a7d2e11', osinfo: 'http://ubuntu.com/ubuntu/24.04' });
    expect(text(at(d, 'title'))).toBe('Web server');
    expect(at(d, 'description')!.textContent).toBe('line one\nline two');
    expect(text(at(d, 'uuid'))).toBe('6f6c1b5a-8b43-4b8e-9f0e-0c4b1a7d2e11');
    const os = at(d, 'metadata')!.getElementsByTagNameNS('http://libosinfo.org/xmlns/libvirt/domain/1.0', 'os')[0];
    expect(attr(os, 'id')).toBe('http://ubuntu.com/ubuntu/24.04');
    expect(buildDomainXml({ ...base, osinfo: 'x' })).toContain('xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"');
  });

  it('converts memory to KiB from any explicit unit', () => {
    expect(text(at(domain({ memory: mib(1536) }), 'memory'))).toBe('1572864');
    expect(text(at(domain({ memory: '1GiB' }), 'memory'))).toBe('1048576');
    expect(text(at(domain({ memory: kib(524288) }), 'memory'))).toBe('524288');
    expect(text(at(domain({ memory: { value: 1.5, unit: 'GiB' } }), 'memory'))).toBe('1572864');
    const d = domain({ memory: gib(4), currentMemory: gib(2) });
    expect([text(at(d, 'memory')), text(at(d, 'currentMemory'))]).toEqual(['4194304', '2097152']);
  });

  it('rejects memory without a unit, of zero, or below current memory', () => {
    expectField(() => buildDomain({ ...base, memory: 2048 as unknown as string }), 'memory', /unit/);
    expectField(() => buildDomain({ ...base, memory: '2048' }), 'memory', /needs a unit/);
    expectField(() => buildDomain({ ...base, memory: mib(0) }), 'memory', /more than 0/);
    expectField(() => buildDomain({ ...base, memory: { value: 1000, unit: 'B' } }), 'memory', /whole number of KiB/);
    expectField(() => buildDomain({ ...base, memory: '2 parsecs' }), 'memory', /unknown unit/);
    expectField(() => buildDomain({ ...base, currentMemory: gib(3) }), 'currentMemory', /exceed/);
    expectField(() => buildDomain({ ...base, vcpus: 0 }), 'vcpus');
    expectField(() => buildDomain({ ...base, vcpus: 1.5 }), 'vcpus');
  });

  it('uses maximum for qemu (TCG) and refuses host-passthrough there', () => {
    expect(attr(at(domain({ type: 'qemu' }), 'cpu'), 'mode')).toBe('maximum');
    expect(attr(at(domain({ type: 'qemu', cpu: { mode: 'host-model' } }), 'cpu'), 'mode')).toBe('host-model');
    expectField(() => buildDomain({ ...base, type: 'qemu', cpu: { mode: 'host-passthrough' } }), 'cpu.mode', /kvm/);
    expectField(() => buildDomain({ ...base, type: 'xen' as 'kvm' }), 'type');
  });

  it('writes a custom CPU model and a topology that matches vcpus', () => {
    const cpu = at(domain({ vcpus: 8, cpu: { mode: 'custom', model: 'Skylake-Client' }, topology: { sockets: 1, cores: 4, threads: 2 } }), 'cpu')!;
    expect([attr(cpu, 'mode'), attr(cpu, 'match'), text(at(cpu, 'model')), attr(at(cpu, 'model'), 'fallback')]).toEqual(['custom', 'exact', 'Skylake-Client', 'allow']);
    const t = at(cpu, 'topology')!;
    expect([attr(t, 'sockets'), attr(t, 'dies'), attr(t, 'cores'), attr(t, 'threads')]).toEqual(['1', undefined, '4', '2']);
    expect(attr(at(domain({ vcpus: 4, topology: { sockets: 2, dies: 1, cores: 2, threads: 1 } }), 'cpu/topology'), 'dies')).toBe('1');
    expectField(() => buildDomain({ ...base, vcpus: 6, topology: { sockets: 1, cores: 4, threads: 2 } }), 'topology', /8.*6/);
    expectField(() => buildDomain({ ...base, cpu: { mode: 'custom' } }), 'cpu.model');
    expectField(() => buildDomain({ ...base, cpu: { mode: 'host-model', model: 'x' } }), 'cpu.model');
  });
});

describe('buildDomain: firmware', () => {
  it('UEFI without Secure Boot asks for firmware with Secure Boot off', () => {
    const d = domain({ firmware: 'uefi' });
    expect(attr(at(d, 'os'), 'firmware')).toBe('efi');
    const features = children(at(d, 'os/firmware')!, 'feature').map((f) => `${attr(f, 'name')}=${attr(f, 'enabled')}`);
    expect(features).toEqual(['secure-boot=no']);
    expect(at(d, 'features/smm')).toBeUndefined();
  });

  it('Secure Boot asks for enrolled keys and turns SMM on', () => {
    const d = domain({ firmware: 'uefi', secureBoot: true });
    const features = children(at(d, 'os/firmware')!, 'feature').map((f) => `${attr(f, 'name')}=${attr(f, 'enabled')}`);
    expect(features).toEqual(['secure-boot=yes', 'enrolled-keys=yes']);
    expect(attr(at(d, 'features/smm'), 'state')).toBe('on');
    const noKeys = domain({ firmware: 'uefi', secureBoot: true, enrolledKeys: false });
    expect(children(at(noKeys, 'os/firmware')!, 'feature').map((f) => attr(f, 'enabled'))).toEqual(['yes', 'no']);
  });

  it('rejects unknown firmware and Secure Boot without UEFI, q35 or SMM', () => {
    expectField(() => buildDomain({ ...base, firmware: 'coreboot' as 'bios' }), 'firmware', /bios, uefi/);
    expectField(() => buildDomain({ ...base, secureBoot: true }), 'secureBoot', /uefi/);
    expectField(() => buildDomain({ ...base, firmware: 'uefi', secureBoot: true, machine: 'pc' }), 'secureBoot', /q35/);
    expectField(() => buildDomain({ ...base, firmware: 'uefi', secureBoot: true, features: { smm: false } }), 'features.smm');
    expectField(() => buildDomain({ ...base, firmware: 'uefi', enrolledKeys: true }), 'enrolledKeys');
  });

  it('writes features, Hyper-V enlightenments, a local-time clock and lifecycle actions', () => {
    const d = domain({ features: { acpi: false, hyperv: true }, clock: 'localtime', onPoweroff: 'restart', onReboot: 'destroy', onCrash: 'coredump-restart' });
    expect(children(at(d, 'features')!).map((c) => c.tagName)).toEqual(['apic', 'hyperv']);
    expect(children(at(d, 'features/hyperv')!).map((c) => c.tagName)).toEqual(['relaxed', 'vapic', 'spinlocks']);
    expect(attr(at(d, 'clock'), 'offset')).toBe('localtime');
    expect(attr(at(d, 'clock/timer'), 'name')).toBe('hypervclock');
    expect([text(at(d, 'on_poweroff')), text(at(d, 'on_reboot')), text(at(d, 'on_crash'))]).toEqual(['restart', 'destroy', 'coredump-restart']);
    expect(at(domain({ features: { acpi: false, apic: false } }), 'features')).toBeUndefined();
    expectField(() => buildDomain({ ...base, onReboot: 'preserve' as 'destroy' }), 'onReboot');
    expectField(() => buildDomain({ ...base, clock: 'tai' as 'utc' }), 'clock');
  });
});

describe('buildDomain: disks, CD-ROMs and boot order', () => {
  it('writes virtio qcow2 disks with cache and discard, volumes and block devices', () => {
    const dev = devices({
      disks: [
        { source: { type: 'file', path: '/var/lib/libvirt/images/a.qcow2' }, cache: 'none', discard: 'unmap', create: true, size: '20GiB' },
        { source: { type: 'volume', pool: 'default', volume: 'b.img' }, format: 'raw', readonly: true, serial: 'DATA1' },
        { source: { type: 'block', dev: '/dev/vg0/data' } },
      ],
    });
    const disks = children(dev, 'disk');
    expect(disks.map((d) => [attr(d, 'type'), attr(d, 'device')])).toEqual([['file', 'disk'], ['volume', 'disk'], ['block', 'disk']]);
    expect([attr(at(disks[0]!, 'driver'), 'type'), attr(at(disks[0]!, 'driver'), 'cache'), attr(at(disks[0]!, 'driver'), 'discard')]).toEqual(['qcow2', 'none', 'unmap']);
    expect(attr(at(disks[0]!, 'source'), 'file')).toBe('/var/lib/libvirt/images/a.qcow2');
    expect([attr(at(disks[1]!, 'source'), 'pool'), attr(at(disks[1]!, 'source'), 'volume')]).toEqual(['default', 'b.img']);
    expect(attr(at(disks[1]!, 'driver'), 'type')).toBe('raw');
    expect(at(disks[1]!, 'readonly')).toBeDefined();
    expect(text(at(disks[1]!, 'serial'))).toBe('DATA1');
    expect(attr(at(disks[2]!, 'source'), 'dev')).toBe('/dev/vg0/data');
    expect(attr(at(disks[2]!, 'driver'), 'type')).toBe('raw');
    expect(disks.map((d) => `${attr(at(d, 'target'), 'dev')}/${attr(at(d, 'target'), 'bus')}`)).toEqual(['vda/virtio', 'vdb/virtio', 'vdc/virtio']);
  });

  it('names sata and scsi disks sdX and adds one virtio-scsi controller', () => {
    const dev = devices({
      disks: [
        { source: { type: 'file', path: '/a.qcow2' }, bus: 'sata' },
        { source: { type: 'file', path: '/b.qcow2' }, bus: 'scsi' },
        { source: { type: 'file', path: '/c.qcow2' }, bus: 'scsi' },
      ],
    });
    expect(children(dev, 'disk').map((d) => attr(at(d, 'target'), 'dev'))).toEqual(['sda', 'sdb', 'sdc']);
    const controllers = children(dev, 'controller');
    expect(controllers.map((c) => `${attr(c, 'type')}/${attr(c, 'model')}`)).toEqual(['scsi/virtio-scsi']);
  });

  it('counts target names past z the way the kernel does', () => {
    const disks = Array.from({ length: 28 }, (_, i) => ({ source: { type: 'file' as const, path: `/d${i}.qcow2` } }));
    const names = children(devices({ disks }), 'disk').map((d) => attr(at(d, 'target'), 'dev'));
    expect(names.slice(24)).toEqual(['vdy', 'vdz', 'vdaa', 'vdab']);
  });

  it('puts CD-ROMs on SATA for q35 and IDE for i440fx, read-only, and the cloud-init seed last', () => {
    const q35 = devices({ cdroms: [{ source: { type: 'file', path: '/isos/debian.iso' } }], cloudInitSeed: { type: 'file', path: '/var/lib/vireo/seed.iso' } });
    const [iso, seed] = children(q35, 'disk');
    expect([attr(iso, 'device'), attr(at(iso!, 'target'), 'bus'), attr(at(iso!, 'target'), 'dev')]).toEqual(['cdrom', 'sata', 'sda']);
    expect(at(iso!, 'readonly')).toBeDefined();
    expect(attr(at(iso!, 'boot'), 'order')).toBe('1');
    expect([attr(seed, 'device'), attr(at(seed!, 'source'), 'file'), attr(at(seed!, 'target'), 'dev')]).toEqual(['cdrom', '/var/lib/vireo/seed.iso', 'sdb']);
    expect(at(seed!, 'boot')).toBeUndefined();
    expect(at(seed!, 'readonly')).toBeDefined();
    const pc = devices({ machine: 'pc', cdroms: [{ source: { type: 'volume', pool: 'isos', volume: 'x.iso' } }] });
    const cd = children(pc, 'disk')[0]!;
    expect([attr(cd, 'type'), attr(at(cd, 'target'), 'bus'), attr(at(cd, 'target'), 'dev')]).toEqual(['volume', 'ide', 'hda']);
    expect(attr(at(children(devices({ machine: 'pc-i440fx-7.2', cdroms: [{}] }), 'disk')[0]!, 'target'), 'bus')).toBe('ide');
    const empty = children(devices({ cdroms: [{}] }), 'disk')[0]!;
    expect(at(empty, 'source')).toBeUndefined();
    expect(at(empty, 'boot')).toBeUndefined();
    expectField(() => buildDomain({ ...base, cdroms: [{ bus: 'ide' }] }), 'cdroms[0].bus', /q35/);
  });

  it('boots disks, then install media, then the PXE interface, unless orders are given', () => {
    const dev = devices({
      disks: [{ source: { type: 'file', path: '/a.qcow2' } }],
      cdroms: [{ source: { type: 'file', path: '/i.iso' } }],
      interfaces: [{ source: { type: 'network', network: 'default' } }, { source: { type: 'bridge', bridge: 'br0' } }],
      pxe: true,
    });
    const order = (e: Element): string | undefined => attr(at(e, 'boot'), 'order');
    expect(children(dev, 'disk').map(order)).toEqual(['1', '2']);
    expect(children(dev, 'interface').map(order)).toEqual(['3', undefined]);
    expect(at(domain(), 'os/boot')).toBeUndefined();

    const explicit = devices({
      disks: [{ source: { type: 'file', path: '/a.qcow2' }, bootOrder: 2 }],
      cdroms: [{ source: { type: 'file', path: '/i.iso' }, bootOrder: 1 }],
      interfaces: [{ source: { type: 'network', network: 'default' } }],
      pxe: true,
    });
    expect(children(explicit, 'disk').map(order)).toEqual(['2', '1']);
    expect(children(explicit, 'interface').map(order)).toEqual(['3']);
  });

  it('rejects a new disk without a size and other bad disks, naming the field', () => {
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'file', path: '/a.qcow2' }, create: true }] }), 'disks[0].size', /required for a new disk/);
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'file', path: '/a' } }, { source: { type: 'file', path: '/b' }, create: true, size: 0 }] }), 'disks[1].size', /more than 0/);
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'block', dev: '/dev/sdb' }, create: true, size: gib(1) }] }), 'disks[0].create');
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'file', path: 'relative.qcow2' } }] }), 'disks[0].source.path', /absolute/);
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'file', path: '/a' }, bus: 'usb' as 'sata' }] }), 'disks[0].bus');
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'file', path: '/a' }, format: 'vmdk' as 'raw' }] }), 'disks[0].format');
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'file', path: '/a' }, cache: 'fast' as 'none' }] }), 'disks[0].cache');
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'volume', pool: '', volume: 'v' } }] }), 'disks[0].source.pool');
    expectField(() => buildDomain({ ...base, disks: [{ source: { type: 'file', path: '/a' }, bootOrder: 1 }, { source: { type: 'file', path: '/b' }, bootOrder: 1 }] }), 'disks[1].bootOrder', /twice/);
    expectField(() => buildDomain({ ...base, pxe: true }), 'pxe', /interface/);
  });

  it('lists the volumes a caller must create for new pool disks', () => {
    const spec: DomainSpec = {
      ...base,
      disks: [
        { source: { type: 'volume', pool: 'default', volume: 'vm1.qcow2' }, create: true, size: '20GiB' },
        { source: { type: 'file', path: '/existing.qcow2' } },
      ],
    };
    expect(diskVolumes(spec)).toEqual([{ pool: 'default', name: 'vm1.qcow2', capacity: '20GiB', format: 'qcow2' }]);
  });
});

describe('buildDomain: interfaces, graphics and other devices', () => {
  it('writes network, bridge and macvtap interfaces with models and MACs', () => {
    const dev = devices({
      interfaces: [
        { source: { type: 'network', network: 'default', portgroup: 'web' }, mac: '52:54:00:AB:CD:EF' },
        { source: { type: 'bridge', bridge: 'br0' }, model: 'e1000e' },
        { source: { type: 'direct', dev: 'eno1' } },
        { source: { type: 'direct', dev: 'eno2', mode: 'passthrough' } },
      ],
    });
    const nics = children(dev, 'interface');
    expect(nics.map((n) => attr(n, 'type'))).toEqual(['network', 'bridge', 'direct', 'direct']);
    expect([attr(at(nics[0]!, 'source'), 'network'), attr(at(nics[0]!, 'source'), 'portgroup'), attr(at(nics[0]!, 'mac'), 'address')]).toEqual(['default', 'web', '52:54:00:ab:cd:ef']);
    expect(attr(at(nics[1]!, 'source'), 'bridge')).toBe('br0');
    expect(nics.map((n) => attr(at(n, 'model'), 'type'))).toEqual(['virtio', 'e1000e', 'virtio', 'virtio']);
    expect([attr(at(nics[2]!, 'source'), 'dev'), attr(at(nics[2]!, 'source'), 'mode')]).toEqual(['eno1', 'bridge']);
    expect(attr(at(nics[3]!, 'source'), 'mode')).toBe('passthrough');
    expectField(() => buildDomain({ ...base, interfaces: [{ source: { type: 'network', network: 'n' }, mac: '52:54:00:zz:00:00' }] }), 'interfaces[0].mac');
    expectField(() => buildDomain({ ...base, interfaces: [{ source: { type: 'network', network: 'n' }, mac: '01:00:5e:00:00:01' }] }), 'interfaces[0].mac', /multicast/);
    expectField(() => buildDomain({ ...base, interfaces: [{ source: { type: 'direct', dev: 'eth0', mode: 'vxlan' as 'vepa' } }] }), 'interfaces[0].source.mode');
    expectField(() => buildDomain({ ...base, interfaces: [{ source: { type: 'bridge', bridge: 'br 0' } }] }), 'interfaces[0].source.bridge');
  });

  it('SPICE gets qxl video and the agent channel; a fixed port and a password are kept', () => {
    const dev = devices({ graphics: { type: 'spice', port: 5930, password: 'a long spice password', listen: '0.0.0.0' } });
    const g = at(dev, 'graphics')!;
    expect([attr(g, 'type'), attr(g, 'port'), attr(g, 'autoport'), attr(g, 'listen'), attr(g, 'passwd')]).toEqual(['spice', '5930', 'no', '0.0.0.0', 'a long spice password']);
    expect(attr(at(dev, 'video/model'), 'type')).toBe('qxl');
    expect(children(dev, 'channel').map((c) => attr(at(c, 'target'), 'name'))).toEqual(['org.qemu.guest_agent.0', 'com.redhat.spice.0']);
    expect(attr(at(devices({ graphics: { type: 'vnc' }, video: 'vga' }), 'video/model'), 'type')).toBe('vga');
  });

  it('graphics none leaves out the display, video and tablet', () => {
    const dev = devices({ graphics: { type: 'none' } });
    expect(deviceKinds(dev)).toEqual(['serial', 'console', 'channel', 'memballoon', 'rng']);
  });

  it('rejects bad graphics settings', () => {
    expectField(() => buildDomain({ ...base, graphics: { type: 'vnc', password: '123456789' } }), 'graphics.password', /8 bytes/);
    expectField(() => buildDomain({ ...base, graphics: { type: 'vnc', listen: 'localhost' } }), 'graphics.listen');
    expectField(() => buildDomain({ ...base, graphics: { type: 'vnc', port: 80 } }), 'graphics.port');
    expectField(() => buildDomain({ ...base, graphics: { type: 'rdp' } as unknown as DomainSpec['graphics'] }), 'graphics.type');
    expectField(() => buildDomain({ ...base, video: 'cga' as 'vga' }), 'video');
  });

  it('writes TPM 2.0, balloon stats, extra controllers; and leaves out what is turned off', () => {
    const dev = devices({ tpm: true, memballoon: { statsPeriod: 5 }, controllers: [{ type: 'usb', model: 'qemu-xhci', ports: 15 }, { type: 'scsi', index: 0, model: 'virtio-scsi' }], disks: [{ source: { type: 'file', path: '/a' }, bus: 'scsi' }] });
    expect(attr(at(dev, 'tpm'), 'model')).toBe('tpm-crb');
    expect([attr(at(dev, 'tpm/backend'), 'type'), attr(at(dev, 'tpm/backend'), 'version')]).toEqual(['emulator', '2.0']);
    expect(attr(at(dev, 'memballoon/stats'), 'period')).toBe('5');
    expect(children(dev, 'controller').map((c) => `${attr(c, 'type')}/${attr(c, 'model')}/${attr(c, 'ports') ?? ''}`)).toEqual(['usb/qemu-xhci/15', 'scsi/virtio-scsi/']);
    const bare = devices({ serialConsole: false, guestAgent: false, rng: false, memballoon: false, tablet: false });
    expect(deviceKinds(bare)).toEqual(['graphics', 'video', 'memballoon']);
    expect(attr(at(bare, 'memballoon'), 'model')).toBe('none');
    expectField(() => buildDomain({ ...base, controllers: [{ type: 'floppy' as 'usb' }] }), 'controllers[0].type');
  });

  it('wizard defaults build for every OS family', () => {
    for (const family of ['linux', 'windows', 'other'] as const) {
      const spec: DomainSpec = { ...wizardDefaults(family), name: `vm-${family}`, disks: [{ source: { type: 'file', path: '/v.qcow2' }, bus: family === 'windows' ? 'sata' : 'virtio', create: true, size: gib(40) }] };
      const d = root(buildDomain(spec));
      expect(text(at(d, 'name'))).toBe(`vm-${family}`);
    }
    const win = root(buildDomain({ ...wizardDefaults('windows'), name: 'w' }));
    expect(attr(at(win, 'clock'), 'offset')).toBe('localtime');
    expect(at(win, 'devices/tpm')).toBeDefined();
    expect(attr(at(win, 'features/smm'), 'state')).toBe('on');
    expect(attr(at(win, 'devices/interface/model'), 'type')).toBe('e1000e');
  });
});

describe('escaping', () => {
  const odd = `a<b>&c'd"e é 名前 🦜`;

  it('keeps markup characters and non-ASCII in names, titles, descriptions and paths intact', () => {
    const xml = buildDomainXml({
      ...base,
      name: odd,
      title: odd,
      description: `${odd}\n]]> <!-- -->`,
      disks: [{ source: { type: 'file', path: `/images/${odd}.qcow2` } }],
      cdroms: [{ source: { type: 'volume', pool: odd, volume: `${odd}.iso` } }],
    });
    expect(xml).not.toContain('<b>');
    const d = root(parseXml(xml));
    expect(text(at(d, 'name'))).toBe(odd);
    expect(text(at(d, 'title'))).toBe(odd);
    expect(at(d, 'description')!.textContent).toBe(`${odd}\n]]> <!-- -->`);
    const [disk, cd] = children(at(d, 'devices')!, 'disk');
    expect(attr(at(disk!, 'source'), 'file')).toBe(`/images/${odd}.qcow2`);
    expect([attr(at(cd!, 'source'), 'pool'), attr(at(cd!, 'source'), 'volume')]).toEqual([odd, `${odd}.iso`]);
  });

  it('escapes network, pool and volume names and paths', () => {
    const net = root(parseXml(buildNetworkXml({ name: odd, forward: { mode: 'isolated' } })));
    expect(text(at(net, 'name'))).toBe(odd);
    const pool = root(parseXml(buildStoragePoolXml({ type: 'dir', name: odd, path: `/srv/${odd}` })));
    expect([text(at(pool, 'name')), text(at(pool, 'target/path'))]).toEqual([odd, `/srv/${odd}`]);
    const vol = root(parseXml(buildStorageVolumeXml({ name: odd, capacity: mib(1), backingStore: { path: `/srv/${odd}/base`, format: 'qcow2' } })));
    expect([text(at(vol, 'name')), text(at(vol, 'backingStore/path'))]).toEqual([odd, `/srv/${odd}/base`]);
  });

  it('any name either round-trips exactly or is refused naming the field', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), (name) => {
        let xml: string;
        try {
          xml = buildDomainXml({ ...base, name });
        } catch (err) {
          expect(err).toBeInstanceOf(SpecError);
          expect((err as SpecError).field).toBe('name');
          return;
        }
        expect(at(root(parseXml(xml)), 'name')!.textContent).toBe(name);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses characters XML cannot carry and names with a slash', () => {
    expectField(() => buildDomain({ ...base, name: 'a\u0001b' }), 'name', /U\+0001/);
    expectField(() => buildDomain({ ...base, name: 'a/b' }), 'name', /'\/'/);
    expectField(() => buildDomain({ ...base, name: '  ' }), 'name', /required/);
    expectField(() => buildDomain({ ...base, description: 'x\uFFFE' }), 'description');
    expectField(() => buildDomain({ ...base, title: 'two\nlines' }), 'title', /single line/);
    expectField(() => buildNetwork({ name: 'n\ud800', forward: { mode: 'isolated' } }), 'name');
  });
});

describe('buildNetwork', () => {
  const net = (spec: NetworkSpec): Element => root(buildNetwork(spec));

  it('NAT: forward, bridge, MTU, domain, DNS hosts, IPv4 with DHCP ranges and hosts, IPv6', () => {
    const n = net({
      name: 'lab',
      uuid: '0d3f0f4e-7b6a-4b7c-9b84-2b7b6f1c9a10',
      forward: { mode: 'nat', natPorts: { start: 1024, end: 65535 } },
      bridge: { name: 'virbr10', stp: true, delay: 0 },
      mtu: 9000,
      domain: { name: 'lab.test', localOnly: true },
      dns: { hosts: [{ ip: '192.168.150.10', hostnames: ['db', 'db.lab.test'] }] },
      ipv4: { address: '192.168.150.1', prefix: 24, dhcp: { ranges: [{ start: '192.168.150.100', end: '192.168.150.200' }], hosts: [{ mac: '52:54:00:00:00:10', name: 'db', ip: '192.168.150.10' }] } },
      ipv6: { address: 'fd00:150::1', prefix: 64, dhcp: { hosts: [{ id: '0:1:0:1:2d:00:00:00:52:54:00:00:00:10', ip: 'fd00:150::10' }] } },
    });
    expect(children(n).map((c) => c.tagName)).toEqual(['name', 'uuid', 'forward', 'bridge', 'mtu', 'domain', 'dns', 'ip', 'ip']);
    expect(attr(at(n, 'forward'), 'mode')).toBe('nat');
    expect([attr(at(n, 'forward/nat/port'), 'start'), attr(at(n, 'forward/nat/port'), 'end')]).toEqual(['1024', '65535']);
    expect([attr(at(n, 'bridge'), 'name'), attr(at(n, 'bridge'), 'stp'), attr(at(n, 'bridge'), 'delay')]).toEqual(['virbr10', 'on', '0']);
    expect(attr(at(n, 'mtu'), 'size')).toBe('9000');
    expect([attr(at(n, 'domain'), 'name'), attr(at(n, 'domain'), 'localOnly')]).toEqual(['lab.test', 'yes']);
    expect(children(at(n, 'dns/host')!, 'hostname').map((h) => text(h))).toEqual(['db', 'db.lab.test']);
    const [v4, v6] = children(n, 'ip');
    expect([attr(v4, 'address'), attr(v4, 'prefix'), attr(v4, 'family')]).toEqual(['192.168.150.1', '24', undefined]);
    expect([attr(at(v4!, 'dhcp/range'), 'start'), attr(at(v4!, 'dhcp/range'), 'end')]).toEqual(['192.168.150.100', '192.168.150.200']);
    expect([attr(at(v4!, 'dhcp/host'), 'mac'), attr(at(v4!, 'dhcp/host'), 'name'), attr(at(v4!, 'dhcp/host'), 'ip')]).toEqual(['52:54:00:00:00:10', 'db', '192.168.150.10']);
    expect([attr(v6, 'family'), attr(v6, 'address'), attr(v6, 'prefix')]).toEqual(['ipv6', 'fd00:150::1', '64']);
    expect(attr(at(v6!, 'dhcp/host'), 'id')).toBe('0:1:0:1:2d:00:00:00:52:54:00:00:00:10');
  });

  it('route, open and isolated networks', () => {
    const route = net({ name: 'r', forward: { mode: 'route', dev: 'eth0' }, ipv4: { address: '10.0.0.1', prefix: 16 } });
    expect([attr(at(route, 'forward'), 'mode'), attr(at(route, 'forward'), 'dev')]).toEqual(['route', 'eth0']);
    expect(attr(at(net({ name: 'o', forward: { mode: 'open' }, ipv4: { address: '10.1.0.1', prefix: 24 } }), 'forward'), 'mode')).toBe('open');
    const isolated = net({ name: 'i', forward: { mode: 'isolated' }, ipv4: { address: '10.2.0.1', prefix: 24 } });
    expect(at(isolated, 'forward')).toBeUndefined();
    expect(attr(at(isolated, 'ip'), 'address')).toBe('10.2.0.1');
    expect(children(net({ name: 'bare', forward: { mode: 'isolated' } })).map((c) => c.tagName)).toEqual(['name']);
  });

  it('a host bridge: <bridge name> and forward mode bridge, nothing else', () => {
    const n = net({ name: 'lan', forward: { mode: 'bridge', bridge: 'br0' } });
    expect(children(n).map((c) => c.tagName)).toEqual(['name', 'bridge', 'forward']);
    expect(attr(at(n, 'bridge'), 'name')).toBe('br0');
    expect(attr(at(n, 'forward'), 'mode')).toBe('bridge');
    expect(children(at(n, 'forward')!)).toEqual([]);
  });

  it('macvtap modes list their host interfaces', () => {
    for (const mode of ['bridge', 'private', 'vepa', 'passthrough'] as const) {
      const n = net({ name: `m-${mode}`, forward: { mode, dev: 'eth0', interfaces: ['eth0', 'eth1'] } });
      expect(at(n, 'bridge')).toBeUndefined();
      const f = at(n, 'forward')!;
      expect([attr(f, 'mode'), attr(f, 'dev')]).toEqual([mode, 'eth0']);
      expect(children(f, 'interface').map((i) => attr(i, 'dev'))).toEqual(['eth0', 'eth1']);
    }
  });

  it('hostdev pools: a physical function, or VFs by PCI address', () => {
    const pf = at(net({ name: 'sriov', forward: { mode: 'hostdev', pf: 'enp3s0f0' } }), 'forward')!;
    expect([attr(pf, 'mode'), attr(pf, 'managed'), attr(at(pf, 'pf'), 'dev')]).toEqual(['hostdev', 'yes', 'enp3s0f0']);
    const list = at(net({ name: 'vfs', forward: { mode: 'hostdev', managed: false, driver: 'vfio', addresses: ['0000:03:10.1', '03:10.3', { bus: 4, slot: 0x10, function: 5 }] } }), 'forward')!;
    expect(attr(list, 'managed')).toBe('no');
    expect(attr(at(list, 'driver'), 'name')).toBe('vfio');
    expect(children(list, 'address').map((a) => ['type', 'domain', 'bus', 'slot', 'function'].map((k) => attr(a, k)).join(' '))).toEqual([
      'pci 0x0000 0x03 0x10 0x1',
      'pci 0x0000 0x03 0x10 0x3',
      'pci 0x0000 0x04 0x10 0x5',
    ]);
  });

  it('rejects specs libvirt would refuse, naming the field', () => {
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'nat' } }), 'ipv4', /NAT/);
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'route' } }), 'ipv4');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'bridge', bridge: 'br0' }, ipv4: { address: '10.0.0.1', prefix: 24 } }), 'ipv4', /bridge/);
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'vepa', interfaces: ['eth0'] }, mtu: 9000 }), 'mtu');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'private', interfaces: [] } }), 'forward.interfaces');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'bridge' } as unknown as NetworkSpec['forward'] }), 'forward.bridge');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'bogus' } as unknown as NetworkSpec['forward'] }), 'forward.mode');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'hostdev' } as unknown as NetworkSpec['forward'] }), 'forward');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'hostdev', addresses: ['3:10.1'] } }), 'forward.addresses[0]');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'isolated' }, ipv4: { address: '10.0.0.1', prefix: 33 } }), 'ipv4.prefix');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'isolated' }, ipv4: { address: 'fd00::1', prefix: 24 } }), 'ipv4.address');
    const outside: NetworkSpec & { ipv4: IpSpec } = { name: 'n', forward: { mode: 'nat' }, ipv4: { address: '10.0.0.1', prefix: 24, dhcp: { ranges: [{ start: '10.0.1.2', end: '10.0.0.9' }] } } };
    expectField(() => buildNetwork(outside), 'ipv4.dhcp.ranges[0].start', /outside/);
    expectField(() => buildNetwork({ ...outside, ipv4: { ...outside.ipv4, dhcp: { ranges: [{ start: '10.0.0.9', end: '10.0.0.2' }] } } }), 'ipv4.dhcp.ranges[0]', /after/);
    expectField(() => buildNetwork({ ...outside, ipv4: { address: '10.0.0.1', prefix: 24, dhcp: { hosts: [{ ip: '10.0.0.5' }] } } }), 'ipv4.dhcp.hosts[0].mac');
    expectField(() => buildNetwork({ name: 'n', forward: { mode: 'isolated' }, dns: { hosts: [{ ip: '10.0.0.5', hostnames: ['bad name'] }] } }), 'dns.hosts[0].hostnames[0]');
    expectField(() => buildNetwork({ name: 'n' } as NetworkSpec), 'forward');
  });
});

describe('buildStoragePool', () => {
  const pool = (spec: StoragePoolSpec): Element => root(buildStoragePool(spec));

  it('dir with permissions', () => {
    const p = pool({ type: 'dir', name: 'images', path: '/var/lib/libvirt/images', permissions: { mode: 0o711, owner: 0, group: 0, label: 'system_u:object_r:virt_image_t:s0' } });
    expect(attr(p, 'type')).toBe('dir');
    expect(text(at(p, 'target/path'))).toBe('/var/lib/libvirt/images');
    expect(['mode', 'owner', 'group', 'label'].map((k) => text(at(p, `target/permissions/${k}`)))).toEqual(['0711', '0', '0', 'system_u:object_r:virt_image_t:s0']);
  });

  it('fs, netfs, logical, zfs, iscsi and disk sources with their defaults', () => {
    const fs = pool({ type: 'fs', name: 'fs', device: '/dev/sdb1', path: '/mnt/fs' });
    expect([attr(at(fs, 'source/device'), 'path'), attr(at(fs, 'source/format'), 'type'), text(at(fs, 'target/path'))]).toEqual(['/dev/sdb1', 'auto', '/mnt/fs']);
    expect(attr(at(pool({ type: 'fs', name: 'fs', device: '/dev/sdb1', format: 'xfs', path: '/mnt/fs' }), 'source/format'), 'type')).toBe('xfs');

    const nfs = pool({ type: 'netfs', name: 'nfs', host: 'nas.example.test', dir: '/export/vms', path: '/mnt/nfs', protocolVersion: 4 });
    expect([attr(at(nfs, 'source/host'), 'name'), attr(at(nfs, 'source/dir'), 'path'), attr(at(nfs, 'source/format'), 'type'), attr(at(nfs, 'source/protocol'), 'ver')]).toEqual(['nas.example.test', '/export/vms', 'nfs', '4']);

    const lvm = pool({ type: 'logical', name: 'vg0', devices: ['/dev/sdc', '/dev/sdd'] });
    expect(text(at(lvm, 'source/name'))).toBe('vg0');
    expect(children(at(lvm, 'source')!, 'device').map((d) => attr(d, 'path'))).toEqual(['/dev/sdc', '/dev/sdd']);
    expect(attr(at(lvm, 'source/format'), 'type')).toBe('lvm2');
    expect(text(at(lvm, 'target/path'))).toBe('/dev/vg0');
    expect(text(at(pool({ type: 'logical', name: 'p', vg: 'data' }), 'target/path'))).toBe('/dev/data');

    const zfs = pool({ type: 'zfs', name: 'tank-pool', zpool: 'tank', devices: ['/dev/sde'] });
    expect([text(at(zfs, 'source/name')), attr(at(zfs, 'source/device'), 'path')]).toEqual(['tank', '/dev/sde']);
    expect(at(zfs, 'target')).toBeUndefined();

    const iscsi = pool({ type: 'iscsi', name: 'san', host: '192.0.2.10', port: 3260, iqn: 'iqn.2013-06.com.example:storage', initiator: 'iqn.2013-06.com.example:host1' });
    expect([attr(at(iscsi, 'source/host'), 'name'), attr(at(iscsi, 'source/host'), 'port'), attr(at(iscsi, 'source/device'), 'path')]).toEqual(['192.0.2.10', '3260', 'iqn.2013-06.com.example:storage']);
    expect(attr(at(iscsi, 'source/initiator/iqn'), 'name')).toBe('iqn.2013-06.com.example:host1');
    expect(text(at(iscsi, 'target/path'))).toBe('/dev/disk/by-path');

    const disk = pool({ type: 'disk', name: 'sdf', device: '/dev/sdf' });
    expect([attr(at(disk, 'source/device'), 'path'), attr(at(disk, 'source/format'), 'type'), text(at(disk, 'target/path'))]).toEqual(['/dev/sdf', 'gpt', '/dev']);
  });

  it('rejects bad pools naming the field', () => {
    expectField(() => buildStoragePool({ type: 'dir', name: 'p', path: 'relative' }), 'path');
    expectField(() => buildStoragePool({ type: 'fs', name: 'p', device: '/dev/sdb1', format: 'ntfs' as 'xfs', path: '/mnt' }), 'format');
    expectField(() => buildStoragePool({ type: 'iscsi', name: 'p', host: '192.0.2.1', iqn: 'target0' }), 'iqn', /iSCSI qualified name/);
    expectField(() => buildStoragePool({ type: 'netfs', name: 'p', host: 'nas', dir: 'export', path: '/mnt' }), 'dir');
    expectField(() => buildStoragePool({ type: 'rbd', name: 'p' } as unknown as StoragePoolSpec), 'type');
    expectField(() => buildStoragePool({ type: 'dir', name: 'p', path: '/p', permissions: { mode: '0999' } }), 'permissions.mode');
    expectField(() => buildStoragePool({ type: 'dir', name: 'a/b', path: '/p' }), 'name');
  });
});

describe('buildStorageVolume', () => {
  const vol = (spec: StorageVolumeSpec): Element => root(buildStorageVolume(spec));

  it('writes capacity and allocation in bytes from any unit', () => {
    expect(text(at(vol({ name: 'a', capacity: 1048576 }), 'capacity'))).toBe('1048576');
    expect(text(at(vol({ name: 'a', capacity: 10n * 2n ** 40n }), 'capacity'))).toBe('10995116277760');
    expect(text(at(vol({ name: 'a', capacity: '10G' }), 'capacity'))).toBe('10737418240');
    expect(text(at(vol({ name: 'a', capacity: '10GB' }), 'capacity'))).toBe('10000000000');
    expect(text(at(vol({ name: 'a', capacity: { value: 1.5, unit: 'GiB' } }), 'capacity'))).toBe('1610612736');
    const v = vol({ name: 'a', capacity: gib(20), allocation: 0, format: 'raw' });
    expect(attr(at(v, 'capacity'), 'unit')).toBe('bytes');
    expect([text(at(v, 'allocation')), attr(at(v, 'target/format'), 'type')]).toEqual(['0', 'raw']);
    expect(attr(at(vol({ name: 'a', capacity: gib(1) }), 'target/format'), 'type')).toBe('qcow2');
  });

  it('writes a backing store and permissions', () => {
    const v = vol({ name: 'overlay.qcow2', capacity: gib(20), backingStore: { path: '/var/lib/libvirt/images/base.qcow2', format: 'qcow2' }, permissions: { mode: '0600', owner: 64055, group: 64055 } });
    expect([text(at(v, 'backingStore/path')), attr(at(v, 'backingStore/format'), 'type')]).toEqual(['/var/lib/libvirt/images/base.qcow2', 'qcow2']);
    expect(['mode', 'owner', 'group'].map((k) => text(at(v, `target/permissions/${k}`)))).toEqual(['0600', '64055', '64055']);
  });

  it('rejects bad volumes naming the field', () => {
    expectField(() => buildStorageVolume({ name: 'a', capacity: 0 }), 'capacity', /more than 0/);
    expectField(() => buildStorageVolume({ name: 'a' } as StorageVolumeSpec), 'capacity', /required/);
    expectField(() => buildStorageVolume({ name: 'a', capacity: -1 }), 'capacity', /negative/);
    expectField(() => buildStorageVolume({ name: 'a', capacity: '5 furlongs' }), 'capacity', /not a size|unknown unit/);
    expectField(() => buildStorageVolume({ name: 'a', capacity: { value: 1, unit: 'XiB' as 'GiB' } }), 'capacity', /unknown unit/);
    expectField(() => buildStorageVolume({ name: 'a', capacity: mib(1), allocation: mib(2) }), 'allocation', /exceed/);
    expectField(() => buildStorageVolume({ name: 'a', capacity: mib(1), format: 'raw', backingStore: { path: '/b', format: 'raw' } }), 'backingStore', /qcow2/);
    expectField(() => buildStorageVolume({ name: 'a', capacity: mib(1), format: 'vdi' as 'raw' }), 'format');
    expectField(() => buildStorageVolume({ name: 'a', capacity: mib(1), backingStore: { path: 'base', format: 'qcow2' } }), 'backingStore.path');
  });

  it('converts sizes exactly, fractional only when whole bytes', () => {
    expect(sizeToBytes({ value: 3, unit: 'KB' }, 'x')).toBe(3000n);
    expect(sizeToBytes('2 MiB', 'x')).toBe(2097152n);
    expect(sizeToBytes({ value: 8n, unit: 'EiB' }, 'x')).toBe(8n * 2n ** 60n);
    expectField(() => sizeToBytes({ value: 0.3, unit: 'B' }, 'size'), 'size', /whole number of bytes/);
  });
});
