import type { DeltaBody, Task } from '@vireo/api';
import { LibvirtError } from '@vireo/libvirt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TaskRegistry } from '../../../src/tasks/task-registry.js';

function registry(now: { t: number }, ttlMs = 1000) {
  const published: Task[] = [];
  const tasks = new TaskRegistry({
    publish: (d: DeltaBody) => {
      if (d.type === 'task') published.push(d.task);
    },
    log: pino({ level: 'silent' }),
    ttlMs,
    progressIntervalMs: 100,
    now: () => now.t,
  });
  return { tasks, published };
}

/** Resolves when the task has ended (polled on a microtask-free loop of real turns with a deadline). */
async function ended(tasks: TaskRegistry, id: string): Promise<Task> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const t = tasks.get(id)!;
    if (t.state === 'succeeded' || t.state === 'failed') return t;
    if (Date.now() > deadline) throw new Error(`task ${id} did not end`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('TaskRegistry', () => {
  it('reports queued, running, throttled progress and success with the result, each as a task delta', async () => {
    const now = { t: 0 };
    const { tasks, published } = registry(now);
    let step!: (f: number, s?: string) => void;
    let finish!: () => void;
    const task = tasks.start('domain.create', 'local', 'vm', (p) => {
      step = (f, s) => p.progress(f, s);
      return new Promise((resolve) => {
        finish = () => resolve({ uuid: 'u-1' });
      });
    });
    expect(task).toMatchObject({ kind: 'domain.create', host: 'local', target: 'vm', state: 'queued', progress: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    step(0.1, 'creating volumes');
    step(0.2); // within the interval, same step: not published
    now.t += 150;
    step(0.3);
    step(2); // clamped
    finish();
    const done = await ended(tasks, task.id);
    expect(done).toMatchObject({ state: 'succeeded', progress: 1, result: { uuid: 'u-1' }, error: null, step: null });
    expect(published.map((t) => [t.state, t.progress])).toEqual([
      ['queued', 0],
      ['running', 0],
      ['running', 0.1],
      ['running', 0.3],
      ['succeeded', 1],
    ]);
  });

  it('keeps libvirt\'s error on failure and hides an unexpected one', async () => {
    const now = { t: 0 };
    const { tasks } = registry(now);
    const libvirt = tasks.start('domain.managedsave', 'local', 'u', () =>
      Promise.reject(new LibvirtError({ code: 55, domain: 10, message: 'Requested operation is not valid: domain is not running', level: 2, dom: null, str1: null, str2: null, str3: null, int1: 0, int2: 0, net: null }, 'domainManagedSave')),
    );
    const failed = await ended(tasks, libvirt.id);
    expect(failed.error).toMatchObject({ status: 409, libvirt: { code: 55, message: 'Requested operation is not valid: domain is not running' } });
    const bug = tasks.start('domain.delete', 'local', 'u', () => Promise.reject(new Error('secret internals')));
    const hidden = await ended(tasks, bug.id);
    expect(hidden.error).toEqual({ status: 500, title: 'Internal Server Error', detail: `internal error (task ${bug.id})` });
  });

  it('forgets finished tasks after the time to live', async () => {
    const now = { t: 0 };
    const { tasks } = registry(now, 1000);
    const t = tasks.start('x', 'local', null, () => Promise.resolve());
    await ended(tasks, t.id);
    now.t += 999;
    expect(tasks.get(t.id)).toBeDefined();
    now.t += 2;
    expect(tasks.get(t.id)).toBeUndefined();
    await tasks.close();
  });
});
