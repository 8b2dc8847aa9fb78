// Editing a VM on its details page: CPU and memory, autostart and the boot order, each checked with virsh (the
// oracle); a running VM's edits wait for a restart and say so; axe finds nothing serious in edit mode; screenshots
// in English and Chinese are kept as artifacts. Each test defines its own small VM (never started except where
// said, no NIC, no bootable media).
import { randomBytes } from 'node:crypto';
import type { Page, TestInfo } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.js';
import { zh } from '../../apps/web/src/i18n/zh.js';
import { seriousViolations } from '../support/axe.js';
import { STATE_DIR_VAR, requiredEnv } from '../support/env.js';
import { expect, test as base } from '../support/fixtures.js';
import { defineVm, removeTestVm, TEST_VM_PREFIX, testVmXml, virsh } from '../support/libvirt.js';
import { chooseLanguage, signIn } from '../support/ui.js';

/** Starting a VM under TCG (no KVM in CI) can take a few seconds. */
const STATE_TIMEOUT = 30_000;

const test = base.extend<{ vm: { name: string; uuid: string } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  vm: async ({}, use) => {
    const stateDir = requiredEnv(STATE_DIR_VAR);
    const name = `${TEST_VM_PREFIX}edit-${randomBytes(3).toString('hex')}`;
    await defineVm(name, testVmXml(name), stateDir);
    try {
      await use({ name, uuid: (await virsh('domuuid', name)).trim() });
    } finally {
      await removeTestVm(name, stateDir);
    }
  },
});

/** Polls virsh until `check` holds for the output, or the deadline passes (the last output is in the failure). */
async function untilVirsh(args: string[], check: (out: string) => boolean, timeout = 10_000): Promise<string> {
  let last = '';
  await expect
    .poll(
      async () => {
        last = await virsh(...args);
        return check(last);
      },
      { timeout, message: `virsh ${args.join(' ')}` },
    )
    .toBe(true);
  return last;
}

async function openDetails(page: Page, vm: { name: string; uuid: string }): Promise<void> {
  await signIn(page);
  await page.goto(`/vms/local/${vm.uuid}`);
  await expect(page.getByRole('heading', { level: 1, name: vm.name, exact: true })).toBeVisible();
}

/** Kept in the test's artifacts directory (`.test-results/e2e-artifacts/<test>/<name>.png`), pass or fail. */
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test('CPU and memory: edited in the dialog, written to the persistent definition', async ({ page, vm }, testInfo) => {
  await openDetails(page, vm);
  await page.getByRole('button', { name: 'Edit CPU and memory', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `CPU and memory of ${vm.name}` });
  await expect(dialog.getByRole('textbox', { name: 'Maximum memory', exact: true })).toHaveValue('32');
  await expect(dialog.getByRole('combobox', { name: 'Maximum memory unit', exact: true })).toHaveValue('MiB');
  await expect(dialog.getByText(/^Free memory on the host: /)).toBeVisible();

  // Edit mode: the dialog open over the page.
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, testInfo, 'details-edit-cpu-memory-en');

  // A value the form refuses stays beside its field, and nothing is sent.
  await dialog.getByRole('textbox', { name: 'Current vCPUs', exact: true }).fill('3');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByText('Cannot exceed the maximum vCPUs', { exact: true })).toBeVisible();

  await dialog.getByRole('textbox', { name: 'Maximum vCPUs', exact: true }).fill('2');
  await dialog.getByRole('textbox', { name: 'Current vCPUs', exact: true }).fill('1');
  await dialog.getByRole('textbox', { name: 'Maximum memory', exact: true }).fill('64');
  await dialog.getByRole('textbox', { name: 'Current memory', exact: true }).fill('48');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(`CPU and memory of ${vm.name} saved`, { exact: true })).toBeVisible();
  await expect(dialog).toBeHidden();

  const xml = await untilVirsh(['dumpxml', '--inactive', vm.name], (x) => x.includes("<memory unit='KiB'>65536</memory>"));
  expect(xml).toContain("<currentMemory unit='KiB'>49152</currentMemory>");
  expect(xml).toMatch(/<vcpu placement='static' current='1'>2<\/vcpu>|<vcpu current='1'>2<\/vcpu>/);
  // The page follows: the list row (events) and the refreshed definition.
  const overview = page.getByRole('region', { name: 'Overview', exact: true });
  await expect(overview.getByRole('row', { name: /^Memory/ })).toContainText('48 MiB (maximum 64 MiB)');

  await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
  await page.getByRole('button', { name: zh.edit.cpuMemory.button, exact: true }).click();
  await expect(page.getByRole('dialog', { name: `${vm.name} 的 CPU 和内存` })).toBeVisible();
  await screenshot(page, testInfo, 'details-edit-cpu-memory-zh-CN');
});

test('a running VM: edits wait for a restart, with a badge beside the fact and a notice', async ({ page, vm }) => {
  await virsh('start', vm.name);
  await openDetails(page, vm);
  await expect(page.locator('main [data-state]').first()).toHaveAttribute('data-state', 'running', { timeout: STATE_TIMEOUT });
  // Running as defined: whatever the live configuration adds (aliases, addresses, the machine's expansion) is no change.
  await expect(page.getByRole('heading', { name: 'Boot order', exact: true })).toBeVisible();
  await expect(page.locator('[data-pending-restart]')).toHaveCount(0);

  await page.getByRole('button', { name: 'Edit CPU and memory', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `CPU and memory of ${vm.name}` });
  await expect(dialog.getByText('The VM is running: the new values apply the next time it starts.', { exact: true })).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Maximum memory', exact: true }).fill('48');
  await dialog.getByRole('textbox', { name: 'Current memory', exact: true }).fill('48');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();

  await untilVirsh(['dumpxml', '--inactive', vm.name], (x) => x.includes("<memory unit='KiB'>49152</memory>"));
  // The running VM keeps its 32 MiB until restarted.
  expect(await virsh('dumpxml', vm.name)).toContain("<memory unit='KiB'>32768</memory>");
  await expect(page.locator('[data-pending-restart]')).toHaveCount(1);
  await expect(page.locator('[data-pending-restart="memory"]')).toHaveText('Needs restart');
  await expect(page.getByRole('status').filter({ hasText: 'Changes wait for a restart' })).toContainText('Not yet in effect: memory.');
  // The "running" state badge (green on light green, 3.8:1) is the list's StateBadge, reported to its owner.
  expect(await seriousViolations(page, ['[data-state="running"]'])).toEqual([]);

  // Stopped, nothing waits any more.
  await virsh('destroy', vm.name);
  await expect(page.locator('main [data-state]').first()).toHaveAttribute('data-state', 'shutoff', { timeout: STATE_TIMEOUT });
  await expect(page.locator('[data-pending-restart]')).toHaveCount(0);
});

test('autostart: the switch turns it on and off, as virsh sees it', async ({ page, vm }) => {
  await openDetails(page, vm);
  const toggle = page.getByRole('switch', { name: 'Autostart', exact: true });
  await expect(toggle).not.toBeChecked();
  await toggle.click({ force: true });
  await expect(page.getByText(`${vm.name} now starts when the host boots`, { exact: true })).toBeVisible();
  await untilVirsh(['dominfo', vm.name], (out) => /^Autostart:\s+enable$/m.test(out));
  await expect(toggle).toBeChecked();

  await toggle.click({ force: true });
  await expect(page.getByText(`${vm.name} no longer starts when the host boots`, { exact: true })).toBeVisible();
  await untilVirsh(['dominfo', vm.name], (out) => /^Autostart:\s+disable$/m.test(out));
  await expect(toggle).not.toBeChecked();
});

test('boot order: a CD-ROM enabled and moved first with the keyboard, saved per device', async ({ page }) => {
  const stateDir = requiredEnv(STATE_DIR_VAR);
  const name = `${TEST_VM_PREFIX}boot-${randomBytes(3).toString('hex')}`;
  // Two empty CD-ROMs: bootable devices, but nothing that could ever boot.
  const xml = testVmXml(name, { cdroms: [{ bus: 'ide' }, { bus: 'ide' }] });
  await defineVm(name, xml, stateDir);
  try {
    await openDetails(page, { name, uuid: (await virsh('domuuid', name)).trim() });
    const region = page.getByRole('region', { name: 'Boot order', exact: true });
    const save = region.getByRole('button', { name: 'Save boot order', exact: true });
    await expect(save).toBeDisabled();
    await region.getByRole('checkbox', { name: 'Boot from hda', exact: true }).check();
    await region.getByRole('checkbox', { name: 'Boot from hdb', exact: true }).check();
    await region.getByRole('button', { name: 'Move down hda', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(region.getByRole('listitem').first()).toContainText('hdb');
    await expect(region.getByRole('button', { name: 'Move up hda', exact: true })).toBeFocused();
    await save.click();
    await expect(page.getByText(`Boot order of ${name} saved`, { exact: true })).toBeVisible();

    const saved = await untilVirsh(['dumpxml', '--inactive', name], (x) => x.includes("<boot order='1'/>"));
    const disks = [...saved.matchAll(/<disk[\s\S]*?<\/disk>/g)].map((m) => m[0]);
    const orderOf = (dev: string) => /<boot order='(\d+)'\/>/.exec(disks.find((d) => d.includes(`dev='${dev}'`)) ?? '')?.[1];
    expect([orderOf('hdb'), orderOf('hda')]).toEqual(['1', '2']);
    expect(saved).not.toMatch(/<boot dev=/);
    await expect(save).toBeDisabled();
  } finally {
    await removeTestVm(name, stateDir);
  }
});
