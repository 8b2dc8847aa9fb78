/** Wall time of a whole process, as a user running a CLI sees it. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { children, interrupted, Interrupted } from './interrupt.js';

export interface TimedRun {
  /** performance.now() when the process was spawned. */
  startAt: number;
  /** performance.now() when its exit was seen (not when its pipes closed). */
  exitAt: number;
  /** performance.now() when its pipes closed: all its output is in. */
  closeAt: number;
  stdout: string;
}

/**
 * Runs `command args` to its end; rejects when it fails (saying `name`, by default the whole command line) or the
 * run is interrupted.
 */
export function runTimed(command: string, args: readonly string[], name = `${command} ${args.join(' ')}`): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const startAt = performance.now();
    let exitAt = 0;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', () => (exitAt = performance.now()));
    child.on('error', (e) => {
      children.delete(child);
      reject(e);
    });
    child.on('close', (code) => {
      const closeAt = performance.now();
      children.delete(child);
      if (interrupted) return reject(new Interrupted());
      if (code !== 0) return reject(new Error(`${name} failed (${code}): ${err.trim()}`));
      resolve({ startAt, exitAt, closeAt, stdout: out });
    });
  });
}

export interface ProcessRun {
  ms: number;
  code: number | null;
  /** Output lines that contain `countPrefix` (the bench domains' names: a CLI's list must print all of them). */
  benchLines: number;
}

/** Times `command args` from start to the close of its pipes, and counts its output lines naming bench domains. */
export async function timeProcess(command: string, args: readonly string[], countPrefix: string, name?: string): Promise<ProcessRun> {
  const run = await runTimed(command, args, name);
  const benchLines = run.stdout.split('\n').reduce((n, line) => (line.includes(countPrefix) ? n + 1 : n), 0);
  return { ms: run.closeAt - run.startAt, code: 0, benchLines };
}
