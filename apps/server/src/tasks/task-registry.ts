import { randomUUID } from 'node:crypto';
import type { DeltaBody, Task } from '@vireo/api';
import type { FastifyBaseLogger } from 'fastify';
import { taskError } from './task-error.js';

/** What a running task may tell about itself. */
export interface TaskProgress {
  /** Progress 0..1 and, optionally, what it is doing now. */
  progress(fraction: number, step?: string): void;
}

/** The work of a task; what it resolves with becomes the task's result (e.g. `{ uuid }`). */
export type TaskWork = (progress: TaskProgress) => Promise<Record<string, string> | void>;

export interface TaskRegistryOptions {
  publish: (delta: DeltaBody) => void;
  log: FastifyBaseLogger;
  /** How long a finished task stays readable. */
  ttlMs: number;
  /** Progress messages of one task go out at most this often (step changes and the end always go out). */
  progressIntervalMs?: number;
  now?: () => number;
}

interface Entry {
  task: Task;
  finishedAt: number | null;
  lastPublished: number;
}

/**
 * Long operations (managed save, a create that makes volumes, a delete that removes them): in memory, readable by
 * id until `ttlMs` after they end, each change sent on the events channel as a `task` delta.
 */
export class TaskRegistry {
  private readonly tasks = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: TaskRegistryOptions) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.min(options.ttlMs, 60_000));
    this.sweeper.unref();
  }

  /** Starts `work` in the background and returns the task as it is now (queued). */
  start(kind: string, host: string, target: string | null, work: TaskWork): Task {
    this.sweep();
    const at = new Date(this.now()).toISOString();
    const task: Task = {
      id: randomUUID(),
      kind,
      host,
      target,
      state: 'queued',
      progress: 0,
      step: null,
      error: null,
      result: null,
      createdAt: at,
      updatedAt: at,
    };
    const entry: Entry = { task, finishedAt: null, lastPublished: 0 };
    this.tasks.set(task.id, entry);
    this.publish(entry);
    const run = this.run(entry, work);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return { ...task };
  }

  get(id: string): Task | undefined {
    this.sweep();
    const entry = this.tasks.get(id);
    return entry ? { ...entry.task } : undefined;
  }

  private async run(entry: Entry, work: TaskWork): Promise<void> {
    // Started on the next turn, so the caller's 202 (with the queued task) goes out before any progress.
    await Promise.resolve();
    this.update(entry, { state: 'running' });
    const progressInterval = this.options.progressIntervalMs ?? 250;
    try {
      const result = await work({
        progress: (fraction, step) => {
          const progress = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
          const stepChanged = step !== undefined && step !== entry.task.step;
          const due = this.now() - entry.lastPublished >= progressInterval;
          this.update(entry, { progress, ...(step !== undefined && { step }) }, stepChanged || due);
        },
      });
      this.update(entry, { state: 'succeeded', progress: 1, step: null, result: result ?? null });
    } catch (err) {
      const error = taskError(err, entry.task.id);
      if (error.status >= 500) this.options.log.error({ err, task: entry.task.id, kind: entry.task.kind, host: entry.task.host }, 'task failed');
      this.update(entry, { state: 'failed', error });
    }
  }

  private update(entry: Entry, change: Partial<Task>, publish = true): void {
    entry.task = { ...entry.task, ...change, updatedAt: new Date(this.now()).toISOString() };
    if (change.state === 'succeeded' || change.state === 'failed') entry.finishedAt = this.now();
    if (publish) this.publish(entry);
  }

  private publish(entry: Entry): void {
    entry.lastPublished = this.now();
    this.options.publish({ type: 'task', host: entry.task.host, task: { ...entry.task } });
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.tasks) {
      if (entry.finishedAt !== null && now - entry.finishedAt > this.options.ttlMs) this.tasks.delete(id);
    }
  }

  /** Waits for running tasks (they hold libvirt calls) and stops the sweeper. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.allSettled([...this.running]);
  }
}
