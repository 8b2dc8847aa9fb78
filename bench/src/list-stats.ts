/**
 * Benchmark: list every domain and fetch all their stats, the two calls behind Vireo's domain list page.
 *
 * Defines COUNT (default 1000) tiny inactive domains `vireo-bench-0000`... on the daemon, then measures in one run,
 * interleaving the contenders round by round (the order rotates every round) after a warm-up of each:
 *
 *   ours         @vireo/libvirt in this process, one open connection:
 *                connectListAllDomains + connectGetAllDomainStats (stats 0 = all groups, flags 0)
 *   C library    libvirt's client library via /usr/bin/python3 + python3-libvirt, one long-lived process timing
 *                conn.listAllDomains(0) + conn.getAllDomainStats(0, 0) with time.perf_counter() (bench/python)
 *   virsh        `virsh -c URI list --all`, wall time of the whole process
 *   vireo-virsh  `node packages/libvirt/dist/cli/vireo-virsh.js -c URI list --all`, wall time of the whole process
 *
 * It checks that ours and the C library see the same number of domains, stats records and typed parameters, prints a
 * table and the ratio ours / C library (goal <= 1.5x), writes bench/results/list-stats.json, and undefines every
 * `vireo-bench-*` domain at the end (also after Ctrl-C) unless --keep is given.
 *
 *   node bench/dist/list-stats.js [--uri qemu:///system] [--count 1000] [--rounds 15] [--warmup 3]
 *                                 [--concurrency 4] [--keep] [--cleanup] [--out FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DomainUndefineFlags,
  ErrorCode,
  LibvirtConnection,
  LibvirtError,
  remoteProcedures,
  typedParamsToRecord,
  xdr,
} from '@vireo/libvirt';
import { buildDomainXml, mib } from '@vireo/libvirt-xml';

const PREFIX = 'vireo-bench-';
const GOAL_RATIO = 1.5;
const PYTHON = '/usr/bin/python3';
const PYTHON_SCRIPT = fileURLToPath(new URL('../python/list_stats.py', import.meta.url));
const DEFAULT_OUT = fileURLToPath(new URL('../results/list-stats.json', import.meta.url));
const VIREO_VIRSH = fileURLToPath(new URL('cli/vireo-virsh.js', import.meta.resolve('@vireo/libvirt')));

type Dom = { name: string; uuid: Buffer; id: number };

// ---------------------------------------------------------------------------------------------- options

const USAGE = `usage: node bench/dist/list-stats.js [options]

  --uri URI          libvirt URI (default qemu:///system)
  --count N          domains to define (default 1000)
  --rounds N         measured rounds; every contender runs once per round (default 15)
  --warmup N         warm-up runs of the in-process contenders (default 3; the CLIs get 1)
  --concurrency N    define/undefine calls in flight (default 4: libvirtd's max_client_requests is 5, and a
                     client at that limit is not read, not even its keepalive answers)
  --keep             leave the vireo-bench-* domains defined
  --cleanup          only undefine leftover vireo-bench-* domains and exit
  --out FILE         results file (default bench/results/list-stats.json)`;

function intOption(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number >= ${min}, got ${value}`);
  return n;
}

const { values: opts } = parseArgs({
  options: {
    uri: { type: 'string', default: 'qemu:///system' },
    count: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    keep: { type: 'boolean', default: false },
    cleanup: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const uri = opts.uri;
const COUNT = intOption(opts.count, 'count', 1000, 1);
const ROUNDS = intOption(opts.rounds, 'rounds', 15, 1);
const WARMUP = intOption(opts.warmup, 'warmup', 3, 0);
const CONCURRENCY = intOption(opts.concurrency, 'concurrency', 4, 1);
const OUT = opts.out ?? DEFAULT_OUT;
if (COUNT > 10000) throw new Error('--count is at most 10000 (names have four digits)');

// ---------------------------------------------------------------------------------------------- Ctrl-C

class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

let interrupted = false;
const children = new Set<ChildProcess>();

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    process.stderr.write(`\n${signal} again: exiting without cleanup; remove leftovers with --cleanup\n`);
    process.exit(130);
  }
  interrupted = true;
  process.stderr.write(`\n${signal}: stopping${opts.keep ? '' : ` and undefining the ${PREFIX}* domains`} (again to quit at once)\n`);
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);

function checkInterrupted(): void {
  if (interrupted) throw new Interrupted();
}

// ---------------------------------------------------------------------------------------------- helpers

const log = (text: string): void => void process.stderr.write(`${text}\n`);

function benchName(i: number): string {
  return `${PREFIX}${String(i).padStart(4, '0')}`;
}

function domainXml(name: string): string {
  // Diskless, no graphics or extra devices; never started.
  return buildDomainXml({
    name,
    type: 'qemu',
    machine: 'pc',
    memory: mib(32),
    vcpus: 1,
    graphics: { type: 'none' },
    serialConsole: false,
    guestAgent: false,
    memballoon: false,
    rng: false,
  });
}

/** Runs fn over items with at most `limit` calls in flight; stops starting new ones once interrupted. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !interrupted) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function versionString(v: bigint | number): string {
  const n = Number(v);
  return `${Math.floor(n / 1000000)}.${Math.floor(n / 1000) % 1000}.${n % 1000}`;
}

interface Summary {
  runs: number;
  median: number;
  p90: number;
  min: number;
  max: number;
  mean: number;
  samples: number[];
}

function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (i: number): number => sorted[Math.min(n - 1, Math.max(0, i))]!;
  const median = n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    runs: n,
    median: round(median),
    p90: round(at(Math.ceil(0.9 * n) - 1)), // nearest rank
    min: round(at(0)),
    max: round(at(n - 1)),
    mean: round(sorted.reduce((s, x) => s + x, 0) / n),
    samples: samples.map(round),
  };
}

// ---------------------------------------------------------------------------------------------- domains

async function listBenchDomains(conn: LibvirtConnection): Promise<Dom[]> {
  const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
  return domains.filter((d) => d.name.startsWith(PREFIX));
}

async function defineDomains(conn: LibvirtConnection, count: number): Promise<{ defined: number; existing: number; ms: number }> {
  const t0 = performance.now();
  const names = new Set(Array.from({ length: count }, (_, i) => benchName(i)));
  const present = await listBenchDomains(conn);
  // Leftovers of a run with a larger --count would skew the counts: the population is exactly `count` domains.
  const extra = present.filter((d) => !names.has(d.name));
  if (extra.length > 0) {
    log(`  undefining ${extra.length} ${PREFIX}* domains outside ${benchName(0)}..${benchName(count - 1)}`);
    await undefineAll(conn, extra);
  }
  const existing = new Set(present.map((d) => d.name));
  const wanted = [...names].filter((name) => !existing.has(name));
  let defined = 0;
  let raced = 0;
  let lastReport = t0;
  let warned = false;
  await pool(wanted, CONCURRENCY, async (name) => {
    try {
      await conn.domainDefineXMLFlags({ xml: domainXml(name), flags: 0 });
      defined++;
    } catch (err) {
      // Someone (a previous run being cleaned up, a parallel run) defined it meanwhile: it exists, which is all we need.
      const exists = await conn.domainLookupByName({ name }).then(
        () => true,
        () => false,
      );
      if (!exists) throw err;
      raced++;
    }
    const now = performance.now();
    const done = defined + raced;
    if (now - lastReport > 2000 || done === wanted.length) {
      lastReport = now;
      const eta = ((now - t0) / done) * (wanted.length - done);
      if (!warned && (now - t0) / done > 500) {
        warned = true;
        const hint = await kvmWarning();
        if (hint) log(`  warning: defines are slow; ${hint}`);
      }
      process.stderr.write(`  defined ${done}/${wanted.length} in ${((now - t0) / 1000).toFixed(0)} s` + (done < wanted.length ? `, about ${(eta / 1000).toFixed(0)} s to go\n` : '\n'));
    }
  });
  checkInterrupted();
  return { defined, existing: count - wanted.length + raced, ms: performance.now() - t0 };
}

/**
 * libvirt 9 re-probes QEMU (seconds each time) on every define when /dev/kvm is usable by the QEMU it spawns for
 * probing but not accessible to the qemu user's uid/gid check (e.g. mode 0600 without udev). Say so up front.
 */
async function kvmWarning(): Promise<string | undefined> {
  try {
    const st = await stat('/dev/kvm');
    const kvmGid = Number(/^kvm:[^:]*:(\d+):/m.exec(await readFile('/etc/group', 'utf8'))?.[1] ?? -1);
    const usable = (st.mode & 0o006) === 0o006 || (st.gid === kvmGid && (st.mode & 0o060) === 0o060);
    if (usable) return undefined;
    return (
      `/dev/kvm is mode ${(st.mode & 0o777).toString(8)} ${st.uid}:${st.gid}, not usable by group kvm: libvirtd may ` +
      're-probe QEMU on every define (seconds each). Debian\'s udev rule makes it root:kvm 0660.'
    );
  } catch {
    return undefined;
  }
}

/** Opens a connection, waiting up to `waitMs` for a daemon that is being restarted. */
async function openPatiently(waitMs: number): Promise<LibvirtConnection> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await LibvirtConnection.open(uri);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      log(`  ${(err as Error).message}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

/** Undefines the given domains (stopping any that someone started), `CONCURRENCY` calls in flight. Not interruptible:
 * cleanup is what Ctrl-C asks for. Returns how many went. */
async function undefineAll(conn: LibvirtConnection, doms: readonly Dom[]): Promise<number> {
  const flags =
    DomainUndefineFlags.MANAGED_SAVE |
    DomainUndefineFlags.SNAPSHOTS_METADATA |
    DomainUndefineFlags.CHECKPOINTS_METADATA |
    DomainUndefineFlags.NVRAM;
  const gone = (err: unknown): boolean => err instanceof LibvirtError && err.code === ErrorCode.NO_DOMAIN;
  let removed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < doms.length) {
      const dom = doms[next++]!;
      try {
        if (dom.id > 0) await conn.domainDestroy({ dom }); // someone started it
        await conn.domainUndefineFlags({ dom, flags });
        removed++;
        if (removed % 250 === 0) log(`  undefined ${removed}/${doms.length}`);
      } catch (err) {
        if (!gone(err)) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, doms.length) }, worker));
  return removed;
}

/** Undefines every vireo-bench-* domain and checks that none is left. */
async function cleanup(conn: LibvirtConnection): Promise<number> {
  const removed = await undefineAll(conn, await listBenchDomains(conn));
  const left = await listBenchDomains(conn);
  if (left.length > 0) throw new Error(`${left.length} ${PREFIX}* domains are still defined after cleanup`);
  return removed;
}

// ---------------------------------------------------------------------------------------------- contenders

interface Counts {
  domains: number;
  records: number;
  params: number;
}

interface OurRun extends Counts {
  ms: number;
  /** typedParamsToRecord over every record afterwards: the step that gives what python's dicts give. */
  toRecordMs: number;
  benchDomains: number;
}

async function runOurs(conn: LibvirtConnection): Promise<OurRun> {
  const t0 = performance.now();
  const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
  const { retStats } = await conn.connectGetAllDomainStats({ doms: [], stats: 0, flags: 0 });
  const ms = performance.now() - t0;
  const t1 = performance.now();
  let params = 0;
  for (const rec of retStats) params += Object.keys(typedParamsToRecord(rec.params)).length;
  const toRecordMs = performance.now() - t1;
  const benchDomains = domains.reduce((n, d) => (d.name.startsWith(PREFIX) ? n + 1 : n), 0);
  return { ms, toRecordMs, domains: domains.length, records: retStats.length, params, benchDomains };
}

interface PyRun extends Counts {
  ms: number;
}

interface PyInfo {
  library: number;
  daemon: number;
  python: string;
  warmup: number[];
}

/** The python3-libvirt process, driven line by line so that its runs interleave with ours. */
class PythonWorker {
  private readonly lines: string[] = [];
  private waiter: { resolve: (line: string) => void; reject: (err: Error) => void } | undefined;
  private exited: Error | undefined;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    children.add(child);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (this.waiter) {
        const { resolve } = this.waiter;
        this.waiter = undefined;
        resolve(line);
      } else {
        this.lines.push(line);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('close', (code, signal) => {
      children.delete(child);
      this.exited = new Error(`python3-libvirt worker exited (${signal ?? `code ${code}`}): ${this.stderr.trim() || 'no output'}`);
      // Unblock a reader only after stdout has been read to its end ('close' comes after the stdio streams ended).
      setImmediate(() => {
        if (this.waiter) {
          const { reject } = this.waiter;
          this.waiter = undefined;
          reject(this.exited!);
        }
      });
    });
  }

  static async start(uri: string, warmup: number): Promise<{ worker: PythonWorker; info: PyInfo }> {
    const child = spawn(PYTHON, [PYTHON_SCRIPT, '--uri', uri, '--warmup', String(warmup), '--serve'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const worker = new PythonWorker(child);
    const ready = JSON.parse(await worker.nextLine()) as PyInfo & { ready: boolean };
    return { worker, info: ready };
  }

  private nextLine(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  async run(): Promise<PyRun> {
    this.child.stdin!.write('run\n');
    return JSON.parse(await this.nextLine()) as PyRun;
  }

  async quit(): Promise<void> {
    this.child.stdin!.end('quit\n');
    await this.nextLine().catch(() => undefined);
  }

  kill(): void {
    this.child.kill('SIGTERM');
  }
}

interface ProcessRun {
  ms: number;
  code: number | null;
  /** Output lines that name a bench domain: both CLIs must print all of them. */
  benchLines: number;
}

function timeProcess(command: string, args: readonly string[]): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', (e) => {
      children.delete(child);
      reject(e);
    });
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      children.delete(child);
      if (interrupted) return reject(new Interrupted());
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${err.trim()}`));
      const benchLines = out.split('\n').reduce((n, line) => (line.includes(PREFIX) ? n + 1 : n), 0);
      resolve({ ms, code, benchLines });
    });
  });
}

// ---------------------------------------------------------------------------------------------- measurement

type Contender = 'ours' | 'cLibrary' | 'virsh' | 'vireoVirsh';
const CONTENDERS: readonly Contender[] = ['ours', 'cLibrary', 'virsh', 'vireoVirsh'];
const LABELS: Record<Contender, string> = {
  ours: 'ours (@vireo/libvirt, in-process)',
  cLibrary: 'C library (python3-libvirt, in-process)',
  virsh: 'virsh list --all (process)',
  vireoVirsh: 'vireo-virsh list --all (process)',
};

async function measure(conn: LibvirtConnection, count: number) {
  const virshArgs = ['-c', uri, 'list', '--all'];
  const vireoArgs = [VIREO_VIRSH, '-c', uri, 'list', '--all'];

  log(`warm-up: ours x${WARMUP}, python3-libvirt x${WARMUP} (in its own process), virsh x1, vireo-virsh x1`);
  const { worker, info: pyInfo } = await PythonWorker.start(uri, WARMUP);
  try {
    checkInterrupted();
    const oursWarmup: number[] = [];
    for (let i = 0; i < WARMUP; i++) oursWarmup.push((await runOurs(conn)).ms);
    checkInterrupted();
    await timeProcess('virsh', virshArgs);
    await timeProcess(process.execPath, vireoArgs);

    const ours: OurRun[] = [];
    const py: PyRun[] = [];
    const virsh: ProcessRun[] = [];
    const vireo: ProcessRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate who goes first, so no contender always follows the same one.
      const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length]!);
      for (const who of order) {
        checkInterrupted();
        switch (who) {
          case 'ours':
            ours.push(await runOurs(conn));
            break;
          case 'cLibrary':
            py.push(await worker.run());
            break;
          case 'virsh':
            virsh.push(await timeProcess('virsh', virshArgs));
            break;
          case 'vireoVirsh':
            vireo.push(await timeProcess(process.execPath, vireoArgs));
            break;
        }
      }
      const o = ours.at(-1)!;
      const p = py.at(-1)!;
      process.stderr.write(
        `  round ${String(round + 1).padStart(2)}/${ROUNDS}: ours ${o.ms.toFixed(1)} ms, C library ${p.ms.toFixed(1)} ms, ` +
          `virsh ${virsh.at(-1)!.ms.toFixed(0)} ms, vireo-virsh ${vireo.at(-1)!.ms.toFixed(0)} ms\n`,
      );
    }
    await worker.quit();

    // Correctness: the two libraries must see the same world in the same round.
    const mismatches = ours.flatMap((o, i) => {
      const p = py[i]!;
      return o.domains === p.domains && o.records === p.records && o.params === p.params
        ? []
        : [{ round: i + 1, ours: { domains: o.domains, records: o.records, params: o.params }, cLibrary: { domains: p.domains, records: p.records, params: p.params } }];
    });
    const last = ours.at(-1)!;
    const lastPy = py.at(-1)!;
    const correctness = {
      ok:
        mismatches.length === 0 &&
        ours.every((o) => o.benchDomains === count) &&
        virsh.every((r) => r.benchLines === count) &&
        vireo.every((r) => r.benchLines === count),
      ours: { domains: last.domains, records: last.records, params: last.params, benchDomains: last.benchDomains },
      cLibrary: { domains: lastPy.domains, records: lastPy.records, params: lastPy.params },
      virshBenchRows: virsh.at(-1)!.benchLines,
      vireoVirshBenchRows: vireo.at(-1)!.benchLines,
      mismatches,
    };

    // Where our time goes: the reply's size, and decoding it alone (no socket, no daemon).
    const { retStats } = await conn.connectGetAllDomainStats({ doms: [], stats: 0, flags: 0 });
    const retCodec = remoteProcedures.connectGetAllDomainStats.ret;
    const payload = xdr.encode(retCodec, { retStats });
    const decodeSamples: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const t0 = performance.now();
      xdr.decode(retCodec, payload);
      if (i >= WARMUP) decodeSamples.push(performance.now() - t0);
    }

    return {
      pyInfo,
      oursWarmup,
      ours,
      results: {
        ours: summarize(ours.map((r) => r.ms)),
        cLibrary: summarize(py.map((r) => r.ms)),
        virsh: summarize(virsh.map((r) => r.ms)),
        vireoVirsh: summarize(vireo.map((r) => r.ms)),
      } satisfies Record<Contender, Summary>,
      oursToRecord: summarize(ours.map((r) => r.toRecordMs)),
      statsReply: { bytes: payload.length, decodeOnly: summarize(decodeSamples) },
      correctness,
    };
  } finally {
    worker.kill();
  }
}

// ---------------------------------------------------------------------------------------------- report

async function machineInfo(conn: LibvirtConnection) {
  const [{ lib_ver }, { hv_ver }, { type }] = await Promise.all([
    conn.connectGetLibVersion(undefined),
    conn.connectGetVersion(undefined),
    conn.connectGetType(undefined),
  ]);
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const distro = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? `${os.type()} ${os.release()}`;
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: distro,
    kernel: os.release(),
    node: process.version,
    libvirtDaemon: versionString(lib_ver),
    hypervisor: `${type} ${versionString(hv_ver)}`,
  };
}

function printTable(results: Record<Contender, Summary>): void {
  const width = Math.max(...CONTENDERS.map((c) => LABELS[c].length));
  const num = (x: number): string => x.toFixed(2).padStart(9);
  const lines = [
    `${'contender'.padEnd(width)}  runs    median       p90       min  (ms)`,
    '-'.repeat(width + 42),
    ...CONTENDERS.map((c) => {
      const s = results[c];
      return `${LABELS[c].padEnd(width)}  ${String(s.runs).padStart(4)} ${num(s.median)} ${num(s.p90)} ${num(s.min)}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<number> {
  let conn = await openPatiently(120_000);
  let exitCode = 0;
  try {
    if (opts.cleanup) {
      const removed = await cleanup(conn);
      log(`undefined ${removed} ${PREFIX}* domains`);
      return 0;
    }
    const machine = await machineInfo(conn);
    log(`${machine.os}, ${machine.cpus} cores, libvirt ${machine.libvirtDaemon}, ${machine.hypervisor}, node ${machine.node}`);
    log(`defining ${COUNT} domains ${benchName(0)}..${benchName(COUNT - 1)} (${CONCURRENCY} calls in flight)`);
    const setup = await defineDomains(conn, COUNT);
    log(`  ${setup.defined} defined, ${setup.existing} already there, ${(setup.ms / 1000).toFixed(1)} s`);

    const m = await measure(conn, COUNT);
    const ratio = m.results.ours.median / m.results.cLibrary.median;
    const pass = ratio <= GOAL_RATIO;

    process.stdout.write(
      `\nlist all domains + all their stats, ${m.correctness.ours.domains} domains (${COUNT} ${PREFIX}*), ` +
        `${ROUNDS} interleaved rounds after warm-up\n\n`,
    );
    printTable(m.results);
    process.stdout.write(
      `\nratio ours / C library (median): ${ratio.toFixed(2)}x  (goal <= ${GOAL_RATIO}x: ${pass ? 'met' : 'NOT met'})\n` +
        `stats reply: ${(m.statsReply.bytes / 1024).toFixed(0)} KiB, ${m.correctness.ours.params} typed params; ` +
        `XDR decode alone ${m.statsReply.decodeOnly.median.toFixed(2)} ms; ` +
        `typedParamsToRecord over all records ${m.oursToRecord.median.toFixed(2)} ms (not in the timing)\n` +
        `correctness: ours ${m.correctness.ours.domains} domains / ${m.correctness.ours.records} records / ` +
        `${m.correctness.ours.params} params, C library ${m.correctness.cLibrary.domains} / ${m.correctness.cLibrary.records} / ` +
        `${m.correctness.cLibrary.params}; virsh rows ${m.correctness.virshBenchRows}, vireo-virsh rows ` +
        `${m.correctness.vireoVirshBenchRows} of ${COUNT}: ${m.correctness.ok ? 'OK' : 'MISMATCH'}\n`,
    );
    if (m.correctness.mismatches.length > 0) {
      process.stdout.write(`mismatching rounds: ${JSON.stringify(m.correctness.mismatches)}\n`);
    }

    const report = {
      benchmark: 'list-stats',
      date: new Date().toISOString(),
      uri,
      machine: {
        ...machine,
        python: m.pyInfo.python,
        pythonLibvirt: versionString(m.pyInfo.library),
      },
      config: { count: COUNT, rounds: ROUNDS, warmup: WARMUP, concurrency: CONCURRENCY, order: 'rotating per round' },
      setup: { defined: setup.defined, existing: setup.existing, seconds: Math.round(setup.ms) / 1000 },
      contenders: {
        ours: 'connectListAllDomains({need_results:1,flags:0}) + connectGetAllDomainStats({doms:[],stats:0,flags:0}), one open connection',
        cLibrary: 'python3-libvirt conn.listAllDomains(0) + conn.getAllDomainStats(0, 0), timed with time.perf_counter()',
        virsh: `virsh ${['-c', uri, 'list', '--all'].join(' ')} (process wall time)`,
        vireoVirsh: `node packages/libvirt/dist/cli/vireo-virsh.js -c ${uri} list --all (process wall time)`,
      },
      results: m.results,
      ratio: Math.round(ratio * 1000) / 1000,
      goal: GOAL_RATIO,
      goalMet: pass,
      warmup: { ours: m.oursWarmup.map((x) => Math.round(x * 1000) / 1000), cLibrary: m.pyInfo.warmup },
      detail: {
        statsReplyBytes: m.statsReply.bytes,
        statsReplyDecodeOnly: m.statsReply.decodeOnly,
        oursTypedParamsToRecord: m.oursToRecord,
      },
      correctness: m.correctness,
    };
    await mkdir(dirname(OUT), { recursive: true });
    await writeFile(OUT, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${OUT}`);
    if (!m.correctness.ok) exitCode = 1;
  } catch (err) {
    if (!(err instanceof Interrupted) && !interrupted) throw err;
    exitCode = 130;
  } finally {
    if (!opts.keep && !opts.cleanup) {
      if (conn.closed) conn = await openPatiently(300_000);
      log(`cleaning up ${PREFIX}* domains`);
      const removed = await cleanup(conn);
      log(`  undefined ${removed}`);
    } else if (opts.keep) {
      log(`--keep: leaving the ${PREFIX}* domains defined (remove them with --cleanup)`);
    }
    await conn.close();
  }
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`list-stats: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = interrupted ? 130 : 1;
  },
);
