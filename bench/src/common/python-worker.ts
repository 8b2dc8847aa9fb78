/**
 * The C-library contender: bench/python/list_stats.py in lock-step mode, python3-libvirt listAllDomains +
 * getAllDomainStats timed inside one long-lived process, driven line by line so that its runs interleave with others.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { children } from './interrupt.js';

const PYTHON = '/usr/bin/python3';
const PYTHON_SCRIPT = fileURLToPath(new URL('../../python/list_stats.py', import.meta.url));

export interface Counts {
  domains: number;
  records: number;
  params: number;
}

export interface PyRun extends Counts {
  ms: number;
}

export interface PyInfo {
  library: number;
  daemon: number;
  python: string;
  warmup: number[];
}

export class PythonWorker {
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

  /** Starts the process on `uri`; resolves once it has connected and done `warmup` runs of its own. */
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
