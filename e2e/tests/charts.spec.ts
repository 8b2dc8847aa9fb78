// Live charts: the host page draws CPU, memory, network and disk with an hour of history and moves with the stats
// events; a running VM's details page graphs its usage; the list shows CPU and memory sparklines for it. uPlot
// draws under the server's CSP (style-src 'self') without a violation. The e2e server ticks every second.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.js';
import { virsh } from '../support/libvirt.js';
import { signIn, vmRow } from '../support/ui.js';

/** Starting a VM under TCG (no KVM in CI) can take a few seconds; a rate needs two ticks after that. */
const STATE_TIMEOUT = 30_000;

declare global {
  interface Window {
    cspViolations: string[];
  }
}

/** Records CSP violations (the DOM event, and Chromium's console line) from before the first script runs. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) console.push(msg.text());
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  return async () => [...console, ...(await page.evaluate(() => window.cspViolations))];
}

/**
 * Pixels of the chart's canvas close to one of its series colours (light palette: teal 8, blue 7), i.e. drawn
 * lines, not just axes and grid.
 */
async function seriesPixels(chart: Locator): Promise<number> {
  return chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const colours = [
      [0x09, 0x92, 0x68],
      [0x1c, 0x7e, 0xd6],
    ];
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! < 200) continue;
      if (colours.some(([r, g, b]) => Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 60)) n++;
    }
    return n;
  });
}

test('the host page charts CPU, memory, network and disk, live, without CSP violations', async ({ page }) => {
  const violations = await watchCsp(page);
  await signIn(page);
  await page.getByRole('link', { name: 'Host', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Host', exact: true })).toBeVisible();

  const cpu = page.getByRole('img', { name: /^CPU, last hour; latest: CPU use \d/ });
  await expect(cpu).toBeVisible();
  await expect(page.getByRole('img', { name: /^Memory, last hour; latest: Used [\d.,]+ [KMGT]?i?B, Total [\d.,]+ [KMGT]?i?B$/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Network, last hour; latest: Received .+\/s, Sent .+\/s$/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Disk, last hour; latest: / })).toBeVisible();
  await expect.poll(() => seriesPixels(cpu), { message: 'the CPU line is drawn' }).toBeGreaterThan(20);

  // Live: the newest sample in the data table moves on with the ticks, without a reload or a refetch.
  const historyFetches: string[] = [];
  page.on('request', (r) => {
    if (/\/metrics(\?|$)/.test(r.url())) historyFetches.push(r.url());
  });
  const cpuChart = page.locator('.vireo-chart').filter({ has: page.getByRole('heading', { name: 'CPU', exact: true }) });
  await cpuChart.getByText('Show the data as a table').click();
  const newest = cpuChart.getByRole('table').locator('tbody tr').last().locator('th');
  const first = await newest.textContent();
  expect(first).toMatch(/\d{2}:\d{2}:\d{2}/);
  await expect(newest).not.toHaveText(first!, { timeout: 10_000 });
  expect(historyFetches).toEqual([]);

  // Storage: the pools' bars, or a calm note when the route is not there.
  await expect(page.getByRole('heading', { name: 'Storage pools', exact: true })).toBeVisible();
  await expect(page.getByRole('meter').first().or(page.getByText(/^(No storage pools\.|Storage pools are not available)/))).toBeVisible();

  expect(await violations()).toEqual([]);
});

test('a running VM: usage graphs on its details page and sparklines in the list', async ({ page, testVm }) => {
  const violations = await watchCsp(page);
  const uuid = (await virsh('domuuid', testVm)).trim();
  await virsh('start', testVm);
  try {
    await signIn(page);
    const row = vmRow(page, testVm);
    await expect(row.locator('[data-state]')).toHaveAttribute('data-state', 'running', { timeout: STATE_TIMEOUT });
    await expect(page.getByRole('columnheader', { name: 'IP', exact: true })).toBeVisible();
    // The sparkline appears once a tick carried a CPU rate for the VM (bulk history, then stats events).
    await expect(row.getByRole('img', { name: /^CPU use trend, latest \d/ })).toBeVisible({ timeout: STATE_TIMEOUT });
    await expect(row.getByRole('img', { name: /^CPU use trend/ }).locator('path')).toHaveAttribute('d', /^M/);

    await row.getByRole('link', { name: testVm, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/vms/local/${uuid}$`));
    await expect(page.getByRole('heading', { name: 'Usage (last hour)', exact: true })).toBeVisible();
    const cpu = page.getByRole('img', { name: /^CPU, last hour; latest: CPU use \d/ });
    await expect(cpu).toBeVisible({ timeout: STATE_TIMEOUT });
    await expect(page.getByRole('img', { name: /^Memory, last hour; latest: Used / })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Disk, last hour/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Network, last hour/ })).toBeVisible();
    await expect.poll(() => seriesPixels(cpu), { message: 'the VM\'s CPU line is drawn', timeout: STATE_TIMEOUT }).toBeGreaterThan(5);
  } finally {
    await virsh('destroy', testVm).catch(() => undefined);
  }
  expect(await violations()).toEqual([]);
});

test('the host page shows each storage pool\'s use as a meter', async ({ page }) => {
  const name = `vireo-e2e-charts-${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), `${name}-`));
  await virsh('pool-define-as', name, 'dir', '--target', dir);
  try {
    await virsh('pool-start', name);
    await signIn(page);
    await page.getByRole('link', { name: 'Host', exact: true }).click();
    // A dir pool reports its file system's size and use: some share of it is used.
    const meter = page.getByRole('meter', { name: new RegExp(`^${name}: \\d+% used$`) });
    await expect(meter).toBeVisible();
    expect(Number(await meter.getAttribute('max'))).toBeGreaterThan(1);
    expect(Number(await meter.getAttribute('value'))).toBeGreaterThan(0);
    await expect(page.getByText(new RegExp(`^[\\d.,]+ [KMGT]iB of [\\d.,]+ [KMGT]iB used \\(\\d+%\\)$`)).first()).toBeVisible();
  } finally {
    await virsh('pool-destroy', name).catch(() => undefined);
    await virsh('pool-undefine', name).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});
