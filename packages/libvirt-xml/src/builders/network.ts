/**
 * Virtual network definitions for every forward mode libvirt has. Two families: networks whose bridge libvirt
 * creates and runs dnsmasq on (nat, route, open, isolated), which take addresses, DHCP, DNS and an MTU; and networks
 * that only name host resources (a host bridge, macvtap on host NICs, SR-IOV functions), which take none of those.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { serializeXml } from '../dom/parse.js';
import { deviceName, integer, ipAddress, macAddress, objectName, oneOf, requireString, uuid as checkUuid } from './checks.js';
import { SpecError } from './errors.js';
import { el, indent, newDocument, onOff, yesNo } from './xml.js';

export interface PciAddressSpec {
  domain?: number;
  bus: number;
  slot: number;
  function: number;
}

export type NetworkForward =
  | { mode: 'nat'; dev?: string; natPorts?: { start: number; end: number } }
  | { mode: 'route'; dev?: string }
  | { mode: 'open' }
  | { mode: 'isolated' }
  /** An existing host bridge (e.g. br0) that guests join; libvirt creates nothing. */
  | { mode: 'bridge'; bridge: string }
  /** macvtap on host NICs: the pool of `interfaces`, `dev` the preferred one. */
  | { mode: 'bridge' | 'private' | 'vepa' | 'passthrough'; interfaces: string[]; dev?: string }
  /** SR-IOV virtual functions handed to guests: those of a physical function, or listed by PCI address. */
  | { mode: 'hostdev'; pf: string; managed?: boolean; driver?: 'vfio' | 'kvm' }
  | { mode: 'hostdev'; addresses: (PciAddressSpec | string)[]; managed?: boolean; driver?: 'vfio' | 'kvm' };

export type ForwardMode = NetworkForward['mode'];
export const FORWARD_MODES = ['nat', 'route', 'open', 'isolated', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev'] as const;

export interface DhcpHost {
  /** IPv4 hosts are matched by MAC; IPv6 ones by DUID (`id`) or name. */
  mac?: string;
  id?: string;
  name?: string;
  ip: string;
}

export interface IpSpec {
  address: string;
  prefix: number;
  dhcp?: { ranges?: { start: string; end: string }[]; hosts?: DhcpHost[] };
}

export interface NetworkSpec {
  name: string;
  uuid?: string;
  forward: NetworkForward;
  /** The bridge libvirt creates (nat, route, open, isolated); name default virbrN. */
  bridge?: { name?: string; stp?: boolean; delay?: number };
  /** MTU of the bridge libvirt creates and its taps. */
  mtu?: number;
  /** DNS domain of the network's dnsmasq; localOnly keeps its queries from being forwarded upstream. */
  domain?: string | { name: string; localOnly?: boolean };
  ipv4?: IpSpec;
  ipv6?: IpSpec;
  dns?: { enable?: boolean; hosts?: { ip: string; hostnames: string[] }[] };
}

const MANAGED_BRIDGE = new Set<ForwardMode>(['nat', 'route', 'open', 'isolated']);

function dnsName(value: unknown, field: string): string {
  const s = requireString(value, field);
  if (!/^[a-zA-Z0-9.-]+$/.test(s)) throw new SpecError(field, `'${s}' is not a DNS name`);
  return s;
}

function parsePci(input: PciAddressSpec | string, field: string): Required<PciAddressSpec> {
  if (typeof input === 'string') {
    const m = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/.exec(input);
    if (!m) throw new SpecError(field, `'${input}' is not a PCI address (dddd:bb:ss.f)`);
    return { domain: Number.parseInt(m[1] ?? '0', 16), bus: Number.parseInt(m[2]!, 16), slot: Number.parseInt(m[3]!, 16), function: Number(m[4]) };
  }
  return {
    domain: integer(input.domain ?? 0, `${field}.domain`, 0, 0xffff),
    bus: integer(input.bus, `${field}.bus`, 0, 0xff),
    slot: integer(input.slot, `${field}.slot`, 0, 0x1f),
    function: integer(input.function, `${field}.function`, 0, 7),
  };
}

const hex = (n: number, width: number): string => `0x${n.toString(16).padStart(width, '0')}`;

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Whether an address lies in the subnet; only IPv4 is checked (IPv6 ranges are left to libvirt). */
function inSubnet(ip: string, network: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(ipv4ToInt(ip) / size) === Math.floor(ipv4ToInt(network) / size);
}

function addIp(root: Element, spec: IpSpec, family: 4 | 6, field: string): void {
  const address = ipAddress(spec.address, `${field}.address`, family);
  const prefix = integer(spec.prefix, `${field}.prefix`, 1, family === 4 ? 32 : 128);
  const ip = el(root, 'ip', { family: family === 6 ? 'ipv6' : undefined, address, prefix });
  if (!spec.dhcp) return;
  const dhcp = el(ip, 'dhcp');
  (spec.dhcp.ranges ?? []).forEach((r, i) => {
    const f = `${field}.dhcp.ranges[${i}]`;
    const start = ipAddress(r.start, `${f}.start`, family);
    const end = ipAddress(r.end, `${f}.end`, family);
    if (family === 4) {
      if (!inSubnet(start, address, prefix)) throw new SpecError(`${f}.start`, `${start} is outside ${address}/${prefix}`);
      if (!inSubnet(end, address, prefix)) throw new SpecError(`${f}.end`, `${end} is outside ${address}/${prefix}`);
      if (ipv4ToInt(start) > ipv4ToInt(end)) throw new SpecError(f, `${start} comes after ${end}`);
    }
    el(dhcp, 'range', { start, end });
  });
  (spec.dhcp.hosts ?? []).forEach((h, i) => {
    const f = `${field}.dhcp.hosts[${i}]`;
    const ipAddr = ipAddress(h.ip, `${f}.ip`, family);
    if (family === 4 && !inSubnet(ipAddr, address, prefix)) throw new SpecError(`${f}.ip`, `${ipAddr} is outside ${address}/${prefix}`);
    if (family === 4 && h.mac === undefined) throw new SpecError(`${f}.mac`, 'is required for an IPv4 DHCP host');
    if (family === 6 && h.mac !== undefined) throw new SpecError(`${f}.mac`, 'IPv6 DHCP hosts are matched by id or name, not MAC');
    if (family === 6 && h.id === undefined && h.name === undefined) throw new SpecError(f, 'an IPv6 DHCP host needs an id or a name');
    el(dhcp, 'host', {
      mac: h.mac === undefined ? undefined : macAddress(h.mac, `${f}.mac`),
      id: h.id === undefined ? undefined : requireString(h.id, `${f}.id`),
      name: h.name === undefined ? undefined : dnsName(h.name, `${f}.name`),
      ip: ipAddr,
    });
  });
}

function addForward(root: Element, fwd: NetworkForward): void {
  switch (fwd.mode) {
    case 'isolated':
      return;
    case 'nat': {
      const forward = el(root, 'forward', { mode: 'nat', dev: fwd.dev === undefined ? undefined : deviceName(fwd.dev, 'forward.dev') });
      if (fwd.natPorts) {
        const start = integer(fwd.natPorts.start, 'forward.natPorts.start', 1, 65535);
        const end = integer(fwd.natPorts.end, 'forward.natPorts.end', start, 65535);
        el(el(forward, 'nat'), 'port', { start, end });
      }
      return;
    }
    case 'route':
      el(root, 'forward', { mode: 'route', dev: fwd.dev === undefined ? undefined : deviceName(fwd.dev, 'forward.dev') });
      return;
    case 'open':
      el(root, 'forward', { mode: 'open' });
      return;
    case 'bridge':
    case 'private':
    case 'vepa':
    case 'passthrough': {
      const hostBridge = 'bridge' in fwd ? fwd.bridge : undefined;
      const interfaces = 'interfaces' in fwd ? fwd.interfaces : undefined;
      if (hostBridge !== undefined && interfaces !== undefined) throw new SpecError('forward', 'give either bridge (a host bridge) or interfaces (macvtap), not both');
      if (hostBridge !== undefined) {
        if (fwd.mode !== 'bridge') throw new SpecError('forward.bridge', `applies only to mode 'bridge'`);
        el(root, 'bridge', { name: deviceName(hostBridge, 'forward.bridge') });
        el(root, 'forward', { mode: 'bridge' });
        return;
      }
      if (!Array.isArray(interfaces) || interfaces.length === 0) {
        throw new SpecError(fwd.mode === 'bridge' ? 'forward.bridge' : 'forward.interfaces', fwd.mode === 'bridge' ? 'a host bridge (or macvtap interfaces) is required' : 'at least one host interface is required');
      }
      const dev = 'dev' in fwd && fwd.dev !== undefined ? deviceName(fwd.dev, 'forward.dev') : undefined;
      const forward = el(root, 'forward', { mode: fwd.mode, dev });
      interfaces.forEach((name, i) => el(forward, 'interface', { dev: deviceName(name, `forward.interfaces[${i}]`) }));
      return;
    }
    case 'hostdev': {
      const forward = el(root, 'forward', { mode: 'hostdev', managed: yesNo(fwd.managed ?? true) });
      if (fwd.driver !== undefined) el(forward, 'driver', { name: oneOf(fwd.driver, ['vfio', 'kvm'] as const, 'forward.driver') });
      const pf = 'pf' in fwd ? fwd.pf : undefined;
      const addresses = 'addresses' in fwd ? fwd.addresses : undefined;
      if ((pf === undefined) === (addresses === undefined)) throw new SpecError('forward', 'a hostdev network needs either pf or addresses');
      if (pf !== undefined) el(forward, 'pf', { dev: deviceName(pf, 'forward.pf') });
      else {
        if (!Array.isArray(addresses) || addresses.length === 0) throw new SpecError('forward.addresses', 'at least one PCI address is required');
        addresses.forEach((a, i) => {
          const p = parsePci(a, `forward.addresses[${i}]`);
          el(forward, 'address', { type: 'pci', domain: hex(p.domain, 4), bus: hex(p.bus, 2), slot: hex(p.slot, 2), function: hex(p.function, 1) });
        });
      }
      return;
    }
    default:
      throw new SpecError('forward.mode', `'${String((fwd as { mode: unknown }).mode)}' is not one of ${FORWARD_MODES.join(', ')}`);
  }
}

/** A new network document; throws SpecError naming the first bad field. */
export function buildNetwork(spec: NetworkSpec): Document {
  const fwd = spec.forward as NetworkForward | undefined;
  if (!fwd) throw new SpecError('forward', "is required (use { mode: 'isolated' } for a network with no forwarding)");
  const mode = oneOf(fwd.mode, FORWARD_MODES, 'forward.mode');
  const managed = MANAGED_BRIDGE.has(mode);
  if (!managed) {
    // libvirt rejects these on networks it does not run a bridge for; saying so here names the field.
    for (const field of ['bridge', 'mtu', 'domain', 'ipv4', 'ipv6', 'dns'] as const) {
      if (spec[field] !== undefined) throw new SpecError(field, `does not apply to a '${mode}' network (libvirt creates no bridge for it)`);
    }
  }
  if (mode === 'nat' && !spec.ipv4) throw new SpecError('ipv4', 'a NAT network needs an IPv4 address');
  if (mode === 'route' && !spec.ipv4 && !spec.ipv6) throw new SpecError('ipv4', 'a routed network needs an IPv4 or IPv6 address');

  const { doc, root } = newDocument('network');
  el(root, 'name', {}, objectName(spec.name, 'name'));
  if (spec.uuid !== undefined) el(root, 'uuid', {}, checkUuid(spec.uuid, 'uuid'));
  addForward(root, fwd);
  if (spec.bridge) {
    const b = spec.bridge;
    el(root, 'bridge', {
      name: b.name === undefined ? undefined : deviceName(b.name, 'bridge.name'),
      stp: b.stp === undefined ? undefined : onOff(b.stp),
      delay: b.delay === undefined ? undefined : integer(b.delay, 'bridge.delay', 0),
    });
  }
  if (spec.mtu !== undefined) el(root, 'mtu', { size: integer(spec.mtu, 'mtu', 68, 65535) });
  if (spec.domain !== undefined) {
    const d = typeof spec.domain === 'string' ? { name: spec.domain } : spec.domain;
    el(root, 'domain', { name: dnsName(d.name, 'domain.name'), localOnly: d.localOnly === undefined ? undefined : yesNo(d.localOnly) });
  }
  if (spec.dns) {
    const dns = el(root, 'dns', { enable: spec.dns.enable === undefined ? undefined : yesNo(spec.dns.enable) });
    (spec.dns.hosts ?? []).forEach((h, i) => {
      const host = el(dns, 'host', { ip: ipAddress(h.ip, `dns.hosts[${i}].ip`) });
      if (!Array.isArray(h.hostnames) || h.hostnames.length === 0) throw new SpecError(`dns.hosts[${i}].hostnames`, 'at least one hostname is required');
      h.hostnames.forEach((n, j) => el(host, 'hostname', {}, dnsName(n, `dns.hosts[${i}].hostnames[${j}]`)));
    });
  }
  if (spec.ipv4) addIp(root, spec.ipv4, 4, 'ipv4');
  if (spec.ipv6) addIp(root, spec.ipv6, 6, 'ipv6');
  indent(root);
  return doc;
}

export function buildNetworkXml(spec: NetworkSpec): string {
  return serializeXml(buildNetwork(spec));
}
