/** Ctrl-C handling shared by the benchmarks: the first signal stops the run (and its child processes) so that the
 * benchmark can clean up; a second one exits at once. */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/** Set by the first SIGINT, SIGTERM or SIGHUP. */
export let interrupted = false;
/** Aborted by the first signal: for waits that should end at once. */
export const abort = new AbortController();
/** Child processes killed by the first signal. */
export const children = new Set<ChildProcess>();

/** Installs the handlers; `stopping` says what the first signal does (e.g. `stopping and undefining the ... domains`). */
export function handleSignals(stopping: string): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      process.stderr.write(`\n${signal} again: exiting without cleanup; remove leftovers with --cleanup\n`);
      process.exit(130);
    }
    interrupted = true;
    process.stderr.write(`\n${signal}: ${stopping} (again to quit at once)\n`);
    abort.abort();
    for (const child of children) child.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

export function checkInterrupted(): void {
  if (interrupted) throw new Interrupted();
}

/** Waits `ms`; throws Interrupted at once on a signal. */
export async function pause(ms: number): Promise<void> {
  try {
    await sleep(ms, undefined, { signal: abort.signal });
  } catch {
    throw new Interrupted();
  }
}

/** An error as a benchmark reports it: its stack where it has one. */
export function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * Runs a benchmark's `main`, whose result is the exit code. A failure is printed as `<name>: <describe(err)>` and exits
 * with 1, or 130 after Ctrl-C.
 */
export function runMain(name: string, main: () => Promise<number>, describe = errorText): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${name}: ${describe(err)}\n`);
      process.exitCode = interrupted ? 130 : 1;
    },
  );
}
