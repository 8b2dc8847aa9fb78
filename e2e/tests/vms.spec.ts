// Journeys (b) and (c): the VM list shows a VM defined outside Vireo, and follows its state live: changes made
// from the UI and changes made behind Vireo's back (virsh) alike, without a reload.
import { expect, test } from '../support/fixtures.js';
import { virsh } from '../support/libvirt.js';
import { signIn, vmActionButton, vmRow, vmStateBadge } from '../support/ui.js';

/** Starting a VM under TCG (no KVM in CI) can take a few seconds. */
const STATE_TIMEOUT = 30_000;

test('a VM defined with virsh is in the list, shut off', async ({ page, testVm }) => {
  await signIn(page);
  await expect(vmRow(page, testVm)).toBeVisible();
  await expect(vmStateBadge(page, testVm)).toHaveAttribute('data-state', 'shutoff');
});

test('start, an outside virsh suspend, resume and force off, all shown live', async ({ page, testVm }) => {
  await signIn(page);
  const badge = vmStateBadge(page, testVm);
  await expect(badge).toHaveAttribute('data-state', 'shutoff');

  await vmActionButton(page, testVm, 'Start').click();
  await expect(badge).toHaveAttribute('data-state', 'running', { timeout: STATE_TIMEOUT });
  expect((await virsh('domstate', testVm)).trim()).toBe('running');

  // The page must not reload to see the change: the same document is still there afterwards.
  const documentStart = await page.evaluate(() => performance.timeOrigin);
  await virsh('suspend', testVm);
  await expect(badge).toHaveAttribute('data-state', 'paused', { timeout: STATE_TIMEOUT });
  expect(await page.evaluate(() => performance.timeOrigin)).toBe(documentStart);

  await vmActionButton(page, testVm, 'Resume').click();
  await expect(badge).toHaveAttribute('data-state', 'running', { timeout: STATE_TIMEOUT });
  expect((await virsh('domstate', testVm)).trim()).toBe('running');

  await vmActionButton(page, testVm, 'Force off').click();
  await expect(badge).toHaveAttribute('data-state', 'shutoff', { timeout: STATE_TIMEOUT });
  expect((await virsh('domstate', testVm)).trim()).toBe('shut off');
});
