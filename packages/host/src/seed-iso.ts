/** cloud-init NoCloud seed images, built with xorriso (Debian's package) in a private temporary directory. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface SeedFile {
  /** A plain file name in the image's root: user-data, meta-data, network-config. */
  name: string;
  content: string | Buffer;
}

export interface SeedIsoOptions {
  /** The volume label cloud-init looks for; NoCloud's is `cidata`. */
  volumeId?: string;
  xorriso?: string;
  /** Where the temporary directory goes (tests). */
  tmpDir?: string;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Fails with xorriso's own words (its stderr), which say what was wrong. */
export class SeedIsoError extends Error {
  override readonly name = 'SeedIsoError';
}

/**
 * An ISO 9660 image (Joliet and Rock Ridge, so names keep their case and dashes) holding `files` in its root,
 * labelled `cidata`: what cloud-init's NoCloud datasource reads from a CD-ROM. Returns the image's bytes; the
 * temporary directory is removed however it ends.
 */
export async function buildSeedIso(files: readonly SeedFile[], options: SeedIsoOptions = {}): Promise<Buffer> {
  const volumeId = options.volumeId ?? 'cidata';
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(volumeId)) throw new SeedIsoError(`bad volume id ${JSON.stringify(volumeId)}`);
  const names = new Set<string>();
  for (const f of files) {
    if (!FILE_NAME.test(f.name)) throw new SeedIsoError(`bad seed file name ${JSON.stringify(f.name)}`);
    if (names.has(f.name)) throw new SeedIsoError(`seed file ${f.name} given twice`);
    names.add(f.name);
  }
  const dir = await mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), 'vireo-seed-'));
  try {
    const content = path.join(dir, 'content');
    await mkdir(content, { mode: 0o700 });
    for (const f of files) await writeFile(path.join(content, f.name), f.content, { mode: 0o600 });
    const output = path.join(dir, 'seed.iso');
    try {
      await execFileP(
        options.xorriso ?? 'xorriso',
        ['-as', 'genisoimage', '-output', output, '-volid', volumeId, '-joliet', '-rock', '-quiet', content],
        { maxBuffer: 4 * 1024 * 1024, timeout: 60_000 },
      );
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') throw new SeedIsoError('xorriso is not installed on the host (Debian package xorriso)', { cause: err });
      const said = (e.stderr ?? '').trim().split('\n').slice(-3).join(' ');
      throw new SeedIsoError(`xorriso could not build the seed image: ${said || e.message}`, { cause: err });
    }
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
