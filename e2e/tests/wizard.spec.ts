// Create-VM wizard journey: a VM from a small ISO (xorriso) in a dir pool the test makes, with a new 64 MiB disk
// in that pool, no NIC, VNC: created and started through the wizard and seen running (virsh is the oracle); deleted
// keeping its disk; a name already used is refused beside the field; a second VM defined with "Customise before
// starting" (not started) and deleted with its disk. axe on every step; screenshots in English and Chinese.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page, TestInfo } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.js';
import { zh } from '../../apps/web/src/i18n/zh.js';
import { seriousViolations } from '../support/axe.js';
import { STATE_DIR_VAR, requiredEnv } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';
import { TEST_VM_PREFIX, removeTestVm, virsh } from '../support/libvirt.js';
import { chooseLanguage, signIn, vmActionButton, vmRow, vmStateBadge } from '../support/ui.js';
import { createIsoPool, poolVolumes, removeIsoPool, type TestPool } from '../support/wizard-pool.js';

const id = randomBytes(4).toString('hex');
const first = `${TEST_VM_PREFIX}wiz-${id}`;
const second = `${TEST_VM_PREFIX}wiz2-${id}`;
let pool: TestPool | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const stateDir = requiredEnv(STATE_DIR_VAR);
  // Recorded, so the global teardown removes them should this worker die before its own clean-up.
  mkdirSync(path.join(stateDir, 'domains'), { recursive: true });
  for (const name of [first, second]) writeFileSync(path.join(stateDir, 'domains', name), '');
  pool = await createIsoPool();
});

test.afterAll(async () => {
  const stateDir = requiredEnv(STATE_DIR_VAR);
  for (const name of [first, second]) await removeTestVm(name, stateDir);
  if (pool) await removeIsoPool(pool);
});

async function expectNoSeriousViolations(page: Page, step: string) {
  const violations = await seriousViolations(page);
  expect(violations, `axe on the wizard's ${step} step`).toEqual([]);
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

const stepHeading = (page: Page, name: string) => page.getByRole('heading', { level: 2, name, exact: true });

async function next(page: Page, step: string) {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(stepHeading(page, step)).toBeVisible();
}

/** Source, hardware, storage and network of a small VM from the test ISO, ending on the summary. */
async function fillWizard(page: Page, testInfo: TestInfo, name: string, opts: { axe: boolean }) {
  const p = pool!;
  await page.getByRole('link', { name: 'Create VM', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create a virtual machine' })).toBeVisible();
  await expect(stepHeading(page, 'Source')).toBeVisible();
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await expect(page.getByRole('radio', { name: 'ISO image (CD/DVD)' })).toBeChecked();
  const iso = page.getByRole('combobox', { name: 'ISO image' });
  await iso.click();
  await iso.fill(p.iso);
  await page.getByRole('option', { name: new RegExp(`^${p.iso} \\(${p.name},`) }).click();
  await expect(iso).toHaveValue(new RegExp(`^${p.iso}`));
  if (opts.axe) await expectNoSeriousViolations(page, 'source');

  await next(page, 'Hardware');
  await expect(page.getByText(/^Free on the host: /)).toBeVisible();
  await page.getByRole('textbox', { name: /^vCPUs/ }).fill('1');
  await page.getByRole('combobox', { name: 'Memory unit' }).selectOption('MiB');
  await page.getByRole('textbox', { name: /^Memory/ }).fill('128');
  await expect(page.getByRole('combobox', { name: 'Firmware' })).toHaveValue('bios');
  if (opts.axe) await expectNoSeriousViolations(page, 'hardware');

  await next(page, 'Storage');
  await expect(page.getByRole('checkbox', { name: 'Create a new disk' })).toBeChecked();
  await page.getByRole('combobox', { name: 'Storage pool' }).selectOption(p.name);
  await page.getByRole('textbox', { name: /^Disk size/ }).fill('0.0625');
  await expect(page.getByRole('combobox', { name: 'Disk format' })).toHaveValue('qcow2');
  await expect(page.getByText(`The new volume is named ${name}.qcow2.`)).toBeVisible();
  if (opts.axe) await expectNoSeriousViolations(page, 'storage');

  await next(page, 'Network');
  await expect(page.getByRole('combobox', { name: 'Network connection' })).toHaveValue('none');
  await expect(page.getByRole('combobox', { name: 'Graphics' })).toHaveValue('vnc');
  if (opts.axe) await expectNoSeriousViolations(page, 'network');

  await next(page, 'Summary');
  const xml = page.getByTestId('wizard-xml');
  await expect(xml).toContainText(`<name>${name}</name>`);
  await expect(xml).toContainText('device="cdrom"');
  await expect(xml).toContainText(`volume="${p.iso}"`);
  await expect(xml).toContainText(`volume="${name}.qcow2"`);
  await expect(xml).toContainText('<graphics type="vnc"');
  await expect(xml).not.toContainText('<interface');
  if (opts.axe) {
    await expectNoSeriousViolations(page, 'summary');
    await shot(page, testInfo, 'wizard-summary-en');
    // The same form in Chinese (the language switch keeps what was entered), then back.
    await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
    await expect(page.getByRole('heading', { level: 1, name: zh.wizard.title })).toBeVisible();
    await expect(page.getByRole('button', { name: zh.wizard.summary.createAndStart })).toBeVisible();
    await expectNoSeriousViolations(page, 'summary (zh-CN)');
    await shot(page, testInfo, 'wizard-summary-zh-CN');
    await chooseLanguage(page, page.getByRole('combobox', { name: zh.header.language, exact: true }), 'English');
    await expect(stepHeading(page, 'Summary')).toBeVisible();
  }
}

/**
 * Deletes through the dialog. With `disk`, that disk (a pool volume, listed by its path once the pool answers) is
 * checked to go too; otherwise nothing is checked (the default). The ISO is shared media: never checkable.
 */
async function deleteVm(page: Page, name: string, disk?: string) {
  await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}` });
  await expect(dialog).toBeVisible();
  const diskBox = dialog.getByRole('checkbox', { name: new RegExp(`/${name}\\.qcow2$`) });
  await expect(diskBox).toBeEnabled();
  await expect(diskBox).not.toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /\.iso$/ })).toBeDisabled();
  if (disk !== undefined) await diskBox.check();
  await dialog.getByRole('textbox', { name: 'Type the VM name to confirm' }).fill(name);
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(vmRow(page, name)).toHaveCount(0);
}

test('create a VM from an ISO with the wizard, watch it run, delete it keeping the disk', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const p = pool!;
  await signIn(page);
  await fillWizard(page, testInfo, first, { axe: true });

  await page.getByRole('button', { name: 'Create and start', exact: true }).click();
  // The create makes a volume: a task, followed in a notification, then the list.
  await expect(page.getByRole('heading', { level: 1, name: 'Virtual machines' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(`${first} was created.`)).toBeVisible();
  await expect(vmStateBadge(page, first)).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  expect((await virsh('domstate', first)).trim()).toBe('running');
  const xml = await virsh('dumpxml', first);
  expect(xml).toMatch(/<disk type='volume' device='cdrom'>[\s\S]*?<source pool='[^']+' volume='[^']+\.iso'/);
  expect(xml).toContain(`volume='${first}.qcow2'`);
  expect(xml).not.toContain('<interface');
  expect(await poolVolumes(p.name)).toContain(`${first}.qcow2`);

  await vmActionButton(page, first, 'Force off').click();
  await expect(vmStateBadge(page, first)).toHaveAttribute('data-state', 'shutoff', { timeout: 30_000 });
  await deleteVm(page, first);
  expect((await virsh('list', '--all', '--name')).split('\n').map((s) => s.trim())).not.toContain(first);
  // Kept: the disk is still in the pool.
  expect(await poolVolumes(p.name)).toContain(`${first}.qcow2`);
});

test('a name in use stays in the form with the reason; "Customise before starting" defines it without starting; deleted with its disk', async ({ page, testVm }, testInfo) => {
  test.setTimeout(180_000);
  const p = pool!;
  await signIn(page);
  await expect(vmRow(page, testVm)).toBeVisible();
  await page.getByRole('link', { name: 'Create VM', exact: true }).click();
  const nameBox = page.getByRole('textbox', { name: /^Name/ });
  await nameBox.fill(testVm);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(stepHeading(page, 'Source')).toBeVisible();
  await expect(page.getByText(`A VM named ${testVm} already exists.`)).toBeVisible();
  await expect(nameBox).toHaveAttribute('aria-invalid', 'true');
  await expect(nameBox).toHaveValue(testVm);
  await page.goto('/');

  await fillWizard(page, testInfo, second, { axe: false });
  await page.getByRole('button', { name: 'Customise before starting', exact: true }).click();
  await expect(page).toHaveURL(/\/vms\/local\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await expect(page.getByRole('heading', { level: 1, name: second })).toBeVisible();
  expect((await virsh('domstate', second)).trim()).toBe('shut off');
  expect(await poolVolumes(p.name)).toContain(`${second}.qcow2`);

  await page.getByRole('link', { name: 'Virtual machines', exact: true }).first().click();
  await expect(vmStateBadge(page, second)).toHaveAttribute('data-state', 'shutoff');
  // This time the disk goes with the VM (a task; the pool is the oracle).
  await deleteVm(page, second, `${second}.qcow2`);
  expect((await virsh('list', '--all', '--name')).split('\n').map((s) => s.trim())).not.toContain(second);
  await expect.poll(() => poolVolumes(p.name), { timeout: 30_000 }).not.toContain(`${second}.qcow2`);
});
