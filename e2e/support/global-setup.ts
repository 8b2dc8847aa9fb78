/**
 * Starts the built server once for the whole run (HTTPS on 127.0.0.1, a free port, a throwaway data dir, the
 * known admin password, qemu:///system) and returns the teardown that stops it. The workers learn the address
 * from the environment (they are started after this and inherit it).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from '@playwright/test';
import { BASE_URL_VAR, REPO, RESULTS_DIR, STATE_DIR_VAR, WEB_INDEX } from './env.js';
import { removeLeftoverTestVms } from './libvirt.js';
import { startServer, stopServer, type RunningServer } from './server.js';

/** The server must serve the single-page app the journeys drive, not only the API. */
async function checkWebApp(baseURL: string): Promise<void> {
  const api = await request.newContext({ baseURL, ignoreHTTPSErrors: true });
  try {
    const res = await api.get('/');
    const type = res.headers()['content-type'] ?? '';
    if (!res.ok() || !type.startsWith('text/html')) {
      throw new Error(
        `the server does not serve the web app: GET / answered ${res.status()} (${type || 'no content type'}); ` +
          `it should serve ${path.relative(REPO, path.dirname(WEB_INDEX))}/`,
      );
    }
  } finally {
    await api.dispose();
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(WEB_INDEX)) {
    throw new Error(
      `${path.relative(REPO, WEB_INDEX)} does not exist: the e2e journeys need the built web app ` +
        '(pnpm run build must produce it; pnpm --filter @vireo/web build builds it alone)',
    );
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'vireo-e2e-state-'));
  let server: RunningServer | undefined;
  try {
    server = await startServer();
    await checkWebApp(server.baseURL);
  } catch (err) {
    if (server) await stopServer(server);
    await rm(stateDir, { recursive: true, force: true });
    throw err;
  }
  process.env[BASE_URL_VAR] = server.baseURL;
  process.env[STATE_DIR_VAR] = stateDir;
  const running = server;
  return async () => {
    try {
      await removeLeftoverTestVms(stateDir);
    } finally {
      await stopServer(running);
      await rm(stateDir, { recursive: true, force: true });
    }
  };
}
