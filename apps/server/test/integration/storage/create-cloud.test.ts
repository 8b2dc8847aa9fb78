// Creating a VM from a cloud image with a cloud-init seed: the disk copied from a volume and grown, the seed ISO
// built with xorriso and uploaded into a volume, attached as a CD-ROM; a failed create leaves neither behind.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Problem, Task } from '@vireo/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonAvailable, dirPoolXml, uniqueName, virsh, waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { removeTiny, tinySpec, virshWithFile } from '../support/domains.js';
import { startLive, type LiveHarness } from '../support/live-server.js';

const execFileP = promisify(execFile);
const MiB = 1024 * 1024;

/** The volume names of a pool as virsh lists them (a table: header, rule, then "name  path" rows). */
async function volumes(pool: string): Promise<string[]> {
  return (await virsh(['vol-list', pool]))
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/, 1)[0]!)
    .filter((n) => n !== '');
}

describe.skipIf(!daemonAvailable)(`create from a cloud image with cloud-init${daemonAvailable ? '' : ' (skipped: no libvirtd socket)'}`, () => {
  let h: LiveHarness;
  let dir: string;
  let work: string;
  const pool = uniqueName('it-cloud');
  const names: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vireo-it-cloud-'));
    work = mkdtempSync(path.join(os.tmpdir(), 'vireo-it-cloudwork-'));
    chmodSync(dir, 0o755);
    // The "cloud image": a small qcow2 with a known virtual size.
    await execFileP('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(dir, 'base.qcow2'), '16M']);
    await virshWithFile((f) => ['pool-create', f], dirPoolXml(pool, dir));
    h = await startLive();
  });

  afterAll(async () => {
    for (const name of names) await removeTiny(name);
    await h?.close();
    await virsh(['pool-destroy', pool]).catch(() => undefined);
    for (const d of [dir, work]) if (d) rmSync(d, { recursive: true, force: true });
  });

  const create = (payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/hosts/local/domains', headers: h.admin.headers, payload });
  const waitTask = (id: string) =>
    waitFor(async () => {
      const t = (await h.app.inject({ url: `/api/v1/tasks/${id}`, headers: { cookie: h.viewer.cookie } })).json<Task>();
      return t.state === 'succeeded' || t.state === 'failed' ? t : undefined;
    }, 60_000, `task ${id} to end`);
  const cloudDisk = (name: string, extra: Record<string, unknown> = {}) => ({
    source: { type: 'volume', pool, volume: `${name}.qcow2` },
    create: true,
    size: '48MiB',
    format: 'qcow2',
    bus: 'sata',
    cloneFrom: { pool, volume: 'base.qcow2' },
    ...extra,
  });

  it('copies the image into a grown disk and attaches a cidata seed holding the user-data', async () => {
    const name = uniqueName('it-ci');
    names.push(name);
    const userData = '#cloud-config\npackages:\n  - htop\n';
    const res = await create({ spec: tinySpec(name, { disks: [cloudDisk(name)] }), cloudInit: { userData, hostname: 'ci-host' } });
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitTask(res.json<{ task: Task }>().task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const uuid = (await virsh(['domuuid', name])).trim();
    expect(done.result?.['uuid']).toBe(uuid);

    const xml = await virsh(['dumpxml', name, '--inactive']);
    expect(xml).toMatch(new RegExp(`<disk type='volume' device='cdrom'>[\\s\\S]*?<source pool='${pool}' volume='${name}-cidata.iso'/>`));
    expect(await volumes(pool)).toEqual(expect.arrayContaining([`${name}.qcow2`, `${name}-cidata.iso`]));
    // Grown from the image's 16 MiB to the asked 48 MiB.
    const info = await execFileP('qemu-img', ['info', '--output=json', '-U', path.join(dir, `${name}.qcow2`)]);
    expect((JSON.parse(info.stdout) as { 'virtual-size': number })['virtual-size']).toBe(48 * MiB);

    // The seed as the guest will read it: label cidata, user-data as given, meta-data naming this instance.
    const seed = path.join(work, 'seed.iso');
    await virsh(['vol-download', '--pool', pool, `${name}-cidata.iso`, seed]);
    const pvd = await execFileP('xorriso', ['-indev', seed, '-pvd_info']);
    expect(pvd.stdout + pvd.stderr).toMatch(/Volume Id\s*:\s*cidata/);
    const out = path.join(work, 'seed');
    await execFileP('xorriso', ['-osirrox', 'on', '-indev', seed, '-extract', '/', out]);
    expect(readFileSync(path.join(out, 'user-data'), 'utf8')).toBe(userData);
    const meta = readFileSync(path.join(out, 'meta-data'), 'utf8');
    expect(meta).toContain(`instance-id: ${uuid}`);
    expect(meta).toContain('local-hostname: ci-host');
  });

  it('removes the copied disk and the seed when the define fails', async () => {
    const name = uniqueName('it-cifail');
    names.push(name);
    const res = await create({
      spec: tinySpec(name, { machine: 'vireo-no-such-machine', disks: [cloudDisk(name)] }),
      cloudInit: { userData: '#cloud-config\n{}\n' },
    });
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitTask(res.json<{ task: Task }>().task.id);
    expect(done.state).toBe('failed');
    // libvirt refused the definition (its words depend on the QEMU build); the volumes were made before it.
    expect(done.error?.libvirt?.message).toBeTruthy();
    const left = await volumes(pool);
    expect(left).not.toContain(`${name}.qcow2`);
    expect(left).not.toContain(`${name}-cidata.iso`);
    expect(left).toContain('base.qcow2');
    await expect(virsh(['domstate', name])).rejects.toThrow();
  });

  it('refuses user-data that is not #cloud-config YAML with the field and the line, creating nothing', async () => {
    const name = uniqueName('it-cibad');
    const noHeader = await create({ spec: tinySpec(name, { disks: [cloudDisk(name)] }), cloudInit: { userData: 'packages: [htop]\n' } });
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json<Problem>().errors?.[0]?.field).toBe('body.cloudInit.userData');
    const badYaml = await create({ spec: tinySpec(name, { disks: [cloudDisk(name)] }), cloudInit: { userData: '#cloud-config\npackages: [htop\nusers: x\n' } });
    expect(badYaml.statusCode).toBe(400);
    const error = badYaml.json<Problem>().errors?.[0];
    expect(error?.field).toBe('body.cloudInit.userData');
    expect(error?.reason).toMatch(/line \d+/);
    const noPool = await create({ spec: tinySpec(name), cloudInit: { userData: '#cloud-config\n', pool: uniqueName('nopool') } });
    expect(noPool.statusCode).toBe(400);
    expect(noPool.json<Problem>().errors?.[0]?.field).toBe('body.cloudInit.pool');
    expect(await volumes(pool)).not.toContain(`${name}.qcow2`);
    await expect(virsh(['domstate', name])).rejects.toThrow();
  });

  it('shows the seed CD-ROM in the preview of a spec with cloud-init', async () => {
    const name = uniqueName('it-cipreview');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/hosts/local/domains/preview',
      headers: h.admin.headers,
      payload: { spec: tinySpec(name, { disks: [cloudDisk(name)] }), cloudInit: { userData: '#cloud-config\n' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ xml: string }>().xml).toContain(`volume="${name}-cidata.iso"`);
    expect(await volumes(pool)).not.toContain(`${name}-cidata.iso`);
  });
});
