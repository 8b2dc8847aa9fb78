export { parseXml, serializeXml, rootElement, XmlParseError } from './dom/parse.js';
export * as dom from './dom/nav.js';
export { canonicalLines, canonicalDiff, canonicallyEqual } from './dom/canonical.js';
