/**
 * A throwaway OpenSSH server on 127.0.0.1 for SSH transport tests: Debian's /usr/sbin/sshd with its own config,
 * host keys and authorized key in a temp dir. Needs root (sshd's privilege separation) and openssh-server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';

export interface Sshd {
  port: number;
  /** The user sshd lets in with userKeyPath: whoever runs the tests (root here). */
  user: string;
  /** The ed25519 host key (private) and its public line `ssh-ed25519 AAAA... comment`. */
  hostKeyPath: string;
  hostPublicKey: string;
  /** A second host key, ECDSA, so tests can check key-type negotiation against known_hosts. */
  ecdsaHostPublicKey: string;
  /** Private key in authorized_keys, and its public line. */
  userKeyPath: string;
  userPublicKey: string;
  /** known_hosts with the ed25519 host key under `[127.0.0.1]:port`. */
  knownHostsPath: string;
  /** Scratch directory for the test (sockets, extra known_hosts files); removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

/** Why sshd cannot run here, or undefined when it can. Synchronous so suites can `describe.skipIf` on it. */
export function sshdUnavailableReason(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} not installed (Debian package openssh-server)`;
  if (!existsSync(SSH_KEYGEN)) return `${SSH_KEYGEN} not installed (Debian package openssh-client)`;
  if (process.getuid?.() !== 0) return 'sshd needs root for privilege separation';
  return undefined;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

function keygen(path: string, type: 'ed25519' | 'ecdsa', comment: string): string {
  execFileSync(SSH_KEYGEN, ['-q', '-t', type, '-N', '', '-C', comment, '-f', path], { stdio: 'ignore' });
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** Resolves once 127.0.0.1:port accepts a TCP connection; rejects at the deadline or if sshd exits first. */
function waitForPort(port: number, child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const onExit = (code: number | null): void => {
      if (done) return;
      done = true;
      reject(new Error(`sshd exited (code ${code}) before listening on ${port}: ${stderr()}`));
    };
    child.once('exit', onExit);
    const attempt = (): void => {
      if (done) return;
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        if (done) return;
        done = true;
        child.off('exit', onExit);
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (done) return;
        if (Date.now() > deadline) {
          done = true;
          child.off('exit', onExit);
          reject(new Error(`sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms: ${stderr()}`));
          return;
        }
        // Poll: sshd gives no readiness signal in -D mode that we could wait on instead.
        setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

async function startOnce(dir: string, port: number): Promise<{ child: ChildProcess; stderr: () => string }> {
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519')}`,
      `HostKey ${join(dir, 'host_ecdsa')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'AllowStreamLocalForwarding yes',
      // Not 'AllowTcpForwarding no': OpenSSH 9.2 then refuses direct-streamlocal channels as well.
      'X11Forwarding no',
      'PrintMotd no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep the tail only: enough to explain a failure, bounded for long runs.
    log = (log + chunk.toString()).slice(-8192);
  });
  const stderr = (): string => log.trim();
  try {
    await waitForPort(port, child, stderr, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { child, stderr };
}

/** Starts sshd, or returns null when it cannot run here (see sshdUnavailableReason). */
export async function startSshd(): Promise<Sshd | null> {
  if (sshdUnavailableReason() !== undefined) return null;
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'vireo-sshd-'));
  const hostKeyPath = join(dir, 'host_ed25519');
  const hostPublicKey = keygen(hostKeyPath, 'ed25519', 'vireo-test-host');
  const ecdsaHostPublicKey = keygen(join(dir, 'host_ecdsa'), 'ecdsa', 'vireo-test-host');
  const userKeyPath = join(dir, 'user_ed25519');
  const userPublicKey = keygen(userKeyPath, 'ed25519', 'vireo-test-user');
  writeFileSync(join(dir, 'authorized_keys'), `${userPublicKey}\n`);

  // The free port can be taken between probe and bind; try a few.
  let started: { child: ChildProcess; stderr: () => string } | undefined;
  let port = 0;
  let lastError: unknown;
  for (let i = 0; i < 5 && started === undefined; i++) {
    port = await freePort();
    try {
      started = await startOnce(dir, port);
    } catch (err) {
      lastError = err;
    }
  }
  if (started === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
  const { child } = started;

  const knownHostsPath = join(dir, 'known_hosts');
  const [type, base64] = hostPublicKey.split(' ');
  writeFileSync(knownHostsPath, `[127.0.0.1]:${port} ${type} ${base64}\n`);

  // A crashed test run must not leave sshd listening.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  return {
    port,
    user: userInfo().username,
    hostKeyPath,
    hostPublicKey,
    ecdsaHostPublicKey,
    userKeyPath,
    userPublicKey,
    knownHostsPath,
    dir,
    async stop(): Promise<void> {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
