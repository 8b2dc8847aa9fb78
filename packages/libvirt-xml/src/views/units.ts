/**
 * Numbers and sizes the way libvirt reads them, so a view never disagrees with what libvirt itself understood.
 * Views use KiB for guest memory (libvirt's own default unit) and bytes for storage.
 */
import type { Element } from '@xmldom/xmldom';
import { attr, text } from '../dom/nav.js';

/**
 * The multiplier for a `unit=` suffix, mirroring virScaleInteger: b/byte/bytes = 1; a bare letter or `<letter>iB` is
 * a power of 1024; `<letter>B` is a power of 1000 (k, m, g, t, p, e; case-insensitive). No suffix means
 * `defaultScale` (1024 for memory, 1 for storage). Undefined for a suffix libvirt would reject.
 */
export function unitScale(unit: string | undefined, defaultScale: number): number | undefined {
  if (unit === undefined || unit === '') return defaultScale;
  const lower = unit.toLowerCase();
  if (lower === 'b' || lower === 'byte' || lower === 'bytes') return 1;
  let base: number;
  if (lower.length === 1 || lower.slice(1) === 'ib') base = 1024;
  else if (lower.length === 2 && lower[1] === 'b') base = 1000;
  else return undefined;
  const power = 'kmgtpe'.indexOf(lower[0]!);
  return power < 0 ? undefined : base ** (power + 1);
}

/**
 * An unsigned decimal as libvirt's virStrToLong_ull reads element text and most attributes. Undefined for anything
 * else, rather than Number()'s generous guesses ('' as 0, '1e3', '0b1').
 */
export function parseUnsigned(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = value.trim();
  return /^\+?\d+$/.test(s) ? Number(s) : undefined;
}

/** A signed decimal (ports use -1 for "pick one"). */
export function parseSigned(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = value.trim();
  return /^[-+]?\d+$/.test(s) ? Number(s) : undefined;
}

/**
 * An integer in C's base 0 (strtoul with base 0): `0x` hex, a leading `0` octal, else decimal. libvirt reads PCI and
 * USB address parts and USB ids this way, so `bus='010'` is bus 8, not 10.
 */
export function parseCInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = value.trim();
  if (/^0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return Number.parseInt(s, 8);
  if (/^[1-9]\d*$/.test(s)) return Number(s);
  return undefined;
}

/** A hex number with or without `0x` (PCI class codes, nodedev vendor/product ids). */
export function parseHex(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = value.trim().replace(/^0x/i, '');
  return /^[0-9a-f]+$/i.test(s) ? Number.parseInt(s, 16) : undefined;
}

/** `0x8086`-style id: lowercase hex, at least `digits` wide, the way libvirt writes vendor and product ids. */
export function formatHexId(value: number, digits = 4): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/**
 * A scaled value in bytes. Note: doubles hold integers exactly up to 2^53 (8 PiB); libvirt's 64-bit sizes beyond
 * that lose precision, which is harmless for display.
 */
export function scaledBytes(value: string | number | undefined, unit?: string, defaultScale = 1): number | undefined {
  const n = typeof value === 'number' ? value : parseUnsigned(value);
  const scale = unitScale(unit, defaultScale);
  if (n === undefined || scale === undefined) return undefined;
  return n * scale;
}

/** A scaled value in KiB, rounded up like libvirt's virDomainParseMemory (a bare number is already KiB). */
export function scaledKiB(value: string | number | undefined, unit?: string, defaultScale = 1024): number | undefined {
  const bytes = scaledBytes(value, unit, defaultScale);
  return bytes === undefined ? undefined : Math.ceil(bytes / 1024);
}

/** An element like `<memory unit='GiB'>4</memory>` in KiB. */
export function elementKiB(el: Element | undefined): number | undefined {
  return el ? scaledKiB(text(el), attr(el, 'unit')) : undefined;
}

/** An element like `<capacity unit='G'>5</capacity>` in bytes. */
export function elementBytes(el: Element | undefined): number | undefined {
  return el ? scaledBytes(text(el), attr(el, 'unit')) : undefined;
}
