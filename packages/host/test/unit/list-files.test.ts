// Listing a configured directory: extension filter, no recursion, no symlink out of it, formats from the headers.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../src/index.js';

const base = mkdtempSync(path.join(os.tmpdir(), 'vireo-host-list-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function qcow2Header(virtualSize: bigint): Buffer {
  const b = Buffer.alloc(512);
  b.write('QFI\xfb', 0, 'latin1');
  b.writeUInt32BE(3, 4);
  b.writeBigUInt64BE(virtualSize, 24);
  return b;
}

function isoLike(): Buffer {
  const b = Buffer.alloc(34 * 1024);
  b.writeUInt8(1, 32768);
  b.write('CD001', 32769, 'latin1');
  return b;
}

describe('listFiles', () => {
  const dir = path.join(base, 'isos');
  const outside = path.join(base, 'outside');
  mkdirSync(path.join(dir, 'nested'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(dir, 'debian.ISO'), isoLike());
  writeFileSync(path.join(dir, 'cloud.img'), qcow2Header(2n * 1024n ** 3n));
  writeFileSync(path.join(dir, 'plain.raw'), Buffer.alloc(4096));
  writeFileSync(path.join(dir, 'readme.txt'), 'no');
  writeFileSync(path.join(dir, 'nested', 'deep.iso'), isoLike());
  writeFileSync(path.join(outside, 'secret.iso'), isoLike());
  symlinkSync(path.join(outside, 'secret.iso'), path.join(dir, 'escape.iso'));
  symlinkSync(path.join(dir, 'debian.ISO'), path.join(dir, 'alias.iso'));
  symlinkSync(path.join(dir, 'missing.iso'), path.join(dir, 'dangling.iso'));
  mkdirSync(path.join(dir, 'folder.iso'));

  it('lists matching regular files one level deep, following only symlinks that stay inside', async () => {
    const files = await listFiles(dir, ['.iso', '.img', '.raw', '.qcow2']);
    expect(files.map((f) => f.name)).toEqual(['alias.iso', 'cloud.img', 'debian.ISO', 'plain.raw']);
    const byName = new Map(files.map((f) => [f.name, f]));
    expect(byName.get('debian.ISO')).toMatchObject({ format: 'iso', path: path.join(dir, 'debian.ISO'), sizeBytes: 34 * 1024 });
    expect(byName.get('alias.iso')).toMatchObject({ format: 'iso', path: path.join(dir, 'alias.iso') });
    expect(byName.get('cloud.img')).toMatchObject({ format: 'qcow2', virtualSizeBytes: 2 * 1024 ** 3, sizeBytes: 512 });
    expect(byName.get('plain.raw')).toMatchObject({ format: 'raw', virtualSizeBytes: 4096 });
  });

  it('lists a missing directory as empty and refuses a relative one', async () => {
    expect(await listFiles(path.join(base, 'gone'), ['.iso'])).toEqual([]);
    await expect(listFiles('isos', ['.iso'])).rejects.toThrow(/absolute/);
  });
});
