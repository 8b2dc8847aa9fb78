#!/usr/bin/env node
// Runs the vitest projects of vitest.config.ts one after another (unit, then integration),
// each with the console reporter plus a JSON report in .test-results/<project>.json, and
// ends with one line: `vireo: N passed, N failed, N skipped` (summed over the projects).
// Exits non-zero if anything failed or if no test ran at all.
//
//   node scripts/run-tests.mjs [project ...]      (default: unit integration)
//
// The libvirt test environment (<state>/env, written by scripts/libvirt-daemons.sh
// start --test) is loaded for variables not already set; state is
// ${VIREO_TEST_STATE:-<repo>/.vireo-test}.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(repo, '.test-results');
const projects = process.argv.length > 2 ? process.argv.slice(2) : ['unit', 'integration'];

/** Parse KEY=VALUE lines; values may be wrapped in double or single quotes. */
function parseEnvFile(text) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1);
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out[key] = value;
  }
  return out;
}

function loadTestEnv() {
  const state = process.env.VIREO_TEST_STATE ?? path.join(repo, '.vireo-test');
  const file = path.join(state, 'env');
  if (!existsSync(file)) {
    console.log(`vireo: no ${file}; integration tests that need a libvirtd will skip`);
    return;
  }
  for (const [key, value] of Object.entries(parseEnvFile(readFileSync(file, 'utf8')))) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}

/** Prefer `pnpm exec vitest`; fall back to the workspace's own binary when pnpm is absent. */
function vitestCommand() {
  const probe = spawnSync('pnpm', ['--version'], { stdio: 'ignore' });
  if (probe.status === 0) return { cmd: 'pnpm', args: ['exec', 'vitest'] };
  const bin = path.join(repo, 'node_modules', '.bin', 'vitest');
  if (existsSync(bin)) return { cmd: bin, args: [] };
  console.error('vireo: error: neither pnpm nor node_modules/.bin/vitest found (run scripts/setup.sh)');
  process.exit(1);
}

/**
 * @param {string} project
 * @param {{cmd: string, args: string[]}} vitest
 */
function runProject(project, vitest) {
  const report = path.join(resultsDir, `${project}.json`);
  rmSync(report, { force: true });
  console.log(`\nvireo: running the ${project} tests`);
  const run = spawnSync(
    vitest.cmd,
    [
      ...vitest.args,
      'run',
      '--project',
      project,
      '--passWithNoTests',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    { cwd: repo, stdio: 'inherit', env: process.env },
  );
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (run.error) {
    console.error(`vireo: error: could not run vitest for ${project}: ${run.error.message}`);
    counts.failed = 1;
    return counts;
  }
  const code = run.status ?? 1;
  if (!existsSync(report)) {
    console.error(`vireo: error: vitest (${project}) wrote no report and exited with ${run.signal ?? code}`);
    counts.failed = 1;
    return counts;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  counts.passed = json.numPassedTests ?? 0;
  counts.failed = json.numFailedTests ?? 0;
  counts.skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  // A file that failed to load or whose hooks failed has no failed test: count the file.
  for (const file of json.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) {
      counts.failed += 1;
      const rel = path.relative(repo, file.name ?? '?');
      const why = String(file.message ?? '').split('\n')[0] || 'a hook failed or the file did not load; see above';
      console.error(`vireo: ${project}: ${rel} failed outside any test: ${why}`);
    }
  }
  if (code !== 0 && counts.failed === 0) {
    console.error(`vireo: error: vitest (${project}) exited with ${code} without a failed test (see its output)`);
    counts.failed = 1;
  }
  return counts;
}

loadTestEnv();
mkdirSync(resultsDir, { recursive: true });
rmSync(path.join(resultsDir, 'summary.txt'), { force: true });
const vitest = vitestCommand();
const total = { passed: 0, failed: 0, skipped: 0 };
for (const project of projects) {
  const c = runProject(project, vitest);
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
const ranNone = total.passed + total.failed === 0;
if (ranNone) console.error('vireo: error: no test ran');
const summary = `vireo: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
writeFileSync(path.join(resultsDir, 'summary.txt'), `${summary}\n`);
console.log(summary);
process.exitCode = total.failed > 0 || ranNone ? 1 : 0;
