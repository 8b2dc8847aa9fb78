/** Network interfaces and host devices (PCI, USB, SCSI, mdev passthrough) of a domain. */
import type { Element } from '@xmldom/xmldom';
import { attr, child, childText } from '../dom/nav.js';
import {
  readBandwidth,
  readDeviceAddress,
  readPciAddress,
  readVirtualPort,
  readVlan,
  uintAttr,
  yes,
  type BandwidthView,
  type DeviceAddressView,
  type PciAddressView,
  type VirtualPortView,
  type VlanView,
} from './common.js';
import { readHosts, type NetworkHostView } from './domain-disks.js';
import { formatHexId, parseCInteger, parseUnsigned } from './units.js';

/** The fields of an interface's `<source>` that its type uses. */
export interface InterfaceSourceView {
  /** type='network'. */
  network?: string;
  portgroup?: string;
  /** type='bridge'. */
  bridge?: string;
  /** type='direct' (with `mode`: vepa, bridge, private, passthrough), 'vdpa', or the passt/user host device. */
  dev?: string;
  mode?: string;
  /** type='vhostuser': socket type and path; `mode` is then server/client. */
  type?: string;
  path?: string;
  /** type='server'/'client'/'mcast'/'udp'. */
  address?: string;
  port?: number;
  /** type='hostdev': the host PCI function (SR-IOV VF) given to the guest. */
  pci?: PciAddressView;
}

export interface InterfaceView {
  /** network, bridge, direct, hostdev, vhostuser, ethernet, user, vdpa, server, client, mcast, udp, ... */
  type?: string;
  mac?: string;
  source?: InterfaceSourceView;
  model?: string;
  /** libvirt's default is up; only `<link state='down'/>` says otherwise. */
  linkState: 'up' | 'down';
  targetDev?: string;
  mtu?: number;
  bandwidth?: BandwidthView;
  vlan?: VlanView;
  virtualPort?: VirtualPortView;
  /** `<backend type='passt'>` for user networking. */
  backendType?: string;
  driverName?: string;
  queues?: number;
  managed?: boolean;
  trustGuestRxFilters?: boolean;
  bootOrder?: number;
  alias?: string;
  address?: DeviceAddressView;
}

export interface UsbSourceView {
  /** `0x1234`. */
  vendorId?: string;
  productId?: string;
  bus?: number;
  device?: number;
}

export interface ScsiSourceView {
  /** Host adapter, e.g. scsi_host0 (local SCSI). */
  adapter?: string;
  bus?: number;
  target?: number;
  unit?: number;
  /** iscsi (with `name` and `hosts`), or vhost for type='scsi_host' (with `wwpn`). */
  protocol?: string;
  name?: string;
  hosts: NetworkHostView[];
  wwpn?: string;
}

export interface HostdevView {
  /** subsystem (libvirt's default) or capabilities. */
  mode: string;
  /** pci, usb, scsi, scsi_host, mdev (subsystem); storage, misc, net (capabilities). */
  type?: string;
  managed: boolean;
  /** mdev model: vfio-pci, vfio-ccw, vfio-ap. */
  model?: string;
  driverName?: string;
  pci?: PciAddressView;
  usb?: UsbSourceView;
  scsi?: ScsiSourceView;
  mdev?: { uuid?: string; display?: boolean };
  /** mode='capabilities': the host block/char device or interface. */
  capabilitySource?: string;
  bootOrder?: number;
  alias?: string;
  address?: DeviceAddressView;
}

function readInterfaceSource(el: Element | undefined, ifaceType: string | undefined): InterfaceSourceView | undefined {
  if (!el) return undefined;
  return {
    network: attr(el, 'network'),
    portgroup: attr(el, 'portgroup'),
    bridge: attr(el, 'bridge'),
    dev: attr(el, 'dev'),
    mode: attr(el, 'mode'),
    type: attr(el, 'type'),
    path: attr(el, 'path'),
    address: attr(el, 'address'),
    port: uintAttr(el, 'port'),
    pci: ifaceType === 'hostdev' ? readPciAddress(child(el, 'address')) : undefined,
  };
}

export function readInterface(el: Element): InterfaceView {
  const type = attr(el, 'type');
  const driver = child(el, 'driver');
  return {
    type,
    mac: attr(child(el, 'mac'), 'address'),
    source: readInterfaceSource(child(el, 'source'), type),
    model: attr(child(el, 'model'), 'type'),
    linkState: attr(child(el, 'link'), 'state') === 'down' ? 'down' : 'up',
    targetDev: attr(child(el, 'target'), 'dev'),
    mtu: uintAttr(child(el, 'mtu'), 'size'),
    bandwidth: readBandwidth(child(el, 'bandwidth')),
    vlan: readVlan(child(el, 'vlan')),
    virtualPort: readVirtualPort(child(el, 'virtualport')),
    backendType: attr(child(el, 'backend'), 'type'),
    driverName: attr(driver, 'name'),
    queues: uintAttr(driver, 'queues'),
    managed: yes(el, 'managed'),
    trustGuestRxFilters: yes(el, 'trustGuestRxFilters'),
    bootOrder: uintAttr(child(el, 'boot'), 'order'),
    alias: attr(child(el, 'alias'), 'name'),
    address: readDeviceAddress(child(el, 'address')),
  };
}

function hexId(el: Element | undefined): string | undefined {
  const n = parseCInteger(attr(el, 'id'));
  return n === undefined ? undefined : formatHexId(n);
}

function readUsbSource(source: Element): UsbSourceView {
  const address = child(source, 'address');
  return {
    vendorId: hexId(child(source, 'vendor')),
    productId: hexId(child(source, 'product')),
    bus: parseCInteger(attr(address, 'bus')),
    device: parseCInteger(attr(address, 'device')),
  };
}

function readScsiSource(source: Element): ScsiSourceView {
  const address = child(source, 'address');
  return {
    adapter: attr(child(source, 'adapter'), 'name'),
    bus: parseUnsigned(attr(address, 'bus')),
    target: parseUnsigned(attr(address, 'target')),
    unit: parseUnsigned(attr(address, 'unit')),
    protocol: attr(source, 'protocol'),
    name: attr(source, 'name'),
    hosts: readHosts(source),
    wwpn: attr(source, 'wwpn'),
  };
}

export function readHostdev(el: Element): HostdevView {
  const mode = attr(el, 'mode') ?? 'subsystem';
  const type = attr(el, 'type');
  const source = child(el, 'source');
  const sub = mode === 'subsystem' ? source : undefined;
  return {
    mode,
    type,
    managed: attr(el, 'managed') === 'yes',
    model: attr(el, 'model'),
    driverName: attr(child(el, 'driver'), 'name'),
    pci: sub && type === 'pci' ? readPciAddress(child(sub, 'address')) : undefined,
    usb: sub && type === 'usb' ? readUsbSource(sub) : undefined,
    scsi: sub && (type === 'scsi' || type === 'scsi_host') ? readScsiSource(sub) : undefined,
    mdev: sub && type === 'mdev' ? { uuid: attr(child(sub, 'address'), 'uuid'), display: yes(el, 'display') } : undefined,
    capabilitySource:
      mode === 'capabilities' && source
        ? (childText(source, 'block') ?? childText(source, 'char') ?? childText(source, 'interface'))
        : undefined,
    bootOrder: uintAttr(child(el, 'boot'), 'order'),
    alias: attr(child(el, 'alias'), 'name'),
    address: readDeviceAddress(child(el, 'address')),
  };
}
