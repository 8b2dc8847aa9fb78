/** Pieces several views share: loading, PCI addresses, VLANs, virtual ports, bandwidth, `<enum>` lists. */
import type { Document, Element } from '@xmldom/xmldom';
import { attr, child, children, text } from '../dom/nav.js';
import { parseXml, rootElement } from '../dom/parse.js';
import { parseCInteger, parseUnsigned } from './units.js';

/** Parses (when given text) and checks the root, so every view fails the same way on the wrong document. */
export function loadRoot(input: Document | string, root: string, what: string): Element {
  const doc = typeof input === 'string' ? parseXml(input, what) : input;
  return rootElement(doc, root, what);
}

/** Attribute as a decimal unsigned number. */
export function uintAttr(el: Element | undefined, name: string): number | undefined {
  return parseUnsigned(attr(el, name));
}

/** Element text as a decimal unsigned number. */
export function uintText(el: Element | undefined): number | undefined {
  return parseUnsigned(text(el));
}

/** Only 'yes'/'on' are true; anything else present is false. */
export function yes(el: Element | undefined, name: string): boolean | undefined {
  const v = attr(el, name);
  return v === undefined ? undefined : v === 'yes' || v === 'on';
}

export interface PciAddressView {
  domain: number;
  bus: number;
  slot: number;
  function: number;
  /** `dddd:bb:ss.f`, lowercase hex, as lspci and sysfs spell it. */
  canonical: string;
}

export function formatPciAddress(a: Omit<PciAddressView, 'canonical'>): string {
  const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
  return `${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.slot, 2)}.${a.function.toString(16)}`;
}

export function pciAddress(domain: number, bus: number, slot: number, fn: number): PciAddressView {
  return { domain, bus, slot, function: fn, canonical: formatPciAddress({ domain, bus, slot, function: fn }) };
}

/**
 * `<address domain= bus= slot= function=/>`. Missing parts are 0 as in libvirt; an address with none of them (a
 * request for libvirt to assign one) or with a part libvirt could not read is undefined.
 */
export function readPciAddress(el: Element | undefined): PciAddressView | undefined {
  if (!el) return undefined;
  const names = ['domain', 'bus', 'slot', 'function'] as const;
  if (names.every((n) => attr(el, n) === undefined)) return undefined;
  const parts = names.map((n) => {
    const raw = attr(el, n);
    return raw === undefined ? 0 : parseCInteger(raw);
  });
  if (parts.some((p) => p === undefined)) return undefined;
  const [domain, bus, slot, fn] = parts as [number, number, number, number];
  return pciAddress(domain, bus, slot, fn);
}

/** A device's guest-side `<address>`: its type, its other attributes as written, and the PCI form when it is one. */
export interface DeviceAddressView {
  /** pci, drive, usb, virtio-serial, ccw, isa, spapr-vio, ... */
  type?: string;
  /** Everything but `type`, unconverted: their bases differ by address type (drive is decimal, pci hex). */
  attributes: Record<string, string>;
  pci?: PciAddressView;
}

/**
 * An element's attributes as a record. Object.fromEntries defines own properties, so a name such as `__proto__`
 * stays data instead of reaching the prototype; the same holds for every record built from document names.
 */
export function attributesOf(el: Element, skip: readonly string[] = []): Record<string, string> {
  const entries: [string, string][] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (a && !skip.includes(a.name)) entries.push([a.name, a.value]);
  }
  return Object.fromEntries(entries);
}

export function readDeviceAddress(el: Element | undefined): DeviceAddressView | undefined {
  if (!el) return undefined;
  const type = attr(el, 'type');
  return { type, attributes: attributesOf(el, ['type']), pci: type === 'pci' ? readPciAddress(el) : undefined };
}

export interface VlanTagView {
  id?: number;
  /** 'tagged' | 'untagged' when this tag is the trunk's native VLAN. */
  nativeMode?: string;
}

export interface VlanView {
  /** An explicit trunk='yes', or implied by more than one tag. */
  trunk: boolean;
  tags: VlanTagView[];
}

export function readVlan(el: Element | undefined): VlanView | undefined {
  if (!el) return undefined;
  const tags = children(el, 'tag').map((t) => ({ id: uintAttr(t, 'id'), nativeMode: attr(t, 'nativeMode') }));
  return { trunk: attr(el, 'trunk') === 'yes' || tags.length > 1, tags };
}

export interface VirtualPortView {
  /** openvswitch, 802.1Qbg, 802.1Qbh, midonet; absent when libvirt is to infer it. */
  type?: string;
  parameters: Record<string, string>;
}

export function readVirtualPort(el: Element | undefined): VirtualPortView | undefined {
  if (!el) return undefined;
  const p = child(el, 'parameters');
  return { type: attr(el, 'type'), parameters: p ? attributesOf(p) : {} };
}

/** One direction of QoS: average/peak/floor in KiB/s, burst in KiB, as libvirt defines them. */
export interface BandwidthLimitView {
  average?: number;
  peak?: number;
  burst?: number;
  floor?: number;
}

export interface BandwidthView {
  inbound?: BandwidthLimitView;
  outbound?: BandwidthLimitView;
}

function readLimit(el: Element | undefined): BandwidthLimitView | undefined {
  if (!el) return undefined;
  return {
    average: uintAttr(el, 'average'),
    peak: uintAttr(el, 'peak'),
    burst: uintAttr(el, 'burst'),
    floor: uintAttr(el, 'floor'),
  };
}

export function readBandwidth(el: Element | undefined): BandwidthView | undefined {
  if (!el) return undefined;
  return { inbound: readLimit(child(el, 'inbound')), outbound: readLimit(child(el, 'outbound')) };
}

/** `<enum name='x'><value>a</value>...</enum>` children as `{ x: ['a', ...] }`; an empty enum is an empty list. */
export function readEnums(el: Element | undefined): Record<string, string[]> {
  if (!el) return {};
  return Object.fromEntries(
    children(el, 'enum').flatMap((e) => {
      const name = attr(e, 'name');
      return name === undefined ? [] : [[name, children(e, 'value').map((v) => text(v) ?? '')] as const];
    }),
  );
}

/** Names of the direct children, in order (feature lists such as `<features><acpi/><apic/>`). */
export function childNames(el: Element | undefined): string[] {
  return el ? children(el).map((c) => c.tagName) : [];
}
