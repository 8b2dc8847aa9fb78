// Phone width (390 x 844) in the dark theme: the VM list, a VM's details and the host page fit the screen (no
// sideways page scroll: wide tables scroll inside their own box), the header folds behind "Menu", axe finds no
// serious or critical violation, and screenshots in English and Chinese are kept as artifacts. The themes' contrast
// is also checked at desktop width, light and dark, on the host page with its charts.
import type { Page, TestInfo } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.js';
import { zh } from '../../apps/web/src/i18n/zh.js';
import { seriousViolations } from '../support/axe.js';
import { expect, test } from '../support/fixtures.js';
import { virsh } from '../support/libvirt.js';
import { chooseLanguage, signIn, vmRow } from '../support/ui.js';

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** The page's own width: anything wider than the viewport means a sideways scroll of the whole page. */
function pageScrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth);
}

const LANGS = [
  { lang: 'en', t: en, label: 'English' },
  { lang: 'zh-CN', t: zh, label: '简体中文' },
] as const;

test.describe('390 px, dark theme', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const { lang, t, label } of LANGS) {
    test(`list, details and host fit the screen and pass axe (${lang})`, async ({ page, testVm }, testInfo) => {
      const uuid = (await virsh('domuuid', testVm)).trim();
      await signIn(page);

      // The header folds: the navigation and the pickers are behind the menu button until it is opened.
      const menu = page.getByRole('button', { name: en.charts.menu, exact: true });
      await expect(page.getByRole('link', { name: en.nav.host, exact: true })).toBeHidden();
      await menu.click();
      await expect(menu).toHaveAttribute('aria-expanded', 'true');
      await page.getByRole('combobox', { name: en.charts.theme.label, exact: true }).selectOption({ label: en.charts.theme.dark });
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
      if (lang !== 'en') await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), label);
      await expect(page.getByRole('heading', { name: t.vms.title, exact: true })).toBeVisible();

      // The list (after a reload: theme and language are remembered).
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
      await expect(vmRow(page, testVm)).toBeVisible();
      expect(await pageScrollWidth(page)).toBeLessThanOrEqual(390);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, testInfo, `responsive-list-${lang}-dark`);

      // The details page.
      await page.goto(`/vms/local/${uuid}`);
      await expect(page.getByRole('heading', { level: 1, name: testVm, exact: true })).toBeVisible();
      await expect(page.getByRole('heading', { name: t.charts.vmUsage, exact: true })).toBeVisible();
      await expect(page.getByRole('img', { name: new RegExp(`^${t.charts.cpu}`) })).toBeVisible();
      expect(await pageScrollWidth(page)).toBeLessThanOrEqual(390);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, testInfo, `responsive-details-${lang}-dark`);

      // The host page, reached through the folded menu (which closes on navigation).
      await page.getByRole('button', { name: t.charts.menu, exact: true }).click();
      await page.getByRole('link', { name: t.nav.host, exact: true }).click();
      await expect(page.getByRole('heading', { name: t.host.title, exact: true })).toBeVisible();
      await expect(page.getByRole('link', { name: t.nav.host, exact: true })).toBeHidden();
      await expect(page.getByRole('img', { name: new RegExp(`^${t.charts.cpu}`) })).toBeVisible();
      await expect(page.getByRole('heading', { name: t.charts.storage, exact: true })).toBeVisible();
      expect(await pageScrollWidth(page)).toBeLessThanOrEqual(390);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, testInfo, `responsive-host-${lang}-dark`);
    });
  }
});

test('the host page passes axe in the light and the dark theme', async ({ page }, testInfo) => {
  await signIn(page);
  for (const scheme of ['light', 'dark'] as const) {
    await page.getByRole('combobox', { name: en.charts.theme.label, exact: true }).selectOption({ label: en.charts.theme[scheme] });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await page.getByRole('link', { name: en.nav.host, exact: true }).click();
    await expect(page.getByRole('img', { name: /^CPU, last hour; latest/ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, testInfo, `host-${scheme}`);
    await page.getByRole('link', { name: en.nav.vms, exact: true }).click();
    expect(await seriousViolations(page)).toEqual([]);
  }
});
