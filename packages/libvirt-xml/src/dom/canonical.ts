import type { Document, Element, Node } from '@xmldom/xmldom';
import { parseXml } from './parse.js';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

/**
 * A document's information as lines, one per element, attribute, text run, comment and processing instruction,
 * each named by its path (`/domain/devices/disk[1]/@type=file`). Whitespace-only text is formatting and is left
 * out; other text is trimmed and its inner whitespace folded. Namespaces appear as URIs, so a changed prefix is no
 * change but a changed namespace is. Quote style and entity spelling cannot show. Two documents carry the same
 * information exactly when their lines are equal.
 */
export function canonicalLines(input: Document | string): string[] {
  const doc = typeof input === 'string' ? parseXml(input) : input;
  const out: string[] = [];
  const root = doc.documentElement;
  for (let n = doc.firstChild; n; n = n.nextSibling) {
    if (n === root) walk(root, '', out);
    else leaf(n, '', out, { comment: 0, pi: 0 });
  }
  return out;
}

function qualified(el: Element | { namespaceURI: string | null; localName: string | null; nodeName: string }): string {
  const local = el.localName ?? el.nodeName;
  return el.namespaceURI ? `{${el.namespaceURI}}${local}` : local;
}

function leaf(n: Node, path: string, out: string[], counters: { comment: number; pi: number }): void {
  if (n.nodeType === COMMENT_NODE) out.push(`${path}/#comment[${counters.comment++}]=${fold(n.nodeValue ?? '')}`);
  else if (n.nodeType === PROCESSING_INSTRUCTION_NODE) out.push(`${path}/?${n.nodeName}[${counters.pi++}]=${fold(n.nodeValue ?? '')}`);
}

function fold(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}

function walk(el: Element, parentPath: string, out: string[], index = 0): void {
  const path = `${parentPath}/${qualified(el)}[${index}]`;
  out.push(path);
  const attrs: string[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    // Namespace declarations are how a prefix is bound, not information of their own: the URIs in the paths carry it.
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    attrs.push(`${path}/@${qualified(a)}=${a.value}`);
  }
  out.push(...attrs.sort());
  const seen = new Map<string, number>();
  const counters = { comment: 0, pi: 0 };
  let textRun = '';
  let textIndex = 0;
  const flushText = (): void => {
    const t = fold(textRun);
    if (t) out.push(`${path}/#text[${textIndex++}]=${t}`);
    textRun = '';
  };
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) {
      textRun += n.nodeValue ?? '';
      continue;
    }
    flushText();
    if (n.nodeType === ELEMENT_NODE) {
      const c = n as Element;
      const key = qualified(c);
      const i = seen.get(key) ?? 0;
      seen.set(key, i + 1);
      walk(c, path, out, i);
    } else {
      leaf(n, path, out, counters);
    }
  }
  flushText();
}

/** What `after` adds to and removes from `before`, as canonical lines (a multiset difference, order-insensitive). */
export function canonicalDiff(before: Document | string, after: Document | string): { added: string[]; removed: string[] } {
  const a = canonicalLines(before);
  const b = canonicalLines(after);
  const count = new Map<string, number>();
  for (const l of a) count.set(l, (count.get(l) ?? 0) + 1);
  const added: string[] = [];
  for (const l of b) {
    const c = count.get(l) ?? 0;
    if (c > 0) count.set(l, c - 1);
    else added.push(l);
  }
  const removed: string[] = [];
  for (const [l, c] of count) for (let i = 0; i < c; i++) removed.push(l);
  return { added, removed };
}

/** True when the two documents carry the same information (see canonicalLines). */
export function canonicallyEqual(a: Document | string, b: Document | string): boolean {
  const d = canonicalDiff(a, b);
  return d.added.length === 0 && d.removed.length === 0;
}
