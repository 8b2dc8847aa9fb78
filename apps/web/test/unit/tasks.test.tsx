// @vitest-environment jsdom
// Long operations: task events patch the cache, a tracked task shows its progress in a notification that ends in
// success or libvirt's message, and a reconnect re-reads the task from GET /api/v1/tasks/:id.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import { Notifications, notifications } from '@mantine/notifications';
import type { Task } from '@vireo/api';
import { QueryClient } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, type EventCursor } from '../../src/events/apply.js';
import { createI18n } from '../../src/i18n/index.js';
import { applyTask, isNewer, taskErrorMessage, taskKeys } from '../../src/tasks/task-cache.js';
import { trackTask } from '../../src/tasks/track-task.js';
import { task } from './fixtures.js';

const at = (s: number) => `2024-01-01T00:00:0${s}.000Z`;

afterEach(() => {
  vi.unstubAllGlobals();
  act(() => notifications.clean());
});

function setup() {
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <Notifications />
    </MantineProvider>,
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const i18n = createI18n('en');
  const go = vi.fn();
  const options = {
    t: i18n.t,
    locale: 'en',
    title: 'Creating vm1',
    successMessage: 'vm1 was created.',
    open: { label: 'Open vm1', href: (t: Task) => (t.result?.['uuid'] ? `/vms/local/${t.result['uuid']}` : null), go },
  };
  return { client, options, go };
}

describe('task cache', () => {
  it('keeps the newest look at a task: a late progress never undoes an end', () => {
    const client = new QueryClient();
    applyTask(client, task({ state: 'running', progress: 0.5, updatedAt: at(2) }));
    applyTask(client, task({ state: 'running', progress: 0.2, updatedAt: at(1) }));
    expect(client.getQueryData<Task>(taskKeys.one('t1'))?.progress).toBe(0.5);
    applyTask(client, task({ state: 'succeeded', progress: 1, updatedAt: at(3) }));
    applyTask(client, task({ state: 'running', progress: 0.9, updatedAt: at(4) }));
    expect(client.getQueryData<Task>(taskKeys.one('t1'))?.state).toBe('succeeded');
    expect(isNewer(task({ state: 'running' }), task({ state: 'queued' }))).toBe(true);
  });

  it('a failure speaks libvirt\'s words first', () => {
    const error = { status: 500, title: 'libvirt error', detail: 'it failed', libvirt: { code: 1, domain: 10, message: 'internal error: no space' } };
    expect(taskErrorMessage(task({ state: 'failed', error }))).toBe('internal error: no space');
    expect(taskErrorMessage(task({ state: 'failed', error: { status: 500, title: 'T', detail: 'D' } }))).toBe('D');
  });
});

describe('trackTask', () => {
  it('shows progress from task events and ends with success and a link', async () => {
    const { client, options, go } = setup();
    const cursor: EventCursor = { epoch: 'e', seq: 0 };
    let done: Task | undefined;
    act(() => void trackTask(client, task(), options).then((t) => (done = t)));
    expect(await screen.findByText('Creating vm1')).toBeTruthy();
    expect(screen.getByText('Waiting to start…')).toBeTruthy();

    act(() => {
      applyEvent(client, cursor, { type: 'task', seq: 1, host: 'local', task: task({ state: 'running', progress: 0.4, step: 'creating volume vm1.qcow2', updatedAt: at(1) }) });
    });
    expect(await screen.findByText('creating volume vm1.qcow2')).toBeTruthy();
    const bar = screen.getByRole<HTMLProgressElement>('progressbar', { name: 'Creating vm1' });
    expect(bar.value).toBe(0.4);
    expect(bar.getAttribute('aria-valuetext')).toBe('40%');
    expect(cursor.seq).toBe(1);

    act(() => {
      applyEvent(client, cursor, { type: 'task', seq: 2, host: 'local', task: task({ state: 'succeeded', progress: 1, result: { uuid: 'u1' }, updatedAt: at(2) }) });
    });
    expect(await screen.findByText('vm1 was created.')).toBeTruthy();
    await waitFor(() => expect(done?.state).toBe('succeeded'));
    const link = screen.getByRole('link', { name: 'Open vm1' });
    expect(link.getAttribute('href')).toBe('/vms/local/u1');
    act(() => link.click());
    expect(go).toHaveBeenCalledWith('/vms/local/u1');
  });

  it('a failed task ends in an alert with libvirt\'s message', async () => {
    const { client, options } = setup();
    const cursor: EventCursor = { epoch: 'e', seq: 0 };
    const result = trackTask(client, task(), options);
    act(() => {
      applyEvent(client, cursor, {
        type: 'task',
        seq: 1,
        host: 'local',
        task: task({ state: 'failed', updatedAt: at(1), error: { status: 500, title: 'libvirt error', detail: 'x', libvirt: { code: 1, domain: 18, message: 'cannot create volume: disk full' } } }),
      });
    });
    expect(await screen.findByText('cannot create volume: disk full')).toBeTruthy();
    expect(screen.getByText('Creating vm1: failed')).toBeTruthy();
    expect(screen.getAllByRole('alert').some((a) => a.textContent?.includes('disk full'))).toBe(true);
    expect((await result).state).toBe('failed');
  });

  it('after a reconnect (resync) the task is read again from GET /api/v1/tasks/:id', async () => {
    const fetchMock = vi.fn(() => Promise.resolve(Response.json(task({ state: 'succeeded', progress: 1, result: { uuid: 'u9' }, updatedAt: at(5) }))));
    vi.stubGlobal('fetch', fetchMock);
    const { client, options } = setup();
    const cursor: EventCursor = { epoch: 'e', seq: 3 };
    const result = trackTask(client, task({ state: 'running', progress: 0.3, updatedAt: at(1) }), options);
    expect(fetchMock).not.toHaveBeenCalled();
    act(() => {
      applyEvent(client, cursor, { type: 'resync', seq: 9, epoch: 'e', reason: 'since-too-old', hosts: [] });
    });
    expect((await result).result).toEqual({ uuid: 'u9' });
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/tasks/t1', expect.anything());
    expect(await screen.findByText('vm1 was created.')).toBeTruthy();
  });
});
