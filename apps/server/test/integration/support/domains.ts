// Test domains on the real libvirtd: defined through virsh (the oracle), removed whatever state they are in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DomainSummary } from '@vireo/api';
import { domainType, tinyDomainXml, uniqueName, virsh } from '../../../../../packages/libvirt/test/support/libvirt.js';

/** Runs virsh on a document written to a temporary file (virsh define and friends read files). */
export async function virshWithFile(args: (file: string) => string[], xml: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vireo-test-xml-'));
  try {
    const file = path.join(dir, 'doc.xml');
    writeFileSync(file, xml);
    return await virsh(args(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Defines a tiny diskless domain with virsh; returns its name and UUID. */
export async function defineTiny(what: string, options: { vnc?: boolean } = {}): Promise<{ name: string; uuid: string }> {
  const name = uniqueName(what);
  await virshWithFile((f) => ['define', f], tinyDomainXml(name, options));
  const uuid = (await virsh(['domuuid', name])).trim();
  return { name, uuid };
}

export async function removeTiny(name: string): Promise<void> {
  await virsh(['destroy', name]).catch(() => undefined);
  await virsh(['undefine', name, '--nvram', '--managed-save']).catch(() => undefined);
}

/** virsh's state words ("shut off") in the API's spelling ("shutoff"). */
export async function virshState(name: string): Promise<string> {
  return (await virsh(['domstate', name])).trim().replace('shut off', 'shutoff').replace('in shutdown', 'shutdown');
}

/** A spec for POST .../domains: as small as the tiny domain, built by the server this time. */
export function tinySpec(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    type: domainType(),
    machine: 'pc',
    memory: '32MiB',
    vcpus: 1,
    onCrash: 'destroy',
    graphics: { type: 'none' },
    serialConsole: true,
    guestAgent: false,
    memballoon: false,
    rng: false,
    ...extra,
  };
}

export function byName(rows: readonly DomainSummary[], name: string): DomainSummary | undefined {
  return rows.find((r) => r.name === name);
}
