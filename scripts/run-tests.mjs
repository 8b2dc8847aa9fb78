#!/usr/bin/env node
// Runs the vitest projects of vitest.config.ts one after another (unit, then integration),
// each with the console reporter plus a JSON report in .test-results/<project>.json, then the
// Playwright journeys of e2e/ (`e2e`: `pnpm e2e`, whose config writes .test-results/e2e.json),
// and ends with one line: `vireo: N passed, N failed, N skipped` (summed over the phases).
// Exits non-zero if anything failed or if no test ran at all.
//
//   node scripts/run-tests.mjs [phase ...]      (default: unit integration e2e)
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
const projects = process.argv.length > 2 ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];

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

/**
 * The e2e phase: Playwright's runner through the root `e2e` script (its config adds a JSON report at
 * .test-results/e2e.json), counted like the vitest projects. A failure outside any test (the global
 * setup: no built web app, the server not starting) counts as one failure per error.
 */
function runE2e() {
  const report = path.join(resultsDir, 'e2e.json');
  rmSync(report, { force: true });
  console.log('\nvireo: running the e2e tests');
  // As for vitest: `pnpm e2e`, else the e2e package's own playwright binary.
  const viaPnpm = spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0;
  const [cmd, args, cwd] = viaPnpm
    ? ['pnpm', ['run', '--silent', 'e2e'], repo]
    : [path.join(repo, 'e2e', 'node_modules', '.bin', 'playwright'), ['test'], path.join(repo, 'e2e')];
  const run = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (run.error) {
    console.error(`vireo: error: could not run the e2e tests (${cmd} ${args.join(' ')}): ${run.error.message}`);
    counts.failed = 1;
    return counts;
  }
  const code = run.status ?? 1;
  if (!existsSync(report)) {
    console.error(`vireo: error: playwright (e2e) wrote no report and exited with ${run.signal ?? code}`);
    counts.failed = 1;
    return counts;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  const stats = json.stats ?? {};
  // `flaky` passed on a retry (the config allows none, so it stays 0).
  counts.passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
  counts.failed = stats.unexpected ?? 0;
  counts.skipped = stats.skipped ?? 0;
  for (const err of json.errors ?? []) {
    counts.failed += 1;
    const why = String(err.message ?? err.value ?? '').split('\n')[0] || 'see above';
    console.error(`vireo: e2e: failed outside any test: ${why}`);
  }
  if (code !== 0 && counts.failed === 0) {
    console.error(`vireo: error: playwright (e2e) exited with ${code} without a failed test (see its output)`);
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
  const c = project === 'e2e' ? runE2e() : runProject(project, vitest);
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
