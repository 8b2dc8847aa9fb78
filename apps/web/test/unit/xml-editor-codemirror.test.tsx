// @vitest-environment jsdom
// The real CodeMirror editor, mounted in its shadow root (where style-mod uses a constructable stylesheet rather
// than a <style> element the CSP would block): named, highlighted, editable or not, diagnostics at their lines.
import './setup-dom.js';
import { act, render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { XmlCodeEditor, XmlDiffView } from '../../src/vms/details/xml/codemirror.js';

const XML = "<domain type='kvm'>\n  <name>a</name>\n  <bogus/>\n</domain>";

function shadowOf(container: HTMLElement, testId: string): ShadowRoot {
  const host = container.querySelector(`[data-testid="${testId}"]`)!;
  expect(host.shadowRoot).toBeTruthy();
  return host.shadowRoot!;
}

describe('XmlCodeEditor (CodeMirror)', () => {
  it('mounts in a shadow root with its accessible name, the text, line numbers, and no <style> in the document', () => {
    const { container } = render(<XmlCodeEditor value={XML} readOnly={false} label="XML editor" problems={[]} />);
    const root = shadowOf(container, 'xml-editor');
    const content = root.querySelector('.cm-content')!;
    expect(content.getAttribute('aria-label')).toBe('XML editor');
    expect(content.getAttribute('contenteditable')).toBe('true');
    expect(content.textContent).toContain('<name>a</name>');
    expect(root.querySelector('.cm-lineNumbers')).toBeTruthy();
    expect(document.head.querySelectorAll('style')).toHaveLength(0);
  });

  it('reports edits, takes a new value from outside, and marks the server\'s problem lines', () => {
    const onChange = vi.fn();
    const { container, rerender } = render(<XmlCodeEditor value={XML} onChange={onChange} readOnly={false} label="XML editor" problems={[]} />);
    const root = shadowOf(container, 'xml-editor');
    rerender(<XmlCodeEditor value={XML.replace('<name>a', '<name>b')} onChange={onChange} readOnly={false} label="XML editor" problems={[{ line: 3, column: null, message: 'extra content' }]} />);
    expect(root.querySelector('.cm-content')!.textContent).toContain('<name>b</name>');
    // A value set from outside is not echoed back as the user's change.
    expect(onChange).not.toHaveBeenCalled();
    const marked = root.querySelector('.cm-lintRange-error');
    expect(marked?.textContent).toBe('<bogus/>');
  });

  it('is read-only when asked, and says so', () => {
    const { container } = render(<XmlCodeEditor value={XML} readOnly label="XML editor" problems={[]} />);
    const content = shadowOf(container, 'xml-editor').querySelector('.cm-content')!;
    expect(content.getAttribute('aria-readonly')).toBe('true');
  });

  it('diffs the edit against the current definition', () => {
    const edited = XML.replace('  <bogus/>\n', '  <description>x</description>\n');
    const { container } = render(<XmlDiffView original={XML} modified={edited} label="Changes to the definition" />);
    const root = shadowOf(container, 'xml-diff');
    expect(root.querySelector('.cm-content')!.getAttribute('aria-label')).toBe('Changes to the definition');
    expect(root.querySelector('.cm-changedLine')?.textContent).toContain('<description>x</description>');
    expect(root.querySelector('.cm-deletedChunk')?.textContent).toContain('<bogus/>');
    act(() => undefined);
  });
});
