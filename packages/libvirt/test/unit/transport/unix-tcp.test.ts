import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseLibvirtUri,
  SshTransport,
  TcpTransport,
  TlsTransport,
  TransportError,
  transportForUri,
  UnixTransport,
} from '../../../src/transport/index.js';

/** Echo server; remembers its server-side sockets so tests can watch them close. */
function echoServer(): { server: Server; sockets: Socket[] } {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.write('hello from server\n');
    socket.pipe(socket);
  });
  return { server, sockets };
}

/** Reads from `stream` until `text` has arrived (or the stream ends), with a deadline. */
async function readUntil(stream: Duplex, text: string, timeoutMs = 5000): Promise<string> {
  let seen = '';
  const deadline = AbortSignal.timeout(timeoutMs);
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    seen += (chunk as Buffer).toString();
    if (seen.includes(text)) return seen;
    if (deadline.aborted) break;
  }
  throw new Error(`did not receive ${JSON.stringify(text)}; got ${JSON.stringify(seen)}`);
}

async function roundTrip(stream: Duplex): Promise<void> {
  await readUntil(stream, 'hello from server\n');
  stream.write('ping 123\n');
  await readUntil(stream, 'ping 123\n');
}

async function closed(stream: Duplex): Promise<void> {
  if (stream.destroyed) return;
  const done = once(stream, 'close');
  stream.destroy();
  await done;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vireo-transport-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('UnixTransport', () => {
  it('carries bytes both ways', async () => {
    const path = join(dir, 'echo.sock');
    const { server } = echoServer();
    server.listen(path);
    await once(server, 'listening');
    try {
      const transport = new UnixTransport({ socketPath: path });
      expect(transport.description).toBe(`unix:${path}`);
      const stream = await transport.connect();
      await roundTrip(stream);
      await closed(stream);
    } finally {
      server.close();
    }
  });

  it('is what transportForUri picks for a unix URI with socket=', async () => {
    const path = join(dir, 'echo2.sock');
    const { server } = echoServer();
    server.listen(path);
    await once(server, 'listening');
    try {
      const transport = transportForUri(parseLibvirtUri(`qemu+unix:///system?socket=${path}`));
      expect(transport).toBeInstanceOf(UnixTransport);
      const stream = await transport.connect();
      await roundTrip(stream);
      await closed(stream);
    } finally {
      server.close();
    }
  });

  it('names the socket and the likely cause when it does not exist', async () => {
    const path = join(dir, 'missing.sock');
    const err = await new UnixTransport({ socketPath: path }).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toBe(
      `cannot connect to libvirt at unix:${path}: ENOENT (is libvirtd running?)`,
    );
    expect((err as TransportError).code).toBe('ENOENT');
    expect((err as TransportError).target).toBe(`unix:${path}`);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const err = await new UnixTransport({ socketPath: join(dir, 'never.sock') })
      .connect({ signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('TcpTransport', () => {
  it('carries bytes both ways on 127.0.0.1', async () => {
    const { server } = echoServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const transport = new TcpTransport({ host: '127.0.0.1', port });
      expect(transport.description).toBe(`tcp:127.0.0.1:${port}`);
      const stream = await transport.connect();
      await roundTrip(stream);
      await closed(stream);
    } finally {
      server.close();
    }
  });

  it('reports a refused connection with the target', async () => {
    // A port that was just free: bind, note it, close.
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');

    const err = await new TcpTransport({ host: '127.0.0.1', port }).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('ECONNREFUSED');
    expect((err as Error).message).toMatch(
      new RegExp(`^cannot connect to libvirt at tcp:127\\.0\\.0\\.1:${port}: ECONNREFUSED \\(`),
    );
  });

  it('transportForUri picks TCP with the URI host and port', () => {
    const t = transportForUri(parseLibvirtUri('qemu+tcp://127.0.0.1:1234/system'));
    expect(t).toBeInstanceOf(TcpTransport);
    expect(t.description).toBe('tcp:127.0.0.1:1234');
  });
});

describe('connect timeout and abort', () => {
  // A server that accepts TCP but never answers the TLS ClientHello: the handshake can only time out.
  let server: Server;
  let accepted: Socket[];
  let port: number;
  beforeAll(async () => {
    accepted = [];
    server = createServer((socket) => {
      accepted.push(socket);
      socket.on('error', () => {});
      // Read (and drop) the ClientHello so the client's FIN is noticed and 'close' fires.
      socket.resume();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    for (const s of accepted) s.destroy();
    server.close();
  });

  function silentTls(): TlsTransport {
    // An empty pkipath and no verification: no credentials are needed to start a handshake that never finishes.
    return new TlsTransport({ host: '127.0.0.1', port, pkiPath: dir, verify: false });
  }

  it('times out a handshake that never completes and tears the socket down', async () => {
    const before = accepted.length;
    const started = Date.now();
    const err = await silentTls()
      .connect({ timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('ETIMEDOUT');
    expect((err as Error).message).toBe(`cannot connect to libvirt at tls:127.0.0.1:${port}: timed out after 300 ms`);
    // The half-open connection must not leak: the server sees it close.
    const serverSide = accepted[before];
    expect(serverSide).toBeDefined();
    if (serverSide && !serverSide.destroyed) await once(serverSide, 'close');
  });

  it('uses the constructor timeout when connect() gives none', async () => {
    const t = new TlsTransport({ host: '127.0.0.1', port, pkiPath: dir, verify: false, connectTimeoutMs: 200 });
    const err = await t.connect().catch((e: unknown) => e);
    expect((err as TransportError).code).toBe('ETIMEDOUT');
  });

  it('aborts a pending connect through the signal', async () => {
    const controller = new AbortController();
    // Abort once the server has the connection, so the abort really interrupts a live attempt.
    const reached = once(server, 'connection');
    const pending = silentTls()
      .connect({ signal: controller.signal, timeoutMs: 10_000 })
      .catch((e: unknown) => e);
    await reached;
    controller.abort(new Error('user went away'));
    const err = await pending;
    expect((err as Error).name).toBe('AbortError');
    expect((err as TransportError).code).toBe('ABORT_ERR');
    expect((err as Error).cause).toEqual(new Error('user went away'));
  });

  it('times out an SSH server that never speaks', async () => {
    const t = new SshTransport({
      host: '127.0.0.1',
      port,
      username: 'nobody',
      agent: false,
      authMethods: ['agent'],
      knownHosts: '',
    });
    // No credentials at all is refused before any traffic, with a clear message.
    await expect(t.connect({ timeoutMs: 300 })).rejects.toThrow(/no SSH credentials/);

    const withAgent = new SshTransport({
      host: '127.0.0.1',
      port,
      username: 'nobody',
      agent: join(dir, 'agent.sock'),
      knownHosts: '',
    });
    const err = await withAgent.connect({ timeoutMs: 300 }).catch((e: unknown) => e);
    expect((err as TransportError).code).toBe('ETIMEDOUT');
    expect((err as Error).message).toContain(`ssh:nobody@127.0.0.1:${port}`);
  });
});
