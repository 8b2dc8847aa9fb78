/**
 * Small, explicit helpers over the DOM. Reading never creates nodes; writing changes only the node it is given,
 * keeping every sibling, attribute and comment it does not name.
 */
import type { Document, Element, Node } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === ELEMENT_NODE;
}

/** Direct child elements, optionally only those with this (unprefixed) name, in document order. */
export function children(parent: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && (name === undefined || n.tagName === name)) out.push(n);
  }
  return out;
}

export function child(parent: Element, name: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) if (isElement(n) && n.tagName === name) return n;
  return undefined;
}

/** Follows a path of child names (`os/loader`); undefined when any step is missing. */
export function at(parent: Element, path: string): Element | undefined {
  let el: Element | undefined = parent;
  for (const step of path.split('/')) {
    if (!el) return undefined;
    el = child(el, step);
  }
  return el;
}

export function attr(el: Element | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  return el.getAttribute(name) ?? undefined;
}

export function intAttr(el: Element | undefined, name: string): number | undefined {
  const v = attr(el, name);
  if (v === undefined) return undefined;
  const n = v.startsWith('0x') ? Number.parseInt(v, 16) : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** The element's text content, trimmed; undefined when the element is missing. */
export function text(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  return (el.textContent ?? '').trim();
}

export function childText(parent: Element | undefined, path: string): string | undefined {
  return parent ? text(at(parent, path)) : undefined;
}

/** yes/no and on/off attributes as booleans. */
export function boolAttr(el: Element | undefined, name: string): boolean | undefined {
  const v = attr(el, name);
  if (v === undefined) return undefined;
  return v === 'yes' || v === 'on';
}

/** Sets or (with undefined) removes an attribute. */
export function setAttr(el: Element, name: string, value: string | number | undefined): void {
  if (value === undefined) el.removeAttribute(name);
  else el.setAttribute(name, String(value));
}

/** The document an element belongs to; every element from parseXml has one. */
export function docOf(el: Element): Document {
  const doc = el.ownerDocument;
  if (!doc) throw new Error(`<${el.tagName}> belongs to no document`);
  return doc;
}

/** Replaces the element's content with one text node (the serializer escapes it). */
export function setText(el: Element, value: string): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(docOf(el).createTextNode(value));
}

/** The whitespace text before `el`, used to indent new siblings the way the document already is. */
function indentOf(el: Element): string | undefined {
  const prev = el.previousSibling;
  if (prev?.nodeType === TEXT_NODE && /^\s*$/.test(prev.nodeValue ?? '')) return prev.nodeValue ?? undefined;
  return undefined;
}

/** The indentation a new child of `parent` gets: its siblings', or its parent's plus two spaces. */
function childIndent(parent: Element): { before: string; closing: string } {
  const parentIndent = indentOf(parent) ?? '\n';
  const sibling = children(parent)[0];
  const before = (sibling && indentOf(sibling)) ?? `${parentIndent}  `;
  return { before, closing: parentIndent };
}

/**
 * Creates a child element (with attributes) and inserts it: after the last sibling of the same name when there is
 * one (libvirt groups devices by kind), else before `before` (the first existing of those names), else at the end.
 */
export function addChild(
  parent: Element,
  name: string,
  attributes: Record<string, string | number | undefined> = {},
  options: { before?: readonly string[] } = {},
): Element {
  const el = docOf(parent).createElement(name);
  for (const [k, v] of Object.entries(attributes)) setAttr(el, k, v);
  insertChild(parent, el, options);
  return el;
}

/** Inserts an existing element (e.g. one a builder made) the way addChild does. */
export function insertChild(parent: Element, el: Element, options: { before?: readonly string[] } = {}): Element {
  const doc = docOf(parent);
  const { before: indent, closing } = childIndent(parent);
  const sameName = children(parent, el.tagName);
  let anchor: Node | null = null;
  if (sameName.length > 0) {
    anchor = sameName[sameName.length - 1]!.nextSibling;
  } else if (options.before) {
    anchor = children(parent).find((c) => options.before!.includes(c.tagName)) ?? null;
    if (anchor) anchor = anchor.previousSibling?.nodeType === TEXT_NODE ? anchor.previousSibling : anchor;
  }
  const hasElementChildren = children(parent).length > 0;
  if (!hasElementChildren && !parent.firstChild) {
    parent.appendChild(doc.createTextNode(indent));
    parent.appendChild(el);
    parent.appendChild(doc.createTextNode(closing));
    return el;
  }
  if (anchor === null) {
    // At the end: keep the closing indentation last.
    const last = parent.lastChild;
    if (last?.nodeType === TEXT_NODE && /^\s*$/.test(last.nodeValue ?? '')) {
      parent.insertBefore(doc.createTextNode(indent), last);
      parent.insertBefore(el, last);
    } else {
      parent.appendChild(doc.createTextNode(indent));
      parent.appendChild(el);
    }
    return el;
  }
  parent.insertBefore(doc.createTextNode(indent), anchor);
  parent.insertBefore(el, anchor);
  return el;
}

/** The named child, created (as addChild would) when missing. */
export function ensureChild(parent: Element, name: string, options: { before?: readonly string[] } = {}): Element {
  return child(parent, name) ?? addChild(parent, name, {}, options);
}

/** Removes an element together with the indentation before it, so no blank line is left behind. */
export function removeElement(el: Element): void {
  const parent = el.parentNode;
  if (!parent) return;
  const prev = el.previousSibling;
  if (prev?.nodeType === TEXT_NODE && /^\s*$/.test(prev.nodeValue ?? '')) parent.removeChild(prev);
  parent.removeChild(el);
}

/** Removes every child with this name; returns how many were removed. */
export function removeChildren(parent: Element, name: string): number {
  const found = children(parent, name);
  for (const el of found) removeElement(el);
  return found.length;
}

/** Copies an element from another document (a builder's fragment) into `doc`. */
export function adopt(doc: Document, el: Element): Element {
  return doc.importNode(el, true);
}
