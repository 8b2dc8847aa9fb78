// The XML editor: CodeMirror loaded only when opened (not with the VM list), styled under the server's CSP without
// a violation, one good edit applied after reviewing the diff (virsh sees it), one the schema rejects (the error at
// its line, nothing changed), and a definition changed by virsh meanwhile reported instead of overwritten.
// axe in edit mode; screenshots in English and Chinese.
import { randomBytes } from 'node:crypto';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { en } from '../../apps/web/src/i18n/en.js';
import { zh } from '../../apps/web/src/i18n/zh.js';
import { seriousViolations } from '../support/axe.js';
import { STATE_DIR_VAR, requiredEnv } from '../support/env.js';
import { expect, test as base } from '../support/fixtures.js';
import { defineVm, removeTestVm, TEST_VM_PREFIX, testVmXml, virsh } from '../support/libvirt.js';
import { chooseLanguage, signIn, vmListHeading } from '../support/ui.js';

interface Vm {
  name: string;
  uuid: string;
}

const test = base.extend<{ vm: Vm; cspViolations: () => Promise<string[]> }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  vm: async ({}, use) => {
    const stateDir = requiredEnv(STATE_DIR_VAR);
    const name = `${TEST_VM_PREFIX}xml-${randomBytes(3).toString('hex')}`;
    await defineVm(name, testVmXml(name), stateDir);
    try {
      await use({ name, uuid: (await virsh('domuuid', name)).trim() });
    } finally {
      await removeTestVm(name, stateDir);
    }
  },
  /** Every CSP violation the page reported (the event) or the browser logged. */
  cspViolations: async ({ page }, use) => {
    const logged: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) logged.push(m.text());
    });
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
    });
    await use(async () => [...logged, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))]);
  },
});

function editor(page: Page): Locator {
  return page.getByRole('textbox', { name: 'XML editor', exact: true });
}

/** Replaces the editor's whole text as a user would: select all, then type (inserted as one input). */
async function replaceText(page: Page, text: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

async function openEditor(page: Page, vm: Vm): Promise<void> {
  await page.goto(`/vms/local/${vm.uuid}`);
  await expect(page.getByRole('heading', { level: 1, name: vm.name, exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Edit XML', exact: true }).click();
  await expect(editor(page)).toBeVisible();
}

/** Kept in the test's artifacts directory (`.test-results/e2e-artifacts/<test>/<name>.png`), pass or fail. */
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test('CodeMirror is loaded with the editor, not with the VM list, and is styled without a CSP violation', async ({ page, vm, cspViolations }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await signIn(page);
  await expect(vmListHeading(page)).toBeVisible();
  expect(scripts.filter((s) => /codemirror/i.test(s))).toEqual([]);

  await openEditor(page, vm);
  expect(scripts.filter((s) => /codemirror/i.test(s)).length).toBeGreaterThan(0);
  await expect(editor(page)).toContainText(`<name>${vm.name}</name>`);
  // CodeMirror's own styles apply (its base theme lays the editor out as a flex column; ours colours the gutter).
  const host = page.getByTestId('xml-editor');
  await expect(host.locator('.cm-editor')).toHaveCSS('display', 'flex');
  await expect(host.locator('.cm-gutters')).toHaveCSS('background-color', 'rgb(241, 243, 245)');
  await expect(host.locator('.cm-lineNumbers .cm-gutterElement').nth(1)).toHaveText('1');
  // Syntax highlighting: the tag names are coloured spans.
  expect(await host.locator('.cm-line span').count()).toBeGreaterThan(3);
  expect(await cspViolations()).toEqual([]);
});

test('a good edit: reviewed as a diff, applied, and in the definition virsh reads', async ({ page, vm, cspViolations }, testInfo) => {
  await signIn(page);
  await openEditor(page, vm);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, testInfo, 'xml-editor-en');

  const current = await virsh('dumpxml', '--inactive', '--security-info', vm.name);
  const description = `edited in Vireo ${randomBytes(3).toString('hex')}`;
  await replaceText(page, current.replace(/<\/uuid>/, `</uuid>\n  <description>${description}</description>`));
  await page.getByRole('button', { name: 'Review changes', exact: true }).click();
  const diff = page.getByRole('textbox', { name: 'Changes to the definition', exact: true });
  await expect(diff).toContainText(description);
  await expect(page.getByTestId('xml-diff').locator('.cm-changedLine')).toContainText(description);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, testInfo, 'xml-editor-review-en');

  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByText(`XML of ${vm.name} applied`, { exact: true })).toBeVisible();
  await expect(page.getByLabel('Domain XML', { exact: true })).toContainText(`<description>${description}</description>`);
  expect(await virsh('dumpxml', '--inactive', vm.name)).toContain(`<description>${description}</description>`);
  expect(await cspViolations()).toEqual([]);

  await chooseLanguage(page, page.getByRole('combobox', { name: en.header.language, exact: true }), '简体中文');
  await page.getByRole('button', { name: zh.edit.xml.edit, exact: true }).click();
  await expect(page.getByRole('textbox', { name: zh.edit.xml.editorLabel, exact: true })).toBeVisible();
  await screenshot(page, testInfo, 'xml-editor-zh-CN');
});

test('a rejected edit: the schema error is shown at its line, and the definition is unchanged', async ({ page, vm }, testInfo) => {
  await signIn(page);
  await openEditor(page, vm);
  const before = await virsh('dumpxml', '--inactive', '--security-info', vm.name);
  const bad = before.replace(/<\/uuid>/, '</uuid>\n  <bogus-element/>');
  const line = bad.split('\n').findIndex((l) => l.includes('<bogus-element/>')) + 1;
  await replaceText(page, bad);
  await page.getByRole('button', { name: 'Review changes', exact: true }).click();
  await page.getByRole('button', { name: 'Apply', exact: true }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'The XML was not accepted' });
  await expect(alert).toContainText(`Line ${line}:`);
  await expect(alert).toContainText('bogus-element');
  // In the editor: the line is marked, with a marker in the lint gutter.
  const host = page.getByTestId('xml-editor');
  await expect(host.locator('.cm-lintRange-error')).toHaveText('<bogus-element/>');
  await expect(host.locator('.cm-lint-marker-error')).toHaveCount(1);
  await expect(page.getByText(`Applying the XML of ${vm.name} failed`, { exact: true })).toBeVisible();
  expect(await virsh('dumpxml', '--inactive', vm.name)).not.toContain('bogus-element');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, testInfo, 'xml-editor-rejected-en');
});

test('a definition changed by virsh meanwhile is reported, not overwritten; Reload keeps the edit', async ({ page, vm }) => {
  await signIn(page);
  await openEditor(page, vm);
  const mine = (await virsh('dumpxml', '--inactive', '--security-info', vm.name)).replace(/<\/uuid>/, '</uuid>\n  <description>mine</description>');
  await replaceText(page, mine);
  // Someone else changes the definition (what `virsh edit` does: a define).
  await virsh('desc', vm.name, '--config', '--title', 'set by virsh');
  await page.getByRole('button', { name: 'Review changes', exact: true }).click();
  await page.getByRole('button', { name: 'Apply', exact: true }).click();

  const conflict = page.getByRole('alert').filter({ hasText: 'The definition changed meanwhile' });
  await expect(conflict).toBeVisible();
  expect(await virsh('dumpxml', '--inactive', vm.name)).not.toContain('<description>mine</description>');
  await conflict.getByRole('button', { name: 'Reload', exact: true }).click();
  // The diff is now against the current definition: applying it would drop virsh's title, and shows so.
  await expect(page.getByTestId('xml-diff').locator('.cm-deletedChunk')).toContainText('set by virsh');
  await expect(page.getByRole('textbox', { name: 'Changes to the definition', exact: true })).toContainText('<description>mine</description>');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByText(`XML of ${vm.name} applied`, { exact: true })).toBeVisible();
  expect(await virsh('dumpxml', '--inactive', vm.name)).toContain('<description>mine</description>');
});
