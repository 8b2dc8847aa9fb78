/**
 * xterm.js writes its theme, row and scrollbar rules into <style> elements it creates while opening. The server's
 * CSP (style-src 'self') blocks those (and Chromium reports each), which would leave the terminal unstyled. CSSOM is
 * not governed by style-src, so while xterm opens, `document.createElement('style')` hands it a stand-in whose
 * text goes into a constructed stylesheet adopted by the document instead. Only for the duration of `fn`, which
 * must be synchronous (xterm creates all its style elements in `open`, and only rewrites their text later).
 */
export function withCspSafeStyles<T>(fn: () => T): T {
  const doc = document;
  const create = doc.createElement.bind(doc);
  const saved = Object.getOwnPropertyDescriptor(doc, 'createElement');
  Object.defineProperty(doc, 'createElement', {
    configurable: true,
    writable: true,
    value: (tagName: string, options?: ElementCreationOptions): HTMLElement =>
      tagName.toLowerCase() === 'style' ? adoptedStyleStandIn(doc, create('vireo-adopted-style')) : create(tagName, options),
  });
  try {
    return fn();
  } finally {
    if (saved) Object.defineProperty(doc, 'createElement', saved);
    else Reflect.deleteProperty(doc, 'createElement');
  }
}

/** An inert element whose `textContent` lives in an adopted stylesheet, dropped again by `remove()`. */
function adoptedStyleStandIn(doc: Document, element: HTMLElement): HTMLElement {
  element.hidden = true;
  const sheet = new CSSStyleSheet();
  let text = '';
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  Object.defineProperty(element, 'textContent', {
    configurable: true,
    get: () => text,
    set: (value: string | null) => {
      text = value ?? '';
      sheet.replaceSync(text);
    },
  });
  const remove = element.remove.bind(element);
  element.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    remove();
  };
  return element;
}
