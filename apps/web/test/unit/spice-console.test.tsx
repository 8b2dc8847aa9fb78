// @vitest-environment jsdom
// The SPICE console page parts with spice-html5 replaced by a recorder: the viewer asks for a SPICE ticket and
// connects to its WebSocket URL on this origin with its password, shows the session's state, sends Ctrl+Alt+Del as
// scan codes, and closes on unmount; the panel shows the viewer to operators only, with the native viewer's actions.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ConsoleInfo, ConsoleTicket } from '@vireo/api';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendKeysEvents } from '../../src/consoles/keys.js';
import { CloseCode } from '../../src/consoles/session.js';
import type { SpiceClientOptions } from '../../src/consoles/spice-client.js';
import { spiceKeyEvents } from '../../src/consoles/spice-keys.js';
import { SpiceConsole } from '../../src/consoles/SpiceConsole.js';
import { SpicePanel } from '../../src/consoles/SpicePanel.js';
import { createI18n } from '../../src/i18n/index.js';

const spice = vi.hoisted(() => ({
  opened: [] as SpiceClientOptions[],
  clients: [] as { sendKeys: ReturnType<typeof vi.fn>; close: ReturnType<typeof vi.fn> }[],
}));

vi.mock('../../src/consoles/spice-client.js', () => ({
  connectSpice: (options: SpiceClientOptions) => {
    spice.opened.push(options);
    const client = { sendKeys: vi.fn(() => true), close: vi.fn() };
    spice.clients.push(client);
    return client;
  },
}));

const UUID = '11111111-2222-3333-4444-555555555555';
let tickets: unknown[] = [];
let password: string | null = 'pw';

function wrap(children: React.ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <QueryClientProvider client={client}>
        <I18nextProvider i18n={createI18n('en')}>{children}</I18nextProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}

beforeEach(() => {
  spice.opened = [];
  spice.clients = [];
  tickets = [];
  password = 'pw';
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit) => {
      if (url === `/api/v1/hosts/local/domains/${UUID}/consoles` && init.method === 'POST') {
        tickets.push(JSON.parse(init.body as string));
        const ticket: ConsoleTicket = { ticket: 'abc', type: 'spice', path: '/api/v1/consoles/abc', expiresAt: '2030-01-01T00:00:00.000Z', password };
        return Promise.resolve(Response.json(ticket, { status: 201 }));
      }
      return Promise.resolve(Response.json({ title: 'Not Found', status: 404 }, { status: 404, headers: { 'content-type': 'application/problem+json' } }));
    }),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const status = () => document.querySelector('[data-console-status]');

describe('SpiceConsole', () => {
  it('connects to the ticket\'s socket on this origin with its password, and shows the session state', async () => {
    render(wrap(<SpiceConsole host="local" uuid={UUID} name="web-1" live />));
    await waitFor(() => expect(spice.opened).toHaveLength(1));
    expect(tickets).toEqual([{ type: 'spice', force: false }]);
    const options = spice.opened[0]!;
    expect(options.url).toBe(`ws://${window.location.host}/api/v1/consoles/abc`);
    expect(options.password).toBe('pw');
    // spice-html5 draws into the element it finds by this id, inside the screen region.
    expect(options.screen.id).toMatch(/^vireo-spice-[\w-]+$/);
    expect(document.getElementById(options.screen.id)).toBe(options.screen);
    expect(screen.getByRole('region', { name: 'Screen of web-1' }).contains(options.screen)).toBe(true);
    expect(status()?.getAttribute('data-console-status')).toBe('connecting');
    expect(screen.getByRole('button', { name: 'Send keys' }).hasAttribute('disabled')).toBe(true);

    act(() => options.onConnected());
    expect(status()?.textContent).toContain('Connected');
    fireEvent.click(screen.getByRole('button', { name: 'Send keys' }));
    fireEvent.click(screen.getByRole('button', { name: 'Ctrl+Alt+Del' }));
    expect(spice.clients[0]!.sendKeys).toHaveBeenCalledWith(spiceKeyEvents(sendKeysEvents('ctrlAltDel')));
    expect(screen.getByText('Sent Ctrl+Alt+Del')).toBeTruthy();

    // A refused password is not retried: the reason shows.
    act(() => options.onEnded(CloseCode.unavailable, 'the SPICE display refused the password'));
    expect(status()?.getAttribute('data-console-status')).toBe('unavailable');
    expect(status()?.textContent).toContain('The console is not available: the SPICE display refused the password');
    expect(screen.getByRole('button', { name: 'Send keys' }).hasAttribute('disabled')).toBe(true);
  });

  it('sends an empty password for a display without one, and closes on unmount', async () => {
    password = null;
    const view = render(wrap(<SpiceConsole host="local" uuid={UUID} name="web-1" live />));
    await waitFor(() => expect(spice.opened).toHaveLength(1));
    expect(spice.opened[0]!.password).toBe('');
    act(() => spice.opened[0]!.onConnected());
    view.unmount();
    expect(spice.clients[0]!.close).toHaveBeenCalledOnce();
  });

  it('keeps keys spice-html5 would answer with an alert (input method, unidentified) from its canvas', async () => {
    render(wrap(<SpiceConsole host="local" uuid={UUID} name="web-1" live />));
    await waitFor(() => expect(spice.opened).toHaveLength(1));
    const canvas = document.createElement('canvas');
    spice.opened[0]!.screen.append(canvas);
    const seen: number[] = [];
    canvas.addEventListener('keydown', (e) => seen.push(e.keyCode));
    fireEvent.keyDown(canvas, { keyCode: 229 });
    fireEvent.keyDown(canvas, { keyCode: 0 });
    fireEvent.keyDown(canvas, { keyCode: 65, isComposing: true });
    fireEvent.keyDown(canvas, { keyCode: 65 });
    expect(seen).toEqual([65]);
  });

  it('asks for no ticket while the VM is not running', async () => {
    render(wrap(<SpiceConsole host="local" uuid={UUID} name="web-1" live={false} />));
    await act(() => Promise.resolve());
    expect(tickets).toEqual([]);
    expect(status()?.textContent).toContain('The virtual machine is not running');
  });
});

const localOnly: ConsoleInfo['graphics'][number] = { type: 'spice', listen: '127.0.0.1', socket: null, port: 5900, tlsPort: null, passwordSet: false, localOnly: true };

describe('SpicePanel', () => {
  it('shows operators the viewer, with the connection file, and why remote-viewer cannot reach a local display', async () => {
    render(wrap(<SpicePanel host="local" uuid={UUID} name="web-1" graphics={localOnly} live canOpen canEdit={false} />));
    expect(await screen.findByRole('region', { name: 'Screen of web-1' })).toBeTruthy();
    expect(screen.getByTestId('spice-local-only').textContent).toContain('The viewer on this page reaches it through Vireo');
    expect(screen.getByTestId('spice-explanation').textContent).toContain('remote-viewer');
    expect(screen.getByRole('button', { name: 'Download .vv file' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Switch to VNC' })).toBeNull();
  });

  it('shows viewers no console and no actions', async () => {
    render(wrap(<SpicePanel host="local" uuid={UUID} name="web-1" graphics={localOnly} live canOpen={false} canEdit={false} />));
    expect(screen.getByTestId('spice-explanation').textContent).toBe('Opening a console needs the operator role.');
    await act(() => Promise.resolve());
    expect(screen.queryByRole('region')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Download .vv file' })).toBeNull();
    expect(screen.queryByTestId('spice-local-only')).toBeNull();
    expect(tickets).toEqual([]);
  });
});
