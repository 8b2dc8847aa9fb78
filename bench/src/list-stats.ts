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
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { LibvirtConnection, remoteProcedures, typedParamsToRecord, xdr } from '@vireo/libvirt';
import {
  benchName,
  cleanup,
  devKvm,
  domainXml,
  finishBenchDomains,
  listBenchDomains,
  openPatiently,
  pool,
  undefineAll,
  type BenchDomains,
} from './common/domains.js';
import { checkInterrupted, handleSignals, interrupted, Interrupted, runMain } from './common/interrupt.js';
import { log } from './common/log.js';
import { machineInfo, versionString } from './common/machine.js';
import { intOption, parseBenchArgs } from './common/options.js';
import { PythonWorker, type Counts, type PyRun } from './common/python-worker.js';
import { summarize as summarizeSamples, type Summary as StatsSummary } from './common/stats.js';
import { printTable } from './common/table.js';
import { timeProcess, type ProcessRun } from './common/timed-process.js';

const PREFIX = 'vireo-bench-';
const GOAL_RATIO = 1.5;
const DEFAULT_OUT = fileURLToPath(new URL('../results/list-stats.json', import.meta.url));
const VIREO_VIRSH = fileURLToPath(new URL('cli/vireo-virsh.js', import.meta.resolve('@vireo/libvirt')));

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

const {
  opts,
  count: COUNT,
  concurrency: CONCURRENCY,
  out: OUT,
} = parseBenchArgs(USAGE, { rounds: { type: 'string' } }, DEFAULT_OUT);
const uri = opts.uri;
const ROUNDS = intOption(opts.rounds, 'rounds', 15, 1);
const WARMUP = intOption(opts.warmup, 'warmup', 3, 0);

// ---------------------------------------------------------------------------------------------- Ctrl-C

handleSignals(`stopping${opts.keep ? '' : ` and undefining the ${PREFIX}* domains`}`);

// ---------------------------------------------------------------------------------------------- helpers

const BENCH: BenchDomains = { prefix: PREFIX, concurrency: CONCURRENCY, removed: 'undefined' };

type Summary = StatsSummary<'median' | 'p90'>;

const summarize = (samples: readonly number[]): Summary =>
  summarizeSamples(samples, (d) => ({ median: d.median, p90: d.rank(0.9) /* nearest rank */ }));

// ---------------------------------------------------------------------------------------------- domains

async function defineDomains(conn: LibvirtConnection, count: number): Promise<{ defined: number; existing: number; ms: number }> {
  const t0 = performance.now();
  const names = new Set(Array.from({ length: count }, (_, i) => benchName(BENCH, i)));
  const present = await listBenchDomains(conn, BENCH);
  // Leftovers of a run with a larger --count would skew the counts: the population is exactly `count` domains.
  const extra = present.filter((d) => !names.has(d.name));
  if (extra.length > 0) {
    log(`  undefining ${extra.length} ${PREFIX}* domains outside ${benchName(BENCH, 0)}..${benchName(BENCH, count - 1)}`);
    await undefineAll(conn, BENCH, extra);
  }
  const existing = new Set(present.map((d) => d.name));
  const wanted = [...names].filter((name) => !existing.has(name));
  let defined = 0;
  let raced = 0;
  let lastReport = t0;
  let warned = false;
  await pool(wanted, CONCURRENCY, async (name) => {
    try {
      await conn.domainDefineXMLFlags({ xml: domainXml(name, 'qemu'), flags: 0 });
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
        const hint = kvmWarning();
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
function kvmWarning(): string | undefined {
  const kvm = devKvm();
  if (!kvm || kvm.usable) return undefined;
  return (
    `/dev/kvm is mode ${(kvm.mode & 0o777).toString(8)} ${kvm.uid}:${kvm.gid}, not usable by group kvm: libvirtd may ` +
    're-probe QEMU on every define (seconds each). Debian\'s udev rule makes it root:kvm 0660.'
  );
}

// ---------------------------------------------------------------------------------------------- contenders

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
    await timeProcess('virsh', virshArgs, PREFIX);
    await timeProcess(process.execPath, vireoArgs, PREFIX);

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
            virsh.push(await timeProcess('virsh', virshArgs, PREFIX));
            break;
          case 'vireoVirsh':
            vireo.push(await timeProcess(process.execPath, vireoArgs, PREFIX));
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

function printResults(results: Record<Contender, Summary>): void {
  printTable(
    { first: 'contender', columns: ['median', 'p90', 'min'], cell: 9, rule: 42 },
    CONTENDERS.map((c) => ({ label: LABELS[c], runs: results[c].runs, values: [results[c].median, results[c].p90, results[c].min] })),
  );
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<number> {
  const conn = await openPatiently(uri, 120_000);
  let exitCode = 0;
  try {
    if (opts.cleanup) {
      const removed = await cleanup(conn, BENCH);
      log(`undefined ${removed} ${PREFIX}* domains`);
      return 0;
    }
    const machine = await machineInfo(conn);
    log(`${machine.os}, ${machine.cpus} cores, libvirt ${machine.libvirtDaemon}, ${machine.hypervisor}, node ${machine.node}`);
    log(`defining ${COUNT} domains ${benchName(BENCH, 0)}..${benchName(BENCH, COUNT - 1)} (${CONCURRENCY} calls in flight)`);
    const setup = await defineDomains(conn, COUNT);
    log(`  ${setup.defined} defined, ${setup.existing} already there, ${(setup.ms / 1000).toFixed(1)} s`);

    const m = await measure(conn, COUNT);
    const ratio = m.results.ours.median / m.results.cLibrary.median;
    const pass = ratio <= GOAL_RATIO;

    process.stdout.write(
      `\nlist all domains + all their stats, ${m.correctness.ours.domains} domains (${COUNT} ${PREFIX}*), ` +
        `${ROUNDS} interleaved rounds after warm-up\n\n`,
    );
    printResults(m.results);
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
    await finishBenchDomains(conn, uri, BENCH, opts);
  }
  return exitCode;
}

runMain('list-stats', main);
