/**
 * Device identity: how a device in a domain document is named for update and detach. Persistent definitions are
 * matched the way libvirt matches them (disk target, interface MAC, host device source address); devices of a
 * running domain are named by the alias libvirt gave them in the live XML.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { attr, child, children } from './dom/nav.js';
import { rootElement, serializeXml } from './dom/parse.js';
import { parseCNumber } from './edits/util.js';

export interface PciAddress {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

export type UsbSource = { vendor: number; product: number } | { bus: number; device: number };

export interface ScsiHostAddress {
  adapter: string;
  bus: number;
  target: number;
  unit: number;
}

export type DeviceIdentity =
  | { kind: 'disk'; target: string }
  | { kind: 'interface'; mac: string }
  | { kind: 'hostdev'; pci: PciAddress }
  | { kind: 'hostdev'; usb: UsbSource }
  | { kind: 'hostdev'; mdev: string }
  | { kind: 'hostdev'; scsi: ScsiHostAddress }
  | { kind: 'graphics'; type: string }
  | { kind: 'tpm' }
  | { kind: 'watchdog'; model?: string }
  /** The index-th `<rng>` (0-based, document order): libvirt compares whole definitions, we only need to point. */
  | { kind: 'rng'; index?: number }
  /** The alias of a device in live XML (`virtio-disk0`, or a user alias `ua-...` that persists). */
  | { alias: string };

/** Element names of the things that live in `<devices>`, in the order libvirt formats them. */
export const DEVICE_ORDER = [
  'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel', 'console',
  'channel', 'input', 'tpm', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'redirdev', 'redirfilter', 'hub',
  'watchdog', 'memballoon', 'rng', 'panic', 'shmem', 'memory', 'iommu', 'vsock', 'crypto', 'pstore',
] as const;

export function devicesElement(doc: Document): Element | undefined {
  return child(rootElement(doc, 'domain'), 'devices');
}

/** MACs compare case-insensitively: libvirt parses them to bytes. */
export function sameMac(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function num(el: Element | undefined, name: string): number | undefined {
  return parseCNumber(attr(el, name));
}

function pciOf(hostdev: Element): PciAddress | undefined {
  if (attr(hostdev, 'type') !== 'pci') return undefined;
  const a = child(child(hostdev, 'source') ?? hostdev, 'address');
  if (!a) return undefined;
  const domain = num(a, 'domain') ?? 0;
  const bus = num(a, 'bus');
  const slot = num(a, 'slot');
  const fn = num(a, 'function');
  if (bus === undefined || slot === undefined || fn === undefined) return undefined;
  return { domain, bus, slot, function: fn };
}

function usbOf(hostdev: Element): UsbSource | undefined {
  if (attr(hostdev, 'type') !== 'usb') return undefined;
  const source = child(hostdev, 'source');
  if (!source) return undefined;
  const vendor = num(child(source, 'vendor'), 'id');
  const product = num(child(source, 'product'), 'id');
  if (vendor !== undefined && product !== undefined) return { vendor, product };
  const address = child(source, 'address');
  const bus = num(address, 'bus');
  const device = num(address, 'device');
  if (bus !== undefined && device !== undefined) return { bus, device };
  return undefined;
}

function scsiOf(hostdev: Element): ScsiHostAddress | undefined {
  if (attr(hostdev, 'type') !== 'scsi') return undefined;
  const source = child(hostdev, 'source');
  const adapter = attr(child(source ?? hostdev, 'adapter'), 'name');
  const address = source ? child(source, 'address') : undefined;
  const bus = num(address, 'bus');
  const target = num(address, 'target');
  const unit = num(address, 'unit');
  if (adapter === undefined || bus === undefined || target === undefined || unit === undefined) return undefined;
  return { adapter, bus, target, unit };
}

function mdevOf(hostdev: Element): string | undefined {
  if (attr(hostdev, 'type') !== 'mdev') return undefined;
  return attr(child(child(hostdev, 'source') ?? hostdev, 'address'), 'uuid');
}

function samePci(a: PciAddress, b: PciAddress): boolean {
  return a.domain === b.domain && a.bus === b.bus && a.slot === b.slot && a.function === b.function;
}

function sameUsb(a: UsbSource, b: UsbSource): boolean {
  if ('vendor' in a && 'vendor' in b) return a.vendor === b.vendor && a.product === b.product;
  if ('bus' in a && 'bus' in b) return a.bus === b.bus && a.device === b.device;
  return false;
}

function matches(el: Element, id: DeviceIdentity): boolean {
  if ('alias' in id) return attr(child(el, 'alias'), 'name') === id.alias;
  if (el.tagName !== id.kind) return false;
  switch (id.kind) {
    case 'disk':
      return attr(child(el, 'target'), 'dev') === id.target;
    case 'interface':
      return sameMac(attr(child(el, 'mac'), 'address'), id.mac);
    case 'hostdev': {
      if ('pci' in id) {
        const pci = pciOf(el);
        return pci !== undefined && samePci(pci, id.pci);
      }
      if ('usb' in id) {
        const usb = usbOf(el);
        return usb !== undefined && sameUsb(usb, id.usb);
      }
      if ('mdev' in id) return mdevOf(el)?.toLowerCase() === id.mdev.toLowerCase();
      const scsi = scsiOf(el);
      return (
        scsi !== undefined &&
        scsi.adapter === id.scsi.adapter &&
        scsi.bus === id.scsi.bus &&
        scsi.target === id.scsi.target &&
        scsi.unit === id.scsi.unit
      );
    }
    case 'graphics':
      return attr(el, 'type') === id.type;
    case 'tpm':
      return true;
    case 'watchdog':
      return id.model === undefined || attr(el, 'model') === id.model;
    case 'rng':
      return true;
  }
}

/** Every device the identity names (normally one; two when a document repeats a MAC or target). */
export function findDevices(doc: Document, identity: DeviceIdentity): Element[] {
  const devices = devicesElement(doc);
  if (!devices) return [];
  const found = children(devices).filter((el) => matches(el, identity));
  if (!('alias' in identity) && identity.kind === 'rng') {
    const one = found[identity.index ?? 0];
    return one ? [one] : [];
  }
  return found;
}

export function findDevice(doc: Document, identity: DeviceIdentity): Element | undefined {
  return findDevices(doc, identity)[0];
}

/**
 * What names this device: for `persistent` (the default) the key libvirt matches in a definition; for `live` its
 * alias when it has one. Undefined for devices that have neither (a controller, a bare serial port).
 */
export function deviceIdentityOf(el: Element, prefer: 'persistent' | 'live' = 'persistent'): DeviceIdentity | undefined {
  const alias = attr(child(el, 'alias'), 'name');
  if (prefer === 'live' && alias) return { alias };
  const persistent = persistentIdentityOf(el);
  return persistent ?? (alias ? { alias } : undefined);
}

function persistentIdentityOf(el: Element): DeviceIdentity | undefined {
  switch (el.tagName) {
    case 'disk': {
      const target = attr(child(el, 'target'), 'dev');
      return target ? { kind: 'disk', target } : undefined;
    }
    case 'interface': {
      const mac = attr(child(el, 'mac'), 'address');
      return mac ? { kind: 'interface', mac } : undefined;
    }
    case 'hostdev': {
      const pci = pciOf(el);
      if (pci) return { kind: 'hostdev', pci };
      const usb = usbOf(el);
      if (usb) return { kind: 'hostdev', usb };
      const mdev = mdevOf(el);
      if (mdev) return { kind: 'hostdev', mdev };
      const scsi = scsiOf(el);
      return scsi ? { kind: 'hostdev', scsi } : undefined;
    }
    case 'graphics': {
      const type = attr(el, 'type');
      return type ? { kind: 'graphics', type } : undefined;
    }
    case 'tpm':
      return { kind: 'tpm' };
    case 'watchdog': {
      const model = attr(el, 'model');
      return model ? { kind: 'watchdog', model } : { kind: 'watchdog' };
    }
    case 'rng': {
      const parent = el.parentNode as Element | null;
      const index = parent ? children(parent, 'rng').indexOf(el) : 0;
      return { kind: 'rng', index: Math.max(index, 0) };
    }
    default:
      return undefined;
  }
}

/** A readable name for messages: `disk vda`, `interface 52:54:00:…`, `hostdev PCI 0000:06:12.5`. */
export function describeIdentity(id: DeviceIdentity): string {
  if ('alias' in id) return `device with alias "${id.alias}"`;
  switch (id.kind) {
    case 'disk':
      return `disk ${id.target}`;
    case 'interface':
      return `interface ${id.mac}`;
    case 'hostdev': {
      const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
      if ('pci' in id) return `hostdev PCI ${hex(id.pci.domain, 4)}:${hex(id.pci.bus, 2)}:${hex(id.pci.slot, 2)}.${id.pci.function}`;
      if ('usb' in id) {
        return 'vendor' in id.usb
          ? `hostdev USB ${hex(id.usb.vendor, 4)}:${hex(id.usb.product, 4)}`
          : `hostdev USB bus ${id.usb.bus} device ${id.usb.device}`;
      }
      if ('mdev' in id) return `hostdev mdev ${id.mdev}`;
      return `hostdev SCSI ${id.scsi.adapter}:${id.scsi.bus}:${id.scsi.target}:${id.scsi.unit}`;
    }
    case 'graphics':
      return `${id.type} graphics`;
    case 'tpm':
      return 'TPM';
    case 'watchdog':
      return id.model ? `${id.model} watchdog` : 'watchdog';
    case 'rng':
      return `rng #${id.index ?? 0}`;
  }
}

/**
 * One device as a standalone document for attachDeviceFlags / detachDeviceFlags / updateDeviceFlags. The serializer
 * escapes every value and declares any namespace prefix the device uses.
 */
export function deviceXml(el: Element): string {
  return serializeXml(el);
}
