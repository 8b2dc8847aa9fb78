/**
 * A long operation the user started, followed to its end in one notification: progress while it runs (from the
 * `task` events), then success (with a link to what it made) or libvirt's error message. Nothing fails silently.
 */
import './tasks.css';
import { Anchor, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Task } from '@vireo/api';
import { QueryObserver, type QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { applyTask, fetchTask, isFinished, taskErrorMessage, taskKeys } from './task-cache.js';

export interface TrackTaskOptions {
  t: TFunction;
  /** For the percentage, e.g. i18n.language. */
  locale: string;
  /** What the notification is about, e.g. "Creating vm1". */
  title: string;
  /** What succeeded says, e.g. "vm1 was created". */
  successMessage: string;
  /** A link to what the task made, shown on success (e.g. the new VM's page). */
  open?: { label: string; href: (task: Task) => string | null; go: (href: string) => void };
}

function percent(task: Task, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(task.progress);
}

function RunningBody({ task, title, t, locale }: { task: Task; title: string; t: TFunction; locale: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm">{task.step ?? t(task.state === 'queued' ? 'tasks.queued' : 'tasks.running')}</Text>
      <progress className="vireo-task-progress" max={1} value={task.progress} aria-label={title} aria-valuetext={percent(task, locale)} />
    </Stack>
  );
}

function SuccessBody({ task, options }: { task: Task; options: TrackTaskOptions }) {
  const href = options.open?.href(task) ?? null;
  return (
    <Stack gap={4}>
      <Text size="sm">{options.successMessage}</Text>
      {href !== null && options.open && (
        <Anchor
          href={href}
          size="sm"
          c="blue.9"
          onClick={(e) => {
            e.preventDefault();
            options.open?.go(href);
            notifications.hide(task.id);
          }}
        >
          {options.open.label}
        </Anchor>
      )}
    </Stack>
  );
}

function render(task: Task, options: TrackTaskOptions, first: boolean): void {
  const { t, title } = options;
  const base = { id: task.id, title, withCloseButton: true };
  let props;
  if (task.state === 'succeeded') {
    props = { ...base, message: <SuccessBody task={task} options={options} />, color: 'teal', loading: false, autoClose: 8000, role: 'status' };
  } else if (task.state === 'failed') {
    const message = taskErrorMessage(task);
    props = {
      ...base,
      title: t('tasks.failedTitle', { title }),
      message: message !== '' ? message : t('tasks.failedUnknown'),
      color: 'red',
      loading: false,
      autoClose: false as const,
      role: 'alert',
    };
  } else {
    props = { ...base, message: <RunningBody task={task} title={title} t={t} locale={options.locale} />, loading: true, autoClose: false as const, role: 'status' };
  }
  if (first) notifications.show(props);
  else notifications.update(props);
}

/**
 * Follows `task` until it ends and resolves with its last state. The query cache holds it: `task` events patch it,
 * and the observer refetches `GET /api/v1/tasks/:id` when the events connection comes back (the task may have
 * ended while it was down).
 */
export function trackTask(client: QueryClient, task: Task, options: TrackTaskOptions): Promise<Task> {
  applyTask(client, task);
  const observer = new QueryObserver<Task>(client, {
    queryKey: taskKeys.one(task.id),
    queryFn: () => fetchTask(task.id),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: 2,
  });
  return new Promise<Task>((resolve) => {
    let shown: Task | null = null;
    let done = false;
    let unsubscribe: () => void = () => undefined;
    const onTask = (next: Task | undefined) => {
      if (done || next === undefined || next === shown) return;
      render(next, options, shown === null);
      shown = next;
      if (isFinished(next)) {
        done = true;
        unsubscribe();
        resolve(next);
      }
    };
    onTask(observer.getCurrentResult().data ?? task);
    if (done) return;
    unsubscribe = observer.subscribe((result) => onTask(result.data));
  });
}
