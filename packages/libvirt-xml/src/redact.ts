/**
 * Secrets in documents fetched with the SECURE flag, and their removal before a document reaches a user who may
 * only read. libvirt keeps real secrets in its secret driver; a domain document holds only what it prints solely
 * with VIR_DOMAIN_XML_SECURE:
 *   - `passwd` attributes (VNC, SPICE and RDP graphics passwords; taken wherever they appear);
 *   - `<cookies>` of network disk sources (HTTP cookies, secure-only since libvirt 6.3, CVE-2020-14301).
 * References to secrets (`<auth><secret usage|uuid>`, `<encryption><secret uuid>`, a TPM's `secret`) name a secret
 * object without its value; they stay, as do `passwdValidTo` and `<qemu:commandline>` (libvirt prints those to
 * everyone).
 */
import type { Document, Element } from '@xmldom/xmldom';
import { children, removeElement } from './dom/nav.js';
import { parseXml, serializeXml } from './dom/parse.js';

interface Found {
  element: Element;
  /** An attribute name, or undefined when the whole element is the secret. */
  attribute?: string;
  path: string;
}

function step(el: Element): string {
  const parent = el.parentNode;
  if (!parent || parent.nodeType !== 1) return el.tagName;
  const index = children(parent as Element, el.tagName).indexOf(el) + 1;
  return `${el.tagName}[${index}]`;
}

function collect(el: Element, path: string, out: Found[]): void {
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    if ((a.localName ?? a.name) === 'passwd') out.push({ element: el, attribute: a.name, path: `${path}/@${a.name}` });
  }
  for (const c of children(el)) {
    const p = `${path}/${step(c)}`;
    if (c.localName === 'cookies' && c.parentNode && (c.parentNode as Element).localName === 'source') {
      out.push({ element: c, path: p });
      continue;
    }
    collect(c, p, out);
  }
}

function find(doc: Document): Found[] {
  const root = doc.documentElement;
  if (!root) return [];
  const out: Found[] = [];
  collect(root, `/${root.tagName}`, out);
  return out;
}

/** True when the document holds a secret a read-only user must not see. */
export function hasSecrets(doc: Document): boolean {
  return find(doc).length > 0;
}

/**
 * A copy of the document without its secrets, and the path of each one removed (`/domain/devices[1]/graphics[1]/@passwd`, XPath-style, 1-based).
 * The original is left as it is: it is still the one to edit and redefine.
 */
export function redactSecrets(doc: Document): { doc: Document; redacted: string[] } {
  const copy = parseXml(serializeXml(doc));
  const found = find(copy);
  for (const f of found) {
    if (f.attribute !== undefined) f.element.removeAttribute(f.attribute);
    else removeElement(f.element);
  }
  return { doc: copy, redacted: found.map((f) => f.path) };
}
