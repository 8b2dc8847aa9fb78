/** The machine a benchmark ran on, for its report. */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { LibvirtConnection } from '@vireo/libvirt';

/** libvirt's packed version number (major * 1000000 + minor * 1000 + release) as `major.minor.release`. */
export function versionString(v: bigint | number): string {
  const n = Number(v);
  return `${Math.floor(n / 1000000)}.${Math.floor(n / 1000) % 1000}.${n % 1000}`;
}

export async function machineInfo(conn: LibvirtConnection) {
  const [{ lib_ver }, { hv_ver }, { type }] = await Promise.all([
    conn.connectGetLibVersion(undefined),
    conn.connectGetVersion(undefined),
    conn.connectGetType(undefined),
  ]);
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const distro = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? `${os.type()} ${os.release()}`;
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: distro,
    kernel: os.release(),
    node: process.version,
    libvirtDaemon: versionString(lib_ver),
    hypervisor: `${type} ${versionString(hv_ver)}`,
  };
}
