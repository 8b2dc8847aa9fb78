/**
 * Each domain edit on a realistic definition: its effect as the exact canonical diff (so nothing but the target
 * changed), its refusals, and the survival of what Vireo does not model (comments, custom-namespace metadata,
 * qemu:commandline, cputune, numatune) through every edit.
 */
import type { Document } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import {
  addDevice,
  canonicalDiff,
  canonicalLines,
  canonicallyEqual,
  changeMedia,
  dom,
  EditError,
  findDevice,
  firmwareKind,
  parseXml,
  removeDevice,
  serializeXml,
  setCpuMode,
  setCpuTopology,
  setCurrentMemory,
  setDescription,
  setDeviceBootOrder,
  setFirmware,
  setLifecycleAction,
  setLinkState,
  setMaxMemory,
  setMemory,
  setName,
  setBootOrder,
  setOsBootDevices,
  setTitle,
  setVcpus,
  updateDevice,
} from '../../src/index.js';

const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

const DOMAIN = `<?xml version="1.0"?>
<!-- managed by the Vireo tests: this comment must survive every edit -->
<domain type='kvm' xmlns:qemu='${QEMU_NS}'>
  <name>web-01</name>
  <uuid>5c1a0c02-8b4e-4a5e-9b8f-0d6d3f1c2a11</uuid>
  <title>Web server</title>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://debian.org/debian/12"/>
    </libosinfo:libosinfo>
    <vireo:note xmlns:vireo="urn:example:vireo" owner="ops">keep me</vireo:note>
  </metadata>
  <memory unit='KiB'>2097152</memory>
  <currentMemory unit='KiB'>1048576</currentMemory>
  <vcpu placement='static' current='2'>4</vcpu>
  <cputune>
    <vcpupin vcpu='0' cpuset='1'/>
    <emulatorpin cpuset='0'/>
  </cputune>
  <numatune>
    <memory mode='strict' nodeset='0'/>
  </numatune>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <boot dev='hd'/>
    <boot dev='cdrom'/>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <cpu mode='custom' match='exact' check='partial'>
    <model fallback='allow'>Skylake-Client</model>
    <topology sockets='1' dies='1' cores='2' threads='2'/>
    <feature policy='require' name='vmx'/>
  </cpu>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web-01.qcow2'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='/srv/iso/debian-12.iso' startupPolicy='optional'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <controller type='usb' index='0' model='qemu-xhci'/>
    <interface type='network'>
      <mac address='52:54:00:AB:cd:01'/>
      <source network='default'/>
      <model type='virtio'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </interface>
    <!-- the second NIC is on the storage VLAN -->
    <interface type='bridge'>
      <mac address='52:54:00:ab:cd:02'/>
      <source bridge='br-storage'/>
      <model type='virtio'/>
    </interface>
    <graphics type='vnc' port='-1' autoport='yes' passwd='s3cr&lt;t'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <video>
      <model type='virtio' heads='1' primary='yes'/>
    </video>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>
      </source>
    </hostdev>
    <hostdev mode='subsystem' type='usb' managed='yes'>
      <source>
        <vendor id='0x046d'/>
        <product id='0xc52b'/>
      </source>
    </hostdev>
    <tpm model='tpm-crb'>
      <backend type='emulator' version='2.0'/>
    </tpm>
    <watchdog model='i6300esb' action='reset'/>
    <memballoon model='virtio'/>
    <rng model='virtio'>
      <backend model='random'>/dev/urandom</backend>
      <alias name='ua-rng0'/>
    </rng>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-set'/>
    <qemu:arg value='device.video0.vgamem_mb=64'/>
  </qemu:commandline>
</domain>
`;

const D = '/domain[0]';
const DEV = `${D}/devices[0]`;

/** What Vireo does not model; every edit must leave these lines exactly as they were. */
const UNMODELLED = [
  '/#comment[0]',
  `${D}/metadata[0]`,
  `${D}/cputune[0]`,
  `${D}/numatune[0]`,
  `${D}/{${QEMU_NS}}commandline[0]`,
  `${DEV}/#comment[0]`,
];

function unmodelled(lines: string[]): string[] {
  return lines.filter((l) => UNMODELLED.some((p) => l.startsWith(p)));
}

/** Applies an edit to a fresh copy and returns the serialized result and its diff from the original. */
function edit(fn: (doc: Document) => void, xml = DOMAIN): { after: string; added: string[]; removed: string[] } {
  const doc = parseXml(xml);
  fn(doc);
  const after = serializeXml(doc);
  // The diff is taken on the re-parsed output, so the serializer's escaping is part of what is checked.
  const diff = canonicalDiff(xml, after);
  expect(unmodelled(canonicalLines(after))).toEqual(unmodelled(canonicalLines(xml)));
  return { after, ...diff };
}

function expectDiff(
  fn: (doc: Document) => void,
  expected: { added?: string[]; removed?: string[] },
  xml = DOMAIN,
): string {
  const { after, added, removed } = edit(fn, xml);
  expect({ added: [...added].sort(), removed: [...removed].sort() }).toEqual({
    added: [...(expected.added ?? [])].sort(),
    removed: [...(expected.removed ?? [])].sort(),
  });
  return after;
}

function editError(fn: (doc: Document) => void, field: string, message?: RegExp): void {
  const doc = parseXml(DOMAIN);
  let caught: unknown;
  try {
    fn(doc);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(EditError);
  expect((caught as EditError).field).toBe(field);
  expect((caught as EditError).message).toContain(field);
  if (message) expect((caught as EditError).message).toMatch(message);
  // A refused edit leaves the document as it was.
  expect(canonicallyEqual(doc, DOMAIN)).toBe(true);
}

function sortedDiff(a: Document | string, b: Document | string): { added: string[]; removed: string[] } {
  const d = canonicalDiff(a, b);
  return { added: [...d.added].sort(), removed: [...d.removed].sort() };
}

function sorted(d: { added?: string[]; removed?: string[] }): { added: string[]; removed: string[] } {
  return { added: [...(d.added ?? [])].sort(), removed: [...(d.removed ?? [])].sort() };
}

function childNames(xml: string, path: string): string[] {
  const root = parseXml(xml).documentElement!;
  const el = dom.at(root, path) ?? root;
  return dom.children(el).map((c) => c.tagName);
}

describe('the fixture', () => {
  it('is a well-formed domain with every unmodelled part present', () => {
    const lines = canonicalLines(DOMAIN);
    for (const prefix of UNMODELLED) expect(lines.some((l) => l.startsWith(prefix))).toBe(true);
  });
});

describe('name, title and description', () => {
  it('setName changes only the name text', () => {
    expectDiff((d) => setName(d, 'web-02'), {
      removed: [`${D}/name[0]/#text[0]=web-01`],
      added: [`${D}/name[0]/#text[0]=web-02`],
    });
  });

  it('setName to the same name is no change at all', () => {
    expectDiff((d) => setName(d, 'web-01'), {});
  });

  it("setName refuses what libvirt refuses: empty, '/', line breaks, characters XML cannot carry", () => {
    editError((d) => setName(d, ''), 'name', /empty/);
    editError((d) => setName(d, 'a/b'), 'name', /'\/'/);
    editError((d) => setName(d, 'a\nb'), 'name', /line breaks/);
    editError((d) => setName(d, 'a\rb'), 'name', /line breaks/);
    editError((d) => setName(d, 'a\u0001b'), 'name', /U\+0001/);
    editError((d) => setName(d, 'a\uFFFEb'), 'name', /U\+FFFE/);
    editError((d) => setName(d, 'a\uD800b'), 'name', /U\+D800/);
  });

  it('setTitle replaces the title text; an empty title removes the element', () => {
    expectDiff((d) => setTitle(d, 'Front end'), {
      removed: [`${D}/title[0]/#text[0]=Web server`],
      added: [`${D}/title[0]/#text[0]=Front end`],
    });
    expectDiff((d) => setTitle(d, ''), { removed: [`${D}/title[0]`, `${D}/title[0]/#text[0]=Web server`] });
    editError((d) => setTitle(d, 'two\nlines'), 'title', /single line/);
  });

  it('setDescription adds <description> after <title>, escaped', () => {
    const value = `Tom's <b>"web"</b> & co — ünïcödé 🐧`;
    const after = expectDiff((d) => setDescription(d, value), {
      added: [`${D}/description[0]`, `${D}/description[0]/#text[0]=${value}`],
    });
    expect(childNames(after, '').slice(0, 5)).toEqual(['name', 'uuid', 'title', 'description', 'metadata']);
    expect(after).toContain('&lt;b&gt;');
    expect(dom.child(parseXml(after).documentElement!, 'description')?.textContent).toBe(value);
  });

  it('setDescription keeps surrounding spaces and stores line ends as LF', () => {
    const doc = parseXml(DOMAIN);
    setDescription(doc, '  two\r\nlines\rand more  ');
    const back = parseXml(serializeXml(doc));
    expect(dom.child(back.documentElement!, 'description')?.textContent).toBe('  two\nlines\nand more  ');
    setDescription(doc, '');
    expect(canonicallyEqual(doc, DOMAIN)).toBe(true);
  });
});

describe('memory', () => {
  it('setMemory raises <memory> and leaves a lower <currentMemory> alone', () => {
    expectDiff((d) => setMemory(d, 4194304), {
      removed: [`${D}/memory[0]/#text[0]=2097152`],
      added: [`${D}/memory[0]/#text[0]=4194304`],
    });
  });

  it('setMemory lowers <currentMemory> with it when it would exceed the new maximum', () => {
    expectDiff((d) => setMemory(d, 524288), {
      removed: [`${D}/memory[0]/#text[0]=2097152`, `${D}/currentMemory[0]/#text[0]=1048576`],
      added: [`${D}/memory[0]/#text[0]=524288`, `${D}/currentMemory[0]/#text[0]=524288`],
    });
  });

  it('setMemory sets <currentMemory> too when asked', () => {
    expectDiff((d) => setMemory(d, 3145728, { current: true }), {
      removed: [`${D}/memory[0]/#text[0]=2097152`, `${D}/currentMemory[0]/#text[0]=1048576`],
      added: [`${D}/memory[0]/#text[0]=3145728`, `${D}/currentMemory[0]/#text[0]=3145728`],
    });
  });

  it('setMemory writes KiB whatever unit was there, comparing currentMemory across units', () => {
    const xml = DOMAIN.replace("<memory unit='KiB'>2097152</memory>", "<memory unit='GiB'>2</memory>").replace(
      "<currentMemory unit='KiB'>1048576</currentMemory>",
      "<currentMemory unit='MiB'>1024</currentMemory>",
    );
    expectDiff(
      (d) => setMemory(d, 1572864),
      {
        removed: [`${D}/memory[0]/@unit=GiB`, `${D}/memory[0]/#text[0]=2`],
        added: [`${D}/memory[0]/@unit=KiB`, `${D}/memory[0]/#text[0]=1572864`],
      },
      xml,
    );
  });

  it('setMemory refuses non-positive and fractional sizes, and totals NUMA cells contradict', () => {
    editError((d) => setMemory(d, -1), 'memory', /at least 1/);
    editError((d) => setMemory(d, 0), 'memory');
    editError((d) => setMemory(d, 1.5), 'memory', /whole number/);
    editError((d) => setMemory(d, Number.NaN), 'memory');
    const numa = parseXml(
      DOMAIN.replace("<feature policy='require' name='vmx'/>", "<feature policy='require' name='vmx'/><numa><cell id='0' cpus='0-3' memory='2' unit='GiB'/></numa>"),
    );
    expect(() => setMemory(numa, 4194304)).toThrow(/NUMA/);
    expect(() => setMemory(numa, 2097152)).not.toThrow();
  });

  it('setCurrentMemory may not exceed <memory>', () => {
    expectDiff((d) => setCurrentMemory(d, 2097152), {
      removed: [`${D}/currentMemory[0]/#text[0]=1048576`],
      added: [`${D}/currentMemory[0]/#text[0]=2097152`],
    });
    editError((d) => setCurrentMemory(d, 2097153), 'currentMemory', /exceeds/);
  });

  it('setMaxMemory adds the hotplug ceiling before <memory>, and removes it with null', () => {
    const after = expectDiff((d) => setMaxMemory(d, { kib: 8388608, slots: 16 }), {
      added: [`${D}/maxMemory[0]`, `${D}/maxMemory[0]/@slots=16`, `${D}/maxMemory[0]/@unit=KiB`, `${D}/maxMemory[0]/#text[0]=8388608`],
    });
    expect(childNames(after, '').indexOf('maxMemory')).toBe(childNames(after, '').indexOf('memory') - 1);
    const doc = parseXml(after);
    setMaxMemory(doc, null);
    expect(canonicallyEqual(doc, DOMAIN)).toBe(true);
    editError((d) => setMaxMemory(d, { kib: 1024, slots: 1 }), 'maxMemory', /below/);
    editError((d) => setMaxMemory(d, { kib: 8388608 }), 'maxMemory.slots');
    const withMax = parseXml(after);
    expect(() => setMemory(withMax, 8388609)).toThrow(/maxMemory/);
  });
});

describe('vCPUs and CPU', () => {
  it('setVcpus with a topology changes both together', () => {
    expectDiff((d) => setVcpus(d, { max: 8, topology: { sockets: 1, cores: 4, threads: 2 } }), {
      removed: [`${D}/vcpu[0]/#text[0]=4`, `${D}/cpu[0]/topology[0]/@cores=2`],
      added: [`${D}/vcpu[0]/#text[0]=8`, `${D}/cpu[0]/topology[0]/@cores=4`],
    });
  });

  it('setVcpus keeps the current count unless told, and null removes it', () => {
    expectDiff((d) => setVcpus(d, { max: 4, current: null }), { removed: [`${D}/vcpu[0]/@current=2`] });
    expectDiff((d) => setVcpus(d, { max: 4, current: 3, placement: 'auto' }), {
      removed: [`${D}/vcpu[0]/@current=2`, `${D}/vcpu[0]/@placement=static`],
      added: [`${D}/vcpu[0]/@current=3`, `${D}/vcpu[0]/@placement=auto`],
    });
    expectDiff((d) => setVcpus(d, { max: 4 }), {});
  });

  it('setVcpus refuses more online vCPUs than the maximum and a count the topology contradicts', () => {
    editError((d) => setVcpus(d, { max: 4, current: 5 }), 'vcpu.current', /exceeds the maximum of 4/);
    editError((d) => setVcpus(d, { max: 6 }), 'vcpu', /topology/);
    editError((d) => setVcpus(d, { max: 6, topology: { sockets: 1, cores: 2, threads: 2 } }), 'cpu.topology');
    editError((d) => setVcpus(d, { max: 0 }), 'vcpu');
    const doc = parseXml(DOMAIN);
    setCpuTopology(doc, null);
    expect(() => setVcpus(doc, { max: 1 })).toThrow(/vcpu\.current/);
  });

  it('setCpuTopology checks the product against the vCPU count and keeps a dies attribute as 1', () => {
    expectDiff((d) => setCpuTopology(d, { sockets: 2, cores: 1, threads: 2 }), {
      removed: [`${D}/cpu[0]/topology[0]/@sockets=1`, `${D}/cpu[0]/topology[0]/@cores=2`],
      added: [`${D}/cpu[0]/topology[0]/@sockets=2`, `${D}/cpu[0]/topology[0]/@cores=1`],
    });
    editError((d) => setCpuTopology(d, { sockets: 2, cores: 2, threads: 2 }), 'cpu.topology', /8 vCPUs but the guest has 4/);
    editError((d) => setCpuTopology(d, { sockets: 0, cores: 2, threads: 2 }), 'cpu.topology.sockets');
  });

  it('setCpuMode host-passthrough drops the named model and match, keeps features, topology and check', () => {
    expectDiff((d) => setCpuMode(d, { mode: 'host-passthrough' }), {
      removed: [
        `${D}/cpu[0]/@mode=custom`,
        `${D}/cpu[0]/@match=exact`,
        `${D}/cpu[0]/model[0]`,
        `${D}/cpu[0]/model[0]/@fallback=allow`,
        `${D}/cpu[0]/model[0]/#text[0]=Skylake-Client`,
      ],
      added: [`${D}/cpu[0]/@mode=host-passthrough`],
    });
  });

  it('setCpuMode custom changes the model and can drop the features', () => {
    expectDiff((d) => setCpuMode(d, { mode: 'custom', model: 'EPYC', fallback: 'forbid', dropFeatures: true }), {
      removed: [
        `${D}/cpu[0]/model[0]/#text[0]=Skylake-Client`,
        `${D}/cpu[0]/model[0]/@fallback=allow`,
        `${D}/cpu[0]/feature[0]`,
        `${D}/cpu[0]/feature[0]/@name=vmx`,
        `${D}/cpu[0]/feature[0]/@policy=require`,
      ],
      added: [`${D}/cpu[0]/model[0]/#text[0]=EPYC`, `${D}/cpu[0]/model[0]/@fallback=forbid`],
    });
  });

  it('setCpuMode host-model keeps a fallback model element but no name', () => {
    expectDiff((d) => setCpuMode(d, { mode: 'host-model' }), {
      removed: [`${D}/cpu[0]/@mode=custom`, `${D}/cpu[0]/@match=exact`, `${D}/cpu[0]/model[0]/#text[0]=Skylake-Client`],
      added: [`${D}/cpu[0]/@mode=host-model`],
    });
  });

  it('setCpuMode refuses a model outside custom, custom without one, and unknown modes', () => {
    editError((d) => setCpuMode(d, { mode: 'host-model', model: 'EPYC' }), 'cpu.model', /custom/);
    editError((d) => setCpuMode(d, { mode: 'maximum', fallback: 'sometimes' as 'allow' }), 'cpu.model.fallback');
    editError((d) => setCpuMode(d, { mode: 'turbo' as 'custom' }), 'cpu.mode');
    const doc = parseXml(DOMAIN);
    setCpuMode(doc, { mode: 'host-passthrough' });
    expect(() => setCpuMode(doc, { mode: 'custom' })).toThrow(/needs a CPU model/);
  });
});

describe('boot order', () => {
  it('setOsBootDevices rewrites <os><boot> in place', () => {
    expectDiff((d) => setOsBootDevices(d, ['cdrom', 'hd']), {
      removed: [`${D}/os[0]/boot[0]/@dev=hd`, `${D}/os[0]/boot[1]/@dev=cdrom`],
      added: [`${D}/os[0]/boot[0]/@dev=cdrom`, `${D}/os[0]/boot[1]/@dev=hd`],
    });
    expectDiff((d) => setOsBootDevices(d, ['network', 'hd', 'cdrom']), {
      removed: [`${D}/os[0]/boot[0]/@dev=hd`, `${D}/os[0]/boot[1]/@dev=cdrom`],
      added: [`${D}/os[0]/boot[0]/@dev=network`, `${D}/os[0]/boot[1]/@dev=hd`, `${D}/os[0]/boot[2]`, `${D}/os[0]/boot[2]/@dev=cdrom`],
    });
    editError((d) => setOsBootDevices(d, ['hd', 'hd']), 'os.boot', /twice/);
    editError((d) => setOsBootDevices(d, ['usb' as 'hd']), 'os.boot');
  });

  it('setDeviceBootOrder moves to per-device order and removes <os><boot>, as libvirt requires', () => {
    const after = expectDiff(
      (d) => setDeviceBootOrder(d, [{ kind: 'disk', target: 'sda' }, { kind: 'interface', mac: '52:54:00:ab:CD:01' }]),
      {
        removed: [`${D}/os[0]/boot[0]`, `${D}/os[0]/boot[0]/@dev=hd`, `${D}/os[0]/boot[1]`, `${D}/os[0]/boot[1]/@dev=cdrom`],
        added: [
          `${DEV}/disk[1]/boot[0]`,
          `${DEV}/disk[1]/boot[0]/@order=1`,
          `${DEV}/interface[0]/boot[0]`,
          `${DEV}/interface[0]/boot[0]/@order=2`,
        ],
      },
    );
    // <boot> sits before <readonly> and <address>, where libvirt writes it.
    expect(childNames(after, 'devices/disk').length).toBeGreaterThan(0);
    const cdrom = findDevice(parseXml(after), { kind: 'disk', target: 'sda' })!;
    expect(dom.children(cdrom).map((c) => c.tagName)).toEqual(['driver', 'source', 'target', 'boot', 'readonly', 'address']);

    // Going back to the OS style removes the per-device elements again.
    const doc = parseXml(after);
    setOsBootDevices(doc, ['hd', 'cdrom']);
    expect(canonicallyEqual(doc, DOMAIN)).toBe(true);
  });

  it('setDeviceBootOrder renumbers and drops devices no longer listed', () => {
    const doc = parseXml(DOMAIN);
    setDeviceBootOrder(doc, [{ kind: 'disk', target: 'sda' }, { kind: 'disk', target: 'vda' }]);
    const before = serializeXml(doc);
    setDeviceBootOrder(doc, [{ kind: 'disk', target: 'vda' }]);
    expect(sortedDiff(before, doc)).toEqual({
      added: [`${DEV}/disk[0]/boot[0]/@order=1`],
      removed: [`${DEV}/disk[0]/boot[0]/@order=2`, `${DEV}/disk[1]/boot[0]`, `${DEV}/disk[1]/boot[0]/@order=1`].sort(),
    });
  });

  it('setBootOrder takes either style and refuses a mix', () => {
    const byDevice = parseXml(DOMAIN);
    setBootOrder(byDevice, [{ kind: 'disk', target: 'vda' }]);
    const expected = parseXml(DOMAIN);
    setDeviceBootOrder(expected, [{ kind: 'disk', target: 'vda' }]);
    expect(canonicallyEqual(byDevice, expected)).toBe(true);
    setBootOrder(byDevice, ['hd', 'cdrom']);
    expect(canonicallyEqual(byDevice, DOMAIN)).toBe(true);
    editError((d) => setBootOrder(d, ['hd', { kind: 'disk', target: 'vda' }] as unknown as ['hd']), 'boot', /one style/);
  });

  it('setDeviceBootOrder refuses unknown, repeated and unbootable devices', () => {
    editError((d) => setDeviceBootOrder(d, [{ kind: 'disk', target: 'vdz' }]), 'boot[0]', /no disk vdz/);
    editError((d) => setDeviceBootOrder(d, [{ kind: 'disk', target: 'vda' }, { kind: 'disk', target: 'vda' }]), 'boot', /twice/);
    editError((d) => setDeviceBootOrder(d, [{ kind: 'tpm' }]), 'boot[0]', /cannot boot/);
  });
});

describe('firmware', () => {
  it('setFirmware uefi with secure boot uses autoselection and the two firmware features', () => {
    const after = expectDiff((d) => setFirmware(d, 'uefi', { secureBoot: true }), {
      added: [
        `${D}/os[0]/@firmware=efi`,
        `${D}/os[0]/firmware[0]`,
        `${D}/os[0]/firmware[0]/feature[0]`,
        `${D}/os[0]/firmware[0]/feature[0]/@enabled=yes`,
        `${D}/os[0]/firmware[0]/feature[0]/@name=secure-boot`,
        `${D}/os[0]/firmware[0]/feature[1]`,
        `${D}/os[0]/firmware[0]/feature[1]/@enabled=yes`,
        `${D}/os[0]/firmware[0]/feature[1]/@name=enrolled-keys`,
      ],
    });
    expect(childNames(after, 'os')).toEqual(['type', 'firmware', 'boot', 'boot']);
    const doc = parseXml(after);
    expect(firmwareKind(doc)).toBe('uefi');
    const before = serializeXml(doc);
    setFirmware(doc, 'uefi', { secureBoot: false });
    expect(sortedDiff(before, doc)).toEqual(sorted({
      added: [`${D}/os[0]/firmware[0]/feature[0]/@enabled=no`, `${D}/os[0]/firmware[0]/feature[1]/@enabled=no`],
      removed: [`${D}/os[0]/firmware[0]/feature[0]/@enabled=yes`, `${D}/os[0]/firmware[0]/feature[1]/@enabled=yes`],
    }));
    setFirmware(doc, 'bios');
    expect(canonicallyEqual(doc, DOMAIN)).toBe(true);
  });

  const PINNED = DOMAIN.replace(
    "<boot dev='hd'/>",
    "<loader readonly='yes' secure='no' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>\n    <nvram>/var/lib/libvirt/qemu/nvram/web-01_VARS.fd</nvram>\n    <boot dev='hd'/>",
  );
  const AUTO = DOMAIN.replace('<os>', "<os firmware='efi'>").replace(
    "<boot dev='hd'/>",
    "<loader secure='no'/>\n    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/web-01_VARS.fd</nvram>\n    <boot dev='hd'/>",
  );

  it('keeps loader and NVRAM paths while the kind stays, drops them when it changes', () => {
    expectDiff((d) => setFirmware(d, 'uefi'), {}, PINNED);
    expectDiff((d) => setFirmware(d, 'uefi', { secureBoot: false }), {}, PINNED);
    expectDiff(
      (d) => setFirmware(d, 'uefi', { secureBoot: true }),
      {
        added: [
          `${D}/os[0]/firmware[0]`,
          `${D}/os[0]/firmware[0]/feature[0]`,
          `${D}/os[0]/firmware[0]/feature[0]/@enabled=yes`,
          `${D}/os[0]/firmware[0]/feature[0]/@name=secure-boot`,
          `${D}/os[0]/firmware[0]/feature[1]`,
          `${D}/os[0]/firmware[0]/feature[1]/@enabled=yes`,
          `${D}/os[0]/firmware[0]/feature[1]/@name=enrolled-keys`,
          `${D}/os[0]/loader[0]/@secure=yes`,
        ],
        removed: [`${D}/os[0]/loader[0]/@secure=no`],
      },
      AUTO,
    );
    const switched = expectDiff((d) => setFirmware(d, 'bios'), {
      removed: [
        `${D}/os[0]/loader[0]`,
        `${D}/os[0]/loader[0]/@readonly=yes`,
        `${D}/os[0]/loader[0]/@secure=no`,
        `${D}/os[0]/loader[0]/@type=pflash`,
        `${D}/os[0]/loader[0]/#text[0]=/usr/share/OVMF/OVMF_CODE_4M.fd`,
        `${D}/os[0]/nvram[0]`,
        `${D}/os[0]/nvram[0]/#text[0]=/var/lib/libvirt/qemu/nvram/web-01_VARS.fd`,
      ],
    }, PINNED);
    expect(canonicallyEqual(switched, DOMAIN)).toBe(true);
  });

  it('a pinned UEFI loader decides secure boot: changing it needs autoselect', () => {
    const doc = parseXml(PINNED);
    expect(firmwareKind(doc)).toBe('uefi');
    expect(() => setFirmware(doc, 'uefi', { secureBoot: true })).toThrow(EditError);
    setFirmware(doc, 'uefi', { secureBoot: true, autoselect: true });
    const os = dom.child(doc.documentElement!, 'os')!;
    expect(dom.attr(os, 'firmware')).toBe('efi');
    expect(dom.child(os, 'loader')).toBeUndefined();
    expect(dom.child(os, 'nvram')).toBeUndefined();
    expect(dom.children(dom.child(os, 'firmware')!, 'feature').map((f) => dom.attr(f, 'enabled'))).toEqual(['yes', 'yes']);
  });

  it('refuses secure boot with BIOS', () => {
    editError((d) => setFirmware(d, 'bios', { secureBoot: true }), 'os.firmware', /UEFI/);
    editError((d) => setFirmware(d, 'coreboot' as 'bios'), 'os.firmware');
  });
});

describe('lifecycle actions', () => {
  it('setLifecycleAction changes one action', () => {
    expectDiff((d) => setLifecycleAction(d, 'on_crash', 'coredump-restart'), {
      removed: [`${D}/on_crash[0]/#text[0]=destroy`],
      added: [`${D}/on_crash[0]/#text[0]=coredump-restart`],
    });
    expectDiff((d) => setLifecycleAction(d, 'on_lockfailure', 'pause'), {
      added: [`${D}/on_lockfailure[0]`, `${D}/on_lockfailure[0]/#text[0]=pause`],
    });
  });

  it("refuses values outside libvirt's list for that event", () => {
    editError((d) => setLifecycleAction(d, 'on_reboot', 'coredump-restart'), 'on_reboot', /not one of/);
    editError((d) => setLifecycleAction(d, 'on_poweroff', 'explode'), 'on_poweroff');
    editError((d) => setLifecycleAction(d, 'on_sleep' as 'on_crash', 'destroy'), 'lifecycle');
  });
});

describe('devices', () => {
  const NEW_DISK = `<disk type='file' device='disk'>
  <driver name='qemu' type='raw'/>
  <source file="/srv/data/a&lt;b&gt;&amp;'q&quot;-ü.img"/>
  <target dev='vdb' bus='virtio'/>
</disk>`;

  it('addDevice inserts a fragment after the last device of its kind, indented like its siblings', () => {
    const path = `/srv/data/a<b>&'q"-ü.img`;
    const after = expectDiff((d) => addDevice(d, NEW_DISK), {
      added: [
        `${DEV}/disk[2]`,
        `${DEV}/disk[2]/@device=disk`,
        `${DEV}/disk[2]/@type=file`,
        `${DEV}/disk[2]/driver[0]`,
        `${DEV}/disk[2]/driver[0]/@name=qemu`,
        `${DEV}/disk[2]/driver[0]/@type=raw`,
        `${DEV}/disk[2]/source[0]`,
        `${DEV}/disk[2]/source[0]/@file=${path}`,
        `${DEV}/disk[2]/target[0]`,
        `${DEV}/disk[2]/target[0]/@bus=virtio`,
        `${DEV}/disk[2]/target[0]/@dev=vdb`,
      ],
    });
    expect(childNames(after, 'devices').slice(0, 5)).toEqual(['emulator', 'disk', 'disk', 'disk', 'controller']);
    expect(after).toContain('\n    <disk type="file" device="disk">\n      <driver name="qemu" type="raw"/>');
    expect(after).toContain('\n      <target dev="vdb" bus="virtio"/>\n    </disk>\n    <controller');
  });

  it('addDevice takes an element from another document without moving it', () => {
    const fragment = parseXml("<sound model='ich9'/>");
    const doc = parseXml(DOMAIN);
    const added = addDevice(doc, fragment.documentElement!);
    expect(added.ownerDocument).toBe(doc);
    expect(fragment.documentElement?.tagName).toBe('sound');
    // No sound device yet: it goes where libvirt orders sound, before <video>.
    const names = dom.children(dom.child(doc.documentElement!, 'devices')!).map((c) => c.tagName);
    expect(names.indexOf('sound')).toBe(names.indexOf('video') - 1);
  });

  it('addDevice refuses duplicates, unknown elements and broken XML', () => {
    editError((d) => addDevice(d, NEW_DISK.replace('vdb', 'vda')), 'device', /already has a disk vda/);
    editError((d) => addDevice(d, "<interface type='network'><mac address='52:54:00:ab:cd:01'/></interface>"), 'device', /interface/);
    editError((d) => addDevice(d, '<bogus/>'), 'device', /not a device/);
    editError((d) => addDevice(d, '<emulator>/bin/sh</emulator>'), 'device', /not a device/);
    editError((d) => addDevice(d, '<disk type='), 'device', /well-formed/);
  });

  it('removeDevice removes a PCI host device named with numbers, not spellings', () => {
    // Removing the first of two hostdevs renames the second's lines too.
    expectDiff((d) => void removeDevice(d, { kind: 'hostdev', pci: { domain: 0, bus: 6, slot: 0x12, function: 5 } }), reindexedHostdevDiff());
  });

  function reindexedHostdevDiff(): { added: string[]; removed: string[] } {
    const lines = canonicalLines(DOMAIN);
    const first = lines.filter((l) => l.startsWith(`${DEV}/hostdev[0]`));
    const second = lines.filter((l) => l.startsWith(`${DEV}/hostdev[1]`));
    // canonicalDiff is a multiset difference: lines the two hostdevs share cancel out.
    const added = second.map((l) => l.replace(`${DEV}/hostdev[1]`, `${DEV}/hostdev[0]`));
    const removed = [...first, ...second];
    for (const l of [...added]) {
      const i = removed.indexOf(l);
      if (i >= 0) {
        removed.splice(i, 1);
        added.splice(added.indexOf(l), 1);
      }
    }
    return { added, removed };
  }

  it('removeDevice finds USB devices by vendor and product, and live devices by alias', () => {
    const usb = canonicalLines(DOMAIN).filter((l) => l.startsWith(`${DEV}/hostdev[1]`));
    expectDiff((d) => void removeDevice(d, { kind: 'hostdev', usb: { vendor: 0x46d, product: 0xc52b } }), { removed: usb });
    const rng = canonicalLines(DOMAIN).filter((l) => l.startsWith(`${DEV}/rng[0]`));
    const after = expectDiff((d) => void removeDevice(d, { alias: 'ua-rng0' }), { removed: rng });
    expect(after).toContain('<memballoon model="virtio"/>\n  </devices>');
  });

  it('removeDevice refuses an unknown device and names it', () => {
    editError((d) => removeDevice(d, { kind: 'interface', mac: '52:54:00:00:00:00' }), 'device', /no interface 52:54:00:00:00:00/);
    editError((d) => removeDevice(d, { kind: 'hostdev', pci: { domain: 0, bus: 6, slot: 0x12, function: 6 } }), 'device', /0000:06:12\.6/);
    editError((d) => removeDevice(d, { alias: 'net9' }), 'device', /alias "net9"/);
  });

  it('removeDevice refuses an ambiguous identity rather than guess', () => {
    const twice = DOMAIN.replace("<mac address='52:54:00:ab:cd:02'/>", "<mac address='52:54:00:ab:cd:01'/>");
    const doc = parseXml(twice);
    expect(() => removeDevice(doc, { kind: 'interface', mac: '52:54:00:AB:CD:01' })).toThrow(/2 devices match/);
  });

  it('updateDevice replaces a device in place and keeps its PCI address', () => {
    const after = expectDiff(
      (d) =>
        void updateDevice(
          d,
          { kind: 'interface', mac: '52:54:00:ab:cd:01' },
          "<interface type='network'>\n  <mac address='52:54:00:AB:cd:01'/>\n  <source network='lab'/>\n  <model type='e1000e'/>\n</interface>",
        ),
      {
        removed: [`${DEV}/interface[0]/source[0]/@network=default`, `${DEV}/interface[0]/model[0]/@type=virtio`],
        added: [`${DEV}/interface[0]/source[0]/@network=lab`, `${DEV}/interface[0]/model[0]/@type=e1000e`],
      },
    );
    expect(after).toContain(
      '    <interface type="network">\n      <mac address="52:54:00:AB:cd:01"/>\n      <source network="lab"/>\n      <model type="e1000e"/>\n      <address',
    );
  });

  it('updateDevice refuses a different kind of device and a clash with another device', () => {
    editError((d) => updateDevice(d, { kind: 'disk', target: 'vda' }, "<interface type='network'/>"), 'device', /cannot replace/);
    editError(
      (d) => updateDevice(d, { kind: 'disk', target: 'vda' }, "<disk type='file' device='disk'><target dev='sda'/></disk>"),
      'device',
      /another device/,
    );
  });

  it('changeMedia swaps the CD-ROM image, keeping startupPolicy', () => {
    const iso = `/srv/iso/new <&> "disc" ü.iso`;
    expectDiff((d) => changeMedia(d, 'sda', { file: iso }), {
      removed: [`${DEV}/disk[1]/source[0]/@file=/srv/iso/debian-12.iso`],
      added: [`${DEV}/disk[1]/source[0]/@file=${iso}`],
    });
  });

  it('changeMedia with null ejects by removing <source>, and inserting puts it back after <driver>', () => {
    const ejected = expectDiff((d) => changeMedia(d, 'sda', null), {
      removed: [
        `${DEV}/disk[1]/source[0]`,
        `${DEV}/disk[1]/source[0]/@file=/srv/iso/debian-12.iso`,
        `${DEV}/disk[1]/source[0]/@startupPolicy=optional`,
      ],
    });
    const doc = parseXml(ejected);
    changeMedia(doc, 'sda', { file: '/srv/iso/debian-12.iso' });
    const cdrom = findDevice(doc, { kind: 'disk', target: 'sda' })!;
    expect(dom.children(cdrom).map((c) => c.tagName)).toEqual(['driver', 'source', 'target', 'readonly', 'address']);
  });

  it('changeMedia refuses hard disks and unknown targets', () => {
    editError((d) => changeMedia(d, 'vda', { file: '/x.iso' }), 'disk.device', /only a cdrom or floppy/);
    editError((d) => changeMedia(d, 'sdz', null), 'disk.target', /no disk sdz/);
    editError((d) => changeMedia(d, 'sda', { file: '' }), 'disk.source', /empty/);
  });

  it('setLinkState adds or changes <link state>', () => {
    const down = expectDiff((d) => setLinkState(d, '52:54:00:AB:CD:02', 'down'), {
      added: [`${DEV}/interface[1]/link[0]`, `${DEV}/interface[1]/link[0]/@state=down`],
    });
    const doc = parseXml(down);
    setLinkState(doc, '52:54:00:ab:cd:02', 'up');
    expect(sortedDiff(down, doc)).toEqual(sorted({
      added: [`${DEV}/interface[1]/link[0]/@state=up`],
      removed: [`${DEV}/interface[1]/link[0]/@state=down`],
    }));
    editError((d) => setLinkState(d, '52:54:00:ab:cd:09', 'down'), 'interface.mac');
    editError((d) => setLinkState(d, '52:54:00:ab:cd:02', 'sideways' as 'up'), 'interface.link');
  });
});

describe('edits on a document that is not a domain', () => {
  it('throws before changing anything', () => {
    const net = parseXml('<network><name>n</name></network>');
    expect(() => setName(net, 'm')).toThrow(/expected a <domain> document/);
  });
});
