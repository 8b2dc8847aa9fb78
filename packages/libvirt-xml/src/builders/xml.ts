/**
 * The builders' only way to make XML: DOM calls on a fresh document. The serializer does all escaping, so names and
 * paths with markup characters or non-ASCII text cannot break the document.
 */
import { DOMImplementation, type Document, type Element } from '@xmldom/xmldom';
import { docOf, isElement } from '../dom/nav.js';

const TEXT_NODE = 3;

export type AttrValue = string | number | bigint | undefined;

export function newDocument(rootName: string): { doc: Document; root: Element } {
  const doc = new DOMImplementation().createDocument(null, rootName, null);
  const root = doc.documentElement;
  if (!root) throw new Error(`could not create <${rootName}>`);
  return { doc, root };
}

/** Appends a child element with these attributes (undefined ones left out) and optional text content. */
export function el(parent: Element, name: string, attributes: Record<string, AttrValue> = {}, text?: string | number | bigint): Element {
  const doc = docOf(parent);
  const child = doc.createElement(name);
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) child.setAttribute(k, String(v));
  if (text !== undefined) child.appendChild(doc.createTextNode(String(text)));
  parent.appendChild(child);
  return child;
}

export const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
export const onOff = (b: boolean): string => (b ? 'on' : 'off');

/**
 * Indents element-only content by two spaces per level, the way libvirt prints its own documents. Elements with
 * text keep it untouched: whitespace there would be data.
 */
export function indent(root: Element, depth = 0): void {
  const doc = docOf(root);
  const kids: Element[] = [];
  for (let n = root.firstChild; n; n = n.nextSibling) {
    if (isElement(n)) kids.push(n);
    else if (n.nodeType === TEXT_NODE) return;
  }
  if (kids.length === 0) return;
  const inner = `\n${'  '.repeat(depth + 1)}`;
  for (const k of kids) {
    root.insertBefore(doc.createTextNode(inner), k);
    indent(k, depth + 1);
  }
  root.appendChild(doc.createTextNode(`\n${'  '.repeat(depth)}`));
}
