/** The read view of a virtual `<network>`. */
import type { Document, Element } from '@xmldom/xmldom';
import { attr, child, children, childText, text } from '../dom/nav.js';
import {
  loadRoot,
  readBandwidth,
  readPciAddress,
  readVirtualPort,
  readVlan,
  uintAttr,
  yes,
  type BandwidthView,
  type PciAddressView,
  type VirtualPortView,
  type VlanView,
} from './common.js';

export interface NetworkForwardView {
  /** nat (libvirt's default for a bare `<forward/>`), route, open, bridge, private, vepa, passthrough, hostdev. */
  mode: string;
  dev?: string;
  managed?: boolean;
  /** The pool of host interfaces for macvtap/passthrough modes. */
  interfaces: string[];
  /** SR-IOV physical functions whose VFs make up the pool. */
  pf: string[];
  /** The pool of PCI functions for hostdev mode. */
  hostdevAddresses: PciAddressView[];
  driverName?: string;
  driverModel?: string;
  nat?: { addresses: { start?: string; end?: string }[]; ports?: { start?: number; end?: number }; ipv6?: boolean };
}

export interface DhcpRangeView {
  start?: string;
  end?: string;
  /** Lease time in seconds; 0 means the lease never expires. */
  leaseSeconds?: number;
}

export interface DhcpHostView {
  mac?: string;
  /** DHCPv6 client id. */
  id?: string;
  ip?: string;
  name?: string;
  leaseSeconds?: number;
}

export interface NetworkIpView {
  /** ipv4 (libvirt's default) or ipv6. */
  family: string;
  address?: string;
  /** The prefix as written, or derived from an IPv4 netmask. */
  prefix?: number;
  netmask?: string;
  tftpRoot?: string;
  dhcp?: { ranges: DhcpRangeView[]; hosts: DhcpHostView[]; bootpFile?: string; bootpServer?: string };
}

export interface NetworkDnsView {
  /** Absent means libvirt's default (enabled). */
  enable?: boolean;
  forwardPlainNames?: boolean;
  hosts: { ip?: string; hostnames: string[] }[];
  forwarders: { addr?: string; domain?: string }[];
  txt: { name?: string; value?: string }[];
  srv: { service?: string; protocol?: string; domain?: string; target?: string; port?: number }[];
}

export interface PortgroupView {
  name?: string;
  default: boolean;
  vlan?: VlanView;
  virtualPort?: VirtualPortView;
  bandwidth?: BandwidthView;
  trustGuestRxFilters?: boolean;
}

export interface NetworkView {
  name?: string;
  uuid?: string;
  title?: string;
  description?: string;
  /** Absent for an isolated network. */
  forward?: NetworkForwardView;
  bridge?: { name?: string; stp?: boolean; delay?: number; macTableManager?: string; zone?: string };
  mac?: string;
  domain?: { name?: string; localOnly?: boolean };
  mtu?: number;
  /** The root's ipv6='yes': guest-to-guest IPv6 without an IPv6 address on the network. */
  ipv6?: boolean;
  ips: NetworkIpView[];
  dns?: NetworkDnsView;
  portgroups: PortgroupView[];
  virtualPort?: VirtualPortView;
  vlan?: VlanView;
  bandwidth?: BandwidthView;
  trustGuestRxFilters?: boolean;
}

const LEASE_UNIT_SECONDS = new Map([
  ['seconds', 1],
  ['minutes', 60],
  ['hours', 3600],
]);

function leaseSeconds(el: Element): number | undefined {
  const lease = child(el, 'lease');
  const expiry = uintAttr(lease, 'expiry');
  if (expiry === undefined) return undefined;
  const scale = LEASE_UNIT_SECONDS.get(attr(lease, 'unit') ?? 'minutes');
  return scale === undefined ? undefined : expiry * scale;
}

/** The prefix length of a contiguous IPv4 netmask such as 255.255.255.0; undefined for anything else. */
export function netmaskPrefix(netmask: string | undefined): number | undefined {
  if (netmask === undefined) return undefined;
  const parts = netmask.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  const bits = parts.map((p) => Number(p).toString(2).padStart(8, '0')).join('');
  if (!/^1*0*$/.test(bits)) return undefined;
  const firstZero = bits.indexOf('0');
  return firstZero === -1 ? 32 : firstZero;
}

function readForward(el: Element | undefined): NetworkForwardView | undefined {
  if (!el) return undefined;
  const nat = child(el, 'nat');
  const port = nat ? child(nat, 'port') : undefined;
  const driver = child(el, 'driver');
  return {
    mode: attr(el, 'mode') ?? 'nat',
    dev: attr(el, 'dev'),
    managed: yes(el, 'managed'),
    interfaces: children(el, 'interface').flatMap((i) => attr(i, 'dev') ?? []),
    pf: children(el, 'pf').flatMap((p) => attr(p, 'dev') ?? []),
    hostdevAddresses: children(el, 'address').flatMap((a) => readPciAddress(a) ?? []),
    driverName: attr(driver, 'name'),
    driverModel: attr(driver, 'model'),
    nat: nat
      ? {
          addresses: children(nat, 'address').map((a) => ({ start: attr(a, 'start'), end: attr(a, 'end') })),
          ports: port ? { start: uintAttr(port, 'start'), end: uintAttr(port, 'end') } : undefined,
          ipv6: yes(nat, 'ipv6'),
        }
      : undefined,
  };
}

function readIp(el: Element): NetworkIpView {
  const dhcp = child(el, 'dhcp');
  const bootp = dhcp ? child(dhcp, 'bootp') : undefined;
  const netmask = attr(el, 'netmask');
  return {
    family: attr(el, 'family') ?? 'ipv4',
    address: attr(el, 'address'),
    prefix: uintAttr(el, 'prefix') ?? netmaskPrefix(netmask),
    netmask,
    tftpRoot: attr(child(el, 'tftp'), 'root'),
    dhcp: dhcp
      ? {
          ranges: children(dhcp, 'range').map((r) => ({
            start: attr(r, 'start'),
            end: attr(r, 'end'),
            leaseSeconds: leaseSeconds(r),
          })),
          hosts: children(dhcp, 'host').map((h) => ({
            mac: attr(h, 'mac'),
            id: attr(h, 'id'),
            ip: attr(h, 'ip'),
            name: attr(h, 'name'),
            leaseSeconds: leaseSeconds(h),
          })),
          bootpFile: attr(bootp, 'file'),
          bootpServer: attr(bootp, 'server'),
        }
      : undefined,
  };
}

function readDns(el: Element | undefined): NetworkDnsView | undefined {
  if (!el) return undefined;
  return {
    enable: yes(el, 'enable'),
    forwardPlainNames: yes(el, 'forwardPlainNames'),
    hosts: children(el, 'host').map((h) => ({
      ip: attr(h, 'ip'),
      hostnames: children(h, 'hostname').map((n) => text(n) ?? ''),
    })),
    forwarders: children(el, 'forwarder').map((f) => ({ addr: attr(f, 'addr'), domain: attr(f, 'domain') })),
    txt: children(el, 'txt').map((t) => ({ name: attr(t, 'name'), value: attr(t, 'value') })),
    srv: children(el, 'srv').map((s) => ({
      service: attr(s, 'service'),
      protocol: attr(s, 'protocol'),
      domain: attr(s, 'domain'),
      target: attr(s, 'target'),
      port: uintAttr(s, 'port'),
    })),
  };
}

function readPortgroup(el: Element): PortgroupView {
  return {
    name: attr(el, 'name'),
    default: attr(el, 'default') === 'yes',
    vlan: readVlan(child(el, 'vlan')),
    virtualPort: readVirtualPort(child(el, 'virtualport')),
    bandwidth: readBandwidth(child(el, 'bandwidth')),
    trustGuestRxFilters: yes(el, 'trustGuestRxFilters'),
  };
}

/** Reads a network document (net-dumpxml or a definition) into a plain view. */
export function readNetwork(input: Document | string): NetworkView {
  const root = loadRoot(input, 'network', 'network');
  const bridge = child(root, 'bridge');
  const domain = child(root, 'domain');
  return {
    name: childText(root, 'name'),
    uuid: childText(root, 'uuid'),
    title: childText(root, 'title'),
    description: childText(root, 'description'),
    forward: readForward(child(root, 'forward')),
    bridge: bridge
      ? {
          name: attr(bridge, 'name'),
          stp: yes(bridge, 'stp'),
          delay: uintAttr(bridge, 'delay'),
          macTableManager: attr(bridge, 'macTableManager'),
          zone: attr(bridge, 'zone'),
        }
      : undefined,
    mac: attr(child(root, 'mac'), 'address'),
    domain: domain ? { name: attr(domain, 'name'), localOnly: yes(domain, 'localOnly') } : undefined,
    mtu: uintAttr(child(root, 'mtu'), 'size'),
    ipv6: yes(root, 'ipv6'),
    ips: children(root, 'ip').map(readIp),
    dns: readDns(child(root, 'dns')),
    portgroups: children(root, 'portgroup').map(readPortgroup),
    virtualPort: readVirtualPort(child(root, 'virtualport')),
    vlan: readVlan(child(root, 'vlan')),
    bandwidth: readBandwidth(child(root, 'bandwidth')),
    trustGuestRxFilters: yes(root, 'trustGuestRxFilters'),
  };
}
