import { describe, expect, it } from 'vitest';
import { readCapabilities, readDomainCapabilities, XmlParseError } from '../../src/index.js';
import { fixtureText } from '../support/fixtures.js';


const text = (category: string, name: string): string => fixtureText(category, name);

describe('readCapabilities', () => {
  it('host CPU, topology, migration transports', () => {
    const caps = readCapabilities(text('capabilities', 'caps-test2.xml'));
    expect(caps.host.cpu).toMatchObject({
      arch: 'x86_64',
      model: 'SandyBridge',
      vendor: 'Intel',
      topology: { sockets: 1, cores: 2, threads: 2 },
    });
    expect(caps.host.cpu?.features).toHaveLength(17);
    expect(caps.host.cpu?.features).toContain('vmx');
    expect(caps.host.migrationTransports).toEqual(['tcp']);
    expect(caps.host.numaCells).toBeUndefined();
  });

  it('guests: os type, arch, wordsize, emulator, canonical machines, domain types', () => {
    const caps = readCapabilities(text('capabilities', 'caps-test2.xml'));
    expect(caps.guests).toHaveLength(2);
    const x86 = caps.guests[1];
    expect(x86).toMatchObject({ osType: 'hvm', arch: 'x86_64', wordsize: 64, emulator: '/usr/bin/qemu-system-x86_64' });
    expect(x86?.machines).toHaveLength(11);
    expect(x86?.machines[1]).toEqual({ name: 'pc', canonical: 'pc-1.2' });
    expect(x86?.domains.map((d) => d.type)).toEqual(['qemu', 'kvm']);
    expect(x86?.domains[1]).toMatchObject({ emulator: '/usr/libexec/qemu-kvm' });
    expect(x86?.domains[1]?.machines).toHaveLength(11);
    expect(x86?.domains[0]?.machines).toEqual([]);
    expect(x86?.features).toEqual(['cpuselection', 'deviceboot', 'acpi', 'apic']);
  });

  it('NUMA cells and old-style CPU feature flags', () => {
    const caps = readCapabilities(text('capabilities', 'caps-test.xml'));
    expect(caps.host.numaCells).toBe(2);
    expect(caps.host.cpu).toEqual({ arch: 'i686', features: ['pae', 'nonpae'] });
    expect(caps.guests.map((g) => [g.osType, g.arch, g.domains[0]?.type])).toEqual([
      ['hvm', 'i686', 'test'],
      ['xen', 'i686', 'test'],
    ]);
  });

  it('host uuid, IOMMU and security models', () => {
    const caps = readCapabilities(`
      <capabilities><host>
        <uuid>7e8f8f8e-0000-4000-8000-000000000001</uuid>
        <iommu support='yes'/>
        <secmodel><model>apparmor</model><doi>0</doi></secmodel>
      </host></capabilities>`);
    expect(caps.host).toMatchObject({
      uuid: '7e8f8f8e-0000-4000-8000-000000000001',
      iommu: true,
      secModels: [{ model: 'apparmor', doi: '0' }],
    });
    expect(() => readCapabilities(text('domaincaps', 'bhyve_uefi.x86_64.xml'))).toThrow(XmlParseError);
  });
});

describe('readDomainCapabilities', () => {
  const q35 = readDomainCapabilities(text('domaincaps', 'qemu_9.0.0-q35.x86_64.xml'));

  it('identity, vCPU maximum, iothreads', () => {
    expect(q35).toMatchObject({
      path: '/usr/bin/qemu-system-x86_64',
      domain: 'kvm',
      machine: 'pc-q35-9.0',
      arch: 'x86_64',
      vcpuMax: 4096,
      iothreads: true,
    });
  });

  it('OS firmware values, firmware features and loader paths with enums', () => {
    expect(q35.os?.supported).toBe(true);
    expect(q35.os?.firmware).toEqual(['bios', 'efi']);
    expect(q35.os?.firmwareFeatures?.enums).toEqual({ secureBoot: ['yes', 'no'], enrolledKeys: ['yes', 'no'] });
    expect(q35.os?.loader).toEqual({
      supported: true,
      values: ['/obviously/fake/firmware1.fd', '/obviously/fake/firmware2.fd'],
      enums: { type: ['rom', 'pflash'], readonly: ['yes', 'no'], secure: ['yes', 'no'] },
    });
  });

  it('CPU modes: host-passthrough, host-model with its model, custom models with usability', () => {
    expect(q35.cpu.hostPassthrough).toEqual({ supported: true, enums: { hostPassthroughMigratable: ['on', 'off'] } });
    expect(q35.cpu.maximum?.supported).toBe(true);
    expect(q35.cpu.hostModel).toMatchObject({ supported: true, model: 'EPYC-Rome', fallback: 'forbid', vendor: 'AMD' });
    expect(q35.cpu.hostModel?.features).toContain('invtsc');
    expect(q35.cpu.hostModel?.features).not.toContain('xsaves');
    const models = q35.cpu.custom?.models ?? [];
    expect(models[0]).toEqual({ name: '486', usable: 'yes', vendor: 'unknown', canonical: '486-v1', blockers: [] });
    expect(models.find((m) => m.name === 'Broadwell')).toEqual({
      name: 'Broadwell',
      usable: 'no',
      vendor: 'Intel',
      canonical: 'Broadwell-v1',
      blockers: ['erms', 'hle', 'invpcid', 'pcid', 'rtm'],
    });
    expect(models.find((m) => m.name === 'qemu64')?.usable).toBe('yes');
  });

  it('device enums per kind', () => {
    expect(q35.devices.disk?.enums).toEqual({
      diskDevice: ['disk', 'cdrom', 'floppy', 'lun'],
      bus: ['fdc', 'scsi', 'virtio', 'usb', 'sata', 'nvme'],
      model: ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
    });
    expect(q35.devices.graphics?.enums.type).toEqual(['sdl', 'vnc', 'rdp', 'spice', 'egl-headless', 'dbus']);
    expect(q35.devices.video?.enums.modelType).toContain('virtio');
    expect(q35.devices.hostdev?.enums).toMatchObject({
      mode: ['subsystem'],
      subsysType: ['usb', 'pci', 'scsi'],
      capsType: [],
    });
    expect(q35.devices.rng?.enums).toEqual({
      model: ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
      backendModel: ['random', 'egd', 'builtin'],
    });
    expect(q35.devices.tpm?.enums).toEqual({
      model: ['tpm-tis', 'tpm-crb'],
      backendModel: ['passthrough', 'emulator', 'external'],
      backendVersion: ['2.0'],
    });
    expect(q35.devices.filesystem?.enums.driverType).toEqual(['path', 'virtiofs']);
    expect(q35.memoryBacking?.enums.sourceType).toEqual(['file', 'anonymous', 'memfd']);
  });

  it('features: support flags, enums and values', () => {
    expect(q35.features.gic).toEqual({ supported: false, enums: {}, values: {} });
    expect(q35.features.vmcoreinfo?.supported).toBe(true);
    expect(q35.features.sev?.supported).toBe(false);
    expect(q35.features.hyperv?.enums.features).toContain('stimer');
    const aarch64 = readDomainCapabilities(text('domaincaps', 'qemu_8.2.0-virt.aarch64.xml'));
    expect(aarch64.features.gic).toEqual({ supported: true, enums: { version: ['3'] }, values: {} });
    expect(aarch64.os?.firmware).toEqual(['efi']);
    const sev = readDomainCapabilities(`
      <domainCapabilities><features>
        <sev supported='yes'><cbitpos>47</cbitpos><reducedPhysBits>1</reducedPhysBits><maxGuests>15</maxGuests></sev>
      </features></domainCapabilities>`);
    expect(sev.features.sev).toEqual({
      supported: true,
      enums: {},
      values: { cbitpos: '47', reducedPhysBits: '1', maxGuests: '15' },
    });
  });

  it('bhyve: unsupported devices and CPU modes', () => {
    const bhyve = readDomainCapabilities(text('domaincaps', 'bhyve_fbuf.x86_64.xml'));
    expect(bhyve.domain).toBe('bhyve');
    expect(bhyve.iothreads).toBe(false);
    expect(bhyve.machine).toBeUndefined();
    expect(bhyve.cpu.custom).toEqual({ supported: false, enums: {}, models: [] });
    expect(bhyve.devices.graphics).toEqual({ supported: true, enums: { type: ['vnc'] } });
    expect(bhyve.devices.hostdev).toEqual({ supported: false, enums: {} });
    expect(bhyve.os?.loader?.values).toEqual(['/foo/bar', '/foo/baz']);
    expect(() => readDomainCapabilities(text('capabilities', 'caps-test.xml'))).toThrow(XmlParseError);
  });
});
