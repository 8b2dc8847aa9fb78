// @vitest-environment jsdom
// The XML section's flow against a mocked server: open the editor, review the diff, apply with If-Match; a schema
// error comes back at its line, a conflict offers a reload that keeps the edits. CodeMirror itself is replaced by a
// textarea here (xml-editor-codemirror.test.tsx mounts the real one).
import { notifications } from '@mantine/notifications';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { XmlCodeEditorProps, XmlDiffViewProps } from '../../src/vms/details/xml/codemirror.js';
import { bodyOf, headersOf, makeDetail, PATH, problem, setup, UUID } from './vm-edit-harness.js';

vi.mock('../../src/vms/details/xml/codemirror.js', () => ({
  XmlCodeEditor: ({ value, onChange, readOnly, label, problems }: XmlCodeEditorProps) => (
    <div>
      <textarea aria-label={label} value={value} readOnly={readOnly} onChange={(e) => onChange?.(e.currentTarget.value)} />
      <ul aria-label="diagnostics">
        {problems.flatMap((p) => (p.line === null ? [] : [<li key={p.line}>{`${p.line}: ${p.message}`}</li>]))}
      </ul>
    </div>
  ),
  XmlDiffView: ({ original, modified, label }: XmlDiffViewProps) => (
    <pre aria-label={label}>{`--- ${original.length}\n+++ ${modified}`}</pre>
  ),
}));

const XML = makeDetail().xml;
const EDITED = XML.replace('</uuid>', '</uuid>\n  <description>hello</description>');

afterEach(() => {
  act(() => notifications.clean());
  vi.unstubAllGlobals();
});

async function openAndEdit(text: string) {
  await userEvent.click(await screen.findByRole('button', { name: 'Edit XML' }));
  const editor = await screen.findByRole('textbox', { name: 'XML editor' });
  expect((editor as HTMLTextAreaElement).value).toBe(XML);
  expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Review changes' }).disabled).toBe(true);
  fireEvent.change(editor, { target: { value: text } });
  await userEvent.click(screen.getByRole('button', { name: 'Review changes' }));
  return screen.findByLabelText('Changes to the definition');
}

describe('XML editor', () => {
  it('reviews the diff, then applies with If-Match and says so', async () => {
    const applied = makeDetail({ etag: '"rev-2"', xml: EDITED });
    const { calls, setDetail } = setup({
      handlers: {
        [`PUT ${PATH}/xml`]: () => {
          setDetail(applied);
          return Response.json(applied);
        },
      },
    });
    const diff = await openAndEdit(EDITED);
    expect(diff.textContent).toContain('<description>hello</description>');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));

    expect(await screen.findByText('XML of web-1 applied')).toBeTruthy();
    const [put] = calls('PUT', `${PATH}/xml`);
    expect(headersOf(put!)['if-match']).toBe('"rev-1"');
    expect(bodyOf(put!)).toEqual({ xml: EDITED });
    // Back to the text view, showing the new definition.
    await waitFor(() => expect(screen.getByLabelText('Domain XML').textContent).toBe(EDITED));
  });

  it('shows a schema error at its line, in the editor and as a message', async () => {
    const bad = XML.replace('</uuid>', '</uuid>\n  <bogus/>');
    setup({
      handlers: {
        [`PUT ${PATH}/xml`]: () =>
          problem(422, {
            type: 'urn:vireo:problem:validation',
            title: 'Unprocessable Content',
            detail: "the domain XML does not match libvirt's schema: line 4: element bogus: Relax-NG validity error",
            errors: [{ field: 'body.xml', reason: 'line 4: element bogus: Relax-NG validity error : Element domain has extra content: bogus' }],
          }),
      },
    });
    await openAndEdit(bad);
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));

    const editor = await screen.findByRole('textbox', { name: 'XML editor' });
    expect((editor as HTMLTextAreaElement).value).toBe(bad);
    const diagnostics = screen.getByRole('list', { name: 'diagnostics' });
    expect(within(diagnostics).getByRole('listitem').textContent).toBe('4: element bogus: Relax-NG validity error : Element domain has extra content: bogus');
    const alert = screen.getAllByRole('alert').find((a) => a.textContent?.includes('The XML was not accepted'));
    expect(alert?.textContent).toContain('Line 4: element bogus');
    expect((await screen.findByText('Applying the XML of web-1 failed')).closest('[role="alert"]')?.textContent).toContain('line 4: element bogus');
  });

  it('reports a definition changed meanwhile; Reload keeps the edits and diffs them against the current one', async () => {
    let puts = 0;
    const ctx = setup({
      handlers: {
        [`PUT ${PATH}/xml`]: () => {
          puts += 1;
          if (puts === 1) return problem(409, { type: 'urn:vireo:problem:conflict', title: 'Conflict', detail: 'changed', current: { etag: '"rev-5"', xml: '', redacted: [] } });
          return Response.json(makeDetail({ etag: '"rev-6"', xml: EDITED }));
        },
      },
    });
    await openAndEdit(EDITED);
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    const alert = await screen.findByText(/after you opened the editor, so nothing was applied/);
    const box = alert.closest('[role="alert"]') as HTMLElement;
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Apply' }).disabled).toBe(true);

    const current = XML.replace('<name>', '<title>by virsh</title>\n  <name>');
    ctx.setDetail(makeDetail({ etag: '"rev-5"', xml: current }));
    await userEvent.click(within(box).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.getByLabelText('Changes to the definition').textContent).toContain(`--- ${current.length}`));
    expect(screen.getByLabelText('Changes to the definition').textContent).toContain('<description>hello</description>');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(ctx.calls('PUT', `${PATH}/xml`)).toHaveLength(2));
    expect(headersOf(ctx.calls('PUT', `${PATH}/xml`)[1]!)['if-match']).toBe('"rev-5"');
  });

  it('is read-only for viewers, with no review or apply', async () => {
    setup({ role: 'viewer' });
    await userEvent.click(await screen.findByRole('button', { name: 'Open in editor' }));
    const editor = await screen.findByRole('textbox', { name: 'XML editor' });
    expect((editor as HTMLTextAreaElement).readOnly).toBe(true);
    expect(screen.getByText('Read-only: changing the XML needs the admin role.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Review changes' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Close editor' }));
    expect(screen.getByLabelText('Domain XML').textContent).toContain(`<uuid>${UUID}</uuid>`);
  });
});
