import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';

/** A document that is not well-formed XML, with where the parser stopped. */
export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/**
 * Parses a document, keeping everything the DOM can hold: element order, unknown elements and attributes,
 * comments, processing instructions, namespaces and whitespace. Any parser error or warning is fatal: a document
 * libvirt would reject must not be silently repaired.
 */
export function parseXml(text: string, what = 'document'): Document {
  let problem: { message: string; line?: number; column?: number } | undefined;
  const parser = new DOMParser({
    onError: (level, message, context: unknown) => {
      const locator = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
      problem ??= { message: `${level}: ${message}`, line: locator?.lineNumber, column: locator?.columnNumber };
      throw new XmlParseError(message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (err) {
    const where = problem?.line !== undefined ? ` at line ${problem.line}${problem.column !== undefined ? `, column ${problem.column}` : ''}` : '';
    throw new XmlParseError(`${what} is not well-formed XML${where}: ${problem?.message ?? (err as Error).message}`, problem?.line, problem?.column);
  }
  if (!doc.documentElement) throw new XmlParseError(`${what} has no root element`);
  return doc;
}

/** Serializes a document (or one element, e.g. a device for attach/detach); the serializer escapes every value. */
export function serializeXml(node: Document | Element): string {
  return new XMLSerializer().serializeToString(node);
}

/** The root element, checked to be the expected kind of document. */
export function rootElement(doc: Document, expected: string, what = expected): Element {
  const root = doc.documentElement;
  if (!root) throw new XmlParseError(`${what} XML has no root element`);
  if (root.localName !== expected) {
    throw new XmlParseError(`expected a <${expected}> document for ${what}, got <${root.tagName}>`);
  }
  return root;
}
