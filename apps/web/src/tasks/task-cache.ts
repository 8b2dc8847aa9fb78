/**
 * Tasks in the query cache: `task` events patch `['task', id]`, and a task someone watches is an active query,
 * so after a reconnect (snapshot or resync) invalidating `['task']` re-reads it with `GET /api/v1/tasks/:id`.
 */
import type { Task } from '@vireo/api';
import type { QueryClient } from '@tanstack/react-query';
import { apiFetch } from '../api/client.js';

export const taskKeys = {
  all: ['task'] as const,
  one: (id: string) => ['task', id] as const,
};

const RANK: Record<Task['state'], number> = { queued: 0, running: 1, succeeded: 2, failed: 2 };

export function isFinished(task: Task): boolean {
  return task.state === 'succeeded' || task.state === 'failed';
}

/** Whether `next` is a later look at the task than `prev` (events and a fallback fetch may cross). */
export function isNewer(next: Task, prev: Task): boolean {
  if (isFinished(prev)) return false;
  if (RANK[next.state] !== RANK[prev.state]) return RANK[next.state] > RANK[prev.state];
  return next.updatedAt >= prev.updatedAt;
}

export function applyTask(client: QueryClient, task: Task): void {
  client.setQueryData<Task>(taskKeys.one(task.id), (old) => (old === undefined || isNewer(task, old) ? task : old));
}

export function fetchTask(id: string): Promise<Task> {
  return apiFetch<Task>(`/api/v1/tasks/${encodeURIComponent(id)}`);
}

/** What went wrong, in libvirt's own words when it said something. */
export function taskErrorMessage(task: Task): string {
  const e = task.error;
  if (e === null) return '';
  return e.libvirt?.message ?? (e.detail !== '' ? e.detail : e.title);
}
