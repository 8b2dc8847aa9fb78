import type { DomainStateName } from '@vireo/api';

/** A disk of the VM as the delete dialog lists it. */
export interface DeleteDisk {
  /** Stable key: the path, or `pool/volume` for a pool volume whose path is looked up. */
  key: string;
  /** The file or block device path (what the delete request names); for a pool volume, known once looked up. */
  path: string | undefined;
  /** A `<source pool volume>` disk: its pool and volume names. */
  volume?: { pool: string; name: string };
  target: string | undefined;
  /** CD-ROM/floppy media or read-only/shareable images: shared, never offered for deletion. */
  shared: boolean;
}

interface DiskLike {
  device?: unknown;
  source?: { file?: unknown; dev?: unknown; pool?: unknown; volume?: unknown };
  target?: { dev?: unknown };
  readonly?: unknown;
  shareable?: unknown;
}

/** The disks with a path or a pool volume from a domain detail's `view` (DomainView), in definition order. */
export function disksOf(view: Record<string, unknown> | undefined): DeleteDisk[] {
  const devices = view?.['devices'] as { disks?: unknown } | undefined;
  const disks = Array.isArray(devices?.disks) ? (devices.disks as DiskLike[]) : [];
  const out: DeleteDisk[] = [];
  for (const d of disks) {
    const src = d.source;
    const path = typeof src?.file === 'string' ? src.file : typeof src?.dev === 'string' ? src.dev : undefined;
    const volume = typeof src?.pool === 'string' && typeof src.volume === 'string' ? { pool: src.pool, name: src.volume } : undefined;
    if (!path && !volume) continue;
    const name = path ?? volume?.name ?? '';
    const media = d.device === 'cdrom' || d.device === 'floppy' || /\.iso$/i.test(name);
    out.push({
      key: path ?? `${volume?.pool}/${volume?.name}`,
      path,
      ...(volume && { volume }),
      target: typeof d.target?.dev === 'string' ? d.target.dev : undefined,
      shared: media || d.shareable === true,
    });
  }
  return out;
}

/** What the pools say about a volume disk: its path, and which domains use it. */
export interface VolumeFacts {
  path: string;
  usedBy: readonly string[];
}

/**
 * Completes pool-volume disks with their paths from the pools' volume lists, and marks as shared any disk another VM
 * uses too (deleting it would break that VM). A volume not found stays without a path and cannot be picked.
 */
export function resolveDisks(disks: readonly DeleteDisk[], lookup: (pool: string, volume: string) => VolumeFacts | undefined, vmName: string): DeleteDisk[] {
  return disks.map((d) => {
    if (!d.volume) return d;
    const facts = lookup(d.volume.pool, d.volume.name);
    if (!facts) return d;
    return { ...d, path: facts.path, shared: d.shared || facts.usedBy.some((n) => n !== vmName) };
  });
}

/** States in which libvirt still runs the domain: it must be forced off before deletion. */
export function mustForceOff(state: DomainStateName): boolean {
  return state !== 'shutoff' && state !== 'crashed' && state !== 'nostate';
}

/** Delete is allowed once the exact name is typed and the VM is not running. */
export function canDelete(typed: string, name: string, state: DomainStateName): boolean {
  return typed === name && !mustForceOff(state);
}
