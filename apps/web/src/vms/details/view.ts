/**
 * The parts of the detail response's `view` (@vireo/libvirt-xml's DomainView, sent as JSON) this page reads.
 * Only types are declared here: the web app does not bundle the XML layer.
 */
import type { DomainDetail } from '@vireo/api';

export interface DiskRow {
  type?: string;
  device?: string;
  driver?: { type?: string };
  source?: { file?: string; dev?: string; dir?: string; pool?: string; volume?: string; protocol?: string; name?: string; path?: string };
  target?: { dev?: string; bus?: string };
  readonly?: boolean;
  bootOrder?: number;
}

export interface InterfaceRow {
  type?: string;
  mac?: string;
  source?: { network?: string; bridge?: string; dev?: string; path?: string; address?: string };
  model?: string;
  linkState?: 'up' | 'down';
  bootOrder?: number;
}

export interface DetailView {
  memoryKiB?: number;
  currentMemoryKiB?: number;
  vcpus?: { count?: number; current?: number };
  os?: {
    type?: string;
    arch?: string;
    machine?: string;
    bootDevices?: string[];
    firmwareFeatures?: { name?: string; enabled?: boolean }[];
  };
  firmware?: 'bios' | 'uefi';
  secureBoot?: boolean;
  devices?: { disks?: DiskRow[]; interfaces?: InterfaceRow[] };
  /** Devices with an explicit `<boot order>`, sorted by it (`label`: the disk's target, the interface's MAC). */
  bootOrder?: { order: number; kind: string; label?: string }[];
}

export function detailView(detail: DomainDetail): DetailView {
  const view: DetailView = detail.view;
  return view;
}

/** The running configuration; null when the VM is shut off. */
export function liveView(detail: DomainDetail): DetailView | null {
  const live: DetailView | null = detail.live;
  return live;
}

/** Where a disk's data is: a path, pool/volume, or a network name; null when empty (an ejected CD-ROM). */
export function diskSource(disk: DiskRow): string | null {
  const s = disk.source;
  if (!s) return null;
  if (s.pool !== undefined || s.volume !== undefined) return `${s.pool ?? ''}/${s.volume ?? ''}`;
  if (s.protocol !== undefined) return `${s.protocol}:${s.name ?? ''}`;
  return s.file ?? s.dev ?? s.dir ?? s.path ?? null;
}

export function interfaceSource(nic: InterfaceRow): string | null {
  const s = nic.source;
  if (!s) return null;
  return s.network ?? s.bridge ?? s.dev ?? s.path ?? s.address ?? null;
}
