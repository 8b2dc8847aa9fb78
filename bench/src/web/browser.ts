/**
 * Playwright's Chromium driver for the web benchmark, with Debian's Chromium and the e2e tier's flags.
 *
 * The benchmark borrows the e2e package's @playwright/test (a workspace sibling) instead of declaring its own copy:
 * it is resolved from e2e/package.json at run time, and its types through the `paths` entry of bench/tsconfig.json.
 */
import { createRequire } from 'node:module';
import type * as Playwright from '@playwright/test';

const fromE2e = createRequire(new URL('../../../e2e/package.json', import.meta.url));
const playwright = fromE2e('@playwright/test') as typeof Playwright;

export type { Browser, BrowserContext, Page, Response } from '@playwright/test';

/** Debian's Chromium (`apt-get install chromium`), as the e2e tier uses it. */
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

export function launchChromium(): Promise<Playwright.Browser> {
  return playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
