/**
 * Benchmark: the built Vireo server (apps/server/dist/main.js) as a user's browser or script sees it.
 *
 * Starts the server as a child process (HTTPS with its generated certificate, a temporary VIREO_DATA_DIR, port 0),
 * signs in as the first-run admin, opens an events WebSocket, and measures in two phases: with the domains the daemon
 * already holds plus one running bench VM ("few"), then with COUNT (default 1000) more defined, never started domains
 * `vireo-bench-srv-0000`... ("many"):
 *
 *   list     GET /api/v1/hosts/local/domains, REQUESTS (default 200) sequential requests on one keep-alive TLS
 *            connection after a warm-up; against it, for a ratio, libvirt's C library (python3-libvirt
 *            listAllDomains + getAllDomainStats, bench/python) and `virsh list --all` (process wall time)
 *   events   CYCLES (default 30) `virsh suspend` / `virsh resume` of the running bench VM: from the virsh process's
 *            exit to the matching `domain.updated` delta on the WebSocket; the same event as received by
 *            `virsh event --loop --event lifecycle` (a process reading the daemon's events) and by @vireo/libvirt in
 *            this process (no server in between) is timed against the same exit
 *   RSS      the server's VmRSS (/proc/<pid>/status) once the list has been served and two stats ticks have passed
 *
 * It prints a table, writes bench/results/server.json, stops the server and undefines every `vireo-bench-srv-*`
 * domain at the end (also after Ctrl-C) unless --keep is given.
 *
 *   node bench/dist/server.js [--uri qemu:///system] [--count 1000] [--requests 200] [--warmup 20] [--cycles 30]
 *                             [--ref-runs 20] [--concurrency 4] [--http] [--log-level LEVEL] [--node-arg ARG]...
 *                             [--keep] [--cleanup] [--out FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DomainEventType, LibvirtConnection, uuidToString, type DomainEvent, type Subscription } from '@vireo/libvirt';
import WebSocket from 'ws';
import { benchName, cleanup, devKvm, domainXml, finishBenchDomains, openPatiently, pool, type BenchDomains } from './common/domains.js';
import {
  abort,
  checkInterrupted,
  children,
  errorText,
  handleSignals,
  interrupted,
  Interrupted,
  pause,
  runMain,
} from './common/interrupt.js';
import { log } from './common/log.js';
import { machineInfo, versionString } from './common/machine.js';
import { intOption, parseBenchArgs } from './common/options.js';
import { PythonWorker, type PyRun } from './common/python-worker.js';
import { launchCommand, ServerProcess } from './common/server-process.js';
import { round3, summarize as summarizeSamples, type Summary as StatsSummary } from './common/stats.js';
import { printTable, type TableRow } from './common/table.js';
import { runTimed, timeProcess } from './common/timed-process.js';

const PREFIX = 'vireo-bench-srv-';
const EVENT_VM = `${PREFIX}event`;
const DEFAULT_OUT = fileURLToPath(new URL('../results/server.json', import.meta.url));
const LIST_PATH = '/api/v1/hosts/local/domains';

// The issue's RSS goals are in MB (10^6 bytes): 90 MB is 85.8 MiB, 150 MB is 143.1 MiB.
const GOALS = { listP50Ms: 50, eventP95Ms: 20, rssFewMB: 90, rssManyMB: 150 } as const;
const mbToMiB = (mb: number): number => (mb * 1e6) / 2 ** 20;

// ---------------------------------------------------------------------------------------------- options

const USAGE = `usage: node bench/dist/server.js [options]

  --uri URI          libvirt URI, for the server and the bench (default qemu:///system)
  --count N          domains defined for the second phase (default 1000)
  --requests N       measured GET requests per phase (default 200)
  --warmup N         GET requests before measuring, per phase (default 20)
  --cycles N         suspend/resume cycles per phase (default 30, after 2 unmeasured ones)
  --ref-runs N       runs of each reference (C library, virsh list --all) per phase (default 20)
  --concurrency N    define/undefine calls in flight (default 4; libvirtd's max_client_requests is 5)
  --http             serve plain HTTP on 127.0.0.1 (VIREO_INSECURE_HTTP=1) instead of the default HTTPS
  --log-level LEVEL  the server's VIREO_LOG_LEVEL (default: the server's default, info)
  --node-arg ARG     a node option for the server process besides its launcher's, e.g. --node-arg=--lite-mode (repeatable)
  --keep             leave the vireo-bench-srv-* domains defined
  --cleanup          only remove leftover vireo-bench-srv-* domains and exit
  --out FILE         results file (default bench/results/server.json)`;

const {
  opts,
  count: COUNT,
  concurrency: CONCURRENCY,
  out: OUT,
} = parseBenchArgs(
  USAGE,
  {
    requests: { type: 'string' },
    cycles: { type: 'string' },
    'ref-runs': { type: 'string' },
    http: { type: 'boolean', default: false },
    'log-level': { type: 'string' },
    'node-arg': { type: 'string', multiple: true },
  },
  DEFAULT_OUT,
);
const uri = opts.uri;
const REQUESTS = intOption(opts.requests, 'requests', 200, 1);
const WARMUP = intOption(opts.warmup, 'warmup', 20, 0);
const CYCLES = intOption(opts.cycles, 'cycles', 30, 1);
const REF_RUNS = intOption(opts['ref-runs'], 'ref-runs', 20, 1);
const INSECURE_HTTP = opts.http;
const LOG_LEVEL = opts['log-level'];
// Further node options for the server, besides its launcher's (apps/server/bin/vireo, as `pnpm start` runs it).
const NODE_ARGS = opts['node-arg'] ?? [];

// ---------------------------------------------------------------------------------------------- Ctrl-C

// Child processes are killed on Ctrl-C; the server is stopped by main's cleanup instead.
handleSignals(`stopping the server${opts.keep ? '' : ` and removing the ${PREFIX}* domains`}`);

// ---------------------------------------------------------------------------------------------- helpers

const BENCH: BenchDomains = { prefix: PREFIX, concurrency: CONCURRENCY, removed: 'removed' };

/**
 * KVM when QEMU (user libvirt-qemu, group kvm) can open /dev/kvm, TCG otherwise; decided from the device's owner and
 * mode, because a failed KVM start costs seconds.
 */
function domainType(): 'kvm' | 'qemu' {
  return devKvm()?.usable ? 'kvm' : 'qemu';
}

type Summary = StatsSummary<'p50' | 'p95' | 'p99'>;

/** p50 is the median; p95 and p99 are nearest-rank. */
const summarize = (samples: readonly number[]): Summary =>
  summarizeSamples(samples, (d) => ({ p50: d.median, p95: d.rank(0.95), p99: d.rank(0.99) }));

/** Timestamped arrivals of one receiver, with a wait for the first that matches from a given index on. */
class Recorder<T> {
  readonly arrivals: { at: number; value: T }[] = [];
  private readonly waiters = new Set<() => void>();

  push(value: T, at = performance.now()): void {
    this.arrivals.push({ at, value });
    for (const w of [...this.waiters]) w();
  }

  get length(): number {
    return this.arrivals.length;
  }

  waitFor(match: (value: T) => boolean, from: number, timeoutMs: number, what: string): Promise<{ at: number; value: T }> {
    return new Promise((resolve, reject) => {
      let scanned = from;
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        abort.signal.removeEventListener('abort', onAbort);
      };
      const check = (): void => {
        for (; scanned < this.arrivals.length; scanned++) {
          const a = this.arrivals[scanned]!;
          if (match(a.value)) {
            done();
            resolve(a);
            return;
          }
        }
      };
      const onAbort = (): void => {
        done();
        reject(new Interrupted());
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      abort.signal.addEventListener('abort', onAbort);
      this.waiters.add(check);
      check();
    });
  }
}

// ---------------------------------------------------------------------------------------------- domains

/** Defines and starts the VM the event cycles suspend and resume. Returns its UUID. */
async function startEventVm(conn: LibvirtConnection, type: 'kvm' | 'qemu'): Promise<string> {
  const { dom } = await conn.domainDefineXMLFlags({ xml: domainXml(EVENT_VM, type), flags: 0 });
  await conn.domainCreate({ dom });
  return uuidToString(dom.uuid);
}

/** Defines `vireo-bench-srv-0000`.. (`count`), `CONCURRENCY` calls in flight. */
async function defineMany(conn: LibvirtConnection, count: number, type: 'kvm' | 'qemu'): Promise<{ defined: number; ms: number }> {
  const t0 = performance.now();
  const names = Array.from({ length: count }, (_, i) => benchName(BENCH, i));
  let defined = 0;
  let lastReport = t0;
  await pool(names, CONCURRENCY, async (name) => {
    await conn.domainDefineXMLFlags({ xml: domainXml(name, type), flags: 0 });
    defined++;
    const now = performance.now();
    if (now - lastReport > 2000 || defined === count) {
      lastReport = now;
      log(`  defined ${defined}/${count} in ${((now - t0) / 1000).toFixed(1)} s`);
    }
  });
  checkInterrupted();
  return { defined, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------- the server

interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** From the call to the response's last byte. */
  ms: number;
}

/** A small HTTP(S) client on one keep-alive connection: requests go one after another, like a single browser tab. */
class ApiClient {
  private readonly agent: http.Agent;
  private cookie = '';
  csrfToken = '';

  constructor(readonly base: string) {
    this.agent = base.startsWith('https:')
      ? new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  get origin(): string {
    return new URL(this.base).origin;
  }

  get cookieHeader(): string {
    return this.cookie;
  }

  request(method: string, path: string, json?: unknown): Promise<HttpResult> {
    const url = new URL(path, this.base);
    const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET') {
      headers.origin = this.origin;
      if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    }
    if (body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body.length;
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = lib.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** POST /api/v1/session (with Origin); keeps the session cookie and the CSRF token. */
  async signIn(username: string, password: string): Promise<void> {
    const res = await this.request('POST', '/api/v1/session', { username, password });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.body.toString('utf8')}`);
    const setCookie = res.headers['set-cookie'] ?? [];
    const session = setCookie.map((c) => c.split(';', 1)[0]!).find((c) => /^(__Host-)?vireo_session=/.test(c));
    if (!session) throw new Error(`sign-in set no session cookie (got ${setCookie.length} cookies)`);
    this.cookie = session;
    this.csrfToken = (JSON.parse(res.body.toString('utf8')) as { csrfToken: string }).csrfToken;
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------- receivers

interface WireDomain {
  uuid: string;
  name: string;
  state: string;
}

/** The fields of the events channel's messages this benchmark reads (the contract is @vireo/api's events.ts). */
interface WireMessage {
  type: string;
  seq: number;
  domain?: WireDomain;
  cause?: string;
  intervalMs?: number;
  hosts?: { id: string; domains: WireDomain[] }[];
  health?: { state: string; lastError: string | null };
}

/** A daemon restarted meanwhile (by another test suite): the figures would include a reconnect. */
class DaemonRestarted extends Error {
  constructor(detail: string) {
    super(`libvirtd went away during the run (${detail}); the figures would include a reconnect, so run again`);
  }
}

/** Throws DaemonRestarted when the server reported its libvirt connection lost since message `from`. */
function checkDaemonStayed(socket: EventsSocket, from: number): void {
  for (const { value: m } of socket.messages.arrivals.slice(from)) {
    if (m.type === 'resync') throw new DaemonRestarted('the server sent a resync');
    if (m.type === 'host.health' && m.health && m.health.state !== 'connected') {
      throw new DaemonRestarted(`the server's host went ${m.health.state}: ${m.health.lastError ?? 'no error given'}`);
    }
  }
}

/** An events WebSocket, authenticated like a browser's (session cookie + Origin). */
class EventsSocket {
  readonly messages = new Recorder<WireMessage>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const at = performance.now();
      this.messages.push(JSON.parse(data.toString('utf8')) as WireMessage, at);
    });
  }

  static open(api: ApiClient): Promise<EventsSocket> {
    const url = `${api.base.replace(/^http/, 'ws')}/api/v1/events`;
    const ws = new WebSocket(url, { headers: { cookie: api.cookieHeader, origin: api.origin }, rejectUnauthorized: false });
    const socket = new EventsSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`events upgrade refused: ${res.statusCode}`)));
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** `virsh event --loop --event lifecycle --domain NAME`: libvirt's own client printing the daemon's events. */
class VirshEventWatcher {
  readonly lines = new Recorder<string>();
  private stderr = '';

  private constructor(readonly child: ChildProcess) {
    children.add(child);
    createInterface({ input: child.stdout! }).on('line', (line) => this.lines.push(line));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.on('close', () => children.delete(child));
  }

  static start(domain: string): VirshEventWatcher {
    return new VirshEventWatcher(
      spawn('virsh', ['-c', uri, 'event', '--loop', '--event', 'lifecycle', '--domain', domain], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }

  get errors(): string {
    return this.stderr.trim();
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** Runs `virsh -c URI ...args`; `exitAt` is when the process exit was seen (not when its pipes closed). */
function runVirsh(args: readonly string[]): Promise<{ startAt: number; exitAt: number }> {
  return runTimed('virsh', ['-c', uri, ...args]);
}

/** Wall time of one `virsh -c URI list --all`, and how many bench domains it printed. */
function timeVirshList(): Promise<{ ms: number; benchLines: number }> {
  return timeProcess('virsh', ['-c', uri, 'list', '--all'], PREFIX, 'virsh list --all');
}

// ---------------------------------------------------------------------------------------------- measurement

interface Rig {
  conn: LibvirtConnection;
  server: ServerProcess;
  api: ApiClient;
  socket: EventsSocket;
  virshEvents: VirshEventWatcher;
  /** Lifecycle events of the event VM as @vireo/libvirt delivers them in this process (no server in between). */
  direct: Recorder<number>;
  eventVmUuid: string;
}

interface ListRun {
  ms: number;
  bytes: number;
  domains: number;
  benchDomains: number;
}

async function getList(api: ApiClient): Promise<ListRun> {
  const res = await api.request('GET', LIST_PATH);
  if (res.status !== 200) throw new Error(`GET ${LIST_PATH}: ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
  const list = JSON.parse(res.body.toString('utf8')) as { domains: WireDomain[] };
  const benchDomains = list.domains.reduce((n, d) => (d.name.startsWith(PREFIX) && d.name !== EVENT_VM ? n + 1 : n), 0);
  return { ms: res.ms, bytes: res.body.length, domains: list.domains.length, benchDomains };
}

async function measureList(rig: Rig, expectBench: number) {
  log(`  list: ${WARMUP} warm-up + ${REQUESTS} measured GET ${LIST_PATH}`);
  for (let i = 0; i < WARMUP; i++) {
    checkInterrupted();
    await getList(rig.api);
  }
  const runs: ListRun[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    checkInterrupted();
    runs.push(await getList(rig.api));
  }
  const endedAt = performance.now();
  const wrongCount = runs.filter((r) => r.benchDomains !== expectBench).length;

  log(`  references: ${REF_RUNS} x python3-libvirt list + all stats, ${REF_RUNS} x virsh list --all (alternating)`);
  const { worker, info } = await PythonWorker.start(uri, 3);
  const py: PyRun[] = [];
  const virsh: { ms: number; benchLines: number }[] = [];
  try {
    await timeVirshList(); // warm-up
    for (let i = 0; i < REF_RUNS; i++) {
      checkInterrupted();
      if (i % 2 === 0) {
        py.push(await worker.run());
        virsh.push(await timeVirshList());
      } else {
        virsh.push(await timeVirshList());
        py.push(await worker.run());
      }
    }
    await worker.quit();
  } finally {
    worker.kill();
  }
  const ours = summarize(runs.map((r) => r.ms));
  const cLibrary = summarize(py.map((r) => r.ms));
  const virshList = summarize(virsh.map((r) => r.ms));
  return {
    endedAt,
    pyInfo: info,
    result: {
      ours,
      cLibrary,
      virsh: virshList,
      ratioOursToCLibrary: round3(ours.p50 / cLibrary.p50),
      ratioOursToVirsh: round3(ours.p50 / virshList.p50),
      responseBytes: runs.at(-1)!.bytes,
      domainsListed: runs.at(-1)!.domains,
      cLibraryDomains: py.at(-1)!.domains,
      benchDomainsListed: runs.at(-1)!.benchDomains,
      virshBenchRows: Math.max(0, virsh.at(-1)!.benchLines - 1), // minus the event VM
      requestsWithWrongCount: wrongCount,
    },
  };
}

type Op = 'suspend' | 'resume';

interface OpSample {
  /** The virsh command's wall time, spawn to exit. */
  virshCommandMs: number;
  /** Arrival minus virsh's exit, per receiver; negative: it arrived before virsh had exited. */
  ours: number;
  virshEvent: number;
  direct: number;
}

async function oneOp(rig: Rig, op: Op): Promise<OpSample> {
  const state = op === 'suspend' ? 'paused' : 'running';
  const lifecycle = op === 'suspend' ? DomainEventType.SUSPENDED : DomainEventType.RESUMED;
  const word = op === 'suspend' ? 'Suspended' : 'Resumed';
  const fromWs = rig.socket.messages.length;
  const fromVirsh = rig.virshEvents.lines.length;
  const fromDirect = rig.direct.length;
  const { startAt, exitAt } = await runVirsh([op, EVENT_VM]);
  const what = `the ${op} event of ${EVENT_VM}`;
  const [ws, ve, de] = await Promise.all([
    rig.socket.messages.waitFor(
      (m) => m.type === 'domain.updated' && m.domain?.uuid === rig.eventVmUuid && m.domain.state === state,
      fromWs,
      10_000,
      `${what} on the WebSocket`,
    ),
    rig.virshEvents.lines.waitFor((line) => line.includes(`'${EVENT_VM}'`) && line.includes(word), fromVirsh, 10_000, `${what} from virsh event`),
    rig.direct.waitFor((type) => type === lifecycle, fromDirect, 10_000, `${what} on @vireo/libvirt`),
  ]);
  return { virshCommandMs: exitAt - startAt, ours: ws.at - exitAt, virshEvent: ve.at - exitAt, direct: de.at - exitAt };
}

async function measureEvents(rig: Rig) {
  log(`  events: 2 warm-up + ${CYCLES} measured virsh suspend/resume cycles of ${EVENT_VM}`);
  const samples: Record<Op, OpSample[]> = { suspend: [], resume: [] };
  for (let i = 0; i < CYCLES + 2; i++) {
    for (const op of ['suspend', 'resume'] as const) {
      checkInterrupted();
      const s = await oneOp(rig, op);
      if (i >= 2) samples[op].push(s);
      // Let the server's re-read of the row (after its delta went out) finish before the next change.
      await pause(100);
    }
  }
  const per = (op: Op) => ({
    ours: summarize(samples[op].map((s) => s.ours)),
    virshEvent: summarize(samples[op].map((s) => s.virshEvent)),
    libvirtClient: summarize(samples[op].map((s) => s.direct)),
    virshCommand: summarize(samples[op].map((s) => s.virshCommandMs)),
    // The server's share, roughly: its delta's arrival minus the same event's arrival at a plain client.
    oursMinusLibvirtClient: summarize(samples[op].map((s) => s.ours - s.direct)),
  });
  return { suspend: per('suspend'), resume: per('resume') };
}

/** RSS once `ticks` stats ticks have arrived after `after` (the end of the list requests). */
async function measureRss(rig: Rig, after: number, ticks: number) {
  const isStats = (m: WireMessage): boolean => m.type === 'stats';
  let from = rig.socket.messages.arrivals.findIndex((a) => a.at > after);
  if (from < 0) from = rig.socket.messages.length;
  let intervalMs = 0;
  for (let i = 0; i < ticks; i++) {
    const tick = await rig.socket.messages.waitFor(isStats, from, 60_000, 'a stats tick');
    intervalMs = tick.value.intervalMs ?? 0;
    from = rig.socket.messages.arrivals.indexOf(tick) + 1;
  }
  const mem = await rig.server.memory();
  // The background samples from the end of the list requests to now: how far RSS swings around this reading.
  const window = summarize(rig.server.rssSamples.filter((s) => s.at >= after).map((s) => s.rssKiB / 1024));
  const { samples: _samples, ...windowMiB } = window;
  log(
    `  RSS ${(mem.rssKiB / 1024).toFixed(1)} MiB after ${ticks} stats ticks (interval ${intervalMs} ms); ` +
      `${window.min.toFixed(1)}..${window.max.toFixed(1)} MiB over the ${window.runs} samples since the list requests`,
  );
  return {
    ...mem,
    rssMiB: round3(mem.rssKiB / 1024),
    hwmMiB: round3(mem.hwmKiB / 1024),
    anonMiB: round3(mem.anonKiB / 1024),
    ticksWaited: ticks,
    statsIntervalMs: intervalMs,
    windowMiB,
  };
}

async function measurePhase(rig: Rig, label: string, expectBench: number) {
  log(`phase "${label}"`);
  const from = rig.socket.messages.length;
  const list = await measureList(rig, expectBench);
  checkDaemonStayed(rig.socket, from);
  const events = await measureEvents(rig);
  checkDaemonStayed(rig.socket, from);
  const rss = await measureRss(rig, list.endedAt, 2);
  checkDaemonStayed(rig.socket, from);
  return { pyInfo: list.pyInfo, list: list.result, events, rss };
}

/** Waits until the server's list holds `count` bench domains: how long the event-kept list takes to catch up. */
async function waitForServerList(api: ApiClient, count: number, since: number): Promise<number> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    checkInterrupted();
    const run = await getList(api).catch(() => undefined);
    if (run?.benchDomains === count) return performance.now() - since;
    if (Date.now() > deadline) throw new Error(`the server's list did not reach ${count} bench domains within 300 s (last: ${run?.benchDomains})`);
    await pause(100);
  }
}

// ---------------------------------------------------------------------------------------------- report

type Phase = Awaited<ReturnType<typeof measurePhase>>;
function printPhases(phases: readonly { label: string; domains: number; p: Phase }[]): void {
  const rows: TableRow[] = [];
  for (const { label, domains, p } of phases) {
    const row = (what: string, s: Summary): TableRow => ({ label: what, runs: s.runs, values: [s.p50, s.p95, s.p99, s.min] });
    rows.push(`${label} (${domains} domains)`);
    rows.push(row('  GET /hosts/local/domains', p.list.ours));
    rows.push(row('  C library list + all stats', p.list.cLibrary));
    rows.push(row('  virsh list --all (process)', p.list.virsh));
    for (const op of ['suspend', 'resume'] as const) {
      rows.push(row(`  ${op} -> WebSocket delta`, p.events[op].ours));
      rows.push(row(`  ${op} -> virsh event`, p.events[op].virshEvent));
      rows.push(row(`  ${op} -> @vireo/libvirt event`, p.events[op].libvirtClient));
      rows.push(row(`  ${op}: WebSocket - @vireo/libvirt`, p.events[op].oursMinusLibvirtClient));
      rows.push(row(`  virsh ${op} (process)`, p.events[op].virshCommand));
    }
  }
  printTable({ first: 'what', columns: ['p50', 'p95', 'p99', 'min'], cell: 8, rule: 44 }, rows);
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<number> {
  const conn = await openPatiently(uri, 120_000);
  let server: ServerProcess | undefined;
  let api: ApiClient | undefined;
  let socket: EventsSocket | undefined;
  let virshEvents: VirshEventWatcher | undefined;
  let subscription: Subscription | undefined;
  let exitCode = 0;
  try {
    if (opts.cleanup) {
      log(`removed ${await cleanup(conn, BENCH)} ${PREFIX}* domains`);
      return 0;
    }
    const machine = await machineInfo(conn);
    const type = domainType();
    log(`${machine.os}, ${machine.cpus} cores, libvirt ${machine.libvirtDaemon}, ${machine.hypervisor}, node ${machine.node}; domains are type '${type}'`);
    const leftovers = await cleanup(conn, BENCH);
    if (leftovers > 0) log(`removed ${leftovers} leftover ${PREFIX}* domains`);

    log(`starting ${EVENT_VM} (running, diskless, 32 MiB)`);
    const eventVmUuid = await startEventVm(conn, type);
    checkInterrupted();

    log(`starting the server: ${launchCommand(NODE_ARGS)} (${INSECURE_HTTP ? 'plain HTTP' : 'HTTPS'})`);
    const started = await ServerProcess.start({
      uri,
      nodeArgs: NODE_ARGS,
      insecureHttp: INSECURE_HTTP,
      logLevel: LOG_LEVEL,
      tmpPrefix: 'vireo-bench-server-',
    });
    server = started.server;
    server.startSampling();
    log(`  listening at ${started.base} after ${started.startMs.toFixed(0)} ms, pid ${server.pid}`);
    api = new ApiClient(started.base);
    await api.signIn('admin', server.adminPassword);
    // Ready when libvirt is connected and the event-kept list holds the running VM.
    const readyDeadline = Date.now() + 60_000;
    for (;;) {
      checkInterrupted();
      const res = await api.request('GET', LIST_PATH);
      if (res.status === 200 && res.body.includes(eventVmUuid)) break;
      if (Date.now() > readyDeadline) throw new Error(`the server's list did not show ${EVENT_VM} within 60 s (${res.status})`);
      await pause(100);
    }
    const idle = await server.memory();

    const direct = new Recorder<number>();
    subscription = await conn.subscribeDomainEvents(
      (event: DomainEvent) => {
        if (event.name === 'lifecycle' && event.body.msg.dom.name === EVENT_VM) direct.push(event.body.msg.event);
      },
      { events: ['lifecycle'] },
    );
    socket = await EventsSocket.open(api);
    await socket.messages.waitFor((m) => m.type === 'snapshot', 0, 10_000, 'the events snapshot');
    virshEvents = VirshEventWatcher.start(EVENT_VM);
    const rig: Rig = { conn, server, api, socket, virshEvents, direct, eventVmUuid };

    const before = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
    const few = await measurePhase(rig, 'few', 0);
    const fewDomains = few.list.domainsListed;

    log(`defining ${COUNT} domains ${benchName(BENCH, 0)}..${benchName(BENCH, COUNT - 1)} (${CONCURRENCY} calls in flight)`);
    const t0 = performance.now();
    const setup = await defineMany(conn, COUNT, type);
    const catchUpMs = await waitForServerList(api, COUNT, t0);
    log(`  ${setup.defined} defined in ${(setup.ms / 1000).toFixed(1)} s; the server listed all of them ${((catchUpMs - setup.ms) / 1000).toFixed(2)} s after the last define`);
    const many = await measurePhase(rig, 'many', COUNT);
    const manyDomains = many.list.domainsListed;

    if (virshEvents.errors) log(`virsh event said: ${virshEvents.errors}`);

    const phases = [
      { label: 'few', domains: fewDomains, p: few },
      { label: 'many', domains: manyDomains, p: many },
    ];
    process.stdout.write(
      `\nVireo server (${INSECURE_HTTP ? 'HTTP' : 'HTTPS'}, ${launchCommand(NODE_ARGS)}) on ${uri}; ` +
        `event latencies are measured from the exit of the virsh suspend/resume process (negative: before it)\n\n`,
    );
    printPhases(phases);
    const goals = {
      listP50Many: many.list.ours.p50 < GOALS.listP50Ms,
      eventP95Suspend: few.events.suspend.ours.p95 < GOALS.eventP95Ms && many.events.suspend.ours.p95 < GOALS.eventP95Ms,
      rssFew: few.rss.rssMiB < mbToMiB(GOALS.rssFewMB),
      rssMany: many.rss.rssMiB < mbToMiB(GOALS.rssManyMB),
    };
    const yes = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    process.stdout.write(
      `\nlist p50 with ${manyDomains} domains: ${many.list.ours.p50.toFixed(2)} ms (goal < ${GOALS.listP50Ms} ms: ${yes(goals.listP50Many)}); ` +
        `${(many.list.responseBytes / 1024).toFixed(0)} KiB per response; ratio to the C library's list + stats ` +
        `${many.list.ratioOursToCLibrary.toFixed(2)}x, to virsh list --all ${many.list.ratioOursToVirsh.toFixed(2)}x\n` +
        `suspend -> WebSocket p95: ${few.events.suspend.ours.p95.toFixed(2)} ms (few), ${many.events.suspend.ours.p95.toFixed(2)} ms (many); ` +
        `virsh event p95: ${few.events.suspend.virshEvent.p95.toFixed(2)} / ${many.events.suspend.virshEvent.p95.toFixed(2)} ms ` +
        `(goal < ${GOALS.eventP95Ms} ms: ${yes(goals.eventP95Suspend)})\n` +
        `server RSS: ${(idle.rssKiB / 1024).toFixed(1)} MiB idle after start, ${few.rss.rssMiB.toFixed(1)} MiB with ${fewDomains} domains ` +
        `(goal < ${GOALS.rssFewMB} MB = ${mbToMiB(GOALS.rssFewMB).toFixed(1)} MiB: ${yes(goals.rssFew)}), ${many.rss.rssMiB.toFixed(1)} MiB with ${manyDomains} ` +
        `(goal < ${GOALS.rssManyMB} MB = ${mbToMiB(GOALS.rssManyMB).toFixed(1)} MiB: ${yes(goals.rssMany)}); peak ${many.rss.hwmMiB.toFixed(1)} MiB; anonymous part ` +
        `${few.rss.anonMiB.toFixed(1)} / ${many.rss.anonMiB.toFixed(1)} MiB, the rest file-backed (the node binary); ` +
        `range since the list requests ${few.rss.windowMiB.min.toFixed(1)}..${few.rss.windowMiB.max.toFixed(1)} / ` +
        `${many.rss.windowMiB.min.toFixed(1)}..${many.rss.windowMiB.max.toFixed(1)} MiB\n` +
        `correctness: ${few.list.requestsWithWrongCount + many.list.requestsWithWrongCount} list responses with a wrong count; ` +
        `virsh listed ${many.list.virshBenchRows} of ${COUNT} bench domains\n`,
    );

    const report = {
      benchmark: 'server',
      date: new Date().toISOString(),
      uri,
      machine: { ...machine, python: few.pyInfo.python, pythonLibvirt: versionString(few.pyInfo.library), domainType: type },
      config: {
        count: COUNT,
        requests: REQUESTS,
        warmup: WARMUP,
        cycles: CYCLES,
        refRuns: REF_RUNS,
        concurrency: CONCURRENCY,
        scheme: INSECURE_HTTP ? 'http' : 'https',
        serverLogLevel: LOG_LEVEL ?? 'info (default)',
        serverNodeArgs: NODE_ARGS,
        gapBetweenOpsMs: 100,
      },
      server: {
        command: launchCommand(NODE_ARGS),
        startMs: Math.round(started.startMs),
        idleRss: idle,
        domainsBefore: before.domains.length,
      },
      method: {
        list: `GET ${LIST_PATH}, sequential on one keep-alive connection, call to last byte of the body`,
        cLibrary: 'python3-libvirt conn.listAllDomains(0) + conn.getAllDomainStats(0, 0), timed with time.perf_counter() (bench/python/list_stats.py)',
        virshList: `virsh -c ${uri} list --all (process wall time)`,
        events: `virsh -c ${uri} suspend|resume ${EVENT_VM}; latency = arrival - exit of that virsh process`,
        receivers: {
          ours: 'the matching domain.updated delta on GET /api/v1/events (WebSocket, session cookie + Origin)',
          virshEvent: `virsh -c ${uri} event --loop --event lifecycle --domain ${EVENT_VM}, its stdout line`,
          libvirtClient: '@vireo/libvirt subscribeDomainEvents in the benchmark process (no server in between)',
        },
        rss: 'VmRSS of the server process from /proc/<pid>/status after the list requests and 2 further stats ticks',
      },
      setup: {
        defined: setup.defined,
        seconds: round3(setup.ms / 1000),
        // When the server's event-kept list first held all of them, after the last define returned.
        serverListedAllAfterLastDefineSeconds: round3((catchUpMs - setup.ms) / 1000),
      },
      phases: {
        few: { domains: fewDomains, list: few.list, events: few.events, rss: few.rss },
        many: { domains: manyDomains, list: many.list, events: many.events, rss: many.rss },
      },
      goals: { ...GOALS, met: goals },
    };
    await mkdir(dirname(OUT), { recursive: true });
    await writeFile(OUT, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${OUT}`);
    if (few.list.requestsWithWrongCount + many.list.requestsWithWrongCount > 0) exitCode = 1;
  } catch (err) {
    if (!(err instanceof Interrupted) && !interrupted) {
      if (conn.closed && !(err instanceof DaemonRestarted)) {
        throw new DaemonRestarted(`our connection closed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (server && !(err instanceof DaemonRestarted)) log(`server log (last lines):\n${await server.logTail()}`);
      throw err;
    }
    exitCode = 130;
  } finally {
    virshEvents?.stop();
    await socket?.close().catch(() => undefined);
    api?.close();
    await subscription?.unsubscribe().catch(() => undefined);
    if (server) {
      log('stopping the server');
      await server.stop();
    }
    await finishBenchDomains(conn, uri, BENCH, opts);
  }
  return exitCode;
}

runMain('server bench', main, (err) => (err instanceof DaemonRestarted ? err.message : errorText(err)));
