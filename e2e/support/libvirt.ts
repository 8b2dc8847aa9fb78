/**
 * The test VM: a tiny diskless domain defined through `virsh` (the oracle, as in the integration tests) from XML
 * built by Vireo's own XML layer, and removed again whatever state it is in. `virsh` also plays "someone changing
 * the VM outside Vireo" in the journeys.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildDomainXml, mib, type DomainSpec } from '@vireo/libvirt-xml';
import { domainType } from '../../packages/libvirt/test/support/libvirt.js';
import { LIBVIRT_URI } from './env.js';

const execFileP = promisify(execFile);

export const TEST_VM_PREFIX = 'vireo-test-e2e-';

export async function virsh(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP('virsh', ['-c', LIBVIRT_URI, ...args]);
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: unknown }).stderr;
    const why = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : String(err);
    throw new Error(`virsh ${args.join(' ')} failed: ${why}`);
  }
}

export function testVmName(): string {
  return `${TEST_VM_PREFIX}${randomBytes(4).toString('hex')}`;
}

/**
 * 32 MiB, no disk, no NIC, no graphics: SeaBIOS finds nothing to boot and waits, running. `extra` changes the spec
 * (graphics, CD-ROMs, ...) for journeys that need more.
 */
export function testVmXml(name: string, extra: Partial<DomainSpec> = {}): string {
  return buildDomainXml({
    name,
    type: domainType(),
    machine: 'pc',
    memory: mib(32),
    vcpus: 1,
    graphics: { type: 'none' },
    guestAgent: false,
    memballoon: false,
    rng: false,
    ...extra,
  });
}

/**
 * Defines the VM (shut off). The name is also recorded under `stateDir`, so the global teardown removes it even
 * when the worker that made it died before its own clean-up.
 */
export async function defineTestVm(name: string, stateDir: string): Promise<void> {
  await defineVm(name, testVmXml(name), stateDir);
}

/**
 * Defines a VM from its XML (its name must start with TEST_VM_PREFIX), recorded under `stateDir` for the global
 * teardown as the test VM is; remove it with `removeTestVm`.
 */
export async function defineVm(name: string, xml: string, stateDir: string): Promise<void> {
  if (!name.startsWith(TEST_VM_PREFIX)) throw new Error(`${name}: test VM names start with ${TEST_VM_PREFIX}, so a crashed run's are removed`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vireo-e2e-xml-'));
  try {
    const file = path.join(dir, `${name}.xml`);
    await writeFile(file, xml);
    mkdirSync(path.join(stateDir, 'domains'), { recursive: true });
    writeFileSync(path.join(stateDir, 'domains', name), '');
    await virsh('define', file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Destroys (if running) and undefines the VM; a VM that is already gone is fine. */
export async function removeTestVm(name: string, stateDir: string): Promise<void> {
  const exists = await virsh('domstate', name).then(
    () => true,
    () => false,
  );
  if (exists) {
    await virsh('destroy', name).catch(() => undefined);
    await virsh('undefine', name, '--nvram').catch(() => virsh('undefine', name));
  }
  rmSync(path.join(stateDir, 'domains', name), { force: true });
}

/** The recorded test VMs still defined when the run ends (a crashed worker's). */
export async function removeLeftoverTestVms(stateDir: string): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(path.join(stateDir, 'domains'));
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith(TEST_VM_PREFIX))) await removeTestVm(name, stateDir);
}
