// The VM list's screens: an admin turns "Show screens" on and a running diskless VNC VM's row shows a live picture of
// SeaBIOS (its pixels are read), linking to the console, while a shut-off VM's row shows a placeholder and no image;
// the choice survives a reload; turned off, the images are gone. Nothing serious for axe with screens on, no CSP
// violation; screenshots in English and Chinese are kept as artifacts. A viewer has no toggle and, even with the
// choice remembered in the browser, asks for no screenshot.
import type { APIRequestContext, Page, TestInfo } from '@playwright/test';
import { request } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { en } from '../../apps/web/src/i18n/en.js';
import { zh } from '../../apps/web/src/i18n/zh.js';
import { seriousViolations } from '../support/axe.js';
import { consoleVmXml } from '../support/consoles.js';
import { ADMIN_PASSWORD, ADMIN_USER, BASE_URL_VAR, STATE_DIR_VAR, requiredEnv } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';
import { TEST_VM_PREFIX, defineVm, removeTestVm, virsh } from '../support/libvirt.js';
import { chooseLanguage, signIn, submitSignIn, vmListHeading, vmRow, vmStateBadge } from '../support/ui.js';

/** Starting a VM, and SeaBIOS drawing under TCG, can take a few seconds. */
const BOOT_TIMEOUT = 30_000;
/** apps/web/src/vms/list-screens/screens-preference.ts */
const SCREENS_STORAGE_KEY = 'vireo.vmList.screens';

const run = randomBytes(3).toString('hex');
/** Both VMs match this search, and nothing of another journey's does. */
const SEARCH = `thumbs-${run}`;
const LIVE = `${TEST_VM_PREFIX}thumbs-${run}-live`;
const OFF = `${TEST_VM_PREFIX}thumbs-${run}-off`;

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** Every CSP report Chromium logs for the page (a blocked inline style would be one). */
function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to (apply|load|execute)/i.test(msg.text())) found.push(msg.text());
  });
  return found;
}

/** The screenshot requests the page makes. */
function screenshotRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/screenshot')) seen.push(r.url());
  });
  return seen;
}

function showScreens(page: Page, label: string = en.vms.screens.toggle) {
  return page.getByRole('switch', { name: label, exact: true });
}

function thumbnailOf(page: Page, name: string, alt = `${name} screen`) {
  return vmRow(page, name).getByRole('img', { name: alt, exact: true });
}

/**
 * The row's thumbnail as drawn: its natural width and how many of its pixels are lit (SeaBIOS's white text on
 * black, averaged down to 128 px wide, leaves a few dozen); 0, 0 until the image has loaded.
 */
function thumbnailPixels(page: Page, name: string): Promise<{ width: number; lit: number }> {
  return thumbnailOf(page, name).evaluate((img: HTMLImageElement) => {
    if (!img.complete || img.naturalWidth === 0) return { width: 0, lit: 0 };
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) return { width: img.naturalWidth, lit: 0 };
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 96) lit++;
    return { width: img.naturalWidth, lit };
  });
}

async function adminApi(): Promise<{ api: APIRequestContext; csrf: string }> {
  const baseURL = requiredEnv(BASE_URL_VAR);
  const api = await request.newContext({ baseURL, ignoreHTTPSErrors: true, extraHTTPHeaders: { origin: baseURL } });
  const login = await api.post('/api/v1/session', { data: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
  if (!login.ok()) throw new Error(`signing in as the admin through the API: ${login.status()} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { api, csrf: csrfToken };
}

test.describe.serial('the VM list with screens', () => {
  test.beforeAll(async () => {
    const stateDir = requiredEnv(STATE_DIR_VAR);
    await defineVm(LIVE, consoleVmXml(LIVE, { type: 'vnc' }), stateDir);
    await defineVm(OFF, consoleVmXml(OFF, { type: 'vnc' }), stateDir);
    await virsh('start', LIVE);
  });
  test.afterAll(async () => {
    const stateDir = requiredEnv(STATE_DIR_VAR);
    await removeTestVm(LIVE, stateDir);
    await removeTestVm(OFF, stateDir);
  });

  test('an admin sees the running VM live and the shut-off one as a placeholder; remembered; off again', async ({ page }, testInfo) => {
    const csp = cspViolations(page);
    await signIn(page);
    await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(SEARCH);
    await expect(vmStateBadge(page, LIVE)).toHaveAttribute('data-state', 'running', { timeout: BOOT_TIMEOUT });
    await expect(vmStateBadge(page, OFF)).toHaveAttribute('data-state', 'shutoff');

    // Off by default: no column, no image.
    const toggle = showScreens(page);
    await expect(toggle).not.toBeChecked();
    await expect(page.getByRole('columnheader', { name: 'Screen', exact: true })).toHaveCount(0);
    await expect(vmRow(page, LIVE).getByTestId('screen-thumbnail')).toHaveCount(0);

    await toggle.click({ force: true });
    await expect(toggle).toBeChecked();
    await expect(page.getByRole('columnheader', { name: 'Screen', exact: true })).toBeVisible();
    const live = thumbnailOf(page, LIVE);
    await expect(live).toBeVisible({ timeout: BOOT_TIMEOUT });
    // A real picture of the screen: loaded at the row's width and not blank (SeaBIOS may still be starting at first;
    // the thumbnail refreshes every few seconds).
    await expect.poll(async () => (await thumbnailPixels(page, LIVE)).width, { timeout: BOOT_TIMEOUT }).toBe(128);
    await expect.poll(async () => (await thumbnailPixels(page, LIVE)).lit, { timeout: BOOT_TIMEOUT }).toBeGreaterThan(20);
    // The shut-off VM: a placeholder, no image.
    await expect(vmRow(page, OFF).getByText('Not running', { exact: true })).toBeVisible();
    await expect(vmRow(page, OFF).getByTestId('screen-thumbnail').getByRole('img')).toHaveCount(0);

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, testInfo, 'list-screens-en');

    // Remembered in this browser.
    await page.reload();
    await expect(vmListHeading(page)).toBeVisible();
    await expect(showScreens(page)).toBeChecked();
    await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(SEARCH);
    await expect.poll(async () => (await thumbnailPixels(page, LIVE)).width, { timeout: BOOT_TIMEOUT }).toBe(128);

    // The thumbnail opens the VM's console.
    await live.click();
    await expect(page.getByRole('heading', { level: 1, name: `Console of ${LIVE}`, exact: true })).toBeVisible();
    await page.goBack();
    await expect(vmListHeading(page)).toBeVisible();

    // In Chinese.
    await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
    await expect(showScreens(page, zh.vms.screens.toggle)).toBeChecked();
    await page.getByRole('searchbox', { name: zh.vms.search, exact: true }).fill(SEARCH);
    await expect(thumbnailOf(page, LIVE, `${LIVE} 的屏幕`)).toBeVisible({ timeout: BOOT_TIMEOUT });
    await expect(vmRow(page, OFF).getByText(zh.vms.screens.notRunning, { exact: true })).toBeVisible();
    await screenshot(page, testInfo, 'list-screens-zh-CN');
    await chooseLanguage(page, page.getByRole('combobox', { name: zh.header.language, exact: true }), 'English');
    await expect(vmListHeading(page)).toBeVisible();

    // Off again: the column and the images go.
    await showScreens(page).click({ force: true });
    await expect(showScreens(page)).not.toBeChecked();
    await expect(page.getByRole('columnheader', { name: 'Screen', exact: true })).toHaveCount(0);
    await expect(page.getByTestId('screen-thumbnail')).toHaveCount(0);
    await expect(page.getByRole('table', { name: 'Virtual machines' }).getByRole('img', { name: / screen$/ })).toHaveCount(0);
    expect(csp).toEqual([]);
  });

  test('a viewer has no toggle and asks for no screenshot, even with screens remembered on', async ({ page }) => {
    const viewer = `thumbs-viewer-${run}`;
    const password = `viewer-${randomBytes(8).toString('hex')}`;
    const { api, csrf } = await adminApi();
    try {
      const created = await api.post('/api/v1/users', {
        data: { name: viewer, role: 'viewer', password, mustChangePassword: false },
        headers: { 'x-csrf-token': csrf },
      });
      expect(created.status()).toBe(201);

      const requests = screenshotRequests(page);
      await page.goto('/');
      await page.evaluate(([key]) => localStorage.setItem(key!, 'on'), [SCREENS_STORAGE_KEY]);
      await submitSignIn(page, password, viewer);
      await expect(vmListHeading(page)).toBeVisible();
      await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(SEARCH);
      await expect(vmStateBadge(page, LIVE)).toHaveAttribute('data-state', 'running');
      await expect(showScreens(page)).toHaveCount(0);
      await expect(page.getByRole('columnheader', { name: 'Screen', exact: true })).toHaveCount(0);
      await expect(vmRow(page, LIVE).getByTestId('screen-thumbnail')).toHaveCount(0);
      // The sparkline of the running row is drawn by now (a stats tick came in): a thumbnail would have asked long ago.
      await expect(vmRow(page, LIVE).getByRole('img', { name: /^CPU use trend/ })).toBeVisible({ timeout: BOOT_TIMEOUT });
      expect(requests).toEqual([]);
    } finally {
      await api.delete(`/api/v1/users/${viewer}`, { headers: { 'x-csrf-token': csrf } });
      await api.dispose();
    }
  });
});
