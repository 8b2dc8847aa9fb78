// Journey (f): the host page shows this machine's facts, and no "host unreachable" banner while libvirtd is up.
import os from 'node:os';
import { expect, test } from '../support/fixtures.js';
import { signIn, vmListHeading } from '../support/ui.js';

test('the host page shows the host name', async ({ page }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Host', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Host', exact: true })).toBeVisible();
  await expect(page.getByText(os.hostname(), { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.getByRole('link', { name: 'Virtual machines', exact: true }).click();
  await expect(vmListHeading(page)).toBeVisible();
});
