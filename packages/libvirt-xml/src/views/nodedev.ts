/** The read view of a node device (`<device>`): PCI with IOMMU and SR-IOV, USB, net, mdev, storage, SCSI. */
import type { Document, Element } from '@xmldom/xmldom';
import { attr, child, children, childText } from '../dom/nav.js';
import { loadRoot, pciAddress, readPciAddress, uintAttr, uintText, type PciAddressView } from './common.js';
import { formatHexId, parseHex, parseUnsigned } from './units.js';

export interface HardwareIdView {
  /** `0x8086`: lowercase hex, four digits. */
  id?: string;
  name?: string;
}

export interface PciLinkView {
  port?: number;
  /** GT/s per lane, e.g. 2.5, 5, 8. */
  speed?: number;
  width?: number;
}

export interface MdevTypeView {
  id?: string;
  name?: string;
  deviceAPI?: string;
  availableInstances?: number;
}

export interface PciDeviceView {
  address?: PciAddressView;
  /** `0x0c0330`: base class, subclass, programming interface. */
  class?: string;
  vendor: HardwareIdView;
  product: HardwareIdView;
  iommuGroup?: { number?: number; addresses: PciAddressView[] };
  numaNode?: number;
  /** For an SR-IOV virtual function: its physical function. */
  physicalFunction?: PciAddressView;
  /** For an SR-IOV physical function: its enabled VFs, and how many it can have (sysfs sriov_totalvfs). */
  virtualFunctions?: { maxCount?: number; addresses: PciAddressView[] };
  mdevTypes: MdevTypeView[];
  isBridge: boolean;
  /** The link the device can do (`cap`) and is doing (`sta`). */
  pciExpress?: { capability?: PciLinkView; status?: PciLinkView };
}

export interface UsbDeviceView {
  bus?: number;
  device?: number;
  vendor: HardwareIdView;
  product: HardwareIdView;
}

export interface NetDeviceView {
  interface?: string;
  mac?: string;
  linkState?: string;
  /** Mb/s. */
  linkSpeed?: number;
  /** 80203 (Ethernet) or 80211 (wireless). */
  subtype?: string;
  features: string[];
}

export interface NodeDeviceView {
  name?: string;
  /** sysfs path. */
  path?: string;
  parent?: string;
  driver?: string;
  devnodes: { type?: string; path?: string }[];
  /** Capability types in document order: pci, usb_device, usb, net, mdev, storage, scsi, scsi_host, drm, system... */
  capabilities: string[];
  pci?: PciDeviceView;
  usbDevice?: UsbDeviceView;
  usbInterface?: { number?: number; class?: number; subclass?: number; protocol?: number };
  net?: NetDeviceView;
  mdev?: { type?: string; uuid?: string; iommuGroup?: number; attributes: { name?: string; value?: string }[] };
  storage?: {
    block?: string;
    bus?: string;
    driveType?: string;
    model?: string;
    vendor?: string;
    serial?: string;
    sizeBytes?: number;
  };
  scsi?: { host?: number; bus?: number; target?: number; lun?: number; type?: string };
  scsiHost?: { host?: number; uniqueId?: number; capabilities: string[] };
  drm?: { type?: string };
  system?: { product?: string; vendor?: string; version?: string; firmwareVendor?: string; firmwareVersion?: string };
}

function hardwareId(el: Element | undefined): HardwareIdView {
  const n = parseHex(attr(el, 'id'));
  const name = childTextOf(el);
  return { id: n === undefined ? undefined : formatHexId(n), name };
}

function childTextOf(el: Element | undefined): string | undefined {
  const t = el?.textContent?.trim();
  return t === undefined || t === '' ? undefined : t;
}

function subCapability(cap: Element, type: string): Element | undefined {
  return children(cap, 'capability').find((c) => attr(c, 'type') === type);
}

function readLink(el: Element | undefined): PciLinkView | undefined {
  if (!el) return undefined;
  const speed = attr(el, 'speed');
  return {
    port: uintAttr(el, 'port'),
    speed: speed !== undefined && /^\d+(\.\d+)?$/.test(speed) ? Number(speed) : undefined,
    width: uintAttr(el, 'width'),
  };
}

export function readMdevTypes(cap: Element): MdevTypeView[] {
  const types = subCapability(cap, 'mdev_types');
  if (!types) return [];
  return children(types, 'type').map((t) => ({
    id: attr(t, 'id'),
    name: childText(t, 'name'),
    deviceAPI: childText(t, 'deviceAPI'),
    availableInstances: uintText(child(t, 'availableInstances')),
  }));
}

function readPci(cap: Element): PciDeviceView {
  // libvirt reads these as decimal element text (XPath number()), unlike the hex attributes of <address>.
  const parts = ['domain', 'bus', 'slot', 'function'].map((n) => parseUnsigned(childText(cap, n)));
  const [domain, bus, slot, fn] = parts;
  const pf = subCapability(cap, 'phys_function');
  const vfs = subCapability(cap, 'virt_functions');
  const iommu = child(cap, 'iommuGroup');
  const express = child(cap, 'pci-express');
  const links = express ? children(express, 'link') : [];
  const cls = parseHex(childText(cap, 'class'));
  return {
    address:
      domain !== undefined && bus !== undefined && slot !== undefined && fn !== undefined
        ? pciAddress(domain, bus, slot, fn)
        : undefined,
    class: cls === undefined ? undefined : formatHexId(cls, 6),
    vendor: hardwareId(child(cap, 'vendor')),
    product: hardwareId(child(cap, 'product')),
    iommuGroup: iommu
      ? {
          number: uintAttr(iommu, 'number'),
          addresses: children(iommu, 'address').flatMap((a) => readPciAddress(a) ?? []),
        }
      : undefined,
    numaNode: uintAttr(child(cap, 'numa'), 'node'),
    physicalFunction: pf ? readPciAddress(child(pf, 'address')) : undefined,
    virtualFunctions: vfs
      ? {
          maxCount: uintAttr(vfs, 'maxCount'),
          addresses: children(vfs, 'address').flatMap((a) => readPciAddress(a) ?? []),
        }
      : undefined,
    mdevTypes: readMdevTypes(cap),
    isBridge: subCapability(cap, 'pci-bridge') !== undefined || subCapability(cap, 'cardbus-bridge') !== undefined,
    pciExpress: express
      ? {
          capability: readLink(links.find((l) => attr(l, 'validity') === 'cap')),
          status: readLink(links.find((l) => attr(l, 'validity') === 'sta')),
        }
      : undefined,
  };
}

function readNet(cap: Element): NetDeviceView {
  const link = child(cap, 'link');
  return {
    interface: childText(cap, 'interface'),
    mac: childText(cap, 'address'),
    linkState: attr(link, 'state'),
    linkSpeed: uintAttr(link, 'speed'),
    subtype: attr(child(cap, 'capability'), 'type'),
    features: children(cap, 'feature').flatMap((f) => attr(f, 'name') ?? []),
  };
}

type CapabilityReader = (view: NodeDeviceView, cap: Element) => void;

const READERS = new Map<string, CapabilityReader>(Object.entries({
  pci: (view, cap) => {
    view.pci = readPci(cap);
  },
  usb_device: (view, cap) => {
    view.usbDevice = {
      bus: uintText(child(cap, 'bus')),
      device: uintText(child(cap, 'device')),
      vendor: hardwareId(child(cap, 'vendor')),
      product: hardwareId(child(cap, 'product')),
    };
  },
  usb: (view, cap) => {
    view.usbInterface = {
      number: uintText(child(cap, 'number')),
      class: uintText(child(cap, 'class')),
      subclass: uintText(child(cap, 'subclass')),
      protocol: uintText(child(cap, 'protocol')),
    };
  },
  net: (view, cap) => {
    view.net = readNet(cap);
  },
  mdev: (view, cap) => {
    view.mdev = {
      type: attr(child(cap, 'type'), 'id'),
      uuid: childText(cap, 'uuid'),
      iommuGroup: uintAttr(child(cap, 'iommuGroup'), 'number'),
      attributes: children(cap, 'attr').map((a) => ({ name: attr(a, 'name'), value: attr(a, 'value') })),
    };
  },
  storage: (view, cap) => {
    view.storage = {
      block: childText(cap, 'block'),
      bus: childText(cap, 'bus'),
      driveType: childText(cap, 'drive_type'),
      model: childText(cap, 'model'),
      vendor: childText(cap, 'vendor'),
      serial: childText(cap, 'serial'),
      sizeBytes: uintText(child(cap, 'size')),
    };
  },
  scsi: (view, cap) => {
    view.scsi = {
      host: uintText(child(cap, 'host')),
      bus: uintText(child(cap, 'bus')),
      target: uintText(child(cap, 'target')),
      lun: uintText(child(cap, 'lun')),
      type: childText(cap, 'type'),
    };
  },
  scsi_host: (view, cap) => {
    view.scsiHost = {
      host: uintText(child(cap, 'host')),
      uniqueId: uintText(child(cap, 'unique_id')),
      capabilities: children(cap, 'capability').flatMap((c) => attr(c, 'type') ?? []),
    };
  },
  drm: (view, cap) => {
    view.drm = { type: childText(cap, 'type') };
  },
  system: (view, cap) => {
    view.system = {
      product: childText(cap, 'product'),
      vendor: childText(cap, 'hardware/vendor'),
      version: childText(cap, 'hardware/version'),
      firmwareVendor: childText(cap, 'firmware/vendor'),
      firmwareVersion: childText(cap, 'firmware/version'),
    };
  },
} satisfies Record<string, CapabilityReader>));

/** Reads a node device document (nodedev-dumpxml) into a plain view. */
export function readNodeDevice(input: Document | string): NodeDeviceView {
  const root = loadRoot(input, 'device', 'node device');
  const view: NodeDeviceView = {
    name: childText(root, 'name'),
    path: childText(root, 'path'),
    parent: childText(root, 'parent'),
    driver: childText(root, 'driver/name'),
    devnodes: children(root, 'devnode').map((d) => ({ type: attr(d, 'type'), path: childTextOf(d) })),
    capabilities: [],
  };
  for (const cap of children(root, 'capability')) {
    const type = attr(cap, 'type');
    if (type === undefined) continue;
    view.capabilities.push(type);
    READERS.get(type)?.(view, cap);
  }
  return view;
}
