/**
 * CodeMirror 6 for the domain XML: an editor (syntax highlighting, line numbers, the server's problems as lint
 * diagnostics at their lines) and a unified diff against the current definition. Loaded on demand (XmlSection
 * imports this module lazily), so none of CodeMirror is in the VM list's bundle.
 *
 * CSP: CodeMirror styles itself through style-mod, which writes a <style> element into a document (blocked by the
 * server's `style-src 'self'`) but uses a constructable stylesheet (adoptedStyleSheets, which CSP does not govern)
 * in a shadow root. So each editor lives in a shadow root of its own host element.
 */
import { xml } from '@codemirror/lang-xml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { unifiedMergeView } from '@codemirror/merge';
import { Annotation, Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { clampLine, type XmlProblem } from './xml-problems.js';

// Fixed light colours with AA contrast in both colour schemes (the shadow root sees no Mantine classes); the
// fonts come through the inherited Mantine variables.
const theme = EditorView.theme({
  '&': {
    color: '#212529',
    backgroundColor: '#ffffff',
    border: '1px solid #ced4da',
    borderRadius: '4px',
    fontSize: '13px',
  },
  '&.cm-focused': { outline: '2px solid #1971c2', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace, ui-monospace, monospace)', maxHeight: '60vh', minHeight: '12em' },
  '.cm-gutters': { color: '#495057', backgroundColor: '#f1f3f5', borderRight: '1px solid #dee2e6' },
  '.cm-activeLineGutter': { backgroundColor: '#dbe4ff', color: '#212529' },
  // No tint behind highlighted text: the default highlight colours are just above 4.5:1 on white.
  '.cm-activeLine': { backgroundColor: 'transparent' },
});

/** Marks a text set from outside (a discard, a reload), which is not reported back as the user's edit. */
const fromOutside = Annotation.define<boolean>();

function labelled(label: string, readOnly: boolean): Extension {
  // An explicit tabindex: axe counts a contenteditable as focusable content of the scroller only with one.
  return EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0', ...(readOnly ? { 'aria-readonly': 'true' } : {}) });
}

/** The problems the server named a line for, as diagnostics spanning that line (its indentation left out). */
export function toDiagnostics(state: EditorState, problems: readonly XmlProblem[]): Diagnostic[] {
  return problems.flatMap((p): Diagnostic[] => {
    if (p.line === null) return [];
    const line = state.doc.line(clampLine(p.line, state.doc.lines));
    const indent = /^\s*/.exec(line.text)![0].length;
    return [{ from: line.from + Math.min(indent, line.length), to: line.to, severity: 'error', message: p.message, source: 'libvirt' }];
  });
}

/** Mounts `create`'s view in a shadow root of the returned host element, and destroys it on unmount. */
function useShadowView(create: (parent: HTMLElement, root: ShadowRoot) => EditorView) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const createRef = useRef(create);
  useEffect(() => {
    const el = host.current!;
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    root.appendChild(parent);
    view.current = createRef.current(parent, root);
    return () => {
      view.current?.destroy();
      view.current = null;
      parent.remove();
    };
  }, []);
  return { host, view };
}

export interface XmlCodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  readOnly: boolean;
  /** The accessible name of the editable text. */
  label: string;
  problems: readonly XmlProblem[];
}

export function XmlCodeEditor({ value, onChange, readOnly, label, problems }: XmlCodeEditorProps) {
  const onChangeRef = useRef(onChange);
  const access = useRef(new Compartment());
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  const { host, view } = useShadowView(
    (parent, root) =>
      new EditorView({
        parent,
        root,
        state: EditorState.create({
          doc: value,
          extensions: [
            basicSetup,
            xml(),
            lintGutter(),
            theme,
            access.current.of([EditorState.readOnly.of(readOnly), labelled(label, readOnly)]),
            EditorView.updateListener.of((u) => {
              if (u.docChanged && !u.transactions.some((tr) => tr.annotation(fromOutside))) onChangeRef.current?.(u.state.doc.toString());
            }),
          ],
        }),
      }),
  );

  // A value from outside (discarded edits, a reloaded definition) replaces the text; the user's own typing does not
  // come back here as a change.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value }, annotations: fromOutside.of(true) });
    }
  }, [value, view]);

  useEffect(() => {
    view.current?.dispatch({ effects: access.current.reconfigure([EditorState.readOnly.of(readOnly), labelled(label, readOnly)]) });
  }, [readOnly, label, view]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, toDiagnostics(v.state, problems)));
  }, [problems, view, value]);

  return <div ref={host} className="vireo-cm-host" data-testid="xml-editor" />;
}

export interface XmlDiffViewProps {
  /** The definition as it is. */
  original: string;
  /** The edited text. */
  modified: string;
  label: string;
}

/** The edited XML with the lines it removes from and adds to the current definition marked (read-only). */
export function XmlDiffView({ original, modified, label }: XmlDiffViewProps) {
  const { host } = useShadowView(
    (parent, root) =>
      new EditorView({
        parent,
        root,
        state: EditorState.create({
          doc: modified,
          // No syntax colours here: the changed lines' tints would take them below 4.5:1.
          extensions: [
            basicSetup,
            theme,
            EditorState.readOnly.of(true),
            labelled(label, true),
            unifiedMergeView({ original, mergeControls: false, highlightChanges: true, gutter: true, syntaxHighlightDeletions: false }),
          ],
        }),
      }),
  );
  return <div ref={host} className="vireo-cm-host" data-testid="xml-diff" />;
}
