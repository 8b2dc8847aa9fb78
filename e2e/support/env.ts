/**
 * What the e2e tier shares between the Playwright config, the global setup and the journeys: paths, the
 * browser, the libvirt URI and the credentials the test server is started with.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Reports and artifacts go where scripts/run-tests.mjs keeps the other tiers' (`.test-results/`). */
export const RESULTS_DIR = path.join(REPO, '.test-results');
export const SERVER_ENTRY = path.join(REPO, 'apps', 'server', 'bundle', 'main.js');
/** What `pnpm start` runs: the server's launcher, with its node options and malloc settings. */
export const SERVER_LAUNCHER = path.join(REPO, 'apps', 'server', 'bin', 'vireo');
export const WEB_INDEX = path.join(REPO, 'apps', 'web', 'dist', 'index.html');
export const SERVER_LOG = path.join(RESULTS_DIR, 'e2e-server.log');

/** Debian's Chromium (`apt-get install chromium`): Playwright's own browser download cannot work here. */
export const CHROMIUM = process.env['VIREO_E2E_CHROMIUM'] ?? '/usr/lib/chromium/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const LIBVIRT_URI = 'qemu:///system';

/** The first-run admin the server creates from VIREO_ADMIN_PASSWORD (no forced password change then). */
export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'e2e-Vireo-admin-2718';

/** Set by the global setup for the workers (they are started after it and inherit its environment). */
export const BASE_URL_VAR = 'VIREO_E2E_BASE_URL';
export const STATE_DIR_VAR = 'VIREO_E2E_STATE_DIR';

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run the journeys through the e2e Playwright config (pnpm e2e), whose global setup starts the server`);
  }
  return value;
}
