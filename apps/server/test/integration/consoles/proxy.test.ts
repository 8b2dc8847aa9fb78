// The console proxy's byte path: with the host's access pointed at a test TCP server instead of the VM's display,
// what the browser sends must arrive byte for byte, and what the display sends must reach the browser, for one
// session and for 50 at once; either side closing closes the other.
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleTicket } from '@vireo/api';
import { virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { LocalHostAccess } from '../../../src/host-access/local-host-access.js';
import type { HostEndpoint } from '../../../src/host-access/host-access.js';
import { listen, startLive, type LiveHarness } from '../support/live-server.js';
import { defineTiny, removeTiny } from '../support/domains.js';
import { consoleSocket } from './console-client.js';

/** Reaches the test's display server whatever endpoint the domain names, and records what was asked for. */
class RedirectedAccess extends LocalHostAccess {
  readonly asked: HostEndpoint[] = [];
  constructor(private readonly port: () => number) {
    super();
  }
  override connect(endpoint: HostEndpoint): Promise<Duplex> {
    this.asked.push(endpoint);
    return super.connect({ kind: 'tcp', host: '127.0.0.1', port: this.port() });
  }
}

interface DisplaySide {
  socket: net.Socket;
  received: Buffer[];
  closed: Promise<void>;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('console proxy', () => {
  let h: LiveHarness;
  let base: string;
  let display: net.Server;
  const sides: DisplaySide[] = [];
  const access = new RedirectedAccess(() => (display.address() as net.AddressInfo).port);
  let vm: { name: string; uuid: string };

  beforeAll(async () => {
    display = net.createServer((socket) => {
      const side: DisplaySide = { socket, received: [], closed: new Promise((r) => socket.once('close', () => r())) };
      socket.on('data', (d: Buffer) => side.received.push(d));
      socket.on('error', () => undefined);
      sides.push(side);
    });
    await new Promise<void>((r) => display.listen(0, '127.0.0.1', r));
    h = await startLive({ localAccess: access });
    base = await listen(h);
    vm = await defineTiny('proxy', { vnc: true });
    await virsh(['start', vm.name]);
  }, 60_000);

  afterAll(async () => {
    await removeTiny(vm.name);
    await h?.close();
    display?.close();
  });

  async function open() {
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/hosts/local/domains/${vm.uuid}/consoles`, headers: h.operator.headers, payload: { type: 'vnc' } });
    expect(res.statusCode).toBe(201);
    const before = sides.length;
    const client = await consoleSocket(base, res.json<ConsoleTicket>().path, h.operator);
    const side = await waitFor(() => sides[before], 5000, 'the proxy to reach the display');
    return { client, side };
  }

  it('reaches the display on loopback at its live VNC port', async () => {
    const { client } = await open();
    client.close();
    const port = Number((await virsh(['vncdisplay', vm.name])).trim().split(':')[1]) + 5900;
    expect(access.asked.at(-1)).toEqual({ kind: 'tcp', host: '127.0.0.1', port });
  });

  it('carries 4 MiB each way unchanged', async () => {
    const { client, side } = await open();
    const up = randomBytes(4 * 1024 * 1024);
    const down = randomBytes(4 * 1024 * 1024);
    // Browsers send many small frames and displays write large updates: both shapes.
    for (let off = 0; off < up.length; off += 16 * 1024) client.send(up.subarray(off, off + 16 * 1024));
    side.socket.write(down);
    await waitFor(() => (Buffer.concat(side.received).length >= up.length ? true : undefined), 20_000, 'all bytes at the display');
    await waitFor(() => (client.received().length >= down.length ? true : undefined), 20_000, 'all bytes at the browser');
    expect(sha(Buffer.concat(side.received))).toBe(sha(up));
    expect(sha(client.received())).toBe(sha(down));
    client.close();
    await side.closed;
  });

  it('holds the display back while the browser does not read, and loses nothing meanwhile', async () => {
    // The proxy reads the display into one reused buffer: a frame the browser has not taken yet must keep the
    // display paused (else the next read would overwrite it), so the display's own writes back up.
    const { client, side } = await open();
    client.ws.pause();
    const down = randomBytes(48 * 1024 * 1024);
    side.socket.write(down);
    await waitFor(
      async () => {
        const queued = side.socket.writableLength;
        await new Promise((r) => setTimeout(r, 200));
        return queued > 0 && side.socket.writableLength === queued ? true : undefined;
      },
      20_000,
      'the display to be held back',
    );
    client.ws.resume();
    await waitFor(() => (client.received().length >= down.length ? true : undefined), 30_000, 'all bytes at the browser');
    expect(sha(client.received())).toBe(sha(down));
    client.close();
    await side.closed;
  });

  it('closes the browser socket (code 4000) when the display closes, and the display when the browser closes', async () => {
    const a = await open();
    a.side.socket.end();
    expect((await a.client.closed).code).toBe(4000);
    const b = await open();
    b.client.close();
    await b.side.closed;
    expect(b.side.socket.destroyed || b.side.socket.readableEnded).toBe(true);
  });

  it('keeps 50 concurrent sessions apart', async () => {
    // Opened one after another so each browser socket is paired with its display connection; then all 50 carry
    // traffic at once.
    const sessions: Awaited<ReturnType<typeof open>>[] = [];
    for (let i = 0; i < 50; i++) sessions.push(await open());
    const payloads = sessions.map(() => ({ up: randomBytes(64 * 1024), down: randomBytes(64 * 1024) }));
    sessions.forEach(({ client }, i) => client.send(payloads[i]!.up));
    await waitFor(() => (sessions.every(({ side }, i) => Buffer.concat(side.received).length >= payloads[i]!.up.length) ? true : undefined), 20_000, 'every display to get its bytes');
    sessions.forEach(({ side }, i) => side.socket.write(payloads[i]!.down));
    await waitFor(() => (sessions.every(({ client }, i) => client.received().length >= payloads[i]!.down.length) ? true : undefined), 20_000, 'every browser to get its bytes');
    sessions.forEach(({ client, side }, i) => {
      expect(sha(Buffer.concat(side.received))).toBe(sha(payloads[i]!.up));
      expect(sha(client.received())).toBe(sha(payloads[i]!.down));
    });
    for (const { client } of sessions) client.close();
    await Promise.all(sessions.map(({ side }) => side.closed));
  });
});

