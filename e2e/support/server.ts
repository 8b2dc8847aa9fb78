/** Starts the built Vireo server as a child process, the way `pnpm start` runs it, and stops it again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from '@playwright/test';
import { ADMIN_PASSWORD, LIBVIRT_URI, REPO, SERVER_ENTRY, SERVER_LAUNCHER, SERVER_LOG } from './env.js';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const POLL_MS = 100;

export interface RunningServer {
  baseURL: string;
  dataDir: string;
  child: ChildProcess;
}

/** A port nothing listens on right now (the kernel picks it; the server binds it a moment later). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, HOST);
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/**
 * The environment for the server: this process's, less any VIREO_* server setting a developer may have exported
 * (VIREO_CONFIG, VIREO_PUBLIC_URL, VIREO_INSECURE_HTTP...), plus the e2e ones.
 */
function serverEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VIREO_') && !key.startsWith('VIREO_TEST_') && !key.startsWith('VIREO_E2E_')) continue;
    env[key] = value;
  }
  return {
    ...env,
    VIREO_HOST: HOST,
    VIREO_PORT: String(port),
    VIREO_DATA_DIR: dataDir,
    VIREO_ADMIN_PASSWORD: ADMIN_PASSWORD,
    VIREO_LIBVIRT_URI: LIBVIRT_URI,
    // The journeys sign in through the form many times a minute from one address.
    VIREO_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
    // Charts and sparklines get a new sample every second, so the journeys see them move without long waits.
    VIREO_STATS_INTERVAL_MS: '1000',
    VIREO_LOG_LEVEL: 'info',
  };
}

function logTail(lines = 20): string {
  if (!existsSync(SERVER_LOG)) return '(no server log)';
  return readFileSync(SERVER_LOG, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Starts the server over HTTPS (its self-signed certificate) and resolves once /api/v1/health answers. */
export async function startServer(): Promise<RunningServer> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${path.relative(REPO, SERVER_ENTRY)} does not exist: build first (pnpm run build)`);
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vireo-e2e-'));
  const port = await freePort();
  const baseURL = `https://${HOST}:${port}`;
  const log = openSync(SERVER_LOG, 'w');
  const child = spawn(SERVER_LAUNCHER, [], {
    cwd: REPO,
    env: serverEnv(port, dataDir),
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const server = { baseURL, dataDir, child };
  try {
    await waitForHealth(server);
  } catch (err) {
    await stopServer(server);
    throw err;
  }
  return server;
}

async function waitForHealth({ baseURL, child }: RunningServer): Promise<void> {
  const api = await request.newContext({ baseURL, ignoreHTTPSErrors: true });
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let last = 'no answer yet';
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the server exited (${child.exitCode ?? child.signalCode}) before answering; last lines of ${SERVER_LOG}:\n${logTail()}`,
        );
      }
      try {
        const res = await api.get('/api/v1/health', { timeout: 2_000 });
        if (res.ok()) return;
        last = `HTTP ${res.status()}`;
      } catch (err) {
        last = err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
      }
      if (Date.now() > deadline) {
        throw new Error(`the server did not answer ${baseURL}/api/v1/health within ${START_TIMEOUT_MS} ms (${last}); see ${SERVER_LOG}`);
      }
      await delay(POLL_MS);
    }
  } finally {
    await api.dispose();
  }
}

/** SIGTERM (the server closes cleanly), SIGKILL if it is still there after STOP_TIMEOUT_MS; then its data dir goes. */
export async function stopServer({ child, dataDir }: RunningServer): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  await rm(dataDir, { recursive: true, force: true });
}
