// bin/vireo, the launcher `pnpm start`, the e2e suite and the benchmarks run: its memory defaults reach node, the
// user's own settings win, and a missing build is one clear line. A stand-in `node` on PATH prints what it was given.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const LAUNCHER = fileURLToPath(new URL('../../bin/vireo', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'vireo-launcher-'));
  // The launcher's own layout (bin/ beside bundle/), in a directory of the test's.
  await mkdir(join(dir, 'server', 'bin'), { recursive: true });
  await mkdir(join(dir, 'server', 'bundle'));
  await copyFile(LAUNCHER, join(dir, 'server', 'bin', 'vireo'));
  await chmod(join(dir, 'server', 'bin', 'vireo'), 0o755);
  await writeFile(join(dir, 'server', 'bundle', 'main.js'), '');
  await mkdir(join(dir, 'path'));
  await writeFile(join(dir, 'path', 'node'), '#!/bin/sh\nprintf "%s\\n" "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX" "$@"\n');
  await chmod(join(dir, 'path', 'node'), 0o755);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function launch(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { MALLOC_ARENA_MAX: _ignored, ...base } = process.env;
    execFile(join(dir, 'server', 'bin', 'vireo'), args, { env: { ...base, PATH: `${join(dir, 'path')}:/usr/bin:/bin`, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('bin/vireo', () => {
  it('runs the bundle with one malloc arena, a heap sized for memory and a small young generation', async () => {
    const run = await launch([]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['MALLOC_ARENA_MAX=1', '--optimize-for-size', '--max-semi-space-size=1', `${dir}/server/bin/../bundle/main.js`]);
  });

  it('passes further node options after its own, so they override them', async () => {
    const run = await launch(['--max-semi-space-size=4', '--lite-mode']);
    const lines = run.stdout.trim().split('\n');
    expect(lines.slice(1, 5)).toEqual(['--optimize-for-size', '--max-semi-space-size=1', '--max-semi-space-size=4', '--lite-mode']);
    expect(lines.at(-1)).toMatch(/bundle\/main\.js$/);
  });

  it("keeps the user's own MALLOC_ARENA_MAX", async () => {
    const run = await launch([], { MALLOC_ARENA_MAX: '4' });
    expect(run.stdout.split('\n')[0]).toBe('MALLOC_ARENA_MAX=4');
  });

  it('says what is missing when the server is not built', async () => {
    await rm(join(dir, 'server', 'bundle', 'main.js'));
    const run = await launch([]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/bundle\/main\.js is missing: build first \(pnpm run build\)/);
  });
});
