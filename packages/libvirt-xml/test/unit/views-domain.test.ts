import { describe, expect, it } from 'vitest';
import { readDomain, XmlParseError, type DomainView } from '../../src/index.js';
import { fixtureText } from '../support/fixtures.js';


function fixture(name: string): DomainView {
  return readDomain(fixtureText('domain', name));
}

/** A minimal domain around the given devices (and optional extra top-level elements). */
function domainWith(devices: string, extra = ''): DomainView {
  return readDomain(
    `<domain type='kvm'><name>t</name><memory unit='GiB'>2</memory>${extra}<devices>${devices}</devices></domain>`,
  );
}

describe('readDomain: general', () => {
  it('reads identity, memory, vCPUs and lifecycle actions', () => {
    const d = fixture('tpm-emulator-tpm2-enc.xml');
    expect(d).toMatchObject({
      type: 'qemu',
      name: 'TPM-VM',
      uuid: '11d7cd22-da89-3094-6212-079a48a309a1',
      memoryKiB: 2097152,
      currentMemoryKiB: 512288,
      vcpus: { count: 1, current: 1, placement: 'static' },
      onPoweroff: 'destroy',
      onReboot: 'restart',
      onCrash: 'destroy',
    });
    expect(d.id).toBeUndefined();
    expect(d.devices.emulator).toBe('/usr/bin/qemu-system-x86_64');
    expect(fixture('disk-backing-chains.xml').id).toBe(1);
  });

  it('reads title and description (trimmed, entities decoded)', () => {
    const d = fixture('cpu-host-model-features.xml');
    expect(d.title).toBe('A description of the test machine.');
    expect(d.description).toMatch(/^A test of qemu's minimal configuration\.\s+This test also tests/);
  });

  it('reads maxMemory with slots, and memory without a unit as KiB', () => {
    expect(fixture('hugepages-numa-default-dimm.xml')).toMatchObject({ maxMemoryKiB: 1099511627776, maxMemorySlots: 16 });
    expect(fixture('aarch64-virt-virtio.xml')).toMatchObject({ memoryKiB: 1048576, currentMemoryKiB: 1048576 });
  });

  it('converts memory units to KiB', () => {
    expect(domainWith('').memoryKiB).toBe(2 * 1024 * 1024);
    const d = readDomain(
      "<domain type='kvm'><memory unit='MB'>1000</memory><currentMemory unit='bytes'>1025</currentMemory></domain>",
    );
    expect(d.memoryKiB).toBe(976563);
    expect(d.currentMemoryKiB).toBe(2);
  });

  it('reads vCPU placement, current and cpuset', () => {
    expect(fixture('cputune-numatune.xml').vcpus).toEqual({ count: 6, current: 2, placement: 'auto' });
    expect(fixture('cpu-host-model-features.xml').vcpus?.cpuset).toBe('1-4,8-20,525');
    expect(fixture('cputune-numatune.xml').iothreads).toBe(2);
  });

  it('never throws on a bare domain; missing parts are undefined', () => {
    const d = readDomain("<domain type='test'/>");
    expect(d.type).toBe('test');
    expect(d.name).toBeUndefined();
    expect(d.os).toEqual({ firmwareFeatures: [], bootDevices: [] });
    expect(d.firmware).toBe('bios');
    expect(d.secureBoot).toBe(false);
    expect(d.devices.disks).toEqual([]);
    expect(d.devices.unknownDevices).toEqual([]);
  });

  it('throws XmlParseError on another root', () => {
    expect(() => readDomain('<network><name>x</name></network>')).toThrow(XmlParseError);
  });
});

describe('readDomain: cpu', () => {
  it('reads a custom CPU model with fallback, check and topology', () => {
    expect(fixture('aarch64-os-firmware-efi.xml').cpu).toMatchObject({
      mode: 'custom',
      match: 'exact',
      check: 'none',
      model: 'cortex-a53',
      fallback: 'allow',
      features: [],
    });
    expect(fixture('memory-hotplug-virtio-mem.xml').cpu).toMatchObject({
      model: 'qemu64',
      fallback: 'forbid',
      topology: { sockets: 2, dies: 1, cores: 1, threads: 1 },
      numaCells: 1,
    });
  });

  it('reads host-model features with policies, and host-passthrough', () => {
    const cpu = fixture('cpu-host-model-features.xml').cpu;
    expect(cpu?.mode).toBe('host-model');
    expect(cpu?.model).toBeUndefined();
    expect(cpu?.features).toEqual([
      { name: 'abm', policy: 'require' },
      { name: 'ds', policy: 'force' },
      { name: 'invtsc', policy: 'disable' },
    ]);
    expect(fixture('kvm-features.xml').cpu).toMatchObject({ mode: 'host-passthrough', check: 'none' });
  });
});

describe('readDomain: os and firmware', () => {
  it('bios-nvram-secure is UEFI with secure boot', () => {
    const d = fixture('bios-nvram-secure.xml');
    expect(d.firmware).toBe('uefi');
    expect(d.secureBoot).toBe(true);
    expect(d.os).toMatchObject({
      type: 'hvm',
      arch: 'x86_64',
      machine: 'pc-q35-2.5',
      loader: { path: '/usr/share/OVMF/OVMF_CODE.secboot.fd', readonly: true, type: 'pflash', secure: true },
      nvram: { path: '/usr/share/OVMF/OVMF_VARS.fd' },
      bootDevices: ['hd'],
      bootMenu: { enabled: true },
    });
    expect(d.features).toEqual(['acpi', 'smm']);
  });

  it("firmware='efi' autoselection with a secure loader", () => {
    const d = fixture('os-firmware-efi-secboot.xml');
    expect(d.os.firmware).toBe('efi');
    expect(d.os.loader?.path).toBeUndefined();
    expect(d.os.nvram?.path).toBe('/var/lib/libvirt/qemu/nvram/fedora_VARS.fd');
    expect(d.firmware).toBe('uefi');
    expect(d.secureBoot).toBe(true);
  });

  it('UEFI without secure boot: aarch64 efi, AAVMF pflash, network NVRAM', () => {
    const efi = fixture('aarch64-os-firmware-efi.xml');
    expect([efi.firmware, efi.secureBoot]).toEqual(['uefi', false]);
    expect(efi.os).toMatchObject({ kernel: '/aarch64.kernel', initrd: '/aarch64.initrd' });
    expect(efi.os.cmdline).toContain('console=ttyAMA0');
    expect(fixture('aarch64-virt-graphics.xml').firmware).toBe('uefi');
    const iscsi = fixture('bios-nvram-network-iscsi.xml');
    expect(iscsi.firmware).toBe('uefi');
    expect(iscsi.os.nvram).toEqual({ type: 'network' });
  });

  it('plain BIOS guests, with several boot devices', () => {
    expect(fixture('hostdev-pci-address-device.xml').firmware).toBe('bios');
    expect(fixture('controller-order.xml').os.bootDevices).toEqual(['hd', 'network', 'fd']);
  });

  it('firmware features: explicit secure-boot wins, enrolled keys imply it', () => {
    const os = (features: string, loader = ''): DomainView =>
      readDomain(`<domain><os firmware='efi'><type>hvm</type>${loader}<firmware>${features}</firmware></os></domain>`);
    expect(os("<feature enabled='yes' name='secure-boot'/>").secureBoot).toBe(true);
    expect(os("<feature enabled='yes' name='enrolled-keys'/>").secureBoot).toBe(true);
    expect(os("<feature enabled='no' name='secure-boot'/>", "<loader secure='yes'/>").secureBoot).toBe(false);
    expect(os("<feature enabled='no' name='enrolled-keys'/>").secureBoot).toBe(false);
    expect(os("<feature enabled='no' name='enrolled-keys'/>").os.firmwareFeatures).toEqual([
      { name: 'enrolled-keys', enabled: false },
    ]);
  });

  it('reads bootmenu timeout and BIOS serial output', () => {
    const d = readDomain(
      "<domain><os><type>hvm</type><bootmenu enable='no' timeout='3000'/><bios useserial='yes'/></os></domain>",
    );
    expect(d.os.bootMenu).toEqual({ enabled: false, timeoutMs: 3000 });
    expect(d.os.biosUseSerial).toBe(true);
  });
});

describe('readDomain: features and clock', () => {
  it('separates features turned off', () => {
    const d = fixture('q35-virt-manager-basic.xml');
    expect(d.features).toEqual(['acpi', 'apic']);
    expect(d.disabledFeatures).toEqual(['vmport']);
  });

  it('reads Hyper-V enlightenments minimally', () => {
    const hv = fixture('hyperv.xml').hyperv;
    expect(hv?.enlightenments).toHaveLength(14);
    expect(hv?.enlightenments).toContainEqual({ name: 'spinlocks', state: 'on', value: '12287' });
    expect(hv?.enlightenments).toContainEqual({ name: 'vendor_id', state: 'on', value: 'KVM Hv' });
    expect(fixture('kvm-features.xml').features).toEqual(['acpi', 'kvm']);
    expect(fixture('aarch64-os-firmware-efi.xml').features).toContain('gic');
  });

  it('reads clock offset and timers', () => {
    expect(fixture('q35-virt-manager-basic.xml').clock).toEqual({
      offset: 'utc',
      timers: [
        { name: 'rtc', tickpolicy: 'catchup' },
        { name: 'pit', tickpolicy: 'delay' },
        { name: 'hpet', present: false },
      ],
    });
    expect(fixture('clock-timer-hyperv-rtc.xml').clock?.timers).toEqual([{ name: 'hypervclock', present: true }]);
  });
});

describe('readDomain: disks', () => {
  it('network disks: rbd with several monitors, IPv6 hosts and auth user', () => {
    const disks = fixture('disk-network-rbd.xml').devices.disks;
    expect(disks[0]).toMatchObject({
      type: 'network',
      device: 'disk',
      driver: { name: 'qemu', type: 'raw' },
      source: {
        protocol: 'rbd',
        name: 'pool/image',
        hosts: [
          { name: 'mon1.example.org', port: 6321 },
          { name: 'mon2.example.org', port: 6322 },
          { name: 'mon3.example.org', port: 6322 },
        ],
      },
      target: { dev: 'vda', bus: 'virtio' },
    });
    expect(disks[1]?.source?.hosts).toEqual([]);
    expect(disks[4]?.authUsername).toBe('myname');
    expect(disks[5]?.source?.hosts.map((h) => h.name)).toEqual([
      '::1',
      'example.org',
      'ffff:1234:567:abc::0f',
      '2001:db8::ff00:42:8329',
    ]);
  });

  it('network disks: iscsi LUN, nbd and gluster over unix sockets', () => {
    const iscsi = fixture('disk-network-iscsi.xml').devices.disks;
    expect(iscsi[0]?.source).toMatchObject({
      protocol: 'iscsi',
      name: 'iqn.1992-01.com.example',
      hosts: [{ name: 'example.org', port: 6000 }],
    });
    expect(iscsi[4]).toMatchObject({ device: 'lun', target: { dev: 'sda', bus: 'scsi' } });
    const nbd = fixture('disk-network-nbd.xml').devices.disks;
    expect(nbd[0]?.source?.name).toBeUndefined();
    expect(nbd[4]?.source?.hosts).toEqual([{ transport: 'unix', socket: '/var/run/nbdsock' }]);
    const gluster = fixture('disk-network-gluster.xml').devices.disks[2];
    expect(gluster?.source?.hosts).toEqual([
      { name: 'example.org', port: 6000 },
      { name: 'example.org' },
      { transport: 'unix', socket: '/path/to/sock' },
    ]);
  });

  it('network CD-ROMs over http(s)/ftp(s)/tftp', () => {
    const disks = fixture('disk-cdrom-network.xml').devices.disks;
    expect(disks.map((d) => d.source?.protocol)).toEqual(['ftp', 'ftps', 'https', 'tftp']);
    expect(disks[2]).toMatchObject({
      device: 'cdrom',
      readonly: true,
      source: { name: '/url/path/file.iso', query: 'test=val', hosts: [{ name: 'host.name', port: 443 }] },
    });
  });

  it('volume disks: pool, volume and mode', () => {
    const disks = fixture('disk-source-pool-mode.xml').devices.disks;
    expect(disks[0]).toMatchObject({
      type: 'volume',
      device: 'cdrom',
      readonly: true,
      source: { pool: 'pool-iscsi-auth', volume: 'unit:0:0:1', mode: 'host' },
      address: { type: 'drive', attributes: { controller: '0', bus: '0', target: '0', unit: '1' } },
    });
    expect(disks[1]?.source?.mode).toBe('direct');
    expect(disks[2]).toMatchObject({ type: 'file', device: 'disk', source: { file: '/tmp/idedisk.img' } });
  });

  it('file/block disks with driver cache and io, shareable', () => {
    const disks = fixture('controller-order.xml').devices.disks;
    expect(disks[0]).toMatchObject({
      driver: { name: 'qemu', type: 'raw', cache: 'none', io: 'native' },
      shareable: true,
      readonly: false,
      address: { type: 'pci', pci: { canonical: '0000:00:05.0' } },
    });
    expect(fixture('hostdev-pci-address-device.xml').devices.disks[0]?.source?.dev).toBe('/dev/HostVG/QEMUGuest2');
  });

  it('summarises backing chains, stopping at an empty <backingStore/>', () => {
    const disks = fixture('disk-backing-chains.xml').devices.disks;
    expect(disks[0]?.backingChain).toEqual([
      { index: 1, type: 'file', format: 'qcow2', source: { file: '/tmp/missing-backing-store.qcow', hosts: [] } },
    ]);
    const chain = disks[1]?.backingChain ?? [];
    expect(chain.map((b) => b.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chain.map((b) => b.type)).toEqual(['block', 'file', 'file', 'file', 'file', 'file']);
    expect(chain[0]?.source.dev).toBe('/dev/HostVG/QEMUGuest1');
    expect(chain[5]).toMatchObject({ format: 'raw', source: { file: '/tmp/Fedora-17-x86_64-Live-KDE.iso' } });
    expect(disks[2]?.backingChain).toEqual([]);
    expect(disks[3]?.backingChain.map((b) => b.source.file)).toEqual(['/tmp/image.qcow']);
    expect(disks[4]?.backingChain).toEqual([]);
  });

  it('vhost-user disks and per-device boot order', () => {
    const d = fixture('disk-vhostuser.xml');
    expect(d.devices.disks[0]).toMatchObject({ type: 'vhostuser', source: { path: '/tmp/vhost1.sock' }, bootOrder: 1 });
    expect(d.bootOrder).toEqual([{ order: 1, kind: 'disk', label: 'vda' }]);
  });

  it('nvme disks and serials', () => {
    const d = domainWith(`
      <disk type='nvme' device='disk'>
        <driver name='qemu' type='raw'/>
        <source type='pci' managed='yes' namespace='1'>
          <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
        </source>
        <target dev='vde' bus='virtio'/>
        <serial>WD-1234</serial>
        <alias name='virtio-disk4'/>
      </disk>`);
    expect(d.devices.disks[0]).toMatchObject({
      type: 'nvme',
      source: { nvme: { type: 'pci', managed: true, namespace: 1, pci: { canonical: '0000:01:00.0' } } },
      serial: 'WD-1234',
      alias: 'virtio-disk4',
    });
  });
});

describe('readDomain: controllers', () => {
  it('reads type, index, model and PCI addresses', () => {
    const controllers = fixture('os-firmware-efi-secboot.xml').devices.controllers;
    expect(controllers).toHaveLength(9);
    expect(controllers[8]).toMatchObject({
      type: 'pci',
      index: 3,
      model: 'pcie-root-port',
      address: { type: 'pci', pci: { domain: 0, bus: 0, slot: 1, function: 0, canonical: '0000:00:01.0' } },
    });
    expect(fixture('pseries-many-devices.xml').devices.controllers[0]).toEqual({ type: 'scsi', model: 'virtio-scsi' });
  });
});

describe('readDomain: interfaces', () => {
  it('SR-IOV hostdev interfaces: PCI source, VLAN, 802.1Qbg virtualport', () => {
    const nic = fixture('net-hostdev.xml').devices.interfaces[0];
    expect(nic).toMatchObject({
      type: 'hostdev',
      managed: true,
      mac: '00:11:22:33:44:55',
      source: { pci: { domain: 0, bus: 3, slot: 7, function: 1, canonical: '0000:03:07.1' } },
      vlan: { trunk: false, tags: [{ id: 42 }] },
      virtualPort: {
        type: '802.1Qbg',
        parameters: {
          managerid: '11',
          typeid: '1193047',
          typeidversion: '2',
          instanceid: '09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f',
        },
      },
      model: 'rtl8139',
      linkState: 'up',
    });
    const multi = fixture('net-hostdev-vfio-multidomain.xml').devices.interfaces[0];
    expect(multi).toMatchObject({ driverName: 'vfio', source: { pci: { canonical: '0021:de:1f.1' } } });
  });

  it('Open vSwitch: VLAN trunk and interface/profile ids', () => {
    const nic = fixture('net-openvswitch.xml').devices.interfaces[0];
    expect(nic).toMatchObject({
      type: 'network',
      source: { network: 'ovs-net' },
      vlan: { trunk: true, tags: [{ id: 42 }, { id: 48 }, { id: 456 }] },
      virtualPort: {
        type: 'openvswitch',
        parameters: { interfaceid: '09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f', profileid: 'bob' },
      },
    });
  });

  it('network interfaces with portgroups, and a virtualport libvirt must infer', () => {
    const nics = fixture('net-virtio-network-portgroup.xml').devices.interfaces;
    expect(nics[0]).toMatchObject({
      source: { network: 'rednet', portgroup: 'bob' },
      vlan: { tags: [{ id: 4095 }] },
      trustGuestRxFilters: true,
      model: 'virtio',
    });
    expect(nics[1]?.virtualPort?.type).toBeUndefined();
    expect(nics[1]?.virtualPort?.parameters.interfaceid).toBe('09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f');
    expect(nics[2]?.virtualPort).toEqual({ type: '802.1Qbh', parameters: { profileid: 'testhis99' } });
  });

  it('reads every interface type of the net-* fixtures', () => {
    const types = (name: string): (string | undefined)[] => fixture(name).devices.interfaces.map((i) => i.type);
    expect(types('net-eth-ifname.xml')).toEqual(['ethernet']);
    expect(types('net-user-passt.xml')).toEqual(['user']);
    expect(types('net-vdpa.xml')).toEqual(['vdpa']);
    expect(types('net-vhostuser-multiq.xml')).toEqual(['vhostuser', 'vhostuser', 'server', 'vhostuser', 'vhostuser']);
    expect(types('net-mtu.xml')).toEqual(['network', 'network']);
  });

  it('reads per-type sources, target dev, MTU, backend and queues', () => {
    expect(fixture('net-eth-ifname.xml').devices.interfaces[0]).toMatchObject({ targetDev: 'nic02', model: 'rtl8139' });
    expect(fixture('net-user-passt.xml').devices.interfaces[0]).toMatchObject({
      source: { dev: 'eth42' },
      backendType: 'passt',
      address: { pci: { canonical: '0000:00:02.0' } },
    });
    expect(fixture('net-vdpa.xml').devices.interfaces[0]?.source?.dev).toBe('/dev/vhost-vdpa-0');
    const vhost = fixture('net-vhostuser-multiq.xml').devices.interfaces;
    expect(vhost[0]?.source).toMatchObject({ type: 'unix', path: '/tmp/vhost0.sock', mode: 'server' });
    expect(vhost[2]?.source?.port).toBe(2015);
    expect(vhost[4]?.queues).toBe(4);
    expect(fixture('net-mtu.xml').devices.interfaces.map((i) => i.mtu)).toEqual([1500, 9000]);
  });

  it('bridge and direct interfaces, link state, bandwidth and boot order', () => {
    const d = domainWith(`
      <interface type='bridge'>
        <mac address='52:54:00:00:00:01'/>
        <source bridge='br0'/>
        <link state='down'/>
        <bandwidth>
          <inbound average='1000' peak='5000' burst='1024'/>
          <outbound average='128' floor='64'/>
        </bandwidth>
        <vlan trunk='yes'><tag id='42' nativeMode='untagged'/><tag id='47'/></vlan>
        <boot order='2'/>
        <alias name='net0'/>
      </interface>
      <interface type='direct'>
        <mac address='52:54:00:00:00:02'/>
        <source dev='eth0' mode='vepa'/>
        <boot order='1'/>
      </interface>`);
    const [bridge, direct] = d.devices.interfaces;
    expect(bridge).toMatchObject({
      source: { bridge: 'br0' },
      linkState: 'down',
      bandwidth: { inbound: { average: 1000, peak: 5000, burst: 1024 }, outbound: { average: 128, floor: 64 } },
      vlan: { trunk: true, tags: [{ id: 42, nativeMode: 'untagged' }, { id: 47 }] },
      bootOrder: 2,
      alias: 'net0',
    });
    expect(direct).toMatchObject({ source: { dev: 'eth0', mode: 'vepa' }, linkState: 'up' });
    expect(d.bootOrder).toEqual([
      { order: 1, kind: 'interface', label: '52:54:00:00:00:02' },
      { order: 2, kind: 'interface', label: '52:54:00:00:00:01' },
    ]);
  });
});

describe('readDomain: hostdevs', () => {
  it('PCI: address as numbers and canonical string', () => {
    expect(fixture('hostdev-pci-address-device.xml').devices.hostdevs).toEqual([
      {
        mode: 'subsystem',
        type: 'pci',
        managed: true,
        pci: { domain: 0, bus: 6, slot: 0x12, function: 5, canonical: '0000:06:12.5' },
      },
    ]);
  });

  it('PCI: decimal address parts in another PCI domain', () => {
    expect(fixture('hostdev-vfio-multidomain.xml').devices.hostdevs[0]).toMatchObject({
      driverName: 'vfio',
      pci: { domain: 0x21, bus: 222, slot: 31, function: 1, canonical: '0021:de:1f.1' },
    });
  });

  it('USB by bus/device, and by vendor/product', () => {
    expect(fixture('hostdev-usb-address-device.xml').devices.hostdevs[0]).toMatchObject({
      type: 'usb',
      managed: false,
      usb: { bus: 14, device: 6 },
    });
    const d = domainWith(`
      <hostdev mode='subsystem' type='usb' managed='yes'>
        <source><vendor id='0x1d6b'/><product id='0x2'/></source>
        <boot order='3'/>
      </hostdev>`);
    expect(d.devices.hostdevs[0]?.usb).toEqual({ vendorId: '0x1d6b', productId: '0x0002' });
    expect(d.bootOrder).toEqual([{ order: 3, kind: 'hostdev' }]);
  });

  it('SCSI by adapter and address, and vhost scsi_host', () => {
    expect(fixture('hostdev-scsi-virtio-scsi.xml').devices.hostdevs[0]).toMatchObject({
      type: 'scsi',
      scsi: { adapter: 'scsi_host0', bus: 0, target: 0, unit: 0 },
      address: { type: 'drive', attributes: { controller: '0', bus: '0', target: '4', unit: '8' } },
    });
    expect(fixture('hostdev-scsi-vhost-scsi-pci.xml').devices.hostdevs[0]).toMatchObject({
      type: 'scsi_host',
      scsi: { protocol: 'vhost', wwpn: 'naa.5123456789abcde0' },
    });
  });

  it('mdev: uuid, model and display', () => {
    expect(fixture('hostdev-subsys-mdev-vfio-ap.xml').devices.hostdevs[0]).toMatchObject({
      type: 'mdev',
      model: 'vfio-ap',
      mdev: { uuid: '90c6c135-ad44-41d0-b1b7-bae47de48627' },
    });
    expect(fixture('hostdev-mdev-display-spice-opengl.xml').devices.hostdevs[0]).toMatchObject({
      model: 'vfio-pci',
      mdev: { uuid: '53764d0e-85a0-42b4-af5c-2046b460b1dc', display: true },
    });
  });
});

describe('readDomain: graphics and video', () => {
  it('SPICE with ports and a listen address', () => {
    expect(fixture('graphics-spice-compression.xml').devices.graphics[0]).toMatchObject({
      type: 'spice',
      port: 5903,
      tlsPort: 5904,
      autoport: false,
      listenType: 'address',
      listenAddress: '127.0.0.1',
      listens: [{ type: 'address', address: '127.0.0.1' }],
      hasPassword: false,
    });
    expect(fixture('q35-virt-manager-basic.xml').devices.graphics[0]).toMatchObject({
      autoport: true,
      listenType: 'address',
      listenAddress: undefined,
    });
  });

  it("port='-1' means autoport; dbus, egl-headless and GL", () => {
    const vnc = fixture('x86_64-q35-graphics.xml').devices.graphics[0];
    expect(vnc).toMatchObject({ type: 'vnc', autoport: true });
    expect(vnc?.port).toBeUndefined();
    expect(fixture('graphics-dbus.xml').devices.graphics[0]?.type).toBe('dbus');
    expect(fixture('graphics-egl-headless-rendernode.xml').devices.graphics[0]?.gl).toEqual({
      rendernode: '/dev/dri/foo',
    });
    expect(fixture('hostdev-mdev-display-spice-opengl.xml').devices.graphics[0]?.gl).toEqual({
      enable: true,
      rendernode: '/dev/dri/foo',
    });
  });

  it('reports a password as present without ever returning it', () => {
    const d = domainWith(`
      <graphics type='vnc' port='5901' autoport='no' passwd='s3cr3t-Pa55' passwdValidTo='2030-01-01T00:00:00'
                keymap='de'>
        <listen type='network' network='default' address='192.168.122.1'/>
      </graphics>
      <graphics type='vnc' socket='/run/vnc.sock'/>
      <graphics type='spice'><listen type='socket' socket='/run/spice.sock'/></graphics>
      <graphics type='vnc'><listen type='none'/></graphics>`);
    const [net, sock, spice, none] = d.devices.graphics;
    expect(net).toMatchObject({
      port: 5901,
      autoport: false,
      hasPassword: true,
      keymap: 'de',
      listenType: 'network',
      listenAddress: '192.168.122.1',
      listens: [{ type: 'network', network: 'default', address: '192.168.122.1' }],
    });
    expect(JSON.stringify(d)).not.toContain('s3cr3t');
    expect(sock).toMatchObject({ listenType: 'socket', socket: '/run/vnc.sock', hasPassword: false });
    expect(spice).toMatchObject({ listenType: 'socket', socket: '/run/spice.sock' });
    expect(none?.listenType).toBe('none');
  });

  it('video models, memory, heads and primary', () => {
    expect(fixture('q35-virt-manager-basic.xml').devices.videos).toEqual([
      { model: 'qxl', vramKiB: 65536, ramKiB: 65536, vgamemKiB: 16384, heads: 1, primary: true },
    ]);
    expect(fixture('virtio-options.xml').devices.videos[0]).toMatchObject({ model: 'virtio', accel3d: true });
    expect(fixture('graphics-spice-compression.xml').devices.videos.map((v) => v.primary)).toEqual([false, false]);
  });
});

describe('readDomain: character devices', () => {
  it('serial, console and guest agent channel', () => {
    const d = fixture('q35-virt-manager-basic.xml').devices;
    expect(d.serials).toEqual([{ kind: 'serial', type: 'pty', targetPort: 0 }]);
    expect(d.consoles).toEqual([{ kind: 'console', type: 'pty', targetType: 'serial', targetPort: 0 }]);
    expect(d.channels[0]).toMatchObject({
      kind: 'channel',
      type: 'unix',
      targetType: 'virtio',
      targetName: 'org.qemu.guest_agent.0',
      address: { type: 'virtio-serial', attributes: { controller: '0', bus: '0', port: '1' } },
    });
    expect(d.channels[1]).toMatchObject({ type: 'spicevmc', targetName: 'com.redhat.spice.0' });
  });

  it('several virtio consoles; UDP/TCP sources; guestfwd', () => {
    expect(fixture('console-virtio-many.xml').devices.consoles.map((c) => [c.targetType, c.targetPort])).toEqual([
      ['serial', 0],
      ['virtio', 1],
      ['virtio', 2],
      ['virtio', 3],
    ]);
    const serials = fixture('serial-tcp-tlsx509-chardev.xml').devices.serials;
    expect(serials[0]).toMatchObject({ type: 'udp', sourceMode: 'connect', sourceHost: '127.0.0.1', sourceService: '2222' });
    expect(serials[1]).toMatchObject({ type: 'tcp', sourceMode: 'connect', sourceService: '5555' });
    expect(fixture('channel-guestfwd.xml').devices.channels[0]).toMatchObject({
      type: 'pipe',
      sourcePath: '/tmp/guestfwd',
      targetType: 'guestfwd',
      targetPort: 4600,
    });
  });

  it('the pty of a running console', () => {
    const d = domainWith(
      "<console type='pty' tty='/dev/pts/4'><source path='/dev/pts/4'/><target type='serial' port='0'/></console>",
    );
    expect(d.devices.consoles[0]).toMatchObject({ tty: '/dev/pts/4', sourcePath: '/dev/pts/4' });
  });
});

describe('readDomain: other devices', () => {
  it('TPM emulator and passthrough', () => {
    expect(fixture('tpm-emulator-tpm2-enc.xml').devices.tpms).toEqual([
      { model: 'tpm-tis', backendType: 'emulator', backendVersion: '2.0' },
    ]);
    expect(fixture('tpm-passthrough-crb.xml').devices.tpms).toEqual([
      { model: 'tpm-crb', backendType: 'passthrough', backendPath: '/dev/tpm0' },
    ]);
  });

  it('watchdog model and action (reset by default)', () => {
    const d = domainWith("<watchdog model='i6300esb' action='poweroff'/><watchdog model='itco'/>");
    expect(d.devices.watchdogs).toEqual([
      { model: 'i6300esb', action: 'poweroff' },
      { model: 'itco', action: 'reset' },
    ]);
  });

  it('RNG backends: random device and egd over TCP', () => {
    expect(fixture('x86_64-q35-graphics.xml').devices.rngs[0]).toMatchObject({
      model: 'virtio',
      backendModel: 'random',
      backendPath: '/dev/urandom',
    });
    expect(fixture('virtio-rng-egd.xml').devices.rngs[0]).toMatchObject({
      backendModel: 'egd',
      backendType: 'tcp',
      backendHost: '1.2.3.4',
      backendService: '1234',
    });
  });

  it('memballoon stats period and a decimal PCI address', () => {
    expect(fixture('balloon-device-period.xml').devices.memballoon).toEqual({
      model: 'virtio',
      statsPeriod: 10,
      address: {
        type: 'pci',
        attributes: { domain: '0', bus: '0', slot: '18', function: '0' },
        pci: { domain: 0, bus: 0, slot: 18, function: 0, canonical: '0000:00:12.0' },
      },
    });
    expect(fixture('disk-network-rbd.xml').devices.memballoon?.model).toBe('none');
  });

  it('filesystems: virtiofs and 9p', () => {
    expect(fixture('vhost-user-fs-fd-memory.xml').devices.filesystems[0]).toMatchObject({
      type: 'mount',
      accessmode: 'passthrough',
      driverType: 'virtiofs',
      source: { dir: '/path' },
      targetDir: 'mount_tag',
      readonly: false,
    });
    const fs = fixture('virtio-options.xml').devices.filesystems;
    expect(fs.map((f) => [f.accessmode, f.driverType, f.source?.dir, f.targetDir])).toEqual([
      ['passthrough', undefined, '/export/fs1', 'fs1'],
      ['mapped', 'path', '/export/fs2', 'fs2'],
    ]);
  });

  it('inputs and sounds', () => {
    expect(fixture('controller-order.xml').devices.inputs).toEqual([
      { type: 'tablet', bus: 'usb' },
      { type: 'mouse', bus: 'ps2' },
    ]);
    expect(fixture('sound-device.xml').devices.sounds.map((s) => s.model)).toContain('ich6');
  });

  it('lists unmodelled devices once each, in order', () => {
    expect(fixture('q35-virt-manager-basic.xml').devices.unknownDevices).toEqual(['redirdev', 'redirdev']);
    expect(fixture('controller-order.xml').devices.unknownDevices).toEqual(['smartcard', 'hub']);
    expect(fixture('memory-hotplug-virtio-mem.xml').devices.unknownDevices).toEqual(['audio', 'memory', 'memory']);
    expect(fixture('panic.xml').devices.unknownDevices).toEqual(['panic']);
    expect(fixture('panic.xml').devices.emulator).toBe('/usr/bin/qemu-system-i386');
  });
});
