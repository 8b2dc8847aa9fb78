/** Display edits: the listen address, and switching a SPICE display to VNC without losing the rest. */
import { describe, expect, it } from 'vitest';
import { EditError, graphicsPasswords, parseXml, readDomain, serializeXml, setGraphicsListen, switchGraphicsToVnc } from '../../src/index.js';

const SPICE = `<domain type='kvm'>
  <name>spicy</name>
  <!-- a comment the UI knows nothing about -->
  <metadata><app:note xmlns:app='urn:example'>keep me</app:note></metadata>
  <devices>
    <graphics type='spice' autoport='yes' passwd='hunter2' listen='127.0.0.1' defaultMode='secure' tlsPort='-1'>
      <listen type='address' address='127.0.0.1'/>
      <image compression='off'/>
      <gl enable='no'/>
    </graphics>
    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <redirdev bus='usb' type='spicevmc'/>
    <audio id='1' type='spice'/>
    <sound model='ich9'><audio id='1'/></sound>
    <video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/></video>
    <vendor-thing foo='bar'/>
  </devices>
</domain>`;

describe('switchGraphicsToVnc', () => {
  it('turns the SPICE display into VNC, drops SPICE-only parts and keeps everything else', () => {
    const doc = parseXml(SPICE);
    switchGraphicsToVnc(doc);
    const view = readDomain(doc);
    expect(view.devices.graphics).toHaveLength(1);
    expect(view.devices.graphics[0]).toMatchObject({ type: 'vnc', autoport: true, listenAddress: '127.0.0.1', hasPassword: true });
    expect(graphicsPasswords(doc)).toEqual(['hunter2']);
    const xml = serializeXml(doc);
    expect(xml).not.toMatch(/spicevmc|tlsPort|defaultMode|<image|<gl |qxl|type="spice"|type='spice'/);
    // The agent channel, the sound card, the unknown device, the comment and the metadata stay.
    expect(xml).toContain('org.qemu.guest_agent.0');
    expect(xml).toContain('<sound model');
    expect(xml).toContain('vendor-thing');
    expect(xml).toContain('a comment the UI knows nothing about');
    expect(xml).toContain('keep me');
    expect(view.devices.videos[0]?.model).toBe('virtio');
    expect(xml).not.toMatch(/vgamem|vram/);
  });

  it('removes the SPICE display when a VNC one exists already', () => {
    const doc = parseXml(SPICE.replace('<channel type=\'spicevmc\'>', "<graphics type='vnc' port='5901'/><channel type='spicevmc'>"));
    switchGraphicsToVnc(doc);
    expect(readDomain(doc).devices.graphics.map((g) => g.type)).toEqual(['vnc']);
    expect(readDomain(doc).devices.graphics[0]?.port).toBe(5901);
  });

  it('refuses a domain without SPICE', () => {
    const doc = parseXml(`<domain type='kvm'><name>v</name><devices><graphics type='vnc'/></devices></domain>`);
    expect(() => switchGraphicsToVnc(doc)).toThrow(EditError);
  });
});

describe('setGraphicsListen', () => {
  it('sets the address on the attribute and the first listen element', () => {
    const doc = parseXml(SPICE);
    setGraphicsListen(doc, '0.0.0.0');
    const g = readDomain(doc).devices.graphics[0]!;
    expect(g.listenAddress).toBe('0.0.0.0');
    expect(g.listens).toEqual([{ type: 'address', address: '0.0.0.0' }]);
  });

  it('replaces a socket listen by an address with an automatic port', () => {
    const doc = parseXml(`<domain type='kvm'><name>v</name><devices><graphics type='vnc'><listen type='socket' socket='/run/x.sock'/></graphics></devices></domain>`);
    setGraphicsListen(doc, '::');
    const g = readDomain(doc).devices.graphics[0]!;
    expect(g).toMatchObject({ listenType: 'address', listenAddress: '::', socket: undefined, autoport: true });
  });

  it('refuses things that are not addresses, and domains without a display', () => {
    expect(() => setGraphicsListen(parseXml(SPICE), '1.2.3.4 evil')).toThrow(EditError);
    expect(() => setGraphicsListen(parseXml(`<domain type='kvm'><name>v</name><devices/></domain>`), '0.0.0.0')).toThrow(/no VNC or SPICE/);
  });
});
