import { defineConfig } from 'vitest/config';

// Two projects, run one after the other by scripts/run-tests.mjs:
//   unit         fast, no daemon
//   integration  a real libvirtd (see scripts/libvirt-daemons.sh --test); files run one at a
//                time because they share that one daemon
export default defineConfig({
  test: {
    // Tests that measure live memory (the volume stream test) call gc() between samples.
    // Worker execArgv is a root-only option in vitest 3: projects cannot set it.
    pool: 'forks',
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/test/unit/**/*.test.ts',
            'apps/*/test/unit/**/*.test.ts',
            'apps/*/test/unit/**/*.test.tsx',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/test/integration/**/*.test.ts', 'apps/*/test/integration/**/*.test.ts'],
          // Files run one at a time: they share one libvirtd and some kill it. (The root-only
          // `fileParallelism: false` cannot be set per project in vitest 3; a single fork
          // runs the project's files in sequence.)
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
