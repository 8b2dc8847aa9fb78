// Consoles through the server against the real libvirtd: tickets, the VNC proxy doing the display's password itself,
// the serial console with take-over, and who may open what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleInfo, ConsoleTicket } from '@vireo/api';
import { tinyDomainXml, uniqueName, virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { listen, startLive, type LiveHarness } from '../support/live-server.js';
import { removeTiny, virshWithFile } from '../support/domains.js';
import type { SignedIn } from '../../helpers/harness.js';
import { TICKET_TTL_MS } from '../../../src/consoles/ticket-store.js';
import { consoleSocket } from './console-client.js';

/** The tiny test VM (SeaBIOS on the screen and the serial console) with a display on loopback. */
function consoleDomainXml(name: string, graphics: { type: 'vnc' | 'spice'; password?: string }): string {
  return tinyDomainXml(name, { graphics: { listen: '127.0.0.1', ...graphics } });
}

describe('consoles', () => {
  let h: LiveHarness;
  let base: string;
  const vm = { name: uniqueName('console-vnc'), uuid: '' };
  const off = { name: uniqueName('console-off'), uuid: '' };

  beforeAll(async () => {
    h = await startLive();
    base = await listen(h);
    await virshWithFile((f) => ['define', f], consoleDomainXml(vm.name, { type: 'vnc', password: 'vireo-pw' }));
    await virshWithFile((f) => ['define', f], consoleDomainXml(off.name, { type: 'vnc' }));
    vm.uuid = (await virsh(['domuuid', vm.name])).trim();
    off.uuid = (await virsh(['domuuid', off.name])).trim();
    await virsh(['start', vm.name]);
  }, 60_000);

  afterAll(async () => {
    await removeTiny(vm.name);
    await removeTiny(off.name);
    await h?.close();
  });

  const ticket = async (who: SignedIn, uuid: string, body: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/api/v1/hosts/local/domains/${uuid}/consoles`, headers: who.headers, payload: body });

  it('describes the displays without their passwords', async () => {
    const res = await h.app.inject({ url: `/api/v1/hosts/local/domains/${vm.uuid}/consoles`, headers: { cookie: h.viewer.cookie } });
    expect(res.statusCode).toBe(200);
    const info = res.json<ConsoleInfo>();
    expect(info.state).toBe('running');
    expect(info.serial).toBe(true);
    const vnc = info.graphics[0]!;
    expect(vnc).toMatchObject({ type: 'vnc', listen: '127.0.0.1', passwordSet: true, localOnly: true });
    // The live port is the one virsh reports.
    expect(`127.0.0.1:${vnc.port! - 5900}`).toBe((await virsh(['vncdisplay', vm.name])).trim());
    expect(res.body).not.toContain('vireo-pw');
  });

  it('gives tickets to operators only, and only for a running domain with that console', async () => {
    expect((await ticket(h.viewer, vm.uuid, { type: 'vnc' })).statusCode).toBe(403);
    const offRes = await ticket(h.operator, off.uuid, { type: 'vnc' });
    expect(offRes.statusCode).toBe(409);
    expect(offRes.json<{ detail: string }>().detail).toMatch(/shutoff: start it/);
    const spice = await ticket(h.operator, vm.uuid, { type: 'spice' });
    expect(spice.statusCode).toBe(409);
    expect(spice.json<{ detail: string }>().detail).toMatch(/no SPICE display/);
    expect((await ticket(h.operator, vm.uuid, { type: 'rdp' })).statusCode).toBe(400);
    const ok = await ticket(h.operator, vm.uuid, { type: 'vnc' });
    expect(ok.statusCode).toBe(201);
    const t = ok.json<ConsoleTicket>();
    expect(t).toMatchObject({ type: 'vnc', path: `/api/v1/consoles/${t.ticket}`, password: null });
  });

  it('proxies VNC, answering the display\'s password itself: the browser sees "no authentication"', async () => {
    const t = (await ticket(h.operator, vm.uuid, { type: 'vnc' })).json<ConsoleTicket>();
    const c = await consoleSocket(base, t.path, h.operator);
    try {
      expect((await c.read(12)).toString()).toBe('RFB 003.008\n');
      c.send(Buffer.from('RFB 003.008\n'));
      expect([...(await c.read(2))]).toEqual([1, 1]); // one type: None
      c.send(Buffer.from([1]));
      expect((await c.read(4)).readUInt32BE(0)).toBe(0);
      c.send(Buffer.from([1])); // ClientInit, shared
      const init = await c.read(24);
      // ServerInit from QEMU itself: the framebuffer of SeaBIOS's text mode.
      expect(init.readUInt16BE(0)).toBeGreaterThanOrEqual(640);
      expect(init.readUInt16BE(2)).toBeGreaterThanOrEqual(200);
    } finally {
      c.close();
    }
    // The ticket was for one socket.
    const again = await consoleSocket(base, t.path, h.operator);
    expect(await again.closed).toMatchObject({ code: 4003 });
  });

  it('refuses a ticket of another session, an expired one, a wrong Origin and no session', async () => {
    const t = (await ticket(h.operator, vm.uuid, { type: 'vnc' })).json<ConsoleTicket>();
    const admin = await consoleSocket(base, t.path, h.admin);
    expect(await admin.closed).toMatchObject({ code: 4003, reason: 'unknown console ticket' });
    await expect(consoleSocket(base, t.path, h.operator, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(consoleSocket(base, t.path, { cookie: '' } as SignedIn)).rejects.toThrow(/401/);
    await expect(consoleSocket(base, t.path, h.viewer)).rejects.toThrow(/403/);
    h.clock.advance(TICKET_TTL_MS + 1);
    const late = await consoleSocket(base, t.path, h.operator);
    expect(await late.closed).toMatchObject({ code: 4003, reason: 'console ticket expired' });
  });

  it('carries the serial console, reports it busy, and hands it over with force', async () => {
    const first = await consoleSocket(base, (await ticket(h.operator, vm.uuid, { type: 'serial' })).json<ConsoleTicket>().path, h.operator);
    // A diskless SeaBIOS retries booting every second and says so on the serial port.
    await first.waitForText(/No bootable device|Booting from|SeaBIOS/, 30_000);
    const second = await consoleSocket(base, (await ticket(h.operator, vm.uuid, { type: 'serial' })).json<ConsoleTicket>().path, h.operator);
    expect(await second.closed).toMatchObject({ code: 4002 });
    const taker = await consoleSocket(base, (await ticket(h.operator, vm.uuid, { type: 'serial', force: true })).json<ConsoleTicket>().path, h.operator);
    try {
      expect(await first.closed).toMatchObject({ code: 4000 });
      await taker.waitForText(/No bootable device|Booting from|SeaBIOS/, 30_000);
    } finally {
      taker.close();
    }
  });

  it('ends the console socket when the VM stops', async () => {
    const c = await consoleSocket(base, (await ticket(h.operator, vm.uuid, { type: 'vnc' })).json<ConsoleTicket>().path, h.operator);
    await c.read(12);
    await virsh(['destroy', vm.name]);
    try {
      expect((await c.closed).code).toBe(4000);
    } finally {
      await virsh(['start', vm.name]);
      await waitFor(async () => ((await virsh(['domstate', vm.name])).trim() === 'running' ? true : undefined), 20_000, 'the VM to run again');
    }
  });

  it('serves a PNG screenshot of the running VM to operators', async () => {
    const res = await waitFor(
      async () => {
        const r = await h.app.inject({ url: `/api/v1/hosts/local/domains/${vm.uuid}/screenshot?width=200`, headers: { cookie: h.operator.cookie } });
        return r.statusCode === 200 ? r : undefined;
      },
      20_000,
      'a screenshot',
    );
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect((await h.app.inject({ url: `/api/v1/hosts/local/domains/${vm.uuid}/screenshot`, headers: { cookie: h.viewer.cookie } })).statusCode).toBe(403);
    expect((await h.app.inject({ url: `/api/v1/hosts/local/domains/${off.uuid}/screenshot`, headers: { cookie: h.operator.cookie } })).statusCode).toBe(409);
  });

  it('explains why a .vv file cannot serve a display listening on localhost, and writes one when it listens on all', async () => {
    const local = await h.app.inject({ url: `/api/v1/hosts/local/domains/${vm.uuid}/consoles/vnc.vv`, headers: { cookie: h.operator.cookie } });
    expect(local.statusCode).toBe(409);
    expect(local.json<{ detail: string }>().detail).toMatch(/listens only on the host itself/);
  });
  describe('SPICE', () => {
    const spice = { name: uniqueName('console-spice'), uuid: '' };

    beforeAll(async () => {
      const xml = consoleDomainXml(spice.name, { type: 'spice', password: 'spice-pw' }).replace(/listen=(['"])127\.0\.0\.1\1/g, "listen='0.0.0.0'").replace(/address=(['"])127\.0\.0\.1\1/g, "address='0.0.0.0'");
      await virshWithFile((f) => ['define', f], xml);
      spice.uuid = (await virsh(['domuuid', spice.name])).trim();
      await virsh(['start', spice.name]);
    }, 60_000);

    afterAll(() => removeTiny(spice.name));

    it('gives the SPICE password with the ticket, to the in-browser client only', async () => {
      const t = (await ticket(h.operator, spice.uuid, { type: 'spice' })).json<ConsoleTicket>();
      expect(t).toMatchObject({ type: 'spice', password: 'spice-pw' });
      // SPICE opens a socket per channel on one ticket.
      const main = await consoleSocket(base, t.path, h.operator);
      const display = await consoleSocket(base, t.path, h.operator);
      // A SPICE link message from the client gets the server's link reply ("REDQ" magic) on each channel.
      const link = spiceLinkMessage();
      main.send(link);
      display.send(link);
      expect((await main.read(4)).toString('latin1')).toBe('REDQ');
      expect((await display.read(4)).toString('latin1')).toBe('REDQ');
      main.close();
      display.close();
    });

    it('writes a .vv file naming the live port and the address the browser used', async () => {
      const res = await h.app.inject({ url: `/api/v1/hosts/local/domains/${spice.uuid}/consoles/spice.vv`, headers: { cookie: h.operator.cookie, host: 'kvm.example:8443' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/x-virt-viewer/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${spice.name}.vv"`);
      const kv = Object.fromEntries(res.body.split('\n').filter((l) => l.includes('=')).map((l) => l.split('=', 2) as [string, string]));
      const livePort = /<graphics type='spice' port='(\d+)'/.exec(await virsh(['dumpxml', spice.name]))?.[1];
      expect(kv).toMatchObject({ type: 'spice', host: 'kvm.example', port: livePort, password: 'spice-pw' });
    });

    it('switches the definition from SPICE to VNC, keeping the password and listen address', async () => {
      const detail = await h.app.inject({ url: `/api/v1/hosts/local/domains/${spice.uuid}`, headers: { cookie: h.admin.cookie } });
      const res = await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/hosts/local/domains/${spice.uuid}`,
        headers: { ...h.admin.headers, 'if-match': String(detail.headers['etag']) },
        payload: { operations: [{ op: 'graphicsType', type: 'vnc' }] },
      });
      expect(res.statusCode).toBe(200);
      const inactive = await virsh(['dumpxml', '--inactive', '--security-info', spice.name]);
      expect(inactive).toMatch(/<graphics type='vnc'[^>]*passwd='spice-pw'/);
      expect(inactive).toMatch(/<graphics type='vnc'[^>]*listen='0\.0\.0\.0'/);
      expect(inactive).not.toMatch(/spicevmc|type='spice'/);
      // The running VM keeps SPICE until it restarts.
      expect(await virsh(['dumpxml', spice.name])).toMatch(/<graphics type='spice'/);
    });
  });
});

/** SpiceLinkMess for the main channel, no capabilities (the smallest link a server answers). */
function spiceLinkMessage(): Buffer {
  const body = Buffer.alloc(18);
  body.writeUInt32LE(0, 0); // connection id
  body[4] = 1; // channel type: main
  body[5] = 0; // channel id
  body.writeUInt32LE(0, 6); // common caps
  body.writeUInt32LE(0, 10); // channel caps
  body.writeUInt32LE(18, 14); // caps offset
  const header = Buffer.alloc(16);
  header.write('REDQ', 0, 'latin1');
  header.writeUInt32LE(2, 4); // major
  header.writeUInt32LE(2, 8); // minor
  header.writeUInt32LE(body.length, 12);
  return Buffer.concat([header, body]);
}
