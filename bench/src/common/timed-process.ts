/** Wall time of a whole process, as a user running a CLI sees it. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { children, interrupted, Interrupted } from './interrupt.js';

export interface ProcessRun {
  ms: number;
  code: number | null;
  /** Output lines that contain `countPrefix` (the bench domains' names: a CLI's list must print all of them). */
  benchLines: number;
}

/**
 * Runs `command args` to its end and times it, start to close of its pipes; rejects when it fails (saying `name`,
 * by default the whole command line) or the run is interrupted.
 */
export function timeProcess(command: string, args: readonly string[], countPrefix: string, name = `${command} ${args.join(' ')}`): Promise<ProcessRun> {
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
      if (code !== 0) return reject(new Error(`${name} failed (${code}): ${err.trim()}`));
      const benchLines = out.split('\n').reduce((n, line) => (line.includes(countPrefix) ? n + 1 : n), 0);
      resolve({ ms, code, benchLines });
    });
  });
}

export interface TimedRun {
  /** performance.now() when the process was spawned. */
  startAt: number;
  /** performance.now() when its exit was seen (not when its pipes closed). */
  exitAt: number;
  stdout: string;
}

/** Runs `command args` to its end; rejects when it fails or the run is interrupted. */
export function runTimed(command: string, args: readonly string[]): Promise<TimedRun> {
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
      children.delete(child);
      if (interrupted) return reject(new Interrupted());
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${err.trim()}`));
      resolve({ startAt, exitAt, stdout: out });
    });
  });
}
