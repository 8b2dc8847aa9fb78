/** Device identity (what libvirt matches), device XML for the device APIs, and secret redaction. */
import { describe, expect, it } from 'vitest';
import {
  canonicalLines,
  canonicallyEqual,
  deviceIdentityOf,
  deviceXml,
  dom,
  findDevice,
  findDevices,
  hasSecrets,
  parseXml,
  redactSecrets,
  serializeXml,
  setPoolName,
  setVolumeCapacity,
  setVolumeName,
  EditError,
  type DeviceIdentity,
} from '../../src/index.js';

const DOMAIN = `<domain type='kvm'>
  <name>dev</name>
  <devices>
    <disk type='network' device='disk'>
      <driver name='qemu' type='raw'/>
      <source protocol='https' name='images/disk.img'>
        <host name='example.org' port='443'/>
        <cookies>
          <cookie name='session'>0xDEADBEEF</cookie>
        </cookies>
        <auth username='u'>
          <secret type='iscsi' usage='libvirtiscsi'/>
        </auth>
      </source>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:aa:bb:cc'/>
      <source network='default'/>
      <alias name='net0'/>
    </interface>
    <graphics type='vnc' autoport='yes' passwd='pa&amp;ss' passwdValidTo='2030-01-01T00:00:00'/>
    <graphics type='spice' autoport='yes' passwd='sp1ce'/>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x0a' slot='0x00' function='0x1'/>
      </source>
    </hostdev>
    <hostdev mode='subsystem' type='usb'>
      <source>
        <address bus='1' device='4'/>
      </source>
    </hostdev>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source>
        <address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/>
      </source>
    </hostdev>
    <tpm model='tpm-tis'>
      <backend type='emulator' version='2.0'>
        <encryption secret='6dd3e4a5-1d76-44ce-961f-f119f5aad935'/>
      </backend>
    </tpm>
    <watchdog model='itco' action='reset'/>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
    <rng model='virtio'><backend model='random'>/dev/random</backend></rng>
  </devices>
</domain>`;

describe('findDevice', () => {
  const doc = parseXml(DOMAIN);
  const cases: [string, DeviceIdentity, (el: ReturnType<typeof findDevice>) => unknown, unknown][] = [
    ['a disk by target', { kind: 'disk', target: 'sda' }, (e) => dom.attr(e, 'device'), 'cdrom'],
    ['an interface by MAC in any case', { kind: 'interface', mac: '52:54:00:AA:BB:CC' }, (e) => e?.tagName, 'interface'],
    [
      'a PCI hostdev by number, not spelling',
      { kind: 'hostdev', pci: { domain: 0, bus: 10, slot: 0, function: 1 } },
      (e) => dom.attr(e, 'managed'),
      'yes',
    ],
    ['a USB hostdev by bus and device', { kind: 'hostdev', usb: { bus: 1, device: 4 } }, (e) => dom.attr(e, 'type'), 'usb'],
    ['an mdev by UUID in any case', { kind: 'hostdev', mdev: 'C2177883-F1BB-47F0-914D-32A22E3A8804' }, (e) => dom.attr(e, 'type'), 'mdev'],
    ['graphics by type', { kind: 'graphics', type: 'spice' }, (e) => dom.attr(e, 'passwd'), 'sp1ce'],
    ['the TPM', { kind: 'tpm' }, (e) => dom.attr(e, 'model'), 'tpm-tis'],
    ['the watchdog by model', { kind: 'watchdog', model: 'itco' }, (e) => dom.attr(e, 'action'), 'reset'],
    ['the second RNG by index', { kind: 'rng', index: 1 }, (e) => e?.textContent, '/dev/random'],
    ['a live device by alias', { alias: 'net0' }, (e) => e?.tagName, 'interface'],
  ];
  it.each(cases)('finds %s', (_what, id, read, expected) => {
    expect(read(findDevice(doc, id))).toBe(expected);
  });

  it('finds nothing for identities that are not there', () => {
    expect(findDevice(doc, { kind: 'disk', target: 'vdb' })).toBeUndefined();
    expect(findDevice(doc, { kind: 'hostdev', pci: { domain: 0, bus: 10, slot: 0, function: 2 } })).toBeUndefined();
    expect(findDevice(doc, { kind: 'hostdev', usb: { vendor: 1, product: 2 } })).toBeUndefined();
    expect(findDevice(doc, { kind: 'watchdog', model: 'i6300esb' })).toBeUndefined();
    expect(findDevice(doc, { kind: 'rng', index: 2 })).toBeUndefined();
    expect(findDevice(doc, { alias: 'net1' })).toBeUndefined();
    expect(findDevices(parseXml('<domain><name>x</name></domain>'), { kind: 'tpm' })).toEqual([]);
  });

  it('compares PCI numbers the way libvirt parses them (hex, octal, decimal)', () => {
    const spellings = ["bus='10'", "bus='0x0A'", "bus='012'"];
    for (const s of spellings) {
      const d = parseXml(DOMAIN.replace("bus='0x0a'", s));
      expect(findDevice(d, { kind: 'hostdev', pci: { domain: 0, bus: 10, slot: 0, function: 1 } })).toBeDefined();
    }
  });
});

describe('deviceIdentityOf', () => {
  it('gives back an identity that finds the same device, for every device that has one', () => {
    const doc = parseXml(DOMAIN);
    const devices = dom.children(dom.child(doc.documentElement!, 'devices')!);
    for (const el of devices) {
      const id = deviceIdentityOf(el);
      expect(id, el.tagName).toBeDefined();
      expect(findDevice(doc, id!)).toBe(el);
    }
  });

  it('prefers the alias for live use, and falls back to it', () => {
    const doc = parseXml(DOMAIN);
    const disk = findDevice(doc, { kind: 'disk', target: 'vda' })!;
    expect(deviceIdentityOf(disk)).toEqual({ kind: 'disk', target: 'vda' });
    expect(deviceIdentityOf(disk, 'live')).toEqual({ alias: 'virtio-disk0' });
    const cdrom = findDevice(doc, { kind: 'disk', target: 'sda' })!;
    expect(deviceIdentityOf(cdrom, 'live')).toEqual({ kind: 'disk', target: 'sda' });
    const controller = parseXml("<controller type='usb'><alias name='usb'/></controller>").documentElement!;
    expect(deviceIdentityOf(controller)).toEqual({ alias: 'usb' });
    expect(deviceIdentityOf(parseXml("<controller type='usb'/>").documentElement!)).toBeUndefined();
    expect(deviceIdentityOf(findDevice(doc, { kind: 'hostdev', usb: { bus: 1, device: 4 } })!)).toEqual({
      kind: 'hostdev',
      usb: { bus: 1, device: 4 },
    });
  });
});

describe('deviceXml', () => {
  it('serializes one device as a document of its own, with the same information', () => {
    const doc = parseXml(DOMAIN);
    const iface = findDevice(doc, { kind: 'interface', mac: '52:54:00:aa:bb:cc' })!;
    const xml = deviceXml(iface);
    expect(xml.startsWith('<interface type="network">')).toBe(true);
    const alone = parseXml(xml);
    expect(canonicalLines(alone)).toEqual(canonicalLines(serializeXml(iface)));
    expect(dom.attr(dom.child(alone.documentElement!, 'mac'), 'address')).toBe('52:54:00:aa:bb:cc');
  });

  it('declares a namespace prefix the device uses but the root declared', () => {
    const doc = parseXml(
      "<domain xmlns:x='urn:x'><devices><disk type='file'><target dev='vda'/><x:tag x:v='1'/></disk></devices></domain>",
    );
    const xml = deviceXml(findDevice(doc, { kind: 'disk', target: 'vda' })!);
    const alone = parseXml(xml);
    expect(canonicalLines(alone)).toContain('/disk[0]/{urn:x}tag[0]/@{urn:x}v=1');
  });
});

describe('redactSecrets', () => {
  it('removes graphics passwords and disk cookies from a copy, keeping secret references', () => {
    const doc = parseXml(DOMAIN);
    expect(hasSecrets(doc)).toBe(true);
    const { doc: clean, redacted } = redactSecrets(doc);
    expect(redacted).toEqual([
      '/domain/devices[1]/disk[1]/source[1]/cookies[1]',
      '/domain/devices[1]/graphics[1]/@passwd',
      '/domain/devices[1]/graphics[2]/@passwd',
    ]);
    expect(hasSecrets(clean)).toBe(false);
    const out = serializeXml(clean);
    expect(out).not.toContain('pa&amp;ss');
    expect(out).not.toContain('sp1ce');
    expect(out).not.toContain('DEADBEEF');
    // References name a secret object, not its value; the expiry is not secret either.
    expect(out).toContain('usage="libvirtiscsi"');
    expect(out).toContain('secret="6dd3e4a5-1d76-44ce-961f-f119f5aad935"');
    expect(out).toContain('passwdValidTo="2030-01-01T00:00:00"');
    // The original is untouched: it is still the one to redefine.
    expect(canonicallyEqual(doc, DOMAIN)).toBe(true);
  });

  it('finds passwd attributes anywhere, and reports nothing for a clean document', () => {
    const odd = parseXml("<domain><devices><graphics type='rdp' username='u' passwd='x'/></devices></domain>");
    expect(redactSecrets(odd).redacted).toEqual(['/domain/devices[1]/graphics[1]/@passwd']);
    const plain = parseXml("<network><name>n</name></network>");
    expect(hasSecrets(plain)).toBe(false);
    expect(redactSecrets(plain).redacted).toEqual([]);
  });
});

describe('storage edits', () => {
  it('setPoolName and setVolumeName change only the name', () => {
    const pool = parseXml("<pool type='dir'><name>p</name><target><path>/srv</path></target></pool>");
    setPoolName(pool, 'p2 ü');
    expect(dom.child(pool.documentElement!, 'name')?.textContent).toBe('p2 ü');
    const vol = parseXml("<volume><name>a.img</name><capacity unit='G'>1</capacity></volume>");
    setVolumeName(vol, 'b.img');
    expect(serializeXml(vol)).toBe('<volume><name>b.img</name><capacity unit="G">1</capacity></volume>');
    expect(() => setVolumeName(vol, 'x/y')).toThrow(EditError);
    expect(() => setPoolName(vol, 'x')).toThrow(/expected a <pool>/);
  });

  it('setVolumeCapacity writes bytes exactly, beyond 2^53', () => {
    const vol = parseXml("<volume><name>a.img</name><capacity unit='G'>1</capacity></volume>");
    setVolumeCapacity(vol, 18446744073709551615n);
    expect(serializeXml(vol)).toBe('<volume><name>a.img</name><capacity unit="bytes">18446744073709551615</capacity></volume>');
    expect(() => setVolumeCapacity(vol, -1)).toThrow(EditError);
    expect(() => setVolumeCapacity(vol, 2 ** 64)).toThrow(EditError);
  });
});
