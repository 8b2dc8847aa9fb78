/**
 * Targeted edits of a network definition, and the XML snippets virNetworkUpdate takes to make the same changes to a
 * running network. Snippets are built as DOM elements and serialized, never assembled from strings.
 */
import { DOMImplementation, type Document, type Element } from '@xmldom/xmldom';
import { sameMac } from '../devices.js';
import { attr, child, children, removeChildren, removeElement, setAttr, setText } from '../dom/nav.js';
import { rootElement, serializeXml } from '../dom/parse.js';
import { EditError } from './errors.js';
import { addOrdered, checkInt, checkName, checkNonEmpty, checkOneOf, ensureOrdered, insertOrdered } from './util.js';

/** The children of `<network>` in the order libvirt formats them. */
const NETWORK_ORDER = [
  'name', 'uuid', 'title', 'description', 'metadata', 'forward', 'bridge', 'mtu', 'mac', 'domain', 'dns', 'vlan',
  'bandwidth', 'port', 'ip', 'route', 'virtualport', 'portgroup',
] as const;

const DHCP_ORDER = ['range', 'host', 'bootp'] as const;
const DNS_ORDER = ['forwarder', 'txt', 'host', 'srv'] as const;

function networkOf(doc: Document): Element {
  return rootElement(doc, 'network');
}

/** Sets the network's `<name>` (see checkName for what libvirt refuses). */
export function setNetworkName(doc: Document, name: string): void {
  checkName('name', name);
  setText(ensureOrdered(networkOf(doc), 'name', NETWORK_ORDER), name);
}

// ------------------------------------------------------------------ addresses

type Family = 'ipv4' | 'ipv6';

function parseIPv4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0n;
  for (const part of m.slice(1)) {
    const v = Number(part);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseIPv6(s: string): bigint | undefined {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let text = s;
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two 16-bit groups.
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = parseIPv4(v4[2]!);
    if (n === undefined) return undefined;
    text = `${v4[1]!}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const split = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = split(halves[0]!);
  const tail = halves.length === 2 ? split(halves[1]!) : [];
  const groups = [...head, ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7) return undefined;
  const words = [...head, ...new Array<string>(8 - groups.length).fill('0'), ...tail];
  return words.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

function parseIp(field: string, s: string): { family: Family; value: bigint } {
  checkNonEmpty(field, s);
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { family: 'ipv4', value: v4 };
  const v6 = parseIPv6(s);
  if (v6 !== undefined) return { family: 'ipv6', value: v6 };
  throw new EditError(field, `"${s}" is not an IPv4 or IPv6 address`);
}

function familyOf(ip: Element): Family {
  return attr(ip, 'family') === 'ipv6' || (attr(ip, 'address') ?? '').includes(':') ? 'ipv6' : 'ipv4';
}

function prefixOf(ip: Element, family: Family): number | undefined {
  const prefix = attr(ip, 'prefix');
  if (prefix !== undefined) return Number(prefix);
  const netmask = attr(ip, 'netmask');
  if (netmask !== undefined && family === 'ipv4') {
    const m = parseIPv4(netmask);
    if (m === undefined) return undefined;
    return m.toString(2).replace(/0+$/, '').length;
  }
  return family === 'ipv4' ? undefined : 64;
}

function contains(ip: Element, addr: { family: Family; value: bigint }): boolean {
  const family = familyOf(ip);
  if (family !== addr.family) return false;
  const base = family === 'ipv4' ? parseIPv4(attr(ip, 'address') ?? '') : parseIPv6(attr(ip, 'address') ?? '');
  const prefix = prefixOf(ip, family);
  if (base === undefined || prefix === undefined) return false;
  const bits = BigInt(family === 'ipv4' ? 32 : 128);
  const shift = bits - BigInt(prefix);
  return base >> shift === addr.value >> shift;
}

/**
 * The `<ip>` a DHCP entry belongs to: the one named by `address`, else the one whose subnet holds the entry's
 * address, else the first of its family.
 */
function ipFor(doc: Document, addr: { family: Family; value: bigint }, field: string, address?: string): Element {
  const ips = children(networkOf(doc), 'ip');
  if (address !== undefined) {
    const named = ips.find((ip) => attr(ip, 'address') === address);
    if (!named) throw new EditError('ip', `the network has no <ip address='${address}'>`);
    return named;
  }
  const found = ips.find((ip) => contains(ip, addr)) ?? ips.find((ip) => familyOf(ip) === addr.family);
  if (!found) throw new EditError(field, `the network has no ${addr.family === 'ipv4' ? 'IPv4' : 'IPv6'} address to serve it from`);
  return found;
}

function allDhcp(doc: Document): Element[] {
  return children(networkOf(doc), 'ip').flatMap((ip) => children(ip, 'dhcp'));
}

// ------------------------------------------------------------------ DHCP ranges

export interface DhcpRangeEntry {
  start: string;
  end: string;
}

function checkRange(range: DhcpRangeEntry): void {
  const start = parseIp('dhcp.range.start', range.start);
  const end = parseIp('dhcp.range.end', range.end);
  if (start.family !== end.family) throw new EditError('dhcp.range', 'start and end are of different address families');
  if (start.value > end.value) throw new EditError('dhcp.range', `start ${range.start} is after end ${range.end}`);
}

function rangeElement(doc: Document, range: DhcpRangeEntry): Element {
  const el = doc.createElement('range');
  setAttr(el, 'start', range.start);
  setAttr(el, 'end', range.end);
  return el;
}

/** Adds `<range>` to the DHCP of the `<ip>` holding it (or the one at `options.ip`), creating `<dhcp>` if needed. */
export function addDhcpRange(doc: Document, range: DhcpRangeEntry, options: { ip?: string } = {}): Element {
  checkRange(range);
  const ip = ipFor(doc, parseIp('dhcp.range.start', range.start), 'dhcp.range', options.ip);
  const dhcp = ensureOrdered(ip, 'dhcp', ['dhcp']);
  if (children(dhcp, 'range').some((r) => attr(r, 'start') === range.start && attr(r, 'end') === range.end)) {
    throw new EditError('dhcp.range', `the range ${range.start}-${range.end} is already there`);
  }
  return insertOrdered(dhcp, rangeElement(doc, range), DHCP_ORDER);
}

export function removeDhcpRange(doc: Document, range: DhcpRangeEntry): void {
  const found = allDhcp(doc)
    .flatMap((d) => children(d, 'range'))
    .filter((r) => attr(r, 'start') === range.start && attr(r, 'end') === range.end);
  if (found.length === 0) throw new EditError('dhcp.range', `no range ${range.start}-${range.end}`);
  for (const r of found) removeElement(r);
}

// ------------------------------------------------------------------ DHCP hosts

/** A static lease: IPv4 hosts are named by MAC and/or name, IPv6 hosts by DHCP unique id and/or name. */
export interface DhcpHostEntry {
  mac?: string;
  id?: string;
  name?: string;
  ip: string;
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

function checkHost(host: DhcpHostEntry): { family: Family; value: bigint } {
  const addr = parseIp('dhcp.host.ip', host.ip);
  if (host.mac !== undefined && !MAC.test(host.mac)) throw new EditError('dhcp.host.mac', `"${host.mac}" is not a MAC address`);
  if (host.name !== undefined) checkNonEmpty('dhcp.host.name', host.name);
  if (host.id !== undefined) checkNonEmpty('dhcp.host.id', host.id);
  if (addr.family === 'ipv6' && host.mac !== undefined) throw new EditError('dhcp.host.mac', 'IPv6 hosts are named by id, not MAC');
  if (addr.family === 'ipv4' && host.mac === undefined && host.name === undefined) {
    throw new EditError('dhcp.host', 'an IPv4 host needs a MAC address or a name');
  }
  if (addr.family === 'ipv6' && host.id === undefined && host.name === undefined) {
    throw new EditError('dhcp.host', 'an IPv6 host needs a DHCP id or a name');
  }
  return addr;
}

function hostElement(doc: Document, host: DhcpHostEntry): Element {
  const el = doc.createElement('host');
  setAttr(el, 'mac', host.mac);
  setAttr(el, 'id', host.id);
  setAttr(el, 'name', host.name);
  setAttr(el, 'ip', host.ip);
  return el;
}

/** Adds a static DHCP host to the `<ip>` whose subnet holds its address (or the one at `options.ip`). */
export function addDhcpHost(doc: Document, host: DhcpHostEntry, options: { ip?: string } = {}): Element {
  const addr = checkHost(host);
  const hosts = allDhcp(doc).flatMap((d) => children(d, 'host'));
  if (host.mac !== undefined && hosts.some((h) => sameMac(attr(h, 'mac'), host.mac))) {
    throw new EditError('dhcp.host.mac', `a host with MAC ${host.mac} is already there`);
  }
  if (hosts.some((h) => attr(h, 'ip') === host.ip)) throw new EditError('dhcp.host.ip', `a host with IP ${host.ip} is already there`);
  const ip = ipFor(doc, addr, 'dhcp.host', options.ip);
  const dhcp = ensureOrdered(ip, 'dhcp', ['dhcp']);
  return insertOrdered(dhcp, hostElement(doc, host), DHCP_ORDER);
}

/** Removes static DHCP hosts by MAC (any case) or by IP address. */
export function removeDhcpHost(doc: Document, key: { mac: string } | { ip: string }): void {
  const found = allDhcp(doc)
    .flatMap((d) => children(d, 'host'))
    .filter((h) => ('mac' in key ? sameMac(attr(h, 'mac'), key.mac) : attr(h, 'ip') === key.ip));
  if (found.length === 0) throw new EditError('dhcp.host', `no host with ${'mac' in key ? `MAC ${key.mac}` : `IP ${key.ip}`}`);
  for (const h of found) removeElement(h);
}

// ------------------------------------------------------------------ DNS hosts

export interface DnsHostEntry {
  ip: string;
  hostnames: readonly string[];
}

function dnsHostElement(doc: Document, host: DnsHostEntry): Element {
  parseIp('dns.host.ip', host.ip);
  if (host.hostnames.length === 0) throw new EditError('dns.host.hostnames', 'at least one hostname is needed');
  host.hostnames.forEach((h, i) => checkNonEmpty(`dns.host.hostnames[${i}]`, h));
  const el = doc.createElement('host');
  setAttr(el, 'ip', host.ip);
  for (const name of host.hostnames) setText(addOrdered(el, 'hostname', {}, []), name);
  return el;
}

/** Adds `<dns><host ip><hostname>…` (creating `<dns>` if needed); an IP already listed is refused, as libvirt does. */
export function addDnsHost(doc: Document, host: DnsHostEntry): Element {
  const el = dnsHostElement(doc, host);
  const root = networkOf(doc);
  const existing = child(root, 'dns');
  if (existing && children(existing, 'host').some((h) => attr(h, 'ip') === host.ip)) {
    throw new EditError('dns.host.ip', `a DNS host for ${host.ip} is already there`);
  }
  const dns = existing ?? ensureOrdered(root, 'dns', NETWORK_ORDER);
  return insertOrdered(dns, el, DNS_ORDER);
}

/** Removes the DNS host entry for an IP address. */
export function removeDnsHost(doc: Document, ip: string): void {
  const dns = child(networkOf(doc), 'dns');
  const found = dns ? children(dns, 'host').filter((h) => attr(h, 'ip') === ip) : [];
  if (found.length === 0) throw new EditError('dns.host.ip', `no DNS host for ${ip}`);
  for (const h of found) removeElement(h);
}

// ------------------------------------------------------------------ forward and bridge

export const NETWORK_FORWARD_MODES = ['nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev', 'none'] as const;
export type NetworkForwardMode = (typeof NETWORK_FORWARD_MODES)[number];

/**
 * Sets `<forward mode>`; `none` removes `<forward>` (an isolated network). `dev` sets or (null) removes the forward
 * device. `<nat>` goes when leaving NAT mode: libvirt allows it only there.
 */
export function setForwardMode(doc: Document, mode: NetworkForwardMode, options: { dev?: string | null } = {}): void {
  checkOneOf('forward.mode', mode, NETWORK_FORWARD_MODES);
  const root = networkOf(doc);
  if (mode === 'none') {
    removeChildren(root, 'forward');
    return;
  }
  if (options.dev) checkNonEmpty('forward.dev', options.dev);
  const forward = ensureOrdered(root, 'forward', NETWORK_ORDER);
  setAttr(forward, 'mode', mode);
  if (options.dev !== undefined) setAttr(forward, 'dev', options.dev ?? undefined);
  if (mode !== 'nat') removeChildren(forward, 'nat');
}

/** Linux interface names: at most 15 bytes, no whitespace or '/'. libvirt's `%d` template is allowed. */
function checkBridgeName(name: string): void {
  checkNonEmpty('bridge.name', name);
  if (new TextEncoder().encode(name).length > 15) throw new EditError('bridge.name', `"${name}" is longer than 15 bytes`);
  if (/[\s/]/.test(name)) throw new EditError('bridge.name', `"${name}" must not contain whitespace or '/'`);
}

/** Sets `<bridge name>` and, when given, `stp` (on/off) and the forward `delay` in seconds; other attributes stay. */
export function setBridge(doc: Document, name: string, options: { stp?: boolean; delay?: number } = {}): void {
  checkBridgeName(name);
  if (options.delay !== undefined) checkInt('bridge.delay', options.delay, 0);
  const bridge = ensureOrdered(networkOf(doc), 'bridge', NETWORK_ORDER);
  setAttr(bridge, 'name', name);
  if (options.stp !== undefined) setAttr(bridge, 'stp', options.stp ? 'on' : 'off');
  if (options.delay !== undefined) setAttr(bridge, 'delay', options.delay);
}

// ------------------------------------------------------------------ virNetworkUpdate snippets

/** virNetworkUpdateSection values for the sections snippets are built for. */
export const NetworkUpdateSection = { IP_DHCP_HOST: 4, IP_DHCP_RANGE: 5, DNS_HOST: 10 } as const;
/** virNetworkUpdateCommand values. */
export const NetworkUpdateCommand = { MODIFY: 1, DELETE: 2, ADD_LAST: 3, ADD_FIRST: 4 } as const;

export type NetworkUpdateItem =
  | { section: 'ip-dhcp-host'; host: DhcpHostEntry }
  | { section: 'ip-dhcp-range'; range: DhcpRangeEntry }
  | { section: 'dns-host'; host: DnsHostEntry };

function scratch(): Document {
  return new DOMImplementation().createDocument(null, 'scratch', null);
}

/**
 * The section number and XML virNetworkUpdate takes for one item (pass parentIndex -1 for DHCP items to let
 * libvirt choose the `<ip>` of the entry's family). Values are validated as the document edits validate them.
 */
export function networkUpdateSnippet(item: NetworkUpdateItem): { section: number; xml: string } {
  const doc = scratch();
  switch (item.section) {
    case 'ip-dhcp-host':
      checkHost(item.host);
      return { section: NetworkUpdateSection.IP_DHCP_HOST, xml: serializeXml(hostElement(doc, item.host)) };
    case 'ip-dhcp-range':
      checkRange(item.range);
      return { section: NetworkUpdateSection.IP_DHCP_RANGE, xml: serializeXml(rangeElement(doc, item.range)) };
    case 'dns-host':
      return { section: NetworkUpdateSection.DNS_HOST, xml: serializeXml(dnsHostElement(doc, item.host)) };
  }
}

/** The index of the `<ip>` element a DHCP entry at `address` belongs to, for virNetworkUpdate's parentIndex. */
export function networkIpIndex(doc: Document, address: string): number {
  const ip = ipFor(doc, parseIp('ip', address), 'ip');
  return children(networkOf(doc), 'ip').indexOf(ip);
}
