/** Validation and placement helpers shared by the edit modules (not part of the package's public surface). */
import type { CharacterData, Element, Node } from '@xmldom/xmldom';
import { addChild, children, insertChild } from '../dom/nav.js';
import { EditError } from './errors.js';

const TEXT_NODE = 3;

/**
 * Code points XML 1.0 cannot carry, even as character references: C0 controls other than tab, newline and carriage
 * return, lone surrogates, U+FFFE and U+FFFF. The serializer would write them raw and the result would not parse.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function checkXmlChars(field: string, value: string): string {
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) {
    const cp = bad[0].codePointAt(0) ?? 0;
    throw new EditError(field, `contains U+${cp.toString(16).toUpperCase().padStart(4, '0')}, which XML cannot represent`);
  }
  return value;
}

/**
 * Object names (domain, network, pool, volume): libvirt rejects empty names, '/' (names become file names) and
 * newlines. A carriage return would arrive as a newline after XML's line-end normalisation, so it is refused too.
 * Other whitespace, including leading and trailing, is kept exactly: libvirt keeps it.
 */
export function checkName(field: string, value: string): string {
  checkXmlChars(field, value);
  if (value.length === 0) throw new EditError(field, 'must not be empty');
  if (value.includes('/')) throw new EditError(field, `"${value}" must not contain '/'`);
  if (/[\n\r]/.test(value)) throw new EditError(field, 'must not contain line breaks');
  return value;
}

export function checkNonEmpty(field: string, value: string): string {
  checkXmlChars(field, value);
  if (value.trim().length === 0) throw new EditError(field, 'must not be empty');
  return value;
}

/** A whole number in [min, max]; libvirt stores these as unsigned C integers. */
export function checkInt(field: string, value: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new EditError(field, `must be a whole number, got ${String(value)}`);
  }
  if (value < min) throw new EditError(field, `must be at least ${min}, got ${value}`);
  if (value > max) throw new EditError(field, `must be at most ${max}, got ${value}`);
  return value;
}

export function checkOneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new EditError(field, `"${value}" is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * Numbers the way libvirt reads addresses and ids (strtol with base 0): `0x` hex, a leading `0` octal, else decimal.
 * Undefined for anything else, so a malformed attribute never matches.
 */
export function parseCNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = value.trim();
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) n = Number.parseInt(s.slice(2), 16);
  else if (/^0[0-7]+$/.test(s)) n = Number.parseInt(s.slice(1), 8);
  else if (/^\d+$/.test(s)) n = Number.parseInt(s, 10);
  else return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}

const UNIT_FACTORS: Record<string, number> = {
  b: 1, bytes: 1,
  kb: 1e3, k: 1024, kib: 1024,
  mb: 1e6, m: 1024 ** 2, mib: 1024 ** 2,
  gb: 1e9, g: 1024 ** 3, gib: 1024 ** 3,
  tb: 1e12, t: 1024 ** 4, tib: 1024 ** 4,
  pb: 1e15, p: 1024 ** 5, pib: 1024 ** 5,
  eb: 1e18, e: 1024 ** 6, eib: 1024 ** 6,
};

/** A scaled libvirt quantity (`<memory unit='MiB'>512</memory>`) in KiB; libvirt's default unit is KiB. */
export function toKiB(value: string | undefined, unit: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = parseCNumber(value);
  if (n === undefined) return undefined;
  const factor = UNIT_FACTORS[(unit ?? 'KiB').toLowerCase()];
  if (factor === undefined) return undefined;
  return Math.ceil((n * factor) / 1024);
}

/** The names that come after `name` in libvirt's formatting order: where a new `name` goes in front of. */
export function after(order: readonly string[], name: string): readonly string[] {
  const i = order.indexOf(name);
  return i < 0 ? [] : order.slice(i + 1);
}

/** The named child, created in libvirt's order when missing. */
export function ensureOrdered(parent: Element, name: string, order: readonly string[]): Element {
  return children(parent, name)[0] ?? addChild(parent, name, {}, { before: after(order, name) });
}

export function addOrdered(
  parent: Element,
  name: string,
  attributes: Record<string, string | number | undefined>,
  order: readonly string[],
): Element {
  return addChild(parent, name, attributes, { before: after(order, name) });
}

export function insertOrdered(parent: Element, el: Element, order: readonly string[]): Element {
  insertChild(parent, el, { before: after(order, el.tagName) });
  reindent(el);
  return el;
}

/** The indentation (spaces and tabs after the last newline) of the whitespace in front of `node`. */
function indentBefore(node: Node): string | undefined {
  const prev = node.previousSibling;
  if (prev?.nodeType !== TEXT_NODE) return undefined;
  const v = prev.nodeValue ?? '';
  if (!/^\s*$/.test(v) || !v.includes('\n')) return undefined;
  return v.slice(v.lastIndexOf('\n') + 1);
}

/**
 * Shifts the inner formatting of an inserted element (a fragment written at column 0, or a device moved from a
 * deeper place) to where it now stands, so the document keeps reading like libvirt's own output. Only
 * whitespace-only text with line breaks changes; devices carry no other text whose whitespace matters.
 */
export function reindent(el: Element): void {
  const base = indentBefore(el);
  if (base === undefined) return;
  const last = el.lastChild;
  const lastValue = last?.nodeType === TEXT_NODE ? (last.nodeValue ?? '') : '';
  const own = /^\s*$/.test(lastValue) && lastValue.includes('\n') ? lastValue.slice(lastValue.lastIndexOf('\n') + 1) : '';
  if (own === base) return;
  const visit = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === TEXT_NODE) {
        const v = c.nodeValue ?? '';
        if (/^\s*$/.test(v) && v.includes('\n')) {
          const shifted = v.replace(/\n([ \t]*)/g, (_m, ind: string) => `\n${base}${ind.startsWith(own) ? ind.slice(own.length) : ind}`);
          const t = c as CharacterData;
          t.replaceData(0, t.length, shifted);
        }
      } else {
        visit(c);
      }
    }
  };
  visit(el);
}
