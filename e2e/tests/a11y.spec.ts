// Journey (g): axe-core finds no serious or critical violation on the sign-in page and the VM list.
import { seriousViolations } from '../support/axe.js';
import { expect, test } from '../support/fixtures.js';
import { signIn, signInHeading, vmRow } from '../support/ui.js';

test('the sign-in page has no serious or critical axe violations', async ({ page }) => {
  await page.goto('/');
  await expect(signInHeading(page)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the VM list has no serious or critical axe violations', async ({ page, testVm }) => {
  await signIn(page);
  await expect(vmRow(page, testVm)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
