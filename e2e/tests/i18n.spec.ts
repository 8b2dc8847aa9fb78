// Journey (d): switching the language to 简体中文 translates the page at once, is remembered across a reload,
// and switches back. The Chinese strings come from the web app's own catalogue.
import { en } from '../../apps/web/src/i18n/en.js';
import { zh } from '../../apps/web/src/i18n/zh.js';
import { expect, test } from '../support/fixtures.js';
import { chooseLanguage, signIn, vmListHeading } from '../support/ui.js';

test('switching the language to 简体中文 shows the Chinese heading, and back', async ({ page }) => {
  await signIn(page);
  await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
  const zhHeading = page.getByRole('heading', { name: zh.vms.title, exact: true });
  await expect(zhHeading).toBeVisible();
  await expect(vmListHeading(page)).toHaveCount(0);

  await page.reload();
  await expect(zhHeading).toBeVisible();

  await chooseLanguage(page, page.getByRole('combobox', { name: zh.header.language, exact: true }), 'English');
  await expect(vmListHeading(page)).toBeVisible();
});
