/**
 * Vireo's e2e tier: Playwright journeys against the built server (started by support/global-setup.ts), the real
 * libvirtd at qemu:///system and Debian's Chromium. Run with `pnpm e2e` from the repo root after `pnpm run build`.
 * Never `playwright install`: the browser is the system's.
 */
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, RESULTS_DIR } from './support/env.js';

export default defineConfig({
  testDir: './tests',
  globalSetup: './support/global-setup.ts',
  outputDir: path.join(RESULTS_DIR, 'e2e-artifacts'),
  // The journeys share one libvirtd (and one server): one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: process.env['CI'] !== undefined,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // scripts/run-tests.mjs reads the JSON report for the closing `vireo:` line.
  reporter: [['list'], ['json', { outputFile: path.join(RESULTS_DIR, 'e2e.json') }]],
  use: {
    browserName: 'chromium',
    headless: true,
    // The server's self-signed certificate.
    ignoreHTTPSErrors: true,
    locale: 'en-US',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
