// VIREO_ISO_DIRS and VIREO_OSINFO_DIR: parsed, normalised, and refused with one line naming the variable.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { configErrorOf } from '../../helpers/config-error.js';
import { tmpDir } from '../../helpers/harness.js';

describe('VIREO_ISO_DIRS and VIREO_OSINFO_DIR', () => {
  it('default to no directories and Debian\'s osinfo-db', () => {
    const c = loadConfig({});
    expect(c.media.isoDirs).toEqual([]);
    expect(c.osinfoDir).toBe('/usr/share/osinfo');
  });

  it('take a colon-separated list of existing directories, normalised, duplicates and empty entries dropped', () => {
    const base = tmpDir('vireo-isodirs-');
    const a = path.join(base, 'a');
    const b = path.join(base, 'b');
    mkdirSync(a);
    mkdirSync(b);
    expect(loadConfig({ VIREO_ISO_DIRS: `${a}/::${b}:${a}/./` }).media.isoDirs).toEqual([a, b]);
    expect(loadConfig({ VIREO_ISO_DIRS: '' }).media.isoDirs).toEqual([]);
    expect(loadConfig({ VIREO_OSINFO_DIR: base }).osinfoDir).toBe(base);
  });

  it('refuse relative paths, missing directories and files with one line', () => {
    const base = tmpDir('vireo-isodirs-');
    const file = path.join(base, 'file');
    writeFileSync(file, '');
    expect(configErrorOf({ VIREO_ISO_DIRS: 'isos' }).message).toBe('VIREO_ISO_DIRS: must be a colon-separated list of absolute paths (got "isos")');
    expect(configErrorOf({ VIREO_ISO_DIRS: path.join(base, 'missing') }).message).toBe(`VIREO_ISO_DIRS: cannot use ${path.join(base, 'missing')}: ENOENT`);
    expect(configErrorOf({ VIREO_ISO_DIRS: file }).message).toBe(`VIREO_ISO_DIRS: ${file} is not a directory`);
    expect(configErrorOf({ VIREO_OSINFO_DIR: 'osinfo' }).message).toMatch(/^VIREO_OSINFO_DIR: must be an absolute path/);
  });
});
