/** Shared helpers for tests that talk to the real libvirtd started by scripts/libvirt-daemons.sh. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { buildDomain, buildStoragePoolXml, buildStorageVolumeXml, dom, mib, serializeXml, type DomainSpec } from '@vireo/libvirt-xml';
import { LibvirtConnection, type OpenOptions } from '../../src/index.js';

const execFileP = promisify(execFile);

export const LIBVIRT_URI = process.env['VIREO_TEST_LIBVIRT_URI'] ?? 'qemu:///system';
export const LIBVIRT_SOCKET = '/var/run/libvirt/libvirt-sock';

/** True when a daemon answers on the system socket; integration suites skip (with a reason) otherwise. */
export const daemonAvailable = existsSync(LIBVIRT_SOCKET);

/** Tests that stop or kill libvirtd run only against a daemon the test script started itself. */
export const daemonOwned = process.env['VIREO_TEST_DAEMON_OWNED'] === '1';

export function open(uri = LIBVIRT_URI, options: OpenOptions = {}): Promise<LibvirtConnection> {
  return LibvirtConnection.open(uri, options);
}

export async function virsh(args: string[], uri = LIBVIRT_URI): Promise<string> {
  const { stdout } = await execFileP('virsh', ['-c', uri, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Every test object carries this prefix so a crashed run's leftovers are recognisable and removable. */
export function uniqueName(what: string): string {
  return `vireo-test-${what}-${randomBytes(4).toString('hex')}`;
}

/**
 * KVM when QEMU (user libvirt-qemu, group kvm) can open /dev/kvm, TCG otherwise. Decided from the device's owner
 * and mode, because a failed KVM start costs seconds.
 */
export function domainType(): 'kvm' | 'qemu' {
  try {
    const st = statSync('/dev/kvm');
    const kvmGid = Number(/^kvm:[^:]*:(\d+):/m.exec(readFileSync('/etc/group', 'utf8'))?.[1] ?? -1);
    const usable = (st.mode & 0o006) === 0o006 || (st.gid === kvmGid && (st.mode & 0o060) === 0o060);
    return usable ? 'kvm' : 'qemu';
  } catch {
    return 'qemu';
  }
}

/**
 * A diskless VM: SeaBIOS prints to the serial console (and reboots every second for lack of a boot device, so its
 * banner keeps coming) and draws its screen on VNC. No NIC. Built by the XML layer, like everything Vireo defines.
 */
export function tinyDomainXml(name: string, options: { vnc?: boolean; graphics?: DomainSpec['graphics'] } = {}): string {
  const doc = buildDomain({
    name,
    type: domainType(),
    machine: 'pc',
    memory: mib(32),
    vcpus: 1,
    onCrash: 'destroy',
    graphics: options.graphics ?? (options.vnc ? { type: 'vnc' } : { type: 'none' }),
    serialConsole: true,
    guestAgent: false,
    memballoon: false,
    rng: false,
  });
  // SeaBIOS's serial output is a BIOS setting the wizard never needs, so the builder has no field for it.
  const os = dom.at(doc.documentElement!, 'os')!;
  dom.addChild(os, 'bios', { useserial: 'yes', rebootTimeout: 1000 });
  return serializeXml(doc);
}

/** A dir pool over `path`, and raw volumes in it. */
export function dirPoolXml(name: string, path: string): string {
  return buildStoragePoolXml({ type: 'dir', name, path });
}

export function rawVolumeXml(name: string, bytes: number): string {
  return buildStorageVolumeXml({ name, capacity: bytes, format: 'raw' });
}

/** Removes a test domain whatever state it is in; ignores "no such domain". */
export async function removeDomain(conn: LibvirtConnection, name: string): Promise<void> {
  let dom;
  try {
    ({ dom } = await conn.domainLookupByName({ name }));
  } catch {
    return;
  }
  await conn.domainDestroy({ dom }).catch(() => undefined);
  await conn.domainUndefineFlags({ dom, flags: 4 /* NVRAM */ }).catch(() => undefined);
}

/** Polls until `check` returns a value or the deadline passes; never a bare sleep. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
