// Journey (d): switching the language to 简体中文 translates the page at once, is remembered across a reload and
// for the user (a fresh browser that signs in as them gets it), and switches back. The Chinese strings come from the web app's own catalogue.
import { en } from '../../apps/web/src/i18n/en.js';
import { zh } from '../../apps/web/src/i18n/zh.js';
import { expect, test } from '../support/fixtures.js';
import { ADMIN_PASSWORD } from '../support/env.js';
import { chooseLanguage, signIn, submitSignIn, vmListHeading } from '../support/ui.js';

test('switching the language to 简体中文 shows the Chinese heading, remembered for the user, and back', async ({ page, browser, baseURL }) => {
  await signIn(page);
  await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
  const zhHeading = page.getByRole('heading', { name: zh.vms.title, exact: true });
  await expect(zhHeading).toBeVisible();
  await expect(vmListHeading(page)).toHaveCount(0);

  await page.reload();
  await expect(zhHeading).toBeVisible();

  // Another browser (nothing in its storage, an English locale) signing in as the same user gets their choice.
  const other = await browser.newContext({ baseURL: baseURL!, locale: 'en-US', ignoreHTTPSErrors: true });
  try {
    const second = await other.newPage();
    await second.goto('/');
    await submitSignIn(second, ADMIN_PASSWORD);
    await expect(second.getByRole('heading', { name: zh.vms.title, exact: true })).toBeVisible();
  } finally {
    await other.close();
  }

  await chooseLanguage(page, page.getByRole('combobox', { name: zh.header.language, exact: true }), 'English');
  await expect(vmListHeading(page)).toBeVisible();
});
