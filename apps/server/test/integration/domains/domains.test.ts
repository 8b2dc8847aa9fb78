import type { DomainConflict, DomainDetail, DomainList, DomainSummary, Problem, Task } from '@vireo/api';
import { parseXml, serializeXml, setDescription } from '@vireo/libvirt-xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonAvailable, uniqueName, virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { byName, defineTiny, removeTiny, tinySpec, virshState, virshWithFile } from '../support/domains.js';
import { startLive, type LiveHarness } from '../support/live-server.js';

describe.skipIf(!daemonAvailable)(`domains through the API on the real libvirtd${daemonAvailable ? '' : ' (skipped: no libvirtd socket)'}`, () => {
  let h: LiveHarness;
  const names: string[] = [];
  beforeAll(async () => {
    h = await startLive();
  });
  afterAll(async () => {
    for (const name of names) await removeTiny(name);
    await h?.close();
  });

  const list = async (): Promise<DomainSummary[]> => {
    const res = await h.app.inject({ url: '/api/v1/hosts/local/domains', headers: { cookie: h.viewer.cookie } });
    expect(res.statusCode).toBe(200);
    return res.json<DomainList>().domains;
  };
  const row = (name: string) => list().then((rows) => byName(rows, name));
  /** Waits until the API's row agrees with virsh on the state (events are asynchronous to virsh's exit). */
  const rowInState = (name: string, state: string) =>
    waitFor(async () => {
      const r = await row(name);
      return r?.state === state ? r : undefined;
    }, 10_000, `${name} to be ${state} in the API list`);
  const act = (uuid: string, action: string, who = h.operator) =>
    h.app.inject({ method: 'POST', url: `/api/v1/hosts/local/domains/${uuid}/actions/${action}`, headers: who.headers });
  const detail = async (uuid: string, who = h.admin): Promise<DomainDetail> => {
    const res = await h.app.inject({ url: `/api/v1/hosts/local/domains/${uuid}`, headers: { cookie: who.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<DomainDetail>();
  };
  const waitTask = (id: string) =>
    waitFor(async () => {
      const t = (await h.app.inject({ url: `/api/v1/tasks/${id}`, headers: { cookie: h.viewer.cookie } })).json<Task>();
      return t.state === 'succeeded' || t.state === 'failed' ? t : undefined;
    }, 60_000, `task ${id} to end`);

  it('lists what virsh lists, with state, memory, vCPUs, autostart and persistence', async () => {
    const a = await defineTiny('list-a');
    const b = await defineTiny('list-b', { vnc: true });
    names.push(a.name, b.name);
    await virsh(['autostart', b.name]);
    await virsh(['start', a.name]);
    const rows = await waitFor(async () => {
      const rs = await list();
      const ra = byName(rs, a.name);
      const rb = byName(rs, b.name);
      return ra?.state === 'running' && rb?.autostart ? rs : undefined;
    }, 15_000, 'both test domains in the list, a running, b autostart');
    // Only test domains: a benchmark may be defining its own on the same daemon meanwhile.
    const ours = (names: string[]) => names.filter((n) => n.startsWith('vireo-test-')).sort();
    const virshNames = (await virsh(['list', '--all', '--name'])).split('\n').map((s) => s.trim());
    expect(ours(rows.map((r) => r.name))).toEqual(ours(virshNames));
    for (const r of rows.filter((x) => x.name.startsWith('vireo-test-'))) {
      expect(r.uuid).toBe((await virsh(['domuuid', r.name])).trim());
      expect(r.state).toBe(await virshState(r.name));
    }
    const ra = byName(rows, a.name)!;
    expect(ra).toMatchObject({ vcpus: 1, maxVcpus: 1, memoryKiB: 32768, maxMemoryKiB: 32768, persistent: true, autostart: false, graphics: null });
    expect(ra.id).toBeGreaterThan(0);
    expect(byName(rows, b.name)).toMatchObject({ state: 'shutoff', stateReason: 'unknown', autostart: true, graphics: 'vnc', id: null });
  });

  it('runs the lifecycle actions as virsh reports them', async () => {
    const d = await defineTiny('life');
    names.push(d.name);
    expect((await act(d.uuid, 'start')).statusCode).toBe(204);
    expect(await virshState(d.name)).toBe('running');
    expect(await row(d.name)).toMatchObject({ state: 'running', stateReason: 'booted' });
    expect((await act(d.uuid, 'suspend')).statusCode).toBe(204);
    expect(await virshState(d.name)).toBe('paused');
    expect(await row(d.name)).toMatchObject({ state: 'paused', stateReason: 'user' });
    expect((await act(d.uuid, 'resume')).statusCode).toBe(204);
    expect(await virshState(d.name)).toBe('running');
    expect((await act(d.uuid, 'reset')).statusCode).toBe(204);
    expect((await act(d.uuid, 'nmi')).statusCode).toBe(204);
    expect((await act(d.uuid, 'destroy')).statusCode).toBe(204);
    expect(await virshState(d.name)).toBe('shutoff');
    expect(await row(d.name)).toMatchObject({ state: 'shutoff', stateReason: 'destroyed', id: null });
    // Starting twice is libvirt's "operation invalid": a 409 with libvirt's code and message.
    expect((await act(d.uuid, 'start')).statusCode).toBe(204);
    const again = await act(d.uuid, 'start');
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().libvirt?.message).toMatch(/already running/i);
    expect((await act(d.uuid, 'destroy')).statusCode).toBe(204);
  });

  it('managed-saves as a task, leaving the domain saved, and starts it from the image', async () => {
    const d = await defineTiny('msave');
    names.push(d.name);
    await virsh(['start', d.name]);
    await rowInState(d.name, 'running');
    const res = await act(d.uuid, 'managedsave');
    expect(res.statusCode).toBe(202);
    const { task } = res.json<{ task: Task }>();
    expect(task).toMatchObject({ kind: 'domain.managedsave', host: 'local', target: d.uuid, state: 'queued' });
    const done = await waitTask(task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(await virshState(d.name)).toBe('shutoff');
    expect(await virsh(['dominfo', d.name])).toMatch(/Managed save:\s+yes/);
    expect(await row(d.name)).toMatchObject({ state: 'shutoff', stateReason: 'saved' });
    expect((await act(d.uuid, 'start')).statusCode).toBe(204);
    expect(await row(d.name)).toMatchObject({ state: 'running', stateReason: 'restored' });
    await virsh(['destroy', d.name]);
  });

  it('toggles autostart', async () => {
    const d = await defineTiny('auto');
    names.push(d.name);
    const on = await h.app.inject({ method: 'PUT', url: `/api/v1/hosts/local/domains/${d.uuid}/autostart`, headers: h.operator.headers, payload: { enabled: true } });
    expect(on.statusCode).toBe(200);
    expect(on.json<DomainSummary>().autostart).toBe(true);
    expect(await virsh(['dominfo', d.name])).toMatch(/Autostart:\s+enable/);
    const off = await h.app.inject({ method: 'PUT', url: `/api/v1/hosts/local/domains/${d.uuid}/autostart`, headers: h.operator.headers, payload: { enabled: false } });
    expect(off.json<DomainSummary>().autostart).toBe(false);
    expect(await virsh(['dominfo', d.name])).toMatch(/Autostart:\s+disable/);
  });

  it('creates from a spec, and never shows a viewer the graphics password', async () => {
    const name = uniqueName('create');
    names.push(name);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/hosts/local/domains',
      headers: h.admin.headers,
      payload: { spec: tinySpec(name, { graphics: { type: 'vnc', password: 'sEcr3t!' }, title: 'made by the API' }) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<DomainDetail>();
    expect(created.summary).toMatchObject({ name, title: 'made by the API', state: 'shutoff', graphics: 'vnc' });
    expect(res.headers['etag']).toBe(created.etag);
    expect(created.xml).toContain("passwd='sEcr3t!'");
    expect((await virsh(['domuuid', name])).trim()).toBe(created.summary.uuid);

    const asViewer = await detail(created.summary.uuid, h.viewer);
    expect(asViewer.xml).not.toContain('sEcr3t!');
    expect(asViewer.xml).not.toContain('passwd');
    expect(asViewer.redacted).toEqual(['/domain/devices[1]/graphics[1]/@passwd']);
    expect(asViewer.etag).toBe(created.etag);
    expect((asViewer.view as { devices: { graphics: { hasPassword: boolean }[] } }).devices.graphics[0]!.hasPassword).toBe(true);
    expect(JSON.stringify(asViewer)).not.toContain('sEcr3t!');

    // The same name twice is a conflict, not a 500.
    const dup = await h.app.inject({ method: 'POST', url: '/api/v1/hosts/local/domains', headers: h.admin.headers, payload: { spec: tinySpec(name) } });
    expect(dup.statusCode).toBe(409);
    // A spec the builder refuses names the field.
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/hosts/local/domains',
      headers: h.admin.headers,
      payload: { spec: tinySpec(uniqueName('bad'), { firmware: 'bios', secureBoot: true }) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.field).toBe('body.spec.secureBoot');
  });

  it('edits with If-Match: 428 without, 409 with the current definition after a virsh-side redefine', async () => {
    const d = await defineTiny('etag');
    names.push(d.name);
    const patch = (ifMatch: string | undefined, operations: unknown[]) =>
      h.app.inject({
        method: 'PATCH',
        url: `/api/v1/hosts/local/domains/${d.uuid}`,
        headers: { ...h.admin.headers, ...(ifMatch !== undefined && { 'if-match': ifMatch }) },
        payload: { operations },
      });
    expect((await patch(undefined, [{ op: 'title', title: 'x' }])).statusCode).toBe(428);

    const before = await detail(d.uuid);
    // Someone else changes the definition with virsh: dumpxml, edit, define.
    const dumped = await virsh(['dumpxml', '--inactive', '--security-info', d.name]);
    const doc = parseXml(dumped);
    setDescription(doc, 'changed behind the API');
    await virshWithFile((f) => ['define', f], serializeXml(doc));

    const stale = await patch(before.etag, [{ op: 'title', title: 'lost update?' }]);
    expect(stale.statusCode).toBe(409);
    const conflict = stale.json<DomainConflict>();
    expect(conflict.current.etag).not.toBe(before.etag);
    expect(stale.headers['etag']).toBe(conflict.current.etag);
    expect(conflict.current.xml).toContain('changed behind the API');
    expect(conflict.requestId).toBe(stale.headers['x-request-id']);
    expect(await virsh(['desc', d.name, '--title'])).not.toContain('lost update?');

    const ok = await patch(conflict.current.etag, [
      { op: 'title', title: 'edited' },
      { op: 'memory', kib: 65536, current: true },
      { op: 'vcpus', max: 2 },
      { op: 'lifecycle', event: 'on_reboot', action: 'destroy' },
      { op: 'bootOrder', order: ['cdrom', 'hd'] },
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
    const edited = ok.json<DomainDetail>();
    expect(edited.summary).toMatchObject({ title: 'edited', memoryKiB: 65536, maxMemoryKiB: 65536, maxVcpus: 2 });
    expect(edited.xml).toContain('changed behind the API');
    expect(await virsh(['dominfo', d.name])).toMatch(/Max memory:\s+65536 KiB/);
    const xml = await virsh(['dumpxml', '--inactive', d.name]);
    expect(xml).toMatch(/<on_reboot>destroy<\/on_reboot>/);
    expect(xml).toMatch(/<boot dev='cdrom'\/>\s*<boot dev='hd'\/>/);

    // A bad edit names the operation and field; nothing is defined.
    const refused = await patch(edited.etag, [{ op: 'vcpus', max: 2, current: 3 }]);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Problem>().errors?.[0]?.field).toBe('body.operations.0.vcpu.current');

    // Rename (shut off only).
    const newName = uniqueName('renamed');
    names.push(newName);
    const renamed = await patch(edited.etag, [{ op: 'name', name: newName }]);
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<DomainDetail>().summary.name).toBe(newName);
    expect((await virsh(['domname', d.uuid])).trim()).toBe(newName);
  });

  it('replaces the XML: schema errors as 422 with the line, then libvirt validates', async () => {
    const d = await defineTiny('xml');
    names.push(d.name);
    const cur = await detail(d.uuid);
    const put = (xml: string, etag = cur.etag) =>
      h.app.inject({ method: 'PUT', url: `/api/v1/hosts/local/domains/${d.uuid}/xml`, headers: { ...h.admin.headers, 'if-match': etag }, payload: { xml } });

    const doc = parseXml(cur.xml);
    const devices = doc.getElementsByTagName('devices')[0]!;
    devices.appendChild(doc.createElement('no-such-device'));
    const invalid = await put(serializeXml(doc));
    expect(invalid.statusCode).toBe(422);
    const problem = invalid.json<Problem>();
    expect(problem.errors?.[0]?.reason).toMatch(/^line \d+: /);

    const notXml = await put('<domain><name>x</name');
    expect([400, 422]).toContain(notXml.statusCode);

    const good = parseXml(cur.xml);
    setDescription(good, 'replaced whole');
    const replaced = await put(serializeXml(good));
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(await virsh(['desc', d.name])).toContain('replaced whole');
    // The old revision is stale now.
    expect((await put(serializeXml(good))).statusCode).toBe(409);
  });

  it('refuses lifecycle to viewers and definition changes to operators', async () => {
    const d = await defineTiny('roles');
    names.push(d.name);
    expect((await act(d.uuid, 'start', h.viewer)).statusCode).toBe(403);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/v1/hosts/local/domains/${d.uuid}`, headers: h.operator.headers });
    expect(del.statusCode).toBe(403);
    expect(await virshState(d.name)).toBe('shutoff');
  });

  it('answers 404 for an unknown domain and 400 for a malformed UUID', async () => {
    const missing = await h.app.inject({ url: '/api/v1/hosts/local/domains/00000000-0000-0000-0000-000000000001', headers: { cookie: h.viewer.cookie } });
    expect(missing.statusCode).toBe(404);
    const malformed = await h.app.inject({ url: '/api/v1/hosts/local/domains/not-a-uuid', headers: { cookie: h.viewer.cookie } });
    expect(malformed.statusCode).toBe(400);
  });

  it('deletes a domain without its disks by default', async () => {
    const d = await defineTiny('del');
    const res = await h.app.inject({ method: 'DELETE', url: `/api/v1/hosts/local/domains/${d.uuid}`, headers: h.admin.headers });
    expect(res.statusCode, res.body).toBe(204);
    await expect(virsh(['domstate', d.name])).rejects.toThrow(/failed to get domain/);
    expect(await row(d.name)).toBeUndefined();
  });
});
