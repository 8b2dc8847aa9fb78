/**
 * A throwaway dir storage pool for the wizard journey, holding a small ISO made with xorriso: defined, built,
 * started and refreshed with virsh, and removed again (volumes, pool, directory) whatever happened.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { virsh } from './libvirt.js';

const execFileP = promisify(execFile);

export interface TestPool {
  name: string;
  dir: string;
  iso: string;
}

export async function createIsoPool(): Promise<TestPool> {
  const id = randomBytes(4).toString('hex');
  const name = `vireo-e2e-wiz-${id}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vireo-e2e-wiz-'));
  // QEMU runs as its own user: it must reach the files in here.
  await chmod(dir, 0o755);
  const src = path.join(dir, '.iso-src');
  await mkdir(src);
  await writeFile(path.join(src, 'README.TXT'), 'Vireo e2e install medium\n');
  const iso = `vireo-e2e-wiz-${id}.iso`;
  try {
    await execFileP('xorriso', ['-as', 'mkisofs', '-o', path.join(dir, iso), '-V', 'VIREOTEST', src]);
    await rm(src, { recursive: true, force: true });
    await virsh('pool-define-as', name, 'dir', '--target', dir);
    await virsh('pool-build', name);
    await virsh('pool-start', name);
    await virsh('pool-refresh', name);
  } catch (err) {
    await removeIsoPool({ name, dir, iso });
    throw err;
  }
  return { name, dir, iso };
}

/** The pool's volume names (empty when the pool is gone). */
export async function poolVolumes(pool: string): Promise<string[]> {
  await virsh('pool-refresh', pool).catch(() => undefined);
  const out = await virsh('vol-list', pool).catch(() => '');
  return out
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

export async function removeIsoPool(pool: TestPool): Promise<void> {
  for (const vol of await poolVolumes(pool.name)) await virsh('vol-delete', vol, '--pool', pool.name).catch(() => undefined);
  await virsh('pool-destroy', pool.name).catch(() => undefined);
  await virsh('pool-undefine', pool.name).catch(() => undefined);
  await rm(pool.dir, { recursive: true, force: true });
}
