// Delete journey: a second test VM, defined with virsh, deleted through the dialog keeping its disks (none checked).
import { randomBytes } from 'node:crypto';
import { expect, test } from '../support/fixtures.js';
import { STATE_DIR_VAR, requiredEnv } from '../support/env.js';
import { TEST_VM_PREFIX, defineTestVm, removeTestVm, virsh } from '../support/libvirt.js';
import { signIn, vmRow } from '../support/ui.js';

const name = `${TEST_VM_PREFIX}del-${randomBytes(4).toString('hex')}`;

test.beforeAll(async () => {
  await defineTestVm(name, requiredEnv(STATE_DIR_VAR));
});

test.afterAll(async () => {
  await removeTestVm(name, requiredEnv(STATE_DIR_VAR));
});

test('delete a VM through the dialog, keeping its disks', async ({ page }) => {
  await signIn(page);
  await expect(vmRow(page, name)).toBeVisible();
  await expect(vmRow(page, name).getByRole('link', { name, exact: true })).toBeVisible();

  await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}` });
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Delete', exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Type the VM name to confirm' }).fill(name);
  await expect(confirm).toBeEnabled();
  await confirm.click();

  await expect(dialog).toBeHidden();
  await expect(vmRow(page, name)).toHaveCount(0);
  expect((await virsh('list', '--all', '--name')).split('\n').map((s) => s.trim())).not.toContain(name);
});
