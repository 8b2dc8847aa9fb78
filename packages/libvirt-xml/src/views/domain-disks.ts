/** Disks (with their sources and backing chains) and controllers of a domain. */
import type { Element } from '@xmldom/xmldom';
import { attr, child, children, childText } from '../dom/nav.js';
import { readDeviceAddress, readPciAddress, uintAttr, yes, type DeviceAddressView, type PciAddressView } from './common.js';

export interface NetworkHostView {
  name?: string;
  port?: number;
  /** tcp (default), rdma, unix. */
  transport?: string;
  socket?: string;
}

/**
 * Where a disk's data lives. Only the fields of the disk's type are set: file (`file`), block (`dev`), dir (`dir`),
 * volume (`pool`, `volume`, `mode`), network (`protocol`, `name`, `hosts`), nvme (`nvme`), vhostuser (`path`).
 */
export interface DiskSourceView {
  file?: string;
  dev?: string;
  dir?: string;
  pool?: string;
  volume?: string;
  /** For iSCSI pool volumes: 'host' or 'direct'. */
  mode?: string;
  protocol?: string;
  name?: string;
  query?: string;
  hosts: NetworkHostView[];
  nvme?: { type?: string; managed?: boolean; namespace?: number; pci?: PciAddressView };
  /** vhost-user socket path (type='unix'). */
  path?: string;
  startupPolicy?: string;
}

export interface BackingStoreView {
  index?: number;
  type?: string;
  format?: string;
  source: DiskSourceView;
}

export interface DiskView {
  /** file, block, dir, network, volume, nvme, vhostuser, vhostvdpa. */
  type?: string;
  /** disk (libvirt's default), cdrom, floppy, lun. */
  device: string;
  driver?: { name?: string; type?: string; cache?: string; io?: string; discard?: string };
  source?: DiskSourceView;
  target?: { dev?: string; bus?: string; tray?: string };
  readonly: boolean;
  shareable: boolean;
  transient: boolean;
  serial?: string;
  wwn?: string;
  bootOrder?: number;
  alias?: string;
  address?: DeviceAddressView;
  /** Set when the disk authenticates (the username only; secrets never appear in a view). */
  authUsername?: string;
  /** The images below the top one, nearest first; libvirt's empty `<backingStore/>` ends the chain. */
  backingChain: BackingStoreView[];
}

export interface ControllerView {
  type?: string;
  index?: number;
  model?: string;
  alias?: string;
  address?: DeviceAddressView;
}

export function readHosts(source: Element): NetworkHostView[] {
  return children(source, 'host').map((h) => ({
    name: attr(h, 'name'),
    port: uintAttr(h, 'port'),
    transport: attr(h, 'transport'),
    socket: attr(h, 'socket'),
  }));
}

export function readDiskSource(source: Element | undefined): DiskSourceView | undefined {
  if (!source) return undefined;
  const nvmeAddress = attr(source, 'type') === 'pci' ? child(source, 'address') : undefined;
  return {
    file: attr(source, 'file'),
    dev: attr(source, 'dev'),
    dir: attr(source, 'dir'),
    pool: attr(source, 'pool'),
    volume: attr(source, 'volume'),
    mode: attr(source, 'mode'),
    protocol: attr(source, 'protocol'),
    name: attr(source, 'name'),
    query: attr(source, 'query'),
    hosts: readHosts(source),
    nvme: nvmeAddress
      ? {
          type: attr(source, 'type'),
          managed: yes(source, 'managed'),
          namespace: uintAttr(source, 'namespace'),
          pci: readPciAddress(nvmeAddress),
        }
      : undefined,
    path: attr(source, 'path'),
    startupPolicy: attr(source, 'startupPolicy'),
  };
}

function readBackingChain(disk: Element): BackingStoreView[] {
  const chain: BackingStoreView[] = [];
  const seen = new Set<Element>();
  let store = child(disk, 'backingStore');
  // An empty <backingStore/> says "no backing image"; only a typed one is a layer.
  while (store && attr(store, 'type') !== undefined && !seen.has(store)) {
    seen.add(store);
    chain.push({
      index: uintAttr(store, 'index'),
      type: attr(store, 'type'),
      format: attr(child(store, 'format'), 'type'),
      source: readDiskSource(child(store, 'source')) ?? { hosts: [] },
    });
    store = child(store, 'backingStore');
  }
  return chain;
}

export function readDisk(el: Element): DiskView {
  const driver = child(el, 'driver');
  const target = child(el, 'target');
  const source = child(el, 'source');
  // <auth> sits in <disk> in older documents and inside <source> in newer ones.
  const auth = child(el, 'auth') ?? (source ? child(source, 'auth') : undefined);
  return {
    type: attr(el, 'type'),
    device: attr(el, 'device') ?? 'disk',
    driver: driver
      ? {
          name: attr(driver, 'name'),
          type: attr(driver, 'type'),
          cache: attr(driver, 'cache'),
          io: attr(driver, 'io'),
          discard: attr(driver, 'discard'),
        }
      : undefined,
    source: readDiskSource(source),
    target: target ? { dev: attr(target, 'dev'), bus: attr(target, 'bus'), tray: attr(target, 'tray') } : undefined,
    readonly: child(el, 'readonly') !== undefined,
    shareable: child(el, 'shareable') !== undefined,
    transient: child(el, 'transient') !== undefined,
    serial: childText(el, 'serial'),
    wwn: childText(el, 'wwn'),
    bootOrder: uintAttr(child(el, 'boot'), 'order'),
    alias: attr(child(el, 'alias'), 'name'),
    address: readDeviceAddress(child(el, 'address')),
    authUsername: attr(auth, 'username'),
    backingChain: readBackingChain(el),
  };
}

export function readController(el: Element): ControllerView {
  return {
    type: attr(el, 'type'),
    index: uintAttr(el, 'index'),
    model: attr(el, 'model'),
    alias: attr(child(el, 'alias'), 'name'),
    address: readDeviceAddress(child(el, 'address')),
  };
}
