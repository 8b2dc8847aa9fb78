// The NoCloud seed built with the real xorriso, read back with xorriso: label and files as cloud-init reads them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSeedIso, SeedIsoError } from '../../src/index.js';

const execFileP = promisify(execFile);
const work = mkdtempSync(path.join(os.tmpdir(), 'vireo-host-seed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function xorriso(args: string[]): Promise<string> {
  const { stdout, stderr } = await execFileP('xorriso', args);
  return stdout + stderr;
}

describe('buildSeedIso', () => {
  it('makes an ISO labelled cidata holding the files, names kept as given', async () => {
    const userData = '#cloud-config\nusers:\n  - name: ada\n';
    const metaData = 'instance-id: 1234\nlocal-hostname: vm1\n';
    const image = await buildSeedIso([
      { name: 'user-data', content: userData },
      { name: 'meta-data', content: metaData },
      { name: 'network-config', content: 'version: 2\n' },
    ]);
    expect(image.length % 2048).toBe(0);
    const file = path.join(work, 'seed.iso');
    writeFileSync(file, image);
    expect(await xorriso(['-indev', file, '-pvd_info'])).toMatch(/Volume Id\s*:\s*cidata/);
    const listing = await xorriso(['-indev', file, '-find', '/', '-type', 'f']);
    expect(listing).toContain("'/user-data'");
    expect(listing).toContain("'/meta-data'");
    expect(listing).toContain("'/network-config'");
    const out = path.join(work, 'out');
    await xorriso(['-osirrox', 'on', '-indev', file, '-extract', '/', out]);
    expect(readFileSync(path.join(out, 'user-data'), 'utf8')).toBe(userData);
    expect(readFileSync(path.join(out, 'meta-data'), 'utf8')).toBe(metaData);
  });

  it('refuses file names that are not plain names, and says when xorriso is missing', async () => {
    await expect(buildSeedIso([{ name: '../evil', content: 'x' }])).rejects.toThrow(SeedIsoError);
    await expect(buildSeedIso([{ name: 'a', content: 'x' }], { xorriso: '/nonexistent/xorriso' })).rejects.toThrow(/not installed/);
  });
});
