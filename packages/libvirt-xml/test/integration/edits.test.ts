/**
 * Edits against the real libvirtd: a definition fetched with INACTIVE|SECURE, edited, redefined (with schema
 * validation) and dumped again by virsh keeps every edit through libvirt's canonicalisation, and keeps what Vireo
 * does not model (graphics password, custom metadata, qemu:commandline). Device XML and identities are checked
 * against libvirt's own matching through the device APIs, our redaction against libvirt's own non-secure output,
 * and the network snippets through virNetworkUpdate. Nothing is started; everything made is named vireo-test-*.
 */
import { randomBytes } from 'node:crypto';
import type { Document } from '@xmldom/xmldom';
import { DomainDefineFlags, DomainModificationImpact, DomainXMLFlags, type LibvirtConnection } from '@vireo/libvirt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDevice,
  addDnsHost,
  canonicalDiff,
  canonicallyEqual,
  changeMedia,
  deviceXml,
  dom,
  findDevice,
  NetworkUpdateCommand,
  networkUpdateSnippet,
  parseXml,
  redactSecrets,
  removeDevice,
  serializeXml,
  setBridge,
  setCpuMode,
  setDescription,
  setDeviceBootOrder,
  setFirmware,
  setForwardMode,
  setLifecycleAction,
  setLinkState,
  setMemory,
  setName,
  setNetworkName,
  setTitle,
  setVcpus,
} from '../../src/index.js';
import { daemonAvailable, domainType, open, uniqueName, virsh } from '../support/libvirt.js';

const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';
const META_NS = 'urn:example:vireo-test';
const MAC = '52:54:00:7e:57:01';
/** VNC allows 8 characters; these carry every character that needs escaping in an attribute. */
const PASSWORD = `p<&'"x9z`;

/** A diskless q35 guest: an empty CD-ROM, one NIC, VNC with a password, metadata and qemu:commandline. */
const DOMAIN_TEMPLATE = `<domain type='qemu' xmlns:qemu='${QEMU_NS}'>
  <name>placeholder</name>
  <metadata>
    <vt:info xmlns:vt='${META_NS}'><vt:owner team='ops'>alice &amp; bob</vt:owner></vt:info>
  </metadata>
  <memory unit='MiB'>64</memory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <boot dev='hd'/>
  </os>
  <features>
    <acpi/>
  </features>
  <cpu mode='custom' match='exact'>
    <model fallback='allow'>qemu64</model>
    <topology sockets='1' dies='1' cores='2' threads='1'/>
  </cpu>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='cdrom'>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='network'>
      <mac address='${MAC}'/>
      <source network='default'/>
      <model type='virtio'/>
    </interface>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1' passwd='p&lt;&amp;&apos;&quot;x9z'/>
    <watchdog model='i6300esb' action='reset'/>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-set'/>
    <qemu:arg value='device.vireo.test=1'/>
  </qemu:commandline>
</domain>`;

/** Isolated (no forward), no IP, no DHCP: defining it starts nothing. */
const NETWORK_TEMPLATE = `<network>
  <name>placeholder</name>
  <metadata>
    <vt:info xmlns:vt='${META_NS}'>lab</vt:info>
  </metadata>
  <bridge name='placeholder' stp='on' delay='0'/>
  <domain name='vireo.test'/>
</network>`;

const TRICKY = `Vireo <edit> & 'single' "double" — ünïcödé ✓ 漢字 🐧`;
const ISO = `/var/lib/libvirt/images/vireo-test <&'"> ü.iso`;

function metadataOwner(doc: Document): { team: string | null; text: string | null } | undefined {
  const owner = doc.getElementsByTagNameNS(META_NS, 'owner').item(0);
  return owner ? { team: owner.getAttribute('team'), text: owner.textContent } : undefined;
}

function qemuArgs(doc: Document): string[] {
  const args = doc.getElementsByTagNameNS(QEMU_NS, 'arg');
  return Array.from({ length: args.length }, (_, i) => args.item(i)?.getAttribute('value') ?? '');
}

describe.skipIf(!daemonAvailable)('edits against the real libvirtd (virsh as the oracle)', () => {
  let conn: LibvirtConnection;
  const domains: string[] = [];
  const networks: string[] = [];

  beforeAll(async () => {
    conn = await open();
  });

  afterAll(async () => {
    for (const name of domains) {
      const found = await conn.domainLookupByName({ name }).catch(() => undefined);
      if (found) await conn.domainUndefineFlags({ dom: found.dom, flags: 4 /* NVRAM */ }).catch(() => undefined);
    }
    for (const name of networks) {
      const found = await conn.networkLookupByName({ name }).catch(() => undefined);
      if (found) await conn.networkUndefine({ net: found.net }).catch(() => undefined);
    }
    await conn?.close();
  });

  async function defineDomain(): Promise<string> {
    const name = uniqueName(`edits<&'"ü`);
    const doc = parseXml(DOMAIN_TEMPLATE);
    dom.setAttr(doc.documentElement!, 'type', domainType());
    setName(doc, name);
    domains.push(name);
    await conn.domainDefineXMLFlags({ xml: serializeXml(doc), flags: DomainDefineFlags.VALIDATE });
    return name;
  }

  async function inactiveSecure(name: string): Promise<Document> {
    const { dom: d } = await conn.domainLookupByName({ name });
    const { xml } = await conn.domainGetXMLDesc({ dom: d, flags: DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE });
    return parseXml(xml);
  }

  async function redefine(doc: Document): Promise<void> {
    await conn.domainDefineXMLFlags({ xml: serializeXml(doc), flags: DomainDefineFlags.VALIDATE });
  }

  it('keeps a no-op edit a no-op through libvirt', async () => {
    const name = await defineDomain();
    const before = await inactiveSecure(name);
    const doc = await inactiveSecure(name);
    setName(doc, name);
    await redefine(doc);
    const after = parseXml(await virsh(['dumpxml', '--inactive', '--security-info', name]));
    expect(canonicalDiff(before, after)).toEqual({ added: [], removed: [] });
  });

  it('keeps every edit and everything else through redefine and libvirt canonicalisation', async () => {
    const name = await defineDomain();
    const doc = await inactiveSecure(name);
    expect(dom.attr(findDevice(doc, { kind: 'graphics', type: 'vnc' }), 'passwd')).toBe(PASSWORD);

    setTitle(doc, TRICKY);
    setDescription(doc, `  ${TRICKY}\nsecond line  `);
    setMemory(doc, 131072, { current: true });
    setVcpus(doc, { max: 4, current: 2, topology: { sockets: 1, cores: 2, threads: 2 } });
    setCpuMode(doc, { mode: 'custom', model: 'kvm64', fallback: 'allow' });
    setLifecycleAction(doc, 'on_crash', 'restart');
    setFirmware(doc, 'uefi', { secureBoot: true });
    changeMedia(doc, 'sda', { file: ISO });
    setLinkState(doc, MAC.toUpperCase(), 'down');
    addDevice(doc, "<rng model='virtio'>\n  <backend model='random'>/dev/urandom</backend>\n</rng>");
    removeDevice(doc, { kind: 'watchdog', model: 'i6300esb' });
    setDeviceBootOrder(doc, [{ kind: 'disk', target: 'sda' }, { kind: 'interface', mac: MAC }]);
    await redefine(doc);

    const back = parseXml(await virsh(['dumpxml', '--inactive', '--security-info', name]));
    const root = back.documentElement!;
    expect(dom.child(root, 'title')?.textContent).toBe(TRICKY);
    expect(dom.child(root, 'description')?.textContent).toBe(`  ${TRICKY}\nsecond line  `);
    expect(dom.child(root, 'memory')?.textContent).toBe('131072');
    expect(dom.attr(dom.child(root, 'memory'), 'unit')).toBe('KiB');
    expect(dom.child(root, 'currentMemory')?.textContent).toBe('131072');
    const vcpu = dom.child(root, 'vcpu');
    expect([vcpu?.textContent, dom.attr(vcpu, 'current')]).toEqual(['4', '2']);
    const topology = dom.at(root, 'cpu/topology');
    expect(['sockets', 'dies', 'cores', 'threads'].map((a) => dom.attr(topology, a))).toEqual(['1', '1', '2', '2']);
    expect(dom.at(root, 'cpu/model')?.textContent).toBe('kvm64');
    expect(dom.child(root, 'on_crash')?.textContent).toBe('restart');

    const os = dom.child(root, 'os')!;
    expect(dom.attr(os, 'firmware')).toBe('efi');
    const features = dom.children(dom.child(os, 'firmware')!, 'feature').map((f) => `${dom.attr(f, 'name')}=${dom.attr(f, 'enabled')}`);
    expect(features.sort()).toEqual(['enrolled-keys=yes', 'secure-boot=yes']);
    expect(dom.children(os, 'boot')).toEqual([]);

    const cdrom = findDevice(back, { kind: 'disk', target: 'sda' })!;
    expect(dom.attr(dom.child(cdrom, 'source'), 'file')).toBe(ISO);
    expect(dom.attr(dom.child(cdrom, 'boot'), 'order')).toBe('1');
    const nic = findDevice(back, { kind: 'interface', mac: MAC })!;
    expect(dom.attr(dom.child(nic, 'link'), 'state')).toBe('down');
    expect(dom.attr(dom.child(nic, 'boot'), 'order')).toBe('2');
    expect(findDevice(back, { kind: 'rng' })).toBeDefined();
    expect(findDevice(back, { kind: 'watchdog', model: 'i6300esb' })).toBeUndefined();

    // What Vireo does not model is still there.
    expect(dom.attr(findDevice(back, { kind: 'graphics', type: 'vnc' }), 'passwd')).toBe(PASSWORD);
    expect(metadataOwner(back)).toEqual({ team: 'ops', text: 'alice & bob' });
    expect(qemuArgs(back)).toEqual(['-set', 'device.vireo.test=1']);

    // And libvirt's next dump is the same document: the edited definition is already in its canonical form.
    const again = await inactiveSecure(name);
    expect(canonicallyEqual(again, back)).toBe(true);
  });

  it("redacts exactly what libvirt itself leaves out without the SECURE flag", async () => {
    const name = await defineDomain();
    const secure = await inactiveSecure(name);
    const { dom: d } = await conn.domainLookupByName({ name });
    const plain = parseXml((await conn.domainGetXMLDesc({ dom: d, flags: DomainXMLFlags.INACTIVE })).xml);
    const { doc, redacted } = redactSecrets(secure);
    expect(redacted).toEqual(['/domain/devices[1]/graphics[1]/@passwd']);
    expect(canonicalDiff(doc, plain)).toEqual({ added: [], removed: [] });
  });

  it('device XML and identities match what libvirt matches for attach, update and detach', async () => {
    const name = await defineDomain();
    const { dom: d } = await conn.domainLookupByName({ name });
    const CONFIG = DomainModificationImpact.CONFIG;

    const staged = await inactiveSecure(name);
    const added = addDevice(
      staged,
      `<interface type='network'>\n  <mac address='52:54:00:7e:57:02'/>\n  <source network='default'/>\n  <model type='e1000e'/>\n</interface>`,
    );
    await conn.domainAttachDeviceFlags({ dom: d, xml: deviceXml(added), flags: CONFIG });
    let now = await inactiveSecure(name);
    expect(findDevice(now, { kind: 'interface', mac: '52:54:00:7E:57:02' })).toBeDefined();

    // Update: the device as libvirt has it, with the link taken down, named by its MAC.
    setLinkState(now, '52:54:00:7e:57:02', 'down');
    await conn.domainUpdateDeviceFlags({ dom: d, xml: deviceXml(findDevice(now, { kind: 'interface', mac: '52:54:00:7e:57:02' })!), flags: CONFIG });
    now = await inactiveSecure(name);
    expect(dom.attr(dom.child(findDevice(now, { kind: 'interface', mac: '52:54:00:7e:57:02' })!, 'link'), 'state')).toBe('down');

    // Media change through the update API, as for a running guest.
    changeMedia(now, 'sda', { file: ISO });
    await conn.domainUpdateDeviceFlags({ dom: d, xml: deviceXml(findDevice(now, { kind: 'disk', target: 'sda' })!), flags: CONFIG });
    now = await inactiveSecure(name);
    expect(dom.attr(dom.child(findDevice(now, { kind: 'disk', target: 'sda' })!, 'source'), 'file')).toBe(ISO);

    await conn.domainDetachDeviceFlags({ dom: d, xml: deviceXml(findDevice(now, { kind: 'interface', mac: '52:54:00:7e:57:02' })!), flags: CONFIG });
    now = await inactiveSecure(name);
    expect(findDevice(now, { kind: 'interface', mac: '52:54:00:7e:57:02' })).toBeUndefined();
    expect(findDevice(now, { kind: 'interface', mac: MAC })).toBeDefined();
  });

  it('keeps network edits and metadata through redefine; snippets work with virNetworkUpdate', async () => {
    const name = uniqueName(`net<&'"ü`);
    const bridge = `vtb${randomBytes(3).toString('hex')}`;
    const doc = parseXml(NETWORK_TEMPLATE);
    setNetworkName(doc, name);
    setBridge(doc, bridge);
    networks.push(name);
    const { net } = await conn.networkDefineXMLFlags({ xml: serializeXml(doc), flags: 1 /* VALIDATE */ });

    const fetched = parseXml((await conn.networkGetXMLDesc({ net, flags: 1 /* INACTIVE */ })).xml);
    const newBridge = `vtc${randomBytes(3).toString('hex')}`;
    setBridge(fetched, newBridge, { stp: false, delay: 2 });
    setForwardMode(fetched, 'none');
    addDnsHost(fetched, { ip: '192.0.2.10', hostnames: ['nas.vireo.test', 'files.vireo.test'] });
    await conn.networkDefineXMLFlags({ xml: serializeXml(fetched), flags: 1 });

    const back = parseXml(await virsh(['net-dumpxml', '--inactive', name]));
    const root = back.documentElement!;
    const br = dom.child(root, 'bridge');
    expect([dom.attr(br, 'name'), dom.attr(br, 'stp'), dom.attr(br, 'delay')]).toEqual([newBridge, 'off', '2']);
    expect(dom.child(root, 'forward')).toBeUndefined();
    const host = dom.at(root, 'dns/host')!;
    expect(dom.attr(host, 'ip')).toBe('192.0.2.10');
    expect(dom.children(host, 'hostname').map((h) => h.textContent)).toEqual(['nas.vireo.test', 'files.vireo.test']);
    expect(back.getElementsByTagNameNS(META_NS, 'info').item(0)?.textContent).toBe('lab');
    expect(dom.attr(dom.child(root, 'domain'), 'name')).toBe('vireo.test');

    const snippet = networkUpdateSnippet({ section: 'dns-host', host: { ip: '192.0.2.11', hostnames: ['db.vireo.test'] } });
    await conn.networkUpdate({
      net,
      command: NetworkUpdateCommand.ADD_LAST,
      section: snippet.section,
      parentIndex: -1,
      xml: snippet.xml,
      flags: 2 /* VIR_NETWORK_UPDATE_AFFECT_CONFIG */,
    });
    const updated = parseXml(await virsh(['net-dumpxml', '--inactive', name]));
    const hosts = dom.children(dom.at(updated.documentElement!, 'dns')!, 'host').map((h) => dom.attr(h, 'ip'));
    expect(hosts).toEqual(['192.0.2.10', '192.0.2.11']);
  });
});
