import type { DomainStateName } from '@vireo/api';

/** A disk of the VM as the delete dialog lists it. */
export interface DeleteDisk {
  /** The file or block device path (what the delete request names). */
  path: string;
  target: string | undefined;
  /** CD-ROM/floppy media or read-only/shareable images: shared, never offered for deletion. */
  shared: boolean;
}

interface DiskLike {
  device?: unknown;
  source?: { file?: unknown; dev?: unknown };
  target?: { dev?: unknown };
  readonly?: unknown;
  shareable?: unknown;
}

/** The disks with a path from a domain detail's `view` (DomainView), in definition order. */
export function disksOf(view: Record<string, unknown> | undefined): DeleteDisk[] {
  const devices = view?.['devices'] as { disks?: unknown } | undefined;
  const disks = Array.isArray(devices?.disks) ? (devices.disks as DiskLike[]) : [];
  const out: DeleteDisk[] = [];
  for (const d of disks) {
    const src = d.source;
    const path = typeof src?.file === 'string' ? src.file : typeof src?.dev === 'string' ? src.dev : undefined;
    if (!path) continue;
    const media = d.device === 'cdrom' || d.device === 'floppy' || /\.iso$/i.test(path);
    out.push({
      path,
      target: typeof d.target?.dev === 'string' ? d.target.dev : undefined,
      shared: media || d.shareable === true,
    });
  }
  return out;
}

/** States in which libvirt still runs the domain: it must be forced off before deletion. */
export function mustForceOff(state: DomainStateName): boolean {
  return state !== 'shutoff' && state !== 'crashed' && state !== 'nostate';
}

/** Delete is allowed once the exact name is typed and the VM is not running. */
export function canDelete(typed: string, name: string, state: DomainStateName): boolean {
  return typed === name && !mustForceOff(state);
}
