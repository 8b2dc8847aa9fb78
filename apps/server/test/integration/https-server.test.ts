// The built server as `pnpm start` runs it (bin/vireo, the bundle): configuration from the environment, a generated
// certificate, real HTTPS with undici trusting that certificate, first-run bootstrap, restart, bad config.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Agent, fetch } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../helpers/harness.js';

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LAUNCHER = path.join(SERVER, 'bin', 'vireo');
const BUNDLE = path.join(SERVER, 'bundle', 'main.js');

interface Running {
  child: ChildProcess;
  port: number;
  lines: string[];
  exited: Promise<number | null>;
}

/** Starts the server through its launcher and waits, up to a deadline, for its "listening" log line. */
function startServer(env: Record<string, string>): Promise<Running> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: build first (pnpm run build)`);
  const child = spawn(LAUNCHER, [], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within 20 s; output:\n${lines.join('\n')}`));
    }, 20_000);
    const onLine = (line: string) => {
      lines.push(line);
      const m = /Server listening at https:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m) {
        clearTimeout(deadline);
        resolve({ child, port: Number(m[1]), lines, exited });
      }
    };
    let buffered = '';
    const feed = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      parts.forEach(onLine);
    };
    child.stdout?.on('data', feed);
    child.stderr?.on('data', feed);
    void exited.then((code) => {
      clearTimeout(deadline);
      reject(new Error(`server exited with ${code} before listening:\n${lines.join('\n')}`));
    });
  });
}

async function stop(r: Running): Promise<number | null> {
  r.child.kill('SIGTERM');
  return r.exited;
}

/** Runs the server through its launcher expecting it to refuse its configuration. */
function runToFailure(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(LAUNCHER, [], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

function peerFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '');
      socket.end();
    });
    socket.on('error', reject);
  });
}

const dataDirs: string[] = [];
afterAll(() => {
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

describe('vireo server over HTTPS', () => {
  it('generates and prints its certificate, bootstraps admin, serves HTTPS, and reuses the certificate on restart', async () => {
    const dataDir = tmpDir();
    dataDirs.push(dataDir);
    const env = { VIREO_DATA_DIR: dataDir, VIREO_HOST: '127.0.0.1', VIREO_PORT: '0', VIREO_LIBVIRT_URI: 'test:///default' };

    const first = await startServer(env);
    let fingerprint: string;
    try {
      const certLine = first.lines.find((l) => l.startsWith('Vireo TLS certificate'));
      expect(certLine).toMatch(/\(generated \(self-signed\)\), SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      fingerprint = certLine?.split(' ').at(-1) ?? '';
      expect(await peerFingerprint(first.port)).toBe(fingerprint);

      const passwordLine = first.lines.find((l) => l.includes('one-time password'));
      const oneTime = /one-time password (\S+)/.exec(passwordLine ?? '')?.[1] ?? '';
      expect(oneTime).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(first.lines.filter((l) => l.includes(oneTime))).toHaveLength(1);

      // undici trusting exactly the generated certificate: hostname and chain are really verified.
      const ca = readFileSync(path.join(dataDir, 'tls', 'server.crt'), 'utf8');
      const dispatcher = new Agent({ connect: { ca } });
      const base = `https://127.0.0.1:${first.port}`;
      const health = await fetch(`${base}/api/v1/health`, { dispatcher });
      expect(health.status).toBe(200);
      expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

      const signIn = await fetch(`${base}/api/v1/session`, {
        dispatcher,
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ username: 'admin', password: oneTime }),
      });
      expect(signIn.status).toBe(200);
      const { csrfToken, user } = (await signIn.json()) as { csrfToken: string; user: { mustChangePassword: boolean } };
      expect(user.mustChangePassword).toBe(true);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';', 1)[0] ?? '';
      expect(cookie).toMatch(/^__Host-vireo_session=/);

      expect((await fetch(`${base}/api/v1/users`, { dispatcher, headers: { cookie } })).status).toBe(403);
      const change = await fetch(`${base}/api/v1/session/password`, {
        dispatcher,
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken, origin: base },
        body: JSON.stringify({ currentPassword: oneTime, newPassword: 'the new admin password' }),
      });
      expect(change.status).toBe(204);
      expect((await fetch(`${base}/api/v1/users`, { dispatcher, headers: { cookie } })).status).toBe(200);

      // Plain HTTP to the HTTPS port gets no API.
      await expect(fetch(`http://127.0.0.1:${first.port}/api/v1/health`)).rejects.toThrow();
      await dispatcher.close();
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await startServer(env);
    try {
      const certLine = second.lines.find((l) => l.startsWith('Vireo TLS certificate'));
      expect(certLine).toContain('(self-signed)');
      expect(certLine).not.toContain('generated');
      expect(certLine?.endsWith(fingerprint)).toBe(true);
      expect(second.lines.some((l) => l.includes('one-time password'))).toBe(false);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });

  it.each([
    [{ VIREO_PORT: 'https' }, /^vireo: configuration error: VIREO_PORT: must be a port number \(got "https"\)\n$/],
    [{ VIREO_INSECURE_HTTP: '1' }, /^vireo: configuration error: VIREO_INSECURE_HTTP: plain HTTP is allowed only on a loopback address/],
  ])('stops with exit code 2 and one line for bad configuration %j', async (env, expected) => {
    const dataDir = tmpDir();
    dataDirs.push(dataDir);
    const { code, stderr } = await runToFailure({ VIREO_DATA_DIR: dataDir, ...env });
    expect(code).toBe(2);
    expect(stderr).toMatch(expected);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
