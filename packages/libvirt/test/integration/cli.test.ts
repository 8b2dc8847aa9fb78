import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtConnection } from '../../src/index.js';
import { daemonAvailable, LIBVIRT_URI, open, removeDomain, tinyDomainXml, uniqueName, virsh, waitFor } from '../support/libvirt.js';

const execFileP = promisify(execFile);
const cli = fileURLToPath(new URL('../../dist/cli/vireo-virsh.js', import.meta.url));

/** virsh's table words for states, mapped to libvirt's lower-case state names that vireo-virsh prints. */
const VIRSH_STATES: Record<string, string> = {
  running: 'running',
  idle: 'blocked',
  paused: 'paused',
  'in shutdown': 'shutdown',
  'shut off': 'shutoff',
  crashed: 'crashed',
  pmsuspended: 'pmsuspended',
};

describe.skipIf(!daemonAvailable)('vireo-virsh (built CLI) against virsh', () => {
  let conn: LibvirtConnection;
  const names = [uniqueName('cli'), uniqueName('cli')];

  beforeAll(async () => {
    conn = await open();
    for (const name of names) await conn.domainDefineXMLFlags({ xml: tinyDomainXml(name), flags: 0 });
  });

  afterAll(async () => {
    for (const name of names) await removeDomain(conn, name);
    await conn.close();
  });

  it('list --all --json gives the uuid, name and state virsh gives', async () => {
    const { stdout } = await execFileP('node', [cli, '-c', LIBVIRT_URI, 'list', '--all', '--json']);
    const ours = JSON.parse(stdout) as { uuid: string; name: string; state: string }[];
    const table = await virsh(['list', '--all']);
    const theirs = new Map<string, string>();
    for (const line of table.split('\n').slice(2)) {
      const cols = line.trim().split(/\s{2,}/);
      if (cols.length === 3) theirs.set(cols[1]!, VIRSH_STATES[cols[2]!] ?? cols[2]!);
    }
    expect(new Map(ours.map((d) => [d.name, d.state]))).toEqual(theirs);
    const uuids = (await virsh(['list', '--all', '--uuid'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
    expect(ours.map((d) => d.uuid).sort()).toEqual(uuids);
    for (const name of names) expect(ours.find((d) => d.name === name)?.state).toBe('shutoff');
  });

  it('dumpxml prints what virsh dumpxml prints, by name and by UUID', async () => {
    const oracle = (await virsh(['dumpxml', names[0]!])).trimEnd();
    const byName = await execFileP('node', [cli, '-c', LIBVIRT_URI, 'dumpxml', names[0]!]);
    expect(byName.stdout.trimEnd()).toBe(oracle);
    const uuid = (await virsh(['domuuid', names[0]!])).trim();
    const byUuid = await execFileP('node', [cli, '-c', LIBVIRT_URI, 'dumpxml', uuid]);
    expect(byUuid.stdout.trimEnd()).toBe(oracle);
  });

  it('event prints one JSON line per domain event', async () => {
    const child = spawn('node', [cli, '-c', LIBVIRT_URI, 'event', '--timeout', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await waitFor(() => (err.includes('listening') ? true : undefined), 10000, 'the CLI to subscribe');
      const name = uniqueName('cli-ev');
      names.push(name);
      await conn.domainDefineXMLFlags({ xml: tinyDomainXml(name), flags: 0 });
      const line = await waitFor(
        () => out.split('\n').find((l) => l.includes(name)),
        10000,
        'the defined event on stdout',
      );
      expect(JSON.parse(line)).toMatchObject({ event: 'lifecycle', domain: name, type: 'DEFINED', detail: 'ADDED' });
      for (const l of out.split('\n').filter(Boolean)) expect(() => JSON.parse(l) as unknown).not.toThrow();
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('fails with a clear message and exit code 1 for a missing domain', async () => {
    const missing = uniqueName('missing');
    const err = (await execFileP('node', [cli, '-c', LIBVIRT_URI, 'dumpxml', missing]).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(new RegExp(`vireo-virsh: domainLookupByName on .*${missing}`));
  });
});
