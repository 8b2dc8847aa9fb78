// Journeys (a) and (e): signing in, and signing out for good.
import { ADMIN_PASSWORD } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';
import { signIn, signInHeading, submitSignIn, vmListHeading } from '../support/ui.js';

test('a wrong password shows an alert; the right one reaches the VM list', async ({ page }) => {
  await page.goto('/');
  await submitSignIn(page, 'not-the-admin-password');
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(signInHeading(page)).toBeVisible();

  await submitSignIn(page, ADMIN_PASSWORD);
  await expect(vmListHeading(page)).toBeVisible();
});

test('signing out returns to the sign-in page, and a reload stays there', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(signInHeading(page)).toBeVisible();

  await page.reload();
  await expect(signInHeading(page)).toBeVisible();
  await expect(vmListHeading(page)).toHaveCount(0);
});
