/**
 * The boot order editor's model: every bootable device (disks, CD-ROMs, NICs) once, the enabled ones first in boot
 * order. Saving sends per-device identities (`{kind:'disk',target}`, `{kind:'interface',mac}`), which is what
 * libvirt applies to each device; an empty list goes back to libvirt's default (the first disk).
 */
import type { DomainEdit } from '@vireo/api';
import { diskSource, interfaceSource, type DetailView } from './view.js';

export type BootOrderEdit = Extract<DomainEdit, { op: 'bootOrder' }>;
type DeviceIdentity = Exclude<BootOrderEdit['order'][number], string>;

export interface BootItem {
  /** Unique in the list: `disk:<target>` or `interface:<mac>`. */
  key: string;
  identity: DeviceIdentity;
  /** disk, cdrom, floppy, lun or interface: what the row says it is. */
  device: string;
  /** The disk's target or the NIC's MAC: the device's name in the row and in its buttons' names. */
  name: string;
  /** Where it boots from: the disk's source, the NIC's network; null when empty (an ejected CD-ROM). */
  source: string | null;
  enabled: boolean;
}

/** `<os><boot dev>` names, and which device each one means (the first of its kind, as the firmware picks it). */
const OS_BOOT_DEVICES: Record<string, (item: BootItem) => boolean> = {
  hd: (i) => i.device === 'disk' || i.device === 'lun',
  cdrom: (i) => i.device === 'cdrom',
  fd: (i) => i.device === 'floppy',
  network: (i) => i.device === 'interface',
};

/** The devices as the definition has them, enabled ones first in their boot order. */
export function bootItems(view: DetailView): BootItem[] {
  const devices: BootItem[] = [];
  for (const d of view.devices?.disks ?? []) {
    const target = d.target?.dev;
    if (target === undefined) continue;
    devices.push({ key: `disk:${target}`, identity: { kind: 'disk', target }, device: d.device ?? 'disk', name: target, source: diskSource(d), enabled: false });
  }
  for (const n of view.devices?.interfaces ?? []) {
    if (n.mac === undefined) continue;
    devices.push({ key: `interface:${n.mac}`, identity: { kind: 'interface', mac: n.mac }, device: 'interface', name: n.mac, source: interfaceSource(n), enabled: false });
  }

  const order: BootItem[] = [];
  const explicit = view.bootOrder ?? [];
  if (explicit.length > 0) {
    for (const entry of explicit) {
      const found = devices.find((i) => i.key === `${entry.kind}:${entry.label ?? ''}`);
      if (found && !order.includes(found)) order.push(found);
    }
  } else {
    for (const dev of view.os?.bootDevices ?? []) {
      const matches = OS_BOOT_DEVICES[dev];
      const found = matches ? devices.find((i) => matches(i) && !order.includes(i)) : undefined;
      if (found) order.push(found);
    }
  }
  return [...order.map((i) => ({ ...i, enabled: true })), ...devices.filter((i) => !order.includes(i))];
}

/** Moves the item at `index` one place up (-1) or down (+1); out of range leaves the list as it is. */
export function moveItem(items: readonly BootItem[], index: number, delta: -1 | 1): BootItem[] {
  const to = index + delta;
  if (index < 0 || index >= items.length || to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [moved] = next.splice(index, 1);
  next.splice(to, 0, moved!);
  return next;
}

export function setEnabled(items: readonly BootItem[], key: string, enabled: boolean): BootItem[] {
  return items.map((i) => (i.key === key ? { ...i, enabled } : i));
}

/** The enabled devices in list order: the boot order the list stands for. */
export function bootSequence(items: readonly BootItem[]): string[] {
  return items.filter((i) => i.enabled).map((i) => i.key);
}

export function sameBootOrder(a: readonly BootItem[], b: readonly BootItem[]): boolean {
  const x = bootSequence(a);
  const y = bootSequence(b);
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

export function bootOrderOperation(items: readonly BootItem[]): BootOrderEdit {
  const enabled = items.filter((i) => i.enabled).map((i) => i.identity);
  // No device: an empty list of boot device names, which clears every boot element (libvirt's default applies).
  return enabled.length > 0 ? { op: 'bootOrder', order: enabled } : { op: 'bootOrder', order: [] };
}
