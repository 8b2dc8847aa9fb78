// Tasks that create and delete disk volumes: a create that makes volumes in a pool, a delete that removes exactly
// the volumes it lists. The pool is a dir pool in a temporary directory.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DomainDetail, EventMessage, Problem, Task } from '@vireo/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonAvailable, dirPoolXml, uniqueName, virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { removeTiny, tinySpec, virshWithFile } from '../support/domains.js';
import { EventsClient, listen, startLive, type LiveHarness } from '../support/live-server.js';

describe.skipIf(!daemonAvailable)(`volume tasks on the real libvirtd${daemonAvailable ? '' : ' (skipped: no libvirtd socket)'}`, () => {
  let h: LiveHarness;
  let dir: string;
  let events: EventsClient;
  const pool = uniqueName('pool');
  const names: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vireo-test-pool-'));
    // QEMU runs as libvirt-qemu: it must be able to reach the images (libvirt relabels the files, not the directory).
    chmodSync(dir, 0o755);
    await virshWithFile((f) => ['pool-create', f], dirPoolXml(pool, dir));
    h = await startLive();
    events = await EventsClient.open(await listen(h), h.viewer);
  });
  afterAll(async () => {
    await events?.close();
    for (const name of names) await removeTiny(name);
    await h?.close();
    await virsh(['pool-destroy', pool]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const waitTask = (id: string) =>
    waitFor(async () => {
      const t = (await h.app.inject({ url: `/api/v1/tasks/${id}`, headers: { cookie: h.viewer.cookie } })).json<Task>();
      return t.state === 'succeeded' || t.state === 'failed' ? t : undefined;
    }, 60_000, `task ${id} to end`);

  it('creates a domain with new volumes as a task, reported on the events channel', async () => {
    const name = uniqueName('vols');
    names.push(name);
    const disk = (volume: string) => ({ source: { type: 'volume', pool, volume }, create: true, size: '1MiB', format: 'raw', bus: 'sata' });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/hosts/local/domains',
      headers: h.admin.headers,
      payload: { spec: tinySpec(name, { disks: [disk(`${name}-a.img`), disk(`${name}-b.img`)] }) },
    });
    expect(res.statusCode, res.body).toBe(202);
    const { task } = res.json<{ task: Task }>();
    const done = await waitTask(task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result?.['uuid']).toBe((await virsh(['domuuid', name])).trim());
    expect(existsSync(path.join(dir, `${name}-a.img`))).toBe(true);
    expect(existsSync(path.join(dir, `${name}-b.img`))).toBe(true);
    // The task's changes went out as deltas, in order, ending with its success.
    const mine = events.messages.filter((m): m is Extract<EventMessage, { type: 'task' }> => m.type === 'task' && m.task.id === task.id);
    expect(mine[0]!.task.state).toBe('queued');
    expect(mine.at(-1)!.task.state).toBe('succeeded');
    expect(mine.map((m) => m.seq)).toEqual([...mine.map((m) => m.seq)].sort((a, b) => a - b));
  });

  it('leaves nothing behind when a step after the volumes fails', async () => {
    const name = uniqueName('rollback');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/hosts/local/domains',
      headers: h.admin.headers,
      // The volume is made and the domain defined, then the start fails: there is no such network.
      payload: {
        spec: tinySpec(name, {
          disks: [{ source: { type: 'volume', pool, volume: `${name}.img` }, create: true, size: '1MiB', format: 'raw', bus: 'sata' }],
          interfaces: [{ source: { type: 'network', network: 'vireo-test-no-such-network' } }],
        }),
        start: true,
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitTask(res.json<{ task: Task }>().task.id);
    expect(done.state).toBe('failed');
    expect(done.error?.libvirt?.message).toMatch(/network/i);
    expect(existsSync(path.join(dir, `${name}.img`))).toBe(false);
    await expect(virsh(['domstate', name])).rejects.toThrow();
  });

  it('deletes exactly the volumes listed, looked up by path', async () => {
    const name = uniqueName('delvols');
    names.push(name);
    const disk = (volume: string) => ({ source: { type: 'volume', pool, volume }, create: true, size: '1MiB', format: 'raw', bus: 'sata' });
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/hosts/local/domains',
      headers: h.admin.headers,
      payload: { spec: tinySpec(name, { disks: [disk(`${name}-keep.img`), disk(`${name}-drop.img`)] }) },
    });
    const uuid = (await waitTask(created.json<{ task: Task }>().task.id)).result!['uuid']!;
    const keep = path.join(dir, `${name}-keep.img`);
    const drop = path.join(dir, `${name}-drop.img`);
    const del = (volumes: string[]) =>
      h.app.inject({ method: 'DELETE', url: `/api/v1/hosts/local/domains/${uuid}`, headers: h.admin.headers, payload: { volumes } });

    // Not one of its disks: refused before anything changes.
    const foreign = await del([keep, '/etc/passwd']);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<Problem>().detail).toContain('/etc/passwd');
    expect((await virsh(['domstate', name])).trim()).toBe('shut off');

    // Running: refused, the disks are in use.
    await virsh(['start', name]);
    expect((await del([drop])).statusCode).toBe(409);
    await virsh(['destroy', name]);

    const detail = (await h.app.inject({ url: `/api/v1/hosts/local/domains/${uuid}`, headers: { cookie: h.admin.cookie } })).json<DomainDetail>();
    expect(detail.summary.name).toBe(name);
    const res = await del([drop]);
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitTask(res.json<{ task: Task }>().task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(existsSync(drop)).toBe(false);
    expect(existsSync(keep)).toBe(true);
    await expect(virsh(['domstate', name])).rejects.toThrow(/failed to get domain/);
    expect(await virsh(['vol-list', pool])).toContain(`${name}-keep.img`);
    await events.waitFor((m) => m.type === 'domain.removed' && m.uuid === uuid, 5000, 'the removal delta');
  });
});
