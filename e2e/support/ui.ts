/**
 * The UI contract with apps/web, in one place: the journeys find things by role and accessible name only (plus
 * the VM rows' `data-testid="vm-row-<name>"` and their state badge's `data-state="<libvirt state>"`).
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { ADMIN_PASSWORD, ADMIN_USER } from './env.js';

export function signInHeading(page: Page): Locator {
  return page.getByRole('heading', { name: 'Sign in', exact: true });
}

export function vmListHeading(page: Page): Locator {
  return page.getByRole('heading', { name: 'Virtual machines', exact: true });
}

/** Fills and submits the sign-in form (the page must show it). */
export async function submitSignIn(page: Page, password: string, username = ADMIN_USER): Promise<void> {
  await expect(signInHeading(page)).toBeVisible();
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Opens the app, signs in as the admin and waits for the VM list. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  await submitSignIn(page, ADMIN_PASSWORD);
  await expect(vmListHeading(page)).toBeVisible();
}

export function vmRow(page: Page, name: string): Locator {
  return page.getByTestId(`vm-row-${name}`);
}

/** The row's state badge; its `data-state` is libvirt's state name (running, paused, shutoff, ...). */
export function vmStateBadge(page: Page, name: string): Locator {
  return vmRow(page, name).locator('[data-state]');
}

export type VmAction = 'Start' | 'Shut down' | 'Force off' | 'Reboot' | 'Pause' | 'Resume';

export function vmActionButton(page: Page, name: string, action: VmAction): Locator {
  return page.getByRole('button', { name: `${action} ${name}`, exact: true });
}

/**
 * Picks a language in the header's "Language" picker by its option's name, whether the picker is a native
 * <select> or a combobox with a listbox popup.
 */
export async function chooseLanguage(page: Page, picker: Locator, option: string): Promise<void> {
  const tag = await picker.evaluate((el) => el.tagName);
  if (tag === 'SELECT') {
    await picker.selectOption({ label: option });
  } else {
    await picker.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }
}
