import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HostKeyVerificationError,
  hashKnownHostName,
  parseLibvirtUri,
  SshTransport,
  TransportError,
  transportForUri,
  type SshTransportOptions,
} from '../../src/transport/index.js';
import { sshdUnavailableReason, startSshd, type Sshd } from '../support/sshd.js';

const skipReason = sshdUnavailableReason();

/** `SHA256:...` of a public key file, from ssh-keygen itself: the oracle for our fingerprints. */
function keygenFingerprint(pubPath: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath], { encoding: 'utf8' });
  const fp = out.split(/\s+/)[1];
  if (!fp?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen output: ${out}`);
  return fp;
}

/** Client-side TCP connections to 127.0.0.1:port that are still established, per `ss`. */
function establishedTo(port: number): number {
  const out = execFileSync('ss', ['-Htn', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.trim() !== '').length;
}

/** Polls `condition` until it holds, failing with `what` at the deadline. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads until `text` has arrived, or fails when the stream ends first. */
async function readUntil(stream: Duplex, text: string): Promise<string> {
  let seen = '';
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    seen += (chunk as Buffer).toString();
    if (seen.includes(text)) return seen;
  }
  throw new Error(`stream ended before ${JSON.stringify(text)}; got ${JSON.stringify(seen)}`);
}

describe.skipIf(skipReason !== undefined)(`SSH transport against a local sshd${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let sshd: Sshd;
  let echoPath: string;
  let echo: Server;
  const echoSockets: Socket[] = [];

  beforeAll(async () => {
    const started = await startSshd();
    if (started === null) throw new Error('sshd unavailable although sshdUnavailableReason() said it was');
    sshd = started;
    // Stands in for libvirtd's socket: greets, then echoes.
    echoPath = join(sshd.dir, 'echo.sock');
    echo = createServer((socket) => {
      echoSockets.push(socket);
      socket.on('error', () => {});
      socket.write('hello from the remote socket\n');
      socket.pipe(socket);
    });
    echo.listen(echoPath);
    await once(echo, 'listening');
  });

  afterAll(async () => {
    echo?.close();
    await sshd?.stop();
  });

  function transport(overrides: Partial<SshTransportOptions> = {}): SshTransport {
    return new SshTransport({
      host: '127.0.0.1',
      port: sshd.port,
      username: sshd.user,
      privateKeyPath: sshd.userKeyPath,
      knownHostsPath: sshd.knownHostsPath,
      socketPath: echoPath,
      agent: false,
      ...overrides,
    });
  }

  it('forwards to the remote unix socket with a known host key, bytes both ways', async () => {
    const t = transport();
    expect(t.description).toBe(`ssh:${sshd.user}@127.0.0.1:${sshd.port}`);
    const stream = await t.connect();
    await readUntil(stream, 'hello from the remote socket\n');
    const big = Buffer.alloc(300_000, 'x').toString() + '\nend-of-big\n';
    stream.write(big);
    const back = await readUntil(stream, 'end-of-big\n');
    expect(back.length).toBeGreaterThanOrEqual(big.length);

    // Closing our side closes the channel and the remote socket, and the SSH client with it.
    const remote = echoSockets.at(-1);
    const remoteClosed = remote ? once(remote, 'close') : Promise.resolve();
    const closed = once(stream, 'close');
    expect(establishedTo(sshd.port)).toBe(1);
    stream.destroy();
    await closed;
    await remoteClosed;
    expect(stream.destroyed).toBe(true);
    // The channel was the SSH connection's only one, so the connection itself is gone too.
    await waitFor('the SSH connection to close', () => establishedTo(sshd.port) === 0);
  });

  it('authenticates through ssh-agent', async () => {
    const agentSocket = join(sshd.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
    try {
      await waitFor('ssh-agent to listen', () => existsSync(agentSocket));
      execFileSync('ssh-add', ['-q', sshd.userKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });
      const stream = await transport({ privateKeyPath: undefined, agent: agentSocket, authMethods: ['agent'] }).connect();
      await readUntil(stream, 'hello from the remote socket\n');
      stream.destroy();
    } finally {
      const exited = once(agent, 'exit');
      agent.kill();
      await exited;
    }
  });

  it('ends cleanly when our side ends and the remote side follows', async () => {
    const stream = await transport().connect();
    await readUntil(stream, 'hello from the remote socket\n');
    const closed = once(stream, 'close');
    stream.resume();
    stream.end();
    await closed;
  });

  it('is what transportForUri builds from a qemu+ssh URI', async () => {
    const uri = parseLibvirtUri(
      `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/system?keyfile=${sshd.userKeyPath}` +
        `&known_hosts=${sshd.knownHostsPath}&socket=${echoPath}`,
    );
    expect(uri.localUri).toBe('qemu:///system');
    const t = transportForUri(uri, { ssh: { agent: false } });
    expect(t).toBeInstanceOf(SshTransport);
    const stream = await t.connect();
    await readUntil(stream, 'hello from the remote socket\n');
    stream.destroy();
  });

  it('accepts a hashed known_hosts entry and key contents given directly', async () => {
    const [type, base64] = sshd.hostPublicKey.split(' ');
    const stream = await transport({
      knownHosts: `${hashKnownHostName(`[127.0.0.1]:${sshd.port}`)} ${type} ${base64}\n`,
      knownHostsPath: undefined,
    }).connect();
    await readUntil(stream, 'hello from the remote socket\n');
    stream.destroy();
  });

  it('asks for the key type known_hosts holds (ECDSA) even though the server prefers ed25519', async () => {
    const [type, base64] = sshd.ecdsaHostPublicKey.split(' ');
    const stream = await transport({ knownHosts: `[127.0.0.1]:${sshd.port} ${type} ${base64}\n` }).connect();
    await readUntil(stream, 'hello from the remote socket\n');
    stream.destroy();
  });

  it('refuses an unknown host, naming host, port and the offered fingerprint', async () => {
    const empty = join(sshd.dir, 'known_hosts.empty');
    writeFileSync(empty, '');
    const err = await transport({ knownHostsPath: empty }).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyVerificationError);
    const hk = err as HostKeyVerificationError;
    const expected = keygenFingerprint(`${sshd.hostKeyPath}.pub`);
    expect(hk.problem).toBe('unknown');
    expect(hk.fingerprint).toBe(expected);
    expect(hk.message).toContain(`127.0.0.1 port ${sshd.port}`);
    expect(hk.message).toContain(expected);
    expect(hk.message).toContain(empty);
  });

  it('refuses a host whose key differs from known_hosts', async () => {
    const other = ssh2.utils.generateKeyPairSync('ed25519').public.split(' ');
    const wrong = join(sshd.dir, 'known_hosts.wrong');
    writeFileSync(wrong, `[127.0.0.1]:${sshd.port} ${other[0]} ${other[1]}\n`);
    const err = await transport({ knownHostsPath: wrong }).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyVerificationError);
    const hk = err as HostKeyVerificationError;
    expect(hk.problem).toBe('mismatch');
    expect(hk.message).toContain(`127.0.0.1 port ${sshd.port}`);
    expect(hk.message).toContain(keygenFingerprint(`${sshd.hostKeyPath}.pub`));
  });

  it('does not take a key recorded for the same host on another port', async () => {
    const [type, base64] = sshd.hostPublicKey.split(' ');
    const err = await transport({ knownHosts: `127.0.0.1 ${type} ${base64}\n` })
      .connect()
      .catch((e: unknown) => e);
    expect((err as HostKeyVerificationError).problem).toBe('unknown');
  });

  it('reports a refused user key', async () => {
    const stranger = ssh2.utils.generateKeyPairSync('ed25519').private;
    const err = await transport({ privateKeyPath: undefined, privateKey: stranger })
      .connect()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('SSH_AUTH_FAILED');
    expect((err as Error).message).toContain(`SSH authentication failed for user ${sshd.user}`);
  });

  it('reports a remote socket that does not exist', async () => {
    const missing = join(sshd.dir, 'no-such.sock');
    const err = await transport({ socketPath: missing }).connect().catch((e: unknown) => e);
    expect((err as TransportError).code).toBe('SSH_CHANNEL_OPEN_FAILED');
    expect((err as Error).message).toContain(missing);
  });
});
