/**
 * The built Vireo server as a benchmark's child process, started by its launcher (apps/server/bin/vireo, what
 * `pnpm start` runs, with its node options and malloc settings): its own temporary data directory, certificate and
 * first-run admin, a port the kernel picks, and its memory as /proc reports it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pause } from './interrupt.js';

export const SERVER_LAUNCHER = fileURLToPath(new URL('../../../apps/server/bin/vireo', import.meta.url));

/** The command line a results file records: the launcher relative to the repo, with the extra node options. */
export function launchCommand(nodeArgs: readonly string[] = []): string {
  return ['apps/server/bin/vireo', ...nodeArgs].join(' ');
}

/** How often the server's RSS is sampled in the background (for the min/median/max around each reading). */
const RSS_SAMPLE_MS = 250;

export interface ServerOptions {
  /** libvirt URI (VIREO_LIBVIRT_URI). */
  uri: string;
  /** Node options besides the launcher's own (which they override), e.g. `--lite-mode`. */
  nodeArgs?: readonly string[];
  /** Plain HTTP (VIREO_INSECURE_HTTP=1) instead of HTTPS with the generated certificate. */
  insecureHttp?: boolean;
  /** VIREO_LOG_LEVEL; the server's default when undefined. */
  logLevel?: string | undefined;
  /** Prefix of the temporary directory (under the OS's), e.g. `vireo-bench-server-`. */
  tmpPrefix: string;
  /** Further VIREO_* settings. */
  extraEnv?: Record<string, string>;
}

export interface MemoryReading {
  rssKiB: number;
  /** The peak RSS so far. */
  hwmKiB: number;
  /** RSS split: anonymous memory (heap, stacks) and file-backed pages (mostly the node binary, shared). */
  anonKiB: number;
  fileKiB: number;
}

/** The built server as a child process, with its own temporary data directory and log file. */
export class ServerProcess {
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitWaiters = new Set<() => void>();
  /** VmRSS every RSS_SAMPLE_MS: V8 grows and shrinks its young generation, so one reading can swing by tens of MiB. */
  readonly rssSamples: { at: number; rssKiB: number }[] = [];
  private sampler: NodeJS.Timeout | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly tmpDir: string,
    readonly logFile: string,
    readonly adminPassword: string,
  ) {
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      clearInterval(this.sampler);
      for (const w of [...this.exitWaiters]) w();
    });
  }

  startSampling(): void {
    this.sampler = setInterval(() => {
      this.memory().then(
        (m) => this.rssSamples.push({ at: performance.now(), rssKiB: m.rssKiB }),
        () => undefined,
      );
    }, RSS_SAMPLE_MS);
    this.sampler.unref();
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Starts the server with only `options`' settings: a fresh VIREO_DATA_DIR (so a new certificate and first-run
   * `admin`), 127.0.0.1, port 0 and a random VIREO_ADMIN_PASSWORD. Resolves once it listens.
   */
  static async start(options: ServerOptions): Promise<{ server: ServerProcess; base: string; startMs: number }> {
    const tmpDir = await mkdtemp(join(os.tmpdir(), options.tmpPrefix));
    const dataDir = join(tmpDir, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    const logFile = join(tmpDir, 'server.log');
    const adminPassword = randomBytes(18).toString('base64url');
    // Only our settings: a VIREO_CONFIG or VIREO_PORT of the calling shell must not change what is measured.
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('VIREO_')) env[k] = v;
    Object.assign(env, {
      VIREO_DATA_DIR: dataDir,
      VIREO_HOST: '127.0.0.1',
      VIREO_PORT: '0',
      VIREO_LIBVIRT_URI: options.uri,
      VIREO_ADMIN_PASSWORD: adminPassword,
      ...(options.insecureHttp && { VIREO_INSECURE_HTTP: '1' }),
      ...(options.logLevel !== undefined && { VIREO_LOG_LEVEL: options.logLevel }),
      ...options.extraEnv,
    });
    const fd = openSync(logFile, 'a');
    const t0 = performance.now();
    let child: ChildProcess;
    try {
      child = spawn(SERVER_LAUNCHER, options.nodeArgs ?? [], { env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    const server = new ServerProcess(child, tmpDir, logFile, adminPassword);
    // Fastify logs "Server listening at <url>" once it listens (port 0: the kernel's choice).
    const deadline = Date.now() + 60_000;
    try {
      for (;;) {
        const text = await readFile(logFile, 'utf8');
        const m = /Server listening at (https?:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (m) return { server, base: m[1]!, startMs: performance.now() - t0 };
        if (server.exited) throw new Error(`the server exited at start (${server.exited.signal ?? `code ${server.exited.code}`}):\n${tail(text)}`);
        if (Date.now() > deadline) throw new Error(`the server did not listen within 60 s:\n${tail(text)}`);
        await pause(50);
      }
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  async memory(): Promise<MemoryReading> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM'), anonKiB: kib('RssAnon'), fileKiB: kib('RssFile') };
  }

  async logTail(): Promise<string> {
    return tail(await readFile(this.logFile, 'utf8').catch(() => ''));
  }

  /** SIGTERM (the server closes cleanly), SIGKILL after 15 s; then removes its temporary directory. */
  async stop(): Promise<void> {
    clearInterval(this.sampler);
    if (!this.exited) {
      const gone = new Promise<void>((resolve) => this.exitWaiters.add(resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    }
    await rm(this.tmpDir, { recursive: true, force: true });
  }
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
