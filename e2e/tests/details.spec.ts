// The VM details page: opened at /vms/<host>/<uuid>, it shows the VM's definition (overview, disks, XML) and
// follows its state live from the events stream; an unknown UUID says so.
import { seriousViolations } from '../support/axe.js';
import { expect, test } from '../support/fixtures.js';
import { virsh } from '../support/libvirt.js';
import { signIn, vmRow } from '../support/ui.js';

/** Starting a VM under TCG (no KVM in CI) can take a few seconds. */
const STATE_TIMEOUT = 30_000;

test('the details page of the test VM: heading, disks, XML and a live state', async ({ page, testVm }) => {
  const uuid = (await virsh('domuuid', testVm)).trim();
  await signIn(page);
  await expect(vmRow(page, testVm)).toBeVisible();

  await page.goto(`/vms/local/${uuid}`);
  await expect(page.getByRole('heading', { level: 1, name: testVm, exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Disks', exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Network interfaces', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'XML', exact: true })).toBeVisible();
  await expect(page.getByLabel('Domain XML', { exact: true })).toContainText(`<name>${testVm}</name>`);

  expect(await seriousViolations(page)).toEqual([]);

  const badge = page.locator('main [data-state]');
  await expect(badge).toHaveAttribute('data-state', 'shutoff');
  const documentStart = await page.evaluate(() => performance.timeOrigin);
  await virsh('start', testVm);
  try {
    await expect(badge).toHaveAttribute('data-state', 'running', { timeout: STATE_TIMEOUT });
  } finally {
    await virsh('destroy', testVm).catch(() => undefined);
  }
  await expect(badge).toHaveAttribute('data-state', 'shutoff', { timeout: STATE_TIMEOUT });
  expect(await page.evaluate(() => performance.timeOrigin)).toBe(documentStart);
});

test('an unknown UUID says the VM is not found', async ({ page }) => {
  await signIn(page);
  await page.goto('/vms/local/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('alert').filter({ hasText: 'Virtual machine not found' })).toBeVisible();
});
