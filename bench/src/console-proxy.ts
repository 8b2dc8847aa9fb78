/**
 * Benchmark: Vireo's console proxy (WebSocket <-> TCP) against websockify (Debian's `websockify`), both forwarding to
 * the same local TCP source, with a direct TCP connection to that source as the reference, all in one run:
 *
 *   throughput  the source sends BULK_MIB (default 256) MiB as fast as the path takes it; the client times the whole
 *               transfer. RUNS (default 5) interleaved runs per path; median MiB/s and its ratio to direct TCP
 *   round trip  ECHOES (default 10000, in 5 rounds rotating the paths' order, each after 200 unmeasured) sequential
 *               SIZE-byte (default 32) messages echoed by the source; p50 and p99 in microseconds and the p50's ratio
 *               to direct TCP
 *
 * The source is a process of its own, so the measuring client has its event loop to itself. Vireo is the production
 * server, started by its launcher (apps/server/bin/vireo) with plain HTTP on loopback (so neither proxy pays for TLS),
 * serving a host of libvirt's test driver whose one running domain, `vireo-bench-console`, has its VNC display on the
 * source's port: a console ticket for it opens a proxy to the source. websockify runs as
 * `websockify 127.0.0.1:PORT 127.0.0.1:SOURCE`. The same `ws` client drives both WebSockets.
 *
 *   node bench/dist/console-proxy.js [--uri qemu:///system] [--bulk-mib 256] [--runs 5] [--echoes 10000] [--size 32]
 *                                    [--node-arg ARG]... [--out FILE]
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { openPatiently } from './common/domains.js';
import { children, handleSignals, pause, runMain } from './common/interrupt.js';
import { log } from './common/log.js';
import { machineInfo } from './common/machine.js';
import { intOption, parseBenchArgs } from './common/options.js';
import { ServerProcess } from './common/server-process.js';
import { distribution, round3 } from './common/stats.js';

const USAGE = `usage: node bench/dist/console-proxy.js [options]

  --uri URI          the libvirtd to reach (default qemu:///system): its test driver serves the bench's host
  --bulk-mib N       MiB per throughput run (default 256)
  --runs N           throughput runs per path (default 5)
  --echoes N         measured echo round trips per path (default 10000, in 5 rounds, each after 200 unmeasured)
  --size N           bytes per echoed message (default 32)
  --node-arg ARG     a node option for the Vireo server process besides the launcher's (apps/server/bin/vireo; repeatable)
  --vireo-only       measure direct TCP and Vireo only (for trying server options; no websockify)
  --out FILE         results file (default bench/results/console-proxy.json)`;

const VM_NAME = 'vireo-bench-console';
const VM_UUID = '6d1a7a2e-0c5b-4c1e-9a57-5e1f0c0b1e55';
const WARMUP_ECHOES = 200;
/** The echoes of each path are measured in this many rounds (a fresh connection each, after WARMUP_ECHOES). */
const ECHO_ROUNDS = 5;
const GOALS = { throughputRatio: 0.8, rttRatio: 1.5 } as const;

/** What a path hands the client: bytes out, bytes in. */
interface Channel {
  send(b: Buffer): void;
  onData(fn: (b: Buffer) => void): void;
  close(): void;
}

type PathName = 'direct TCP' | 'websockify' | 'Vireo';

interface PathResult {
  throughputMiBs: { median: number; min: number; max: number; samples: number[] };
  throughputRatio: number;
  rttMicros: { p50: number; p99: number; max: number };
  rttRatio: number;
}

// ------------------------------------------------------------------ the TCP source

/** Starts console-proxy/source.js (see there) and resolves with its port. */
async function startSource(bulkBytes: number): Promise<number> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./console-proxy/source.js', import.meta.url)), String(bulkBytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the TCP source exited (${code})`)));
  });
}

// ------------------------------------------------------------------ paths

function tcpChannel(port: number): Promise<Channel> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.setNoDelay(true);
      resolve({ send: (b) => socket.write(b), onData: (fn) => socket.on('data', fn), close: () => socket.destroy() });
    });
    socket.once('error', reject);
  });
}

function wsChannel(url: string, headers: Record<string, string>, protocols: string[] = []): Promise<Channel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers, perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => {
      // Like a browser's WebSocket: no Nagle delay on small frames.
      (ws as unknown as { _socket: net.Socket })._socket.setNoDelay(true);
      resolve({ send: (b) => ws.send(b, { binary: true }), onData: (fn) => ws.on('message', (d: Buffer) => fn(d)), close: () => ws.close() });
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`${url}: upgrade refused with ${res.statusCode}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startWebsockify(sourcePort: number): Promise<number> {
  const port = await freePort();
  const child = spawn('websockify', [`127.0.0.1:${port}`, `127.0.0.1:${sourcePort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) return port;
    if (child.exitCode !== null) throw new Error(`websockify exited: ${stderr.trim()}`);
    if (Date.now() > deadline) throw new Error(`websockify did not listen within 15 s: ${stderr.trim()}`);
    await pause(50);
  }
}

/** Signs in to the Vireo child and returns a function giving a fresh console channel (a ticket per connection). */
async function vireoChannels(base: string, password: string, uuid: string): Promise<() => Promise<Channel>> {
  const origin = base;
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (login.status !== 200) throw new Error(`sign-in to Vireo failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';', 1)[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async () => {
    const res = await fetch(`${base}/api/v1/hosts/local/domains/${uuid}/consoles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ type: 'vnc' }),
    });
    if (res.status !== 201) throw new Error(`console ticket refused: ${res.status} ${await res.text()}`);
    const { path } = (await res.json()) as { path: string };
    return wsChannel(`${base.replace(/^http/, 'ws')}${path}`, { cookie, origin });
  };
}

// ------------------------------------------------------------------ measurements

/** MiB/s of one bulk transfer of `bytes`. */
async function bulkRun(open: () => Promise<Channel>, bytes: number): Promise<number> {
  const ch = await open();
  try {
    return await new Promise<number>((resolve, reject) => {
      let got = 0;
      const t0 = performance.now();
      const timer = setTimeout(() => reject(new Error(`bulk transfer stalled at ${got} of ${bytes} bytes`)), 120_000);
      ch.onData((b) => {
        got += b.length;
        if (got >= bytes) {
          clearTimeout(timer);
          resolve(bytes / 2 ** 20 / ((performance.now() - t0) / 1000));
        }
      });
      ch.send(Buffer.from('B'));
    });
  } finally {
    ch.close();
  }
}

/** Round trips in microseconds of `count` messages of `size` bytes, after WARMUP_ECHOES unmeasured ones. */
async function echoRun(open: () => Promise<Channel>, count: number, size: number): Promise<number[]> {
  const ch = await open();
  try {
    let pending: { need: number; resolve: () => void } | null = null;
    let buffered = 0;
    ch.onData((b) => {
      buffered += b.length;
      if (pending && buffered >= pending.need) {
        buffered -= pending.need;
        const p = pending;
        pending = null;
        p.resolve();
      }
    });
    ch.send(Buffer.from('E'));
    const message = Buffer.alloc(size, 0x61);
    const times: number[] = [];
    for (let i = 0; i < WARMUP_ECHOES + count; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('an echo did not come back within 10 s')), 10_000);
        pending = {
          need: size,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        ch.send(message);
      });
      if (i >= WARMUP_ECHOES) times.push((performance.now() - t0) * 1000);
    }
    return times;
  } finally {
    ch.close();
  }
}

/**
 * The host Vireo serves in this benchmark: libvirt's test driver (through the running libvirtd) loaded from a file
 * holding one running domain whose VNC display is the TCP source's port. The test driver runs no QEMU, so nothing
 * else listens there, and Vireo reaches the source exactly as it would a VM's display: the production server, from
 * its launcher, with nothing rewired.
 */
async function writeBenchHost(dir: string, sourcePort: number): Promise<string> {
  const file = join(dir, 'console-bench-host.xml');
  await writeFile(
    file,
    `<node>
  <domain type='test'>
    <name>${VM_NAME}</name>
    <uuid>${VM_UUID}</uuid>
    <memory unit='MiB'>32</memory>
    <os><type>hvm</type></os>
    <devices><graphics type='vnc' port='${sourcePort}' autoport='no' listen='127.0.0.1'/></devices>
  </domain>
</node>
`,
  );
  return `test+unix://${file}`;
}

async function main(): Promise<number> {
  const { opts, out } = parseBenchArgs(
    USAGE,
    {
      'bulk-mib': { type: 'string' },
      runs: { type: 'string' },
      echoes: { type: 'string' },
      size: { type: 'string' },
      'node-arg': { type: 'string', multiple: true },
      'vireo-only': { type: 'boolean', default: false },
    } as const,
    fileURLToPath(new URL('../results/console-proxy.json', import.meta.url)),
  );
  const bulkBytes = intOption(opts['bulk-mib'], 'bulk-mib', 256, 1) * 2 ** 20;
  const runs = intOption(opts.runs, 'runs', 5, 1);
  const echoes = intOption(opts.echoes, 'echoes', 10000, 10);
  const size = intOption(opts.size, 'size', 32, 1);
  const nodeArgs = opts['node-arg'] ?? [];
  handleSignals('stopping');

  const conn = await openPatiently(opts.uri, 10_000);
  const machine = await machineInfo(conn);
  await conn.close();
  const sourcePort = await startSource(bulkBytes);
  const hostDir = await mkdtemp(join(os.tmpdir(), 'vireo-bench-console-host-'));
  let server: ServerProcess | undefined;
  try {
    const hostUri = await writeBenchHost(hostDir, sourcePort);
    const wsPort = opts['vireo-only'] ? 0 : await startWebsockify(sourcePort);
    const started = await ServerProcess.start({
      uri: hostUri,
      nodeArgs,
      insecureHttp: true,
      tmpPrefix: 'vireo-bench-console-',
    });
    server = started.server;
    const vireo = await vireoChannels(started.base, server.adminPassword, VM_UUID);
    const paths: Record<PathName, () => Promise<Channel>> = {
      'direct TCP': () => tcpChannel(sourcePort),
      // websockify picks the binary subprotocol when offered (noVNC offers it); Vireo's proxy needs none.
      websockify: () => wsChannel(`ws://127.0.0.1:${wsPort}/`, {}, ['binary']),
      Vireo: vireo,
    };
    const names = (Object.keys(paths) as PathName[]).filter((n) => !(opts['vireo-only'] && n === 'websockify'));
    log(`${machine.os}, ${machine.cpus} cores, node ${machine.node}; Vireo started by apps/server/bin/vireo${nodeArgs.length ? ` ${nodeArgs.join(' ')}` : ''}`);

    log(`throughput: ${runs} interleaved runs of ${bulkBytes / 2 ** 20} MiB per path`);
    const mibs: Record<PathName, number[]> = { 'direct TCP': [], websockify: [], Vireo: [] };
    for (const name of names) await bulkRun(paths[name], Math.min(bulkBytes, 16 * 2 ** 20)).catch(() => undefined); // warm-up
    for (let r = 0; r < runs; r++) for (const name of names) mibs[name].push(await bulkRun(paths[name], bulkBytes));

    log(`round trip: ${echoes} echoes of ${size} bytes per path in ${ECHO_ROUNDS} rounds, each after ${WARMUP_ECHOES} unmeasured`);
    const rtts: Record<PathName, number[]> = { 'direct TCP': [], websockify: [], Vireo: [] };
    // In rounds, the paths' order rotating, so a drift of the machine's state weighs on every path alike.
    for (let r = 0; r < ECHO_ROUNDS; r++) {
      const order = names.map((_, i) => names[(i + r) % names.length]!);
      for (const name of order) rtts[name].push(...(await echoRun(paths[name], Math.ceil(echoes / ECHO_ROUNDS), size)));
    }

    const directMiB = distribution(mibs['direct TCP']).median;
    const directRtt = distribution(rtts['direct TCP']).median;
    const results = Object.fromEntries(
      names.map((name): [PathName, PathResult] => {
        const t = distribution(mibs[name]);
        const e = distribution(rtts[name]);
        return [
          name,
          {
            throughputMiBs: { median: round3(t.median), min: round3(t.min), max: round3(t.max), samples: mibs[name].map(round3) },
            throughputRatio: round3(t.median / directMiB),
            rttMicros: { p50: round3(e.median), p99: round3(e.rank(0.99)), max: round3(e.max) },
            rttRatio: round3(e.median / directRtt),
          },
        ];
      }),
    ) as Record<PathName, PathResult>;

    process.stdout.write(`\n${'path'.padEnd(12)} ${'MiB/s'.padStart(9)} ${'x direct'.padStart(9)} ${'RTT p50 µs'.padStart(11)} ${'RTT p99 µs'.padStart(11)} ${'x direct'.padStart(9)}\n`);
    for (const name of names) {
      const r = results[name];
      process.stdout.write(
        `${name.padEnd(12)} ${r.throughputMiBs.median.toFixed(1).padStart(9)} ${r.throughputRatio.toFixed(2).padStart(9)} ` +
          `${r.rttMicros.p50.toFixed(1).padStart(11)} ${r.rttMicros.p99.toFixed(1).padStart(11)} ${r.rttRatio.toFixed(2).padStart(9)}\n`,
      );
    }
    const v = results.Vireo;
    const w = names.includes('websockify') ? results.websockify : undefined;
    const goals = {
      floorThroughput: w ? v.throughputRatio >= w.throughputRatio : null,
      floorRtt: w ? v.rttRatio <= w.rttRatio : null,
      throughput: v.throughputRatio >= GOALS.throughputRatio,
      rtt: v.rttRatio <= GOALS.rttRatio,
    };
    const yes = (b: boolean | null) => (b === null ? 'not measured' : b ? 'met' : 'NOT met');
    const ref = (x: number | undefined) => (x === undefined ? 'websockify not run' : `websockify ${x.toFixed(2)}x`);
    process.stdout.write(
      `\nVireo: ${v.throughputRatio.toFixed(2)}x direct throughput (${ref(w?.throughputRatio)}; floor ${yes(goals.floorThroughput)}, ` +
        `goal >= ${GOALS.throughputRatio}x ${yes(goals.throughput)}); median round trip ${v.rttRatio.toFixed(2)}x direct ` +
        `(${ref(w?.rttRatio)}; floor ${yes(goals.floorRtt)}, goal <= ${GOALS.rttRatio}x ${yes(goals.rtt)})\n`,
    );
    await mkdir(dirname(out), { recursive: true });
    await writeFile(
      out,
      `${JSON.stringify({ when: new Date().toISOString(), machine, options: { bulkBytes, runs, echoes, size, nodeArgs }, results, goals }, null, 2)}\n`,
    );
    log(`wrote ${out}`);
    return 0;
  } finally {
    await server?.stop();
    for (const child of children) child.kill('SIGTERM');
    await rm(hostDir, { recursive: true, force: true });
  }
}

runMain('console-proxy', main);
