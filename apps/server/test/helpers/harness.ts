// Shared test harness: a server on a temporary data dir, a clock moved by hand, captured logs, sign-in helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll } from 'vitest';
import { buildApp, type AppDeps, type VireoApp } from '../../src/app.js';
import type { Config } from '../../src/config/config.js';
import type { Clock } from '../../src/security/clock.js';
import { UnavailablePam } from '../../src/security/pam/pam-authenticator.js';
import { loadOrCreateCertificate, type TlsMaterial } from '../../src/tls/certificate.js';
import { hashPassword } from '../../src/users/passwords.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';
export const ORIGIN = 'https://vireo.test';

export class ManualClock implements Clock {
  constructor(public t = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

// Every temporary directory a test file made is removed after its last test, whatever the outcome. (vitest
// loads this module afresh for each test file, so the hook lands in each file's root suite.)
const made = new Set<string>();
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
});

export function tmpDir(prefix = 'vireo-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    libvirtUri: 'test:///default',
    tls: null,
    insecureHttp: false,
    adminPassword: ADMIN_PASSWORD,
    publicOrigin: null,
    trustedProxies: [],
    session: { idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 12 * 3600_000 },
    login: { attemptsPerMinute: 1000 },
    pam: { service: 'vireo', adminGroups: ['sudo'], operatorGroups: ['libvirt'] },
    live: { statsIntervalMs: 5000, heartbeatMs: 15_000 },
    media: { isoDirs: [] },
    osinfoDir: '/usr/share/osinfo',
    logLevel: 'info',
    ...overrides,
  };
}

// One certificate for the whole test process: generation is cheap, but not free.
let sharedTls: Promise<TlsMaterial> | undefined;
export function testCertificate(): Promise<TlsMaterial> {
  sharedTls ??= loadOrCreateCertificate({ tls: null, dataDir: tmpDir('vireo-cert-') });
  return sharedTls;
}

export interface Harness extends VireoApp {
  clock: ManualClock;
  dataDir: string;
  /** Parsed JSON log lines written so far. */
  logs: Record<string, unknown>[];
  announced: string[];
  close(): Promise<void>;
}

export async function startHarness(
  options: { config?: Partial<Config>; deps?: Partial<AppDeps>; dataDir?: string; clock?: ManualClock } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? tmpDir();
  const clock = options.clock ?? new ManualClock();
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const announced: string[] = [];
  const config = testConfig(dataDir, options.config);
  const tls = config.insecureHttp ? undefined : await testCertificate();
  let vireo: VireoApp;
  try {
    vireo = await buildApp(config, {
      tls: tls && { cert: tls.cert, key: tls.key },
      clock,
      logger: pino({ level: 'info' }, sink),
      announce: (line) => announced.push(line),
      // The host's PAM stack stays out of app tests (its failure delay alone would slow them); tests of PAM pass their own.
      pam: new UnavailablePam('PAM is not available in this test'),
      ...options.deps,
    });
  } catch (err) {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...vireo,
    clock,
    dataDir,
    logs,
    announced,
    async close() {
      await vireo.app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SignedIn {
  cookie: string;
  csrf: string;
  /** Headers for a cookie-authenticated change: cookie, CSRF token and a same-site Origin. */
  headers: Record<string, string>;
  body: { user: { name: string; role: string; mustChangePassword: boolean }; csrfToken: string };
}

export function cookieFrom(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  if (!first) throw new Error(`no Set-Cookie in the response (status ${res.statusCode}: ${res.body})`);
  return first.split(';', 1)[0] ?? '';
}

export async function login(app: FastifyInstance, username: string, password: string, extra: Record<string, string> = {}): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password }, headers: extra });
  if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json<SignedIn['body']>();
  const cookie = cookieFrom(res);
  return { cookie, csrf: body.csrfToken, body, headers: { cookie, 'x-csrf-token': body.csrfToken } };
}

/** Adds a local user straight into the store (no API, no audit) for tests that need one. */
export async function addUser(h: Harness, name: string, role: 'viewer' | 'operator' | 'admin', password = `${name}-password-123`): Promise<string> {
  h.services.users.insert(
    { name, realm: 'local', role, passwordHash: await hashPassword(password), mustChangePassword: false, disabled: false },
    h.clock.now(),
  );
  return password;
}
