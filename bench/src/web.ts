/**
 * Benchmark: the web UI as a user sees it, in Debian's Chromium (Playwright) against the built server
 * (apps/server/bin/vireo over HTTPS, apps/web/dist) on qemu:///system. The UI rows of DESIGN.md's
 * "Performance goals" table:
 *
 *   bytes      JS + CSS on the wire for a cold load of the VM list (fresh browser context, empty cache): the
 *              encoded body sizes of the script and stylesheet responses; and what gzip and brotli would make of them
 *   reload     reload of the VM list until a VM row is shown (a few VMs)
 *   sign-in    the "Sign in" click until the VM list shows a row
 *   list-51    reload until the last row of a 51-VM list is shown (the table is virtualised: scrolled to its end)
 *   list-1002  the same with 1,002 VMs
 *   filter     typing into "Search" over the 1,002 rows: keydown until the table's row count changed and painted
 *   suspend    `virsh suspend` exits until the row's badge shows paused (and resume -> running), on the events path;
 *              reference: a `virsh domstate` process run right after
 *   memory     the server's RSS with one browser tab on the list (server-side processes only: the server is the
 *              whole server-side stack, where Cockpit's figure counted cockpit-ws, its bridges, dbus and libvirt-dbus)
 *
 * In-page timings come from bench/src/web/probe.ts (MutationObserver + the next animation frame). Domains:
 * `vireo-bench-web-event` (running, diskless) and `vireo-bench-web-0000`... (defined, never started), all removed at
 * the end, also after a failure or Ctrl-C, unless --keep.
 *
 *   node bench/dist/web.js [--uri qemu:///system] [--count 1001] [--small 50] [--runs 10] [--warmup 2]
 *                          [--cold-runs 3] [--cycles 20] [--passes 5] [--concurrency 4] [--keep] [--cleanup] [--out FILE]
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { LibvirtConnection } from '@vireo/libvirt';
import { benchName, cleanup, devKvm, domainXml, finishBenchDomains, openPatiently, pool, type BenchDomains } from './common/domains.js';
import { checkInterrupted, handleSignals, interrupted, Interrupted, pause, runMain } from './common/interrupt.js';
import { log } from './common/log.js';
import { machineInfo } from './common/machine.js';
import { intOption, parseBenchArgs } from './common/options.js';
import { launchCommand, ServerProcess } from './common/server-process.js';
import { round3, summarize as summarizeSamples, type Summary as StatsSummary } from './common/stats.js';
import { printTable, type TableRow } from './common/table.js';
import { runTimed } from './common/timed-process.js';
import { CHROMIUM, CHROMIUM_ARGS, launchChromium, type Browser, type BrowserContext, type Page, type Response } from './web/browser.js';
import { installProbe, type KeyMark, type Mark, type ProbeConfig, type StateMark } from './web/probe.js';

const PREFIX = 'vireo-bench-web-';
const EVENT_VM = `${PREFIX}event`;
const DEFAULT_OUT = fileURLToPath(new URL('../results/web.json', import.meta.url));
const LIST_PATH = '/api/v1/hosts/local/domains';
const VIEWPORT = { width: 1280, height: 800 };
/** Typed into "Search" with 1,002 rows, then erased: every step changes how many rows match. */
const FILTER_KEYS = ['0', '1', '2', '3', 'Backspace', 'Backspace', 'Backspace', 'Backspace'];
const WAIT_MS = 30_000;
const WEB_INDEX = fileURLToPath(new URL('../../apps/web/dist/index.html', import.meta.url));

/** DESIGN.md's goals and the Cockpit figures it quotes (measured earlier, not by this benchmark). */
const GOALS = {
  coldJsCssKB: 400,
  reloadMedianMs: 250,
  signInMs: 600,
  list51Ms: 300,
  list1002Ms: 800,
  filterKeyMs: 16.7,
  suspendP95Ms: 20,
  serverRssMiB: 90,
} as const;
const COCKPIT = {
  coldJsCss: '1.95 MB',
  reloadMedian: '1330 ms',
  signIn: '2936 ms',
  list51: '2415 ms',
  list1002: 'never complete (885 rows), settles at 22.7 s',
  filterKey: '~210 ms per key',
  suspend: 'a few ms (events)',
  memory: '~120 MB (ws + bridges + dbus + libvirt-dbus)',
} as const;

// ---------------------------------------------------------------------------------------------- options

const USAGE = `usage: node bench/dist/web.js [options]

  --uri URI          libvirt URI, for the server and the bench (default qemu:///system)
  --count N          numbered domains for the big list (default 1001: with ${EVENT_VM}, 1,002 VMs)
  --small N          numbered domains for the small list (default 50: with ${EVENT_VM}, 51 VMs)
  --runs N           measured runs of reload, sign-in and each list (default 10)
  --warmup N         unmeasured runs before each of those (default 2)
  --cold-runs N      cold loads for the byte count (default 3)
  --cycles N         suspend/resume cycles (default 20, after 2 unmeasured ones)
  --passes N         passes of typing and erasing the filter "0123" (default 5)
  --concurrency N    define/undefine calls in flight (default 4)
  --keep             leave the ${PREFIX}* domains defined
  --cleanup          only remove leftover ${PREFIX}* domains and exit
  --out FILE         results file (default bench/results/web.json)`;

const {
  opts,
  count: COUNT,
  concurrency: CONCURRENCY,
  out: OUT,
} = parseBenchArgs(
  USAGE,
  {
    small: { type: 'string' },
    runs: { type: 'string' },
    'cold-runs': { type: 'string' },
    cycles: { type: 'string' },
    passes: { type: 'string' },
  },
  DEFAULT_OUT,
);
const uri = opts.uri;
const COUNT_BIG = opts.count === undefined ? 1001 : COUNT;
const SMALL = intOption(opts.small, 'small', 50, 1);
const RUNS = intOption(opts.runs, 'runs', 10, 1);
const WARMUP = intOption(opts.warmup, 'warmup', 2, 0);
const COLD_RUNS = intOption(opts['cold-runs'], 'cold-runs', 3, 1);
const CYCLES = intOption(opts.cycles, 'cycles', 20, 1);
const PASSES = intOption(opts.passes, 'passes', 5, 1);
if (SMALL >= COUNT_BIG) throw new Error('--small must be less than --count');

handleSignals(`stopping the browser and the server${opts.keep ? '' : ` and removing the ${PREFIX}* domains`}`);

const BENCH: BenchDomains = { prefix: PREFIX, concurrency: CONCURRENCY, removed: 'removed' };

type Summary = StatsSummary<'p50' | 'p95'>;
const summarize = (samples: readonly number[]): Summary => summarizeSamples(samples, (d) => ({ p50: d.median, p95: d.rank(0.95) }));

/** This process's clock as epoch milliseconds, high resolution (the page's probe reports the same). */
const epochNow = (): number => performance.timeOrigin + performance.now();

/** Rejects after `ms` (a wait on the page that never ends would hang the run). */
function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Which web build apps/web/dist holds: the hash of its index.html, which names the content-hashed assets. */
async function webBuild(): Promise<string> {
  const html = await readFile(WEB_INDEX).catch(() => {
    throw new Error(`${WEB_INDEX} does not exist: build first (pnpm run build)`);
  });
  return createHash('sha256').update(html).digest('hex').slice(0, 16);
}

/**
 * Throws when apps/web/dist changed since the server started: the server lists the build's files once at start, so
 * a rebuild (other work in the same tree) breaks the page, and figures would mix two builds.
 */
async function checkWebBuild(atStart: string): Promise<void> {
  if ((await webBuild()) !== atStart) {
    throw new Error('apps/web/dist was rebuilt during the run (the server serves the build it found at start): run again');
  }
}

// ---------------------------------------------------------------------------------------------- domains

async function startEventVm(conn: LibvirtConnection, type: 'kvm' | 'qemu'): Promise<void> {
  const { dom } = await conn.domainDefineXMLFlags({ xml: domainXml(EVENT_VM, type), flags: 0 });
  await conn.domainCreate({ dom });
}

/** Defines `vireo-bench-web-<from>`..`<to - 1>`, CONCURRENCY calls in flight. */
async function defineRange(conn: LibvirtConnection, from: number, to: number, type: 'kvm' | 'qemu'): Promise<void> {
  const t0 = performance.now();
  const names = Array.from({ length: to - from }, (_, i) => benchName(BENCH, from + i));
  let defined = 0;
  let lastReport = t0;
  await pool(names, CONCURRENCY, async (name) => {
    await conn.domainDefineXMLFlags({ xml: domainXml(name, type), flags: 0 });
    defined++;
    const now = performance.now();
    if (now - lastReport > 2000 || defined === names.length) {
      lastReport = now;
      log(`  defined ${defined}/${names.length} in ${((now - t0) / 1000).toFixed(1)} s`);
    }
  });
  checkInterrupted();
}

// ---------------------------------------------------------------------------------------------- browser helpers

interface WireDomain {
  name: string;
  title?: string | null;
  state: string;
}

interface Rig {
  browser: Browser;
  base: string;
  password: string;
}

/** A browser context with the probe installed; signed in (the session cookie set through the API) unless `signedIn` is false. */
async function newContext(rig: Rig, probe: ProbeConfig, signedIn = true): Promise<BrowserContext> {
  const ctx = await rig.browser.newContext({ baseURL: rig.base, ignoreHTTPSErrors: true, locale: 'en-US', viewport: VIEWPORT });
  try {
    await ctx.addInitScript(installProbe, probe);
    if (signedIn) {
      const res = await ctx.request.post('/api/v1/session', {
        data: { username: 'admin', password: rig.password },
        headers: { origin: rig.base },
      });
      if (!res.ok()) throw new Error(`sign-in through the API failed: ${res.status()} ${await res.text()}`);
    }
    return ctx;
  } catch (err) {
    await ctx.close();
    throw err;
  }
}

/** The server's list, through a signed-in context's API client. */
async function serverList(ctx: BrowserContext): Promise<WireDomain[]> {
  const res = await ctx.request.get(LIST_PATH);
  if (!res.ok()) throw new Error(`GET ${LIST_PATH}: ${res.status()}`);
  return ((await res.json()) as { domains: WireDomain[] }).domains;
}

/** Waits until the server's list holds `count` bench domains (it learns of new ones through libvirt's events). */
async function waitForServerList(ctx: BrowserContext, count: number): Promise<WireDomain[]> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    checkInterrupted();
    const list = await serverList(ctx);
    if (list.filter((d) => d.name.startsWith(PREFIX)).length === count) return list;
    if (Date.now() > deadline) throw new Error(`the server's list did not reach ${count} ${PREFIX}* domains within 300 s`);
    await pause(100);
  }
}

/** Waits for the probe's mark; on a timeout, the error says what the probe had seen. */
async function whenMark(page: Page, name: 'firstRow' | 'lastRow'): Promise<Mark> {
  try {
    return await within(
      page.evaluate((n) => window.__vireoBench.when(n), name),
      `${name} on ${page.url()}`,
    );
  } catch (err) {
    const seen = await page
      .evaluate(() => {
        const b = window.__vireoBench;
        const rowcount = document.querySelector('[role="table"][aria-rowcount]')?.getAttribute('aria-rowcount');
        const rows = Array.from(document.querySelectorAll('[role="row"][aria-rowindex]'), (r) => r.getAttribute('aria-rowindex'));
        return { firstRow: b.firstRow, tableAt: b.tableAt, rowcount, rowsInDom: `${rows[0]}..${rows.at(-1)}` };
      })
      .catch(() => 'nothing (the page did not answer)');
    throw new Error(`${(err as Error).message}; the probe saw ${JSON.stringify(seen)}`);
  }
}

// ---------------------------------------------------------------------------------------------- measurements

/** Cold loads of the list: every script and stylesheet response, as sent and as gzip/brotli would send it. */
async function measureColdBytes(rig: Rig) {
  const runs: { files: { url: string; type: string; encoding: string; wireBody: number; wireHeaders: number; decoded: number; gzip: number; gzip9: number; brotli: number }[]; firstRowMs: number }[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    checkInterrupted();
    const ctx = await newContext(rig, { scrollToEndAt: 0 });
    try {
      const page = await ctx.newPage();
      const responses: Response[] = [];
      page.on('response', (r) => responses.push(r));
      await page.goto('/', { waitUntil: 'load' });
      const mark = await whenMark(page, 'firstRow');
      // Anything the list fetches after its first row (a lazy chunk) counts too.
      await page.waitForLoadState('networkidle');
      const files = [];
      for (const r of responses) {
        const type = r.request().resourceType();
        if (type !== 'script' && type !== 'stylesheet') continue;
        const sizes = await r.request().sizes();
        const body = await r.body();
        const headers = await r.allHeaders();
        files.push({
          url: new URL(r.url()).pathname,
          type,
          encoding: headers['content-encoding'] ?? 'identity',
          wireBody: sizes.responseBodySize,
          wireHeaders: sizes.responseHeadersSize,
          decoded: body.length,
          gzip: gzipSync(body).length, // zlib's default level 6, as @fastify/compress would send it
          gzip9: gzipSync(body, { level: 9 }).length,
          brotli: brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length,
        });
      }
      runs.push({ files, firstRowMs: mark.paint });
    } finally {
      await ctx.close();
    }
  }
  const sum = (run: (typeof runs)[number], k: 'wireBody' | 'wireHeaders' | 'decoded' | 'gzip' | 'gzip9' | 'brotli'): number =>
    run.files.reduce((n, f) => n + f[k], 0);
  const last = runs.at(-1)!;
  return {
    runs: runs.length,
    files: last.files,
    encodings: [...new Set(runs.flatMap((r) => r.files.map((f) => f.encoding)))],
    wireBodyBytes: summarize(runs.map((r) => sum(r, 'wireBody'))),
    wireHeaderBytes: sum(last, 'wireHeaders'),
    decodedBytes: sum(last, 'decoded'),
    gzipBytes: sum(last, 'gzip'),
    gzip9Bytes: sum(last, 'gzip9'),
    brotliBytes: sum(last, 'brotli'),
    coldFirstRowMs: summarize(runs.map((r) => r.firstRowMs)),
  };
}

/** Reloads of the list: navigation start until the first VM row is in the DOM, and painted. */
async function measureReload(rig: Rig) {
  const ctx = await newContext(rig, { scrollToEndAt: 0 });
  try {
    const page = await ctx.newPage();
    await page.goto('/');
    await whenMark(page, 'firstRow');
    const dom: number[] = [];
    const paint: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      checkInterrupted();
      await page.reload({ waitUntil: 'commit' });
      const m = await whenMark(page, 'firstRow');
      if (i >= WARMUP) {
        dom.push(m.dom);
        paint.push(m.paint);
      }
    }
    return { dom: summarize(dom), paint: summarize(paint) };
  } finally {
    await ctx.close();
  }
}

/** Sign-in through the form, each in a fresh context: the click until the first VM row is in the DOM, and painted. */
async function measureSignIn(rig: Rig) {
  const dom: number[] = [];
  const paint: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    checkInterrupted();
    const ctx = await newContext(rig, { scrollToEndAt: 0 }, false);
    try {
      const page = await ctx.newPage();
      await page.goto('/login');
      await page.getByRole('textbox', { name: 'Username', exact: true }).fill('admin');
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(rig.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const m = await whenMark(page, 'firstRow');
      const clickAt = await page.evaluate(() => window.__vireoBench.clickAt);
      if (clickAt === undefined) throw new Error('the probe saw no click on "Sign in"');
      if (i >= WARMUP) {
        dom.push(m.dom - clickAt);
        paint.push(m.paint - clickAt);
      }
    } finally {
      await ctx.close();
    }
  }
  return { dom: summarize(dom), paint: summarize(paint) };
}

/**
 * Reloads of the list holding at least `minRows` rows: navigation start until the table's last row (aria-rowindex =
 * aria-rowcount) is in the DOM and painted, the probe scrolling the table's scroller to its end as soon as the rows
 * are there.
 */
async function measureList(rig: Rig, minRows: number) {
  const ctx = await newContext(rig, { scrollToEndAt: minRows });
  try {
    const page = await ctx.newPage();
    await page.goto('/');
    await whenMark(page, 'lastRow');
    const firstRow: number[] = [];
    const dom: number[] = [];
    const paint: number[] = [];
    const rowcounts = new Set<number>();
    for (let i = 0; i < WARMUP + RUNS; i++) {
      checkInterrupted();
      await page.reload({ waitUntil: 'commit' });
      const last = await whenMark(page, 'lastRow');
      const first = await whenMark(page, 'firstRow');
      const rowcount = await page.evaluate(() => window.__vireoBench.lastRow?.rowcount ?? 0);
      if (i >= WARMUP) {
        firstRow.push(first.paint);
        dom.push(last.dom);
        paint.push(last.paint);
        rowcounts.add(rowcount - 1);
      }
    }
    const apiCount = (await serverList(ctx)).length;
    return { rowsShown: [...rowcounts], apiCount, firstRowPaint: summarize(firstRow), lastRowDom: summarize(dom), lastRowPaint: summarize(paint) };
  } finally {
    await ctx.close();
  }
}

/** What the list's filter shows for `search` (vm-logic.ts: name or title, case-insensitive), to check the table's count. */
function expectedMatches(domains: readonly WireDomain[], search: string): number {
  const needle = search.trim().toLowerCase();
  return domains.filter((d) => needle === '' || d.name.toLowerCase().includes(needle) || (d.title ?? '').toLowerCase().includes(needle)).length;
}

/** Typing "0123" into Search and erasing it, PASSES times: per key, keydown until the row count changed and painted. */
async function measureFilter(rig: Rig) {
  const ctx = await newContext(rig, { scrollToEndAt: 0 });
  try {
    const page = await ctx.newPage();
    await page.goto('/');
    await whenMark(page, 'firstRow');
    const domains = await serverList(ctx);
    // The expected count after each key, and whether the key changes it (only those can be timed from the DOM).
    const plan: { key: string; text: string; expect: number; changes: boolean }[] = [];
    let text = '';
    let before = expectedMatches(domains, text);
    for (const key of FILTER_KEYS) {
      text = key === 'Backspace' ? text.slice(0, -1) : text + key;
      const expect = expectedMatches(domains, text);
      plan.push({ key, text, expect, changes: expect !== before });
      before = expect;
    }
    const search = page.getByRole('searchbox', { name: 'Search', exact: true });
    await search.click();
    const dom: number[] = [];
    const paint: number[] = [];
    let wrongCounts = 0;
    for (let pass = 0; pass < PASSES + 1; pass++) {
      for (const step of plan) {
        checkInterrupted();
        if (!step.changes) {
          await page.keyboard.press(step.key);
          continue;
        }
        await page.evaluate(() => window.__vireoBench.armKey());
        await page.keyboard.press(step.key);
        const m: KeyMark = await within(
          page.evaluate(() => window.__vireoBench.keyResult()),
          `the table's row count after key ${step.key}`,
        );
        // Other suites on the same daemon may have added or removed domains since: check against the list as it is now.
        if (m.rowcount - 1 !== step.expect && m.rowcount - 1 !== expectedMatches(await serverList(ctx), step.text)) wrongCounts++;
        // The first pass warms up.
        if (pass > 0) {
          dom.push(m.dom - m.key);
          paint.push(m.paint - m.key);
        }
      }
    }
    return {
      rows: domains.length,
      keys: plan.map((s) => `${s.key === 'Backspace' ? '⌫' : s.key}→${s.expect}`),
      timedKeysPerPass: plan.filter((s) => s.changes).length,
      wrongCounts,
      dom: summarize(dom),
      paint: summarize(paint),
    };
  } finally {
    await ctx.close();
  }
}

/**
 * The offset of the page's epoch clock from ours (page minus node), from the round trip with the smallest delay;
 * `uncertainty` is half that round trip.
 */
async function calibrateClock(page: Page): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Infinity };
  for (let i = 0; i < 30; i++) {
    const t1 = epochNow();
    const tp = await page.evaluate(() => window.__vireoBench.epochNow());
    const t2 = epochNow();
    if ((t2 - t1) / 2 < best.uncertaintyMs) best = { offsetMs: tp - (t1 + t2) / 2, uncertaintyMs: (t2 - t1) / 2 };
  }
  return best;
}

/** `virsh suspend` / `resume` of the event VM: from virsh's exit until the row's badge changed, and painted. */
async function measureSuspend(page: Page) {
  const before = await calibrateClock(page);
  const samples = { suspend: { dom: [] as number[], paint: [] as number[], virsh: [] as number[] }, resume: { dom: [] as number[], paint: [] as number[], virsh: [] as number[] } };
  const domstate: number[] = [];
  for (let i = 0; i < CYCLES + 2; i++) {
    for (const op of ['suspend', 'resume'] as const) {
      checkInterrupted();
      const want = op === 'suspend' ? 'paused' : 'running';
      await page.evaluate(([name, state]) => window.__vireoBench.armState(name, state), [EVENT_VM, want] as const);
      const run = await runTimed('virsh', ['-c', uri, op, EVENT_VM]);
      const exitEpoch = performance.timeOrigin + run.exitAt;
      const m: StateMark = await within(
        page.evaluate(() => window.__vireoBench.stateResult()),
        `the badge of ${EVENT_VM} to show ${want}`,
      );
      if (i >= 2) {
        samples[op].dom.push(m.domEpoch - before.offsetMs - exitEpoch);
        samples[op].paint.push(m.paintEpoch - before.offsetMs - exitEpoch);
        samples[op].virsh.push(run.exitAt - run.startAt);
      }
      if (op === 'suspend') {
        // The reference: how long libvirt's own CLI takes to tell the state, a process started after the suspend.
        const ds = await runTimed('virsh', ['-c', uri, 'domstate', EVENT_VM]);
        if (ds.stdout.trim() !== 'paused') throw new Error(`virsh domstate said "${ds.stdout.trim()}" after the suspend`);
        if (i >= 2) domstate.push(ds.exitAt - ds.startAt);
      }
      // Let the server's re-read of the row (after its delta went out) finish before the next change.
      await pause(100);
    }
  }
  const after = await calibrateClock(page);
  const per = (op: 'suspend' | 'resume') => ({ dom: summarize(samples[op].dom), paint: summarize(samples[op].paint), virshCommand: summarize(samples[op].virsh) });
  return {
    clock: { before, after, driftMs: round3(after.offsetMs - before.offsetMs) },
    suspend: per('suspend'),
    resume: per('resume'),
    virshDomstate: summarize(domstate),
  };
}

/** The page's WebSocket frames that are stats ticks, by arrival. */
function watchStats(page: Page): { ticks: number[] } {
  const seen = { ticks: [] as number[] };
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string' && f.payload.startsWith('{"type":"stats"')) seen.ticks.push(performance.now());
    });
  });
  return seen;
}

/** The server's RSS with one tab on the list, once two stats ticks have reached that tab after `since`. */
async function measureMemory(server: ServerProcess, page: Page, stats: { ticks: number[] }, since: number) {
  const deadline = Date.now() + 60_000;
  while (stats.ticks.filter((t) => t > since).length < 2) {
    checkInterrupted();
    if (Date.now() > deadline) throw new Error('no two stats ticks reached the page within 60 s');
    await pause(50);
  }
  const mem = await server.memory();
  const around = summarize(server.rssSamples.filter((s) => s.at >= since).map((s) => s.rssKiB / 1024));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const jsHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? NaN;
  return {
    rssMiB: round3(mem.rssKiB / 1024),
    anonMiB: round3(mem.anonKiB / 1024),
    fileMiB: round3(mem.fileKiB / 1024),
    hwmMiB: round3(mem.hwmKiB / 1024),
    windowMiB: { min: around.min, p50: around.p50, max: around.max, samples: around.runs },
    pageJsHeapMiB: round3(jsHeap / 2 ** 20),
    pageDomNodes: nodes,
  };
}

/** A signed-in tab on the list (few VMs) that stays open for the suspend cycles and the memory reading. */
async function openListTab(rig: Rig) {
  const ctx = await newContext(rig, { scrollToEndAt: 0 });
  const page = await ctx.newPage();
  const stats = watchStats(page);
  await page.goto('/');
  await whenMark(page, 'firstRow');
  return { ctx, page, stats };
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<number> {
  const conn = await openPatiently(uri, 120_000);
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let exitCode = 0;
  let build: string | undefined;
  try {
    if (opts.cleanup) {
      log(`removed ${await cleanup(conn, BENCH)} ${PREFIX}* domains`);
      return 0;
    }
    const machine = await machineInfo(conn);
    const type = devKvm()?.usable ? 'kvm' : 'qemu';
    log(`${machine.os}, ${machine.cpus} cores, libvirt ${machine.libvirtDaemon}, ${machine.hypervisor}, node ${machine.node}; domains are type '${type}'`);
    const leftovers = await cleanup(conn, BENCH);
    if (leftovers > 0) log(`removed ${leftovers} leftover ${PREFIX}* domains`);

    log(`starting ${EVENT_VM} (running, diskless, 32 MiB)`);
    await startEventVm(conn, type);
    checkInterrupted();

    build = await webBuild();
    log(`starting the server: ${launchCommand()} (HTTPS)`);
    const started = await ServerProcess.start({
      uri,
      tmpPrefix: 'vireo-bench-web-',
      // Every sign-in run goes through the form from one address; the default allows 10 a minute.
      extraEnv: { VIREO_LOGIN_ATTEMPTS_PER_MINUTE: '1000' },
    });
    server = started.server;
    server.startSampling();
    log(`  listening at ${started.base} after ${started.startMs.toFixed(0)} ms, pid ${server.pid}`);
    const idle = await server.memory();

    log(`starting Chromium: ${CHROMIUM} ${CHROMIUM_ARGS.join(' ')}`);
    browser = await launchChromium();
    const rig: Rig = { browser, base: started.base, password: server.adminPassword };
    const chromiumVersion = browser.version();

    // ---- few VMs
    const admin = await newContext(rig, { scrollToEndAt: 0 });
    const fewList = await waitForServerList(admin, 1);
    await checkWebBuild(build);
    log(`phase "few" (${fewList.length} VMs)`);
    log(`  cold loads: ${COLD_RUNS}`);
    const bytes = await measureColdBytes(rig);
    log(`  reload until a VM row shows: ${WARMUP} + ${RUNS}`);
    const reload = await measureReload(rig);
    log(`  sign-in click until a VM row shows: ${WARMUP} + ${RUNS}`);
    const signIn = await measureSignIn(rig);
    log(`  suspend/resume of ${EVENT_VM}: 2 + ${CYCLES} cycles`);
    const tab = await openListTab(rig);
    const suspend = await measureSuspend(tab.page);
    log('  server memory with the list open: waiting for 2 stats ticks');
    const memoryFew = await measureMemory(server, tab.page, tab.stats, performance.now());
    await tab.ctx.close();

    // ---- SMALL + 1 VMs
    log(`defining ${benchName(BENCH, 0)}..${benchName(BENCH, SMALL - 1)}`);
    await defineRange(conn, 0, SMALL, type);
    const smallList = await waitForServerList(admin, SMALL + 1);
    await checkWebBuild(build);
    log(`phase "${smallList.length} VMs": reload until the last row shows: ${WARMUP} + ${RUNS}`);
    const listSmall = await measureList(rig, SMALL + 1);

    // ---- COUNT_BIG + 1 VMs
    log(`defining ${benchName(BENCH, SMALL)}..${benchName(BENCH, COUNT_BIG - 1)}`);
    await defineRange(conn, SMALL, COUNT_BIG, type);
    const bigList = await waitForServerList(admin, COUNT_BIG + 1);
    await checkWebBuild(build);
    log(`phase "${bigList.length} VMs": reload until the last row shows: ${WARMUP} + ${RUNS}`);
    const listBig = await measureList(rig, COUNT_BIG + 1);
    log(`  filter: ${PASSES} + 1 passes of typing and erasing "0123"`);
    const filter = await measureFilter(rig);
    log('  server memory with the list open: waiting for 2 stats ticks');
    const bigTab = await openListTab(rig);
    const memoryBig = await measureMemory(server, bigTab.page, bigTab.stats, performance.now());
    await bigTab.ctx.close();
    await admin.close();

    await checkWebBuild(build);
    // ---- report
    const kb = (b: number): string => `${(b / 1000).toFixed(1)} KB`;
    const compressed = bytes.encodings.some((e) => e !== 'identity');
    const row = (label: string, s: Summary): TableRow => ({ label, runs: s.runs, values: [s.p50, s.p95, s.min, s.max] });
    process.stdout.write(`\nVireo web UI in Chromium ${chromiumVersion}, server ${launchCommand()} (HTTPS) on ${uri}\n\n`);
    printTable({ first: 'what', columns: ['p50', 'p95', 'min', 'max'], cell: 8, rule: 44 }, [
      `few VMs (${fewList.length})`,
      row('  reload -> first VM row in the DOM', reload.dom),
      row('  reload -> first VM row painted', reload.paint),
      row('  sign-in click -> first VM row in the DOM', signIn.dom),
      row('  sign-in click -> first VM row painted', signIn.paint),
      row('  cold load -> first VM row painted', bytes.coldFirstRowMs),
      row('  virsh suspend exit -> badge paused (DOM)', suspend.suspend.dom),
      row('  virsh suspend exit -> badge paused (painted)', suspend.suspend.paint),
      row('  virsh resume exit -> badge running (painted)', suspend.resume.paint),
      row('  reference: virsh domstate (process)', suspend.virshDomstate),
      row('  virsh suspend itself (process)', suspend.suspend.virshCommand),
      `${smallList.length} VMs`,
      row('  reload -> first row painted', listSmall.firstRowPaint),
      row('  reload -> last row in the DOM', listSmall.lastRowDom),
      row('  reload -> last row painted', listSmall.lastRowPaint),
      `${bigList.length} VMs`,
      row('  reload -> first row painted', listBig.firstRowPaint),
      row('  reload -> last row in the DOM', listBig.lastRowDom),
      row('  reload -> last row painted', listBig.lastRowPaint),
      row('  filter key -> row count in the DOM', filter.dom),
      row('  filter key -> row count painted', filter.paint),
    ]);
    const yes = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    const goals = {
      coldJsCss: (compressed ? bytes.wireBodyBytes.p50 : bytes.gzipBytes) <= GOALS.coldJsCssKB * 1000,
      coldJsCssOnTheWire: bytes.wireBodyBytes.p50 <= GOALS.coldJsCssKB * 1000,
      reload: reload.paint.p50 <= GOALS.reloadMedianMs,
      signIn: signIn.paint.p50 <= GOALS.signInMs,
      list51: listSmall.lastRowPaint.p50 <= GOALS.list51Ms,
      list1002: listBig.lastRowPaint.p50 <= GOALS.list1002Ms,
      filterKey: filter.paint.p50 <= GOALS.filterKeyMs,
      suspendP95: suspend.suspend.paint.p95 <= GOALS.suspendP95Ms,
      serverRss: memoryFew.rssMiB <= GOALS.serverRssMiB,
    };
    process.stdout.write(
      `\nJS + CSS, cold: ${kb(bytes.wireBodyBytes.p50)} of bodies on the wire (${bytes.encodings.join(', ')}), ` +
        `${bytes.files.length} files, ${kb(bytes.decodedBytes)} decoded; gzip -6 would send ${kb(bytes.gzipBytes)}, ` +
        `gzip -9 ${kb(bytes.gzip9Bytes)}, brotli -11 ${kb(bytes.brotliBytes)} ` +
        `(budget ${GOALS.coldJsCssKB} KB gzip: ${compressed ? yes(goals.coldJsCss) : `the server does not compress; as sent ${yes(goals.coldJsCssOnTheWire)}, gzipped it would be ${yes(goals.coldJsCss)}`}; Cockpit ${COCKPIT.coldJsCss})\n` +
        `reload -> VM row painted, median ${reload.paint.p50.toFixed(1)} ms (goal <= ${GOALS.reloadMedianMs}: ${yes(goals.reload)}; Cockpit ${COCKPIT.reloadMedian})\n` +
        `sign-in click -> VM row painted, median ${signIn.paint.p50.toFixed(1)} ms (goal <= ${GOALS.signInMs}: ${yes(goals.signIn)}; Cockpit ${COCKPIT.signIn})\n` +
        `${smallList.length} VMs, reload -> last row painted, median ${listSmall.lastRowPaint.p50.toFixed(1)} ms (goal <= ${GOALS.list51Ms}: ${yes(goals.list51)}; Cockpit ${COCKPIT.list51})\n` +
        `${bigList.length} VMs, reload -> last row painted, median ${listBig.lastRowPaint.p50.toFixed(1)} ms (goal <= ${GOALS.list1002Ms}: ${yes(goals.list1002)}; Cockpit ${COCKPIT.list1002})\n` +
        `filter over ${filter.rows} rows, key -> painted, median ${filter.paint.p50.toFixed(1)} ms, p95 ${filter.paint.p95.toFixed(1)} ms ` +
        `(goal one frame, ${GOALS.filterKeyMs} ms: ${yes(goals.filterKey)}; Cockpit ${COCKPIT.filterKey}); ${filter.wrongCounts} wrong counts\n` +
        `virsh suspend exit -> badge painted, p95 ${suspend.suspend.paint.p95.toFixed(2)} ms (goal <= ${GOALS.suspendP95Ms}: ${yes(goals.suspendP95)}; ` +
        `virsh domstate takes ${suspend.virshDomstate.p50.toFixed(1)} ms; Cockpit ${COCKPIT.suspend}); clock offset ±${suspend.clock.before.uncertaintyMs.toFixed(2)} ms, drift ${suspend.clock.driftMs} ms\n` +
        `server RSS with the list open: ${memoryFew.rssMiB.toFixed(1)} MiB with ${fewList.length} VMs (goal <= ${GOALS.serverRssMiB}: ${yes(goals.serverRss)}; ` +
        `Cockpit ${COCKPIT.memory}), ${memoryBig.rssMiB.toFixed(1)} MiB with ${bigList.length}; idle after start ${(idle.rssKiB / 1024).toFixed(1)} MiB; ` +
        `the page's JS heap ${memoryFew.pageJsHeapMiB.toFixed(1)} / ${memoryBig.pageJsHeapMiB.toFixed(1)} MiB (client side, not counted)\n`,
    );

    const report = {
      benchmark: 'web',
      date: new Date().toISOString(),
      uri,
      machine: { ...machine, chromium: chromiumVersion, domainType: type },
      webBuild: { indexHtmlSha256: build, assets: bytes.files.map((f) => f.url) },
      config: { count: COUNT_BIG, small: SMALL, runs: RUNS, warmup: WARMUP, coldRuns: COLD_RUNS, cycles: CYCLES, passes: PASSES, concurrency: CONCURRENCY, viewport: VIEWPORT },
      server: {
        command: launchCommand(),
        env: 'fresh VIREO_DATA_DIR, VIREO_HOST=127.0.0.1, VIREO_PORT=0, VIREO_ADMIN_PASSWORD, VIREO_LOGIN_ATTEMPTS_PER_MINUTE=1000',
        startMs: Math.round(started.startMs),
        idleRssMiB: round3(idle.rssKiB / 1024),
      },
      browser: { executable: CHROMIUM, args: CHROMIUM_ARGS, viewport: VIEWPORT, locale: 'en-US' },
      method: {
        clock: "the page's performance.now() (from the navigation's start); dom = MutationObserver callback after the commit, paint = a task posted from the next requestAnimationFrame",
        bytes: 'fresh context (empty cache), signed in through the API, GET / until a VM row shows and the network is idle (500 ms); script + stylesheet responses: Playwright request.sizes().responseBodySize (encoded body), and zlib gzip/brotli of the decoded bodies',
        reload: 'page.reload(); navigation start -> first [data-testid^=vm-row-]',
        signIn: 'fresh context per run, /login, fill Username and Password, click Sign in; the trusted click event.timeStamp -> first VM row',
        list: 'page.reload(); once the table holds the rows, the probe scrolls its scroller to the end; navigation start -> the row with aria-rowindex = aria-rowcount',
        filter: `the Search box, keys ${FILTER_KEYS.join(' ')} per pass (first pass unmeasured); keydown event.timeStamp -> the table's aria-rowcount changed`,
        suspend: `virsh -c ${uri} suspend|resume ${EVENT_VM}; node's epoch at the virsh process's exit -> the page's epoch (performance.timeOrigin + now) when the row's data-state changed, page clock calibrated against node's by the smallest of 30 round trips`,
        memory: 'VmRSS of the server process, one tab on the list, after 2 stats ticks reached that tab; JS heap of the page from CDP Performance.getMetrics',
      },
      cockpit: { source: 'DESIGN.md, measured earlier (Cockpit 287 + cockpit-machines 288), not by this run', ...COCKPIT },
      few: { vms: fewList.length, bytes, reload, signIn, suspend, memory: memoryFew },
      small: { vms: smallList.length, list: listSmall },
      big: { vms: bigList.length, list: listBig, filter, memory: memoryBig },
      goals: { ...GOALS, met: goals },
    };
    await mkdir(dirname(OUT), { recursive: true });
    await writeFile(OUT, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${OUT}`);
    if (filter.wrongCounts > 0) exitCode = 1;
  } catch (err) {
    if (!(err instanceof Interrupted) && !interrupted) {
      if (server && build !== undefined) await checkWebBuild(build);
      if (server) log(`server log (last lines):\n${await server.logTail()}`);
      throw err;
    }
    exitCode = 130;
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) {
      log('stopping the server');
      await server.stop();
    }
    await finishBenchDomains(conn, uri, BENCH, opts);
  }
  return exitCode;
}

runMain('web bench', main);
