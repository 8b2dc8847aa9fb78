// Consoles through Vireo's own WebSocket proxy: a running diskless VM's VNC screen shows SeaBIOS (the canvas's
// pixels are read), Ctrl+Alt+Del from the page resets the guest (its serial console, open in a second page, shows
// SeaBIOS again), the serial console shows SeaBIOS and is taken over from a second client, the console reconnects
// across a VM restart; a SPICE VM's screen shows SeaBIOS in spice-html5 (a socket per channel on one ticket, all
// closed when the page goes), its Ctrl+Alt+Del resets the guest, it reconnects across a restart, its .vv file is
// refused while the display listens on localhost and then names the live port, and it switches to VNC. No CSP
// violations, nothing serious for axe; screenshots in English and Chinese are kept as artifacts.
import type { Page, TestInfo, WebSocket } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { en } from '../../apps/web/src/i18n/en.js';
import { zh } from '../../apps/web/src/i18n/zh.js';
import { seriousViolations } from '../support/axe.js';
import { consoleVmName, consoleVmXml, graphicsOf, parseIni } from '../support/consoles.js';
import { STATE_DIR_VAR, requiredEnv } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';
import { defineVm, removeTestVm, virsh } from '../support/libvirt.js';
import { chooseLanguage, signIn } from '../support/ui.js';

/** Starting a VM, and SeaBIOS drawing under TCG, can take a few seconds. */
const BOOT_TIMEOUT = 30_000;

interface Vm {
  name: string;
  uuid: string;
}

async function defineAndStart(xml: string, name: string): Promise<Vm> {
  await defineVm(name, xml, requiredEnv(STATE_DIR_VAR));
  await virsh('start', name);
  return { name, uuid: (await virsh('domuuid', name)).trim() };
}

/** Kept in the test's artifacts directory, pass or fail. */
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** Every CSP report Chromium logs for the page (a blocked inline style would be one). */
function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (msg) => {
    if (!/Content Security Policy|Refused to (apply|load|execute)/i.test(msg.text())) return;
    const at = msg.location();
    found.push(`${msg.text()} (at ${at.url}:${at.lineNumber}:${at.columnNumber})`);
  });
  return found;
}

async function openConsole(page: Page, vm: Vm): Promise<void> {
  await page.goto(`/vms/local/${vm.uuid}/console`);
  await expect(page.getByRole('heading', { level: 1, name: `Console of ${vm.name}`, exact: true })).toBeVisible();
}

function statusOf(page: Page, kind: string) {
  return page.locator(`[data-console-status="${kind}"]`);
}

/** Pixels of the console's canvas (noVNC's, or spice-html5's) that are not black: SeaBIOS's text screen has some hundreds. */
async function litPixels(page: Page, screenTestId = 'vnc-screen'): Promise<number> {
  return (await screenPixels(page, screenTestId)).lit;
}

/** How many of the canvas's pixels are lit, of how many. */
function screenPixels(page: Page, screenTestId: string): Promise<{ lit: number; total: number }> {
  return page.evaluate((testId) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${testId}"] canvas`);
    if (!canvas || canvas.width === 0 || canvas.height === 0) return { lit: 0, total: 0 };
    const ctx = canvas.getContext('2d');
    if (!ctx) return { lit: 0, total: 0 };
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 96) lit++;
    return { lit, total: data.length / 4 };
  }, screenTestId);
}

/** Uncaught errors in the page. */
function pageErrors(page: Page): string[] {
  const found: string[] = [];
  page.on('pageerror', (err) => found.push(String(err)));
  return found;
}

/** The text xterm shows (its DOM renderer's rows). */
function serialText(page: Page): Promise<string> {
  return page.locator('[data-testid="serial-screen"] .xterm-rows').innerText();
}

async function openSerial(page: Page, vm: Vm): Promise<void> {
  await openConsole(page, vm);
  await page.getByRole('tab', { name: 'Serial console', exact: true }).click();
  await expect(page.getByRole('region', { name: `Serial console of ${vm.name}`, exact: true })).toBeVisible();
}

test.describe.serial('a running VM with VNC and a serial console', () => {
  let vm: Vm;

  test.beforeAll(async () => {
    const name = consoleVmName('vnc');
    vm = await defineAndStart(consoleVmXml(name, { type: 'vnc' }), name);
  });
  test.afterAll(async () => {
    if (vm) await removeTestVm(vm.name, requiredEnv(STATE_DIR_VAR));
  });

  test('the VNC console shows the SeaBIOS screen; axe; no CSP violations', async ({ page }, testInfo) => {
    const csp = cspViolations(page);
    await signIn(page);
    // The list row offers the console of the running VM.
    await expect(page.getByRole('link', { name: `Open console of ${vm.name}`, exact: true })).toBeVisible();
    await screenshot(page, testInfo, 'console-list-en');
    await page.getByRole('link', { name: `Open console of ${vm.name}`, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Console of ${vm.name}`, exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: `Screen of ${vm.name}`, exact: true })).toBeVisible();
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    await expect.poll(() => litPixels(page), { timeout: BOOT_TIMEOUT, message: 'SeaBIOS text on the VNC canvas' }).toBeGreaterThan(300);

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, testInfo, 'console-vnc-en');

    await page.getByRole('button', { name: 'Send keys', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Ctrl+Alt+F12', exact: true })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Clipboard', exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Clipboard text', exact: true })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
    await expect(page.getByRole('heading', { level: 1, name: `${vm.name} 的控制台`, exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: `${vm.name} 的屏幕`, exact: true })).toBeVisible();
    await screenshot(page, testInfo, 'console-vnc-zh-CN');
    await chooseLanguage(page, page.getByRole('combobox', { name: zh.header.language, exact: true }), 'English');

    // The pop-out window's page: the console without the app's header.
    await page.goto(`/vms/local/${vm.uuid}/console?popout=true`);
    await expect(page.getByRole('heading', { level: 1, name: `Console of ${vm.name}`, exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeHidden();
    await expect(page.getByRole('button', { name: 'Open in a new window', exact: true })).toHaveCount(0);
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
    expect(csp).toEqual([]);
  });

  test('the serial console shows SeaBIOS; Ctrl+Alt+Del from the VNC console resets the guest', async ({ page, context }, testInfo) => {
    const csp = cspViolations(page);
    await signIn(page);
    await openSerial(page, vm);
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    // The console shows what the guest writes from now on: a reset makes SeaBIOS write again.
    await virsh('reset', vm.name);
    await expect.poll(() => serialText(page), { timeout: BOOT_TIMEOUT }).toContain('SeaBIOS');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, testInfo, 'console-serial-en');

    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => serialText(page)).not.toContain('SeaBIOS');

    // The VNC console in a second page sends Ctrl+Alt+Del; SeaBIOS resets the machine, and says so on serial.
    const vnc = await context.newPage();
    const vncCsp = cspViolations(vnc);
    await openConsole(vnc, vm);
    await expect(statusOf(vnc, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    await vnc.getByRole('button', { name: 'Send keys', exact: true }).click();
    await vnc.getByRole('button', { name: 'Ctrl+Alt+Del', exact: true }).click();
    await expect(vnc.getByText('Sent Ctrl+Alt+Del', { exact: true })).toBeVisible();
    await expect.poll(() => serialText(page), { timeout: BOOT_TIMEOUT, message: 'SeaBIOS again after Ctrl+Alt+Del' }).toContain('SeaBIOS');
    await vnc.close();

    await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
    await expect(page.getByRole('region', { name: `${vm.name} 的串行控制台`, exact: true })).toBeVisible();
    await screenshot(page, testInfo, 'console-serial-zh-CN');
    await chooseLanguage(page, page.getByRole('combobox', { name: zh.header.language, exact: true }), 'English');
    expect([...csp, ...vncCsp]).toEqual([]);
  });

  test('a second serial client is told the console is in use, and takes it over', async ({ page, context }) => {
    await signIn(page);
    await openSerial(page, vm);
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });

    const second = await context.newPage();
    await openSerial(second, vm);
    const busy = second.getByRole('alert').filter({ hasText: 'The serial console is in use by another client' });
    await expect(busy).toBeVisible({ timeout: BOOT_TIMEOUT });
    expect(await seriousViolations(second)).toEqual([]);
    await second.getByRole('button', { name: 'Take over', exact: true }).click();
    await expect(statusOf(second, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    // The first client lost it and, reconnecting, is now the one told it is busy.
    await expect(page.getByRole('alert').filter({ hasText: 'The serial console is in use by another client' })).toBeVisible({ timeout: BOOT_TIMEOUT });
    await second.close();
  });

  test('the VNC console waits while the VM is off and reconnects when it starts again; the details thumbnail', async ({ page }) => {
    await signIn(page);
    await openConsole(page, vm);
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    await virsh('destroy', vm.name);
    await expect(statusOf(page, 'off')).toBeVisible({ timeout: BOOT_TIMEOUT });
    await expect(statusOf(page, 'off')).toContainText('The virtual machine is not running');
    await virsh('start', vm.name);
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    await expect.poll(() => litPixels(page), { timeout: BOOT_TIMEOUT }).toBeGreaterThan(300);

    // The details page's overview shows a live thumbnail of the screen.
    await page.goto(`/vms/local/${vm.uuid}`);
    const thumbnail = page.getByRole('img', { name: `${vm.name} screen`, exact: true });
    await expect(thumbnail).toBeVisible({ timeout: BOOT_TIMEOUT });
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: BOOT_TIMEOUT }).toBe(240);
    await expect(page.getByRole('link', { name: `Open console of ${vm.name}`, exact: true })).toBeVisible();
  });
});

test.describe.serial('a SPICE VM', () => {
  let vm: Vm;

  test.beforeAll(async () => {
    const name = consoleVmName('spice');
    vm = await defineAndStart(consoleVmXml(name, { type: 'spice', listen: '127.0.0.1' }), name);
  });
  test.afterAll(async () => {
    if (vm) await removeTestVm(vm.name, requiredEnv(STATE_DIR_VAR));
  });

  test('shows the SeaBIOS screen in spice-html5; Ctrl+Alt+Del resets the guest; every channel closes with the page', async ({ page, context }, testInfo) => {
    const csp = cspViolations(page);
    const errors = pageErrors(page);
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => {
      if (ws.url().includes('/api/v1/consoles/')) sockets.push(ws);
    });
    await signIn(page);
    await openConsole(page, vm);
    await expect(page.getByRole('region', { name: `Screen of ${vm.name}`, exact: true })).toBeVisible();
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    // Text on black: some hundreds of lit pixels, far from all of them.
    await expect
      .poll(async () => {
        const { lit, total } = await screenPixels(page, 'spice-screen');
        return lit > 300 && lit < total / 2;
      }, { timeout: BOOT_TIMEOUT, message: 'SeaBIOS text on the SPICE canvas' })
      .toBe(true);
    // One ticket, a socket per channel: main, display, inputs, cursor.
    expect(sockets.length).toBeGreaterThanOrEqual(4);
    expect(new Set(sockets.map((ws) => ws.url())).size).toBe(1);
    await expect(page.getByTestId('spice-local-only')).toContainText('127.0.0.1');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, testInfo, 'console-spice-en');

    // Ctrl+Alt+Del from the SPICE console: SeaBIOS resets the machine, and says so on the serial console (second page).
    const serial = await context.newPage();
    await openSerial(serial, vm);
    await expect(statusOf(serial, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    await virsh('reset', vm.name);
    await expect.poll(() => serialText(serial), { timeout: BOOT_TIMEOUT }).toContain('SeaBIOS');
    await serial.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => serialText(serial)).not.toContain('SeaBIOS');
    // The display survived the reset.
    await expect(statusOf(page, 'connected')).toBeVisible();
    await page.getByRole('button', { name: 'Send keys', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Ctrl+Alt+Del', exact: true })).toBeEnabled();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ctrl+Alt+Del', exact: true }).click();
    await expect(page.getByText('Sent Ctrl+Alt+Del', { exact: true })).toBeVisible();
    await expect.poll(() => serialText(serial), { timeout: BOOT_TIMEOUT, message: 'SeaBIOS again after Ctrl+Alt+Del' }).toContain('SeaBIOS');
    await serial.close();
    await expect.poll(() => litPixels(page, 'spice-screen'), { timeout: BOOT_TIMEOUT }).toBeGreaterThan(300);

    await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
    await expect(page.getByRole('region', { name: `${vm.name} 的屏幕`, exact: true })).toBeVisible();
    await expect(page.getByTestId('spice-explanation')).toContainText('上方的查看器显示屏幕');
    await screenshot(page, testInfo, 'console-spice-zh-CN');
    await chooseLanguage(page, page.getByRole('combobox', { name: zh.header.language, exact: true }), 'English');

    // Leaving the page (in the app, no reload) closes every channel's socket.
    await page.getByRole('link', { name: `Back to ${vm.name}`, exact: true }).click();
    await expect(page.getByRole('region', { name: `Screen of ${vm.name}`, exact: true })).toHaveCount(0);
    await expect.poll(() => sockets.filter((ws) => !ws.isClosed()).length, { message: 'console sockets left open' }).toBe(0);
    expect(csp).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('reconnects across a restart; the .vv file after listening on all addresses; switch to VNC', async ({ page }, testInfo) => {
    const csp = cspViolations(page);
    const errors = pageErrors(page);
    await signIn(page);
    await openConsole(page, vm);
    await expect(page.getByTestId('spice-explanation')).toContainText('remote-viewer');
    await expect(page.getByTestId('spice-local-only')).toContainText('127.0.0.1');
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });

    // On localhost a native viewer could not connect: the server refuses the file and says why.
    await page.getByRole('button', { name: 'Download .vv file', exact: true }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Could not make the connection file' });
    await expect(refused).toBeVisible();
    expect((await refused.innerText()).length).toBeGreaterThan('Could not make the connection file'.length + 10);

    await page.getByRole('button', { name: 'Listen on all addresses', exact: true }).click();
    const listenDialog = page.getByRole('dialog', { name: 'Listen on all addresses' });
    await expect(listenDialog).toContainText('0.0.0.0');
    expect(await seriousViolations(page)).toEqual([]);
    await listenDialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect(page.getByText('The display will listen on all addresses after the next start of the virtual machine.', { exact: true })).toBeVisible();
    expect(graphicsOf(await virsh('dumpxml', '--inactive', vm.name)).listen).toBe('0.0.0.0');

    // The viewer waits while the VM is off and reconnects (new ticket, new port) when it starts again.
    await virsh('destroy', vm.name);
    await expect(statusOf(page, 'off')).toBeVisible({ timeout: BOOT_TIMEOUT });
    await virsh('start', vm.name);
    await expect(statusOf(page, 'connected')).toBeVisible({ timeout: BOOT_TIMEOUT });
    await expect.poll(() => litPixels(page, 'spice-screen'), { timeout: BOOT_TIMEOUT }).toBeGreaterThan(300);
    await screenshot(page, testInfo, 'console-spice-reconnected-en');

    // The live display listens everywhere: the file names its live port.
    await page.reload();
    await expect(page.getByTestId('spice-explanation')).toBeVisible();
    await expect(page.getByTestId('spice-local-only')).toHaveCount(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .vv file', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(`${vm.name}.vv`);
    const file = parseIni(await readFile(await download.path(), 'utf8'));
    const live = graphicsOf(await virsh('dumpxml', vm.name));
    expect(file['virt-viewer']?.['type']).toBe('spice');
    expect(live.port).not.toBeNull();
    expect(Number(file['virt-viewer']?.['port'])).toBe(live.port);
    expect(file['virt-viewer']?.['host']).toBeTruthy();

    await page.getByRole('button', { name: 'Switch to VNC', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Switch ${vm.name} to VNC?` });
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect(page.getByText('The virtual machine will use VNC after its next start.', { exact: true })).toBeVisible();
    await expect(page.locator('[data-pending-restart="graphics"]')).toBeVisible();
    expect(graphicsOf(await virsh('dumpxml', '--inactive', vm.name)).type).toBe('vnc');
    expect(csp).toEqual([]);
    expect(errors).toEqual([]);
  });
});
