/**
 * "Needs restart to apply": the facts in which a running VM's persistent (inactive) definition differs from the
 * configuration it runs with. Only what a restart would change is compared; what the running configuration adds
 * by itself (aliases, PCI addresses, the resolved firmware paths, the bridge of a network) is left out, so an
 * untouched VM shows no badge. A disk without a format runs as raw, so that is what a missing one compares as.
 */
import { diskSource, interfaceSource, type DetailView, type DiskRow, type InterfaceRow } from './view.js';

export const RESTART_FACTS = ['vcpus', 'memory', 'machine', 'firmware', 'bootOrder', 'disks', 'interfaces'] as const;
export type RestartFact = (typeof RESTART_FACTS)[number];

function vcpusOf(v: DetailView): string {
  const count = v.vcpus?.count;
  return `${count ?? ''}/${v.vcpus?.current ?? count ?? ''}`;
}

function memoryOf(v: DetailView): string {
  return `${v.memoryKiB ?? ''}/${v.currentMemoryKiB ?? v.memoryKiB ?? ''}`;
}

/**
 * The firmware kind and the features the definition asks for. Not the derived secure-boot flag: autoselection may
 * pick a secure-boot capable build for a definition that asked for none, which is no pending change.
 */
function firmwareOf(v: DetailView): string {
  const features = (v.os?.firmwareFeatures ?? []).map((f) => `${f.name ?? ''}=${f.enabled === true ? 'yes' : 'no'}`).sort();
  return `${v.firmware ?? 'bios'}/${features.join(',')}`;
}

/**
 * Boot order: per-device orders when any device has one, else the `<os><boot dev>` list. A running VM's
 * configuration keeps both as defined, so they compare directly.
 */
function bootOrderOf(v: DetailView): string {
  const devices = v.bootOrder ?? [];
  if (devices.length > 0) return devices.map((b) => `${b.kind}:${b.label ?? ''}`).join(',');
  return (v.os?.bootDevices ?? []).join(',');
}

function diskKey(d: DiskRow): string {
  return [d.target?.dev, d.device ?? 'disk', d.target?.bus, diskSource(d) ?? '', d.driver?.type ?? 'raw', d.readonly === true ? 'ro' : ''].join('|');
}

function interfaceKey(n: InterfaceRow): string {
  return [n.mac, n.type, interfaceSource(n) ?? '', n.model].join('|');
}

/** Devices compare as sets, keyed by what identifies them: document order is not something a restart applies. */
function deviceSet<T>(rows: T[] | undefined, key: (row: T) => string): string {
  return (rows ?? []).map(key).sort().join('\n');
}

const FACTS: Record<RestartFact, (v: DetailView) => string> = {
  vcpus: vcpusOf,
  memory: memoryOf,
  machine: (v) => v.os?.machine ?? '',
  firmware: firmwareOf,
  bootOrder: bootOrderOf,
  disks: (v) => deviceSet(v.devices?.disks, diskKey),
  interfaces: (v) => deviceSet(v.devices?.interfaces, interfaceKey),
};

/** The facts to badge; empty when the VM is shut off (no live configuration) or nothing differs. */
export function pendingRestart(persistent: DetailView, live: DetailView | null): Set<RestartFact> {
  const pending = new Set<RestartFact>();
  if (!live) return pending;
  for (const fact of RESTART_FACTS) if (FACTS[fact](persistent) !== FACTS[fact](live)) pending.add(fact);
  return pending;
}
