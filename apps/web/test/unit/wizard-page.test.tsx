// @vitest-environment jsdom
// The wizard rendered against a mocked API, driven by the keyboard only: step checks, OS defaults, a server error
// back beside its field, the XML preview, then a create whose task ends through an events message.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../../src/events/apply.js';
import { createI18n } from '../../src/i18n/index.js';
import { WizardPage } from '../../src/vms/wizard/WizardPage.js';
import { domain, task } from './fixtures.js';
import { cloudImage, debian12, debian9, hostSummary, isoInDir, isoInPool, pool, win11 } from './wizard-fixtures.js';

// jsdom lacks what Mantine's combobox (scrolls to the active option) and the router (scroll restoration) call.
if (!('scrollIntoView' in Element.prototype)) Object.defineProperty(Element.prototype, 'scrollIntoView', { configurable: true, value: () => undefined });
window.scrollTo = () => undefined;

const TASK = task({ id: 'task-1' });

interface Call {
  method: string;
  url: string;
  body: unknown;
}

let calls: Call[];
let createResponses: (() => Response)[];
let pools = [pool('default')];

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

beforeEach(() => {
  calls = [];
  createResponses = [];
  pools = [pool('default')];
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    const path = url.split('?')[0];
    if (method === 'POST' && path === '/api/v1/hosts/local/domains') return Promise.resolve(createResponses.shift()!());
    if (method === 'POST' && path === '/api/v1/hosts/local/domains/preview') return Promise.resolve(json({ xml: "<domain type='kvm'>\n  <name>vm1</name>\n</domain>\n" }));
    if (method === 'POST' && path === '/api/v1/hosts/local/storage/pools/default') {
      pools = [pool('default', { path: '/var/lib/libvirt/images' })];
      return Promise.resolve(json(pools[0], 201));
    }
    switch (path) {
      case '/api/v1/hosts/local/domains':
        return Promise.resolve(json({ host: 'local', seq: 0, domains: [domain('taken')] }));
      case '/api/v1/hosts/local':
        return Promise.resolve(json(hostSummary()));
      case '/api/v1/hosts/local/install-media':
        return Promise.resolve(json({ media: [isoInPool, isoInDir, cloudImage], directories: ['/srv/iso-dir'] }));
      case '/api/v1/osinfo':
        return Promise.resolve(json({ os: url.includes('eol=true') ? [debian12, win11, debian9] : [win11, debian12], source: 'test' }));
      case '/api/v1/hosts/local/storage/pools':
        return Promise.resolve(json({ pools }));
      case '/api/v1/hosts/local/networks':
        return Promise.resolve(json({ networks: [] }));
      case '/api/v1/hosts/local/host-interfaces':
        return Promise.resolve(json({ interfaces: [] }));
      default:
        return Promise.resolve(json({ title: 'Not Found', status: 404 }, 404));
    }
  });
});
afterEach(() => vi.unstubAllGlobals());

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rootRoute = createRootRoute({ component: Outlet });
  const list = createRoute({ getParentRoute: () => rootRoute, path: '/', component: () => <h1>VM list</h1> });
  const wizard = createRoute({ getParentRoute: () => rootRoute, path: '/vms/new', component: () => <WizardPage host="local" /> });
  const details = createRoute({ getParentRoute: () => rootRoute, path: '/vms/$host/$uuid', component: () => <h1>VM details</h1> });
  const router = createRouter({
    routeTree: rootRoute.addChildren([list, wizard, details]),
    history: createMemoryHistory({ initialEntries: ['/vms/new'] }),
  });
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <Notifications />
      <QueryClientProvider client={client}>
        <I18nextProvider i18n={createI18n('en')}>
          <RouterProvider router={router} />
        </I18nextProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { client, router, user: userEvent.setup() };
}

const stepHeading = (name: string) => screen.findByRole('heading', { level: 2, name });

/** Keyboard only: focus moves as Tab would move it, then keys. */
async function typeInto(user: ReturnType<typeof userEvent.setup>, el: HTMLElement, text: string) {
  act(() => el.focus());
  await user.keyboard('{Control>}a{/Control}{Backspace}');
  if (text !== '') await user.keyboard(text);
}

async function pickOption(user: ReturnType<typeof userEvent.setup>, combobox: HTMLElement, search: string, option: string) {
  await typeInto(user, combobox, search);
  // jsdom lays nothing out, so the popover counts as hidden to the accessibility tree.
  await screen.findByRole('option', { name: option, hidden: true });
  await user.keyboard('{ArrowDown}{Enter}');
}

describe('WizardPage', () => {
  it('walks every step by keyboard, maps a server error to its field, creates, and follows the task', async () => {
    const { client, router, user } = setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Create a virtual machine' })).toBeTruthy();
    await stepHeading('Source');

    // Step checks: a taken name and no ISO stay on the step with the reasons beside the fields.
    const name = screen.getByRole('textbox', { name: /^Name/ });
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/hosts/local/domains')).toBe(true));
    await typeInto(user, name, 'taken{Enter}');
    expect(await screen.findByText('A VM named taken already exists.')).toBeTruthy();
    expect(screen.getByText('Choose an ISO image.')).toBeTruthy();
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(name);
    await typeInto(user, name, 'vm1');

    await pickOption(user, screen.getByRole('combobox', { name: 'ISO image' }), 'debian', 'debian.iso (isos, 650 MiB)');
    await pickOption(user, screen.getByRole('combobox', { name: 'Operating system' }), 'deb 12', 'Debian 12');
    act(() => name.focus());
    await user.keyboard('{Enter}');

    // Hardware: Debian 12's recommendations are filled in; the host's free memory is shown.
    await stepHeading('Hardware');
    const memory = screen.getByRole<HTMLInputElement>('textbox', { name: /^Memory/ });
    expect(memory.value).toBe('2');
    expect(screen.getByText('Free on the host: 12 GiB of 32 GiB')).toBeTruthy();
    await typeInto(user, memory, '0.5{Enter}');
    expect(await screen.findByText('Debian 12 needs at least 1024 MiB.')).toBeTruthy();
    await typeInto(user, memory, '1{Enter}');

    // Storage: the default pool is chosen, the size comes from the OS.
    await stepHeading('Storage');
    const size = screen.getByRole<HTMLInputElement>('textbox', { name: /^Disk size/ });
    expect(size.value).toBe('20');
    await waitFor(() => expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Storage pool' }).value).toBe('default'));
    expect(screen.getByText('The new volume is named vm1.qcow2.')).toBeTruthy();
    await typeInto(user, size, '1{Enter}');

    // Network: none, VNC.
    await stepHeading('Network');
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Network connection' }).value).toBe('none');
    act(() => screen.getByRole('button', { name: 'Next' }).focus());
    await user.keyboard('{Enter}');

    // Summary with the server's XML preview of the same spec.
    await stepHeading('Summary');
    expect(await screen.findByText(/<name>vm1<\/name>/)).toBeTruthy();
    const preview = calls.find((c) => c.url.endsWith('/domains/preview'))!;
    expect(preview.body).toMatchObject({ spec: { name: 'vm1', osinfo: debian12.id, memory: { value: 1024, unit: 'MiB' }, vcpus: 2 } });
    const summary = screen.getByRole('table');
    expect(within(summary).getByRole('rowheader', { name: 'Disk' }).closest('tr')?.textContent).toContain('1 GiB qcow2 on virtio in pool default');

    // The server refuses the memory: back on Hardware with its reason beside Memory.
    createResponses.push(() =>
      json({ type: 'urn:vireo:problem:validation', title: 'Bad Request', status: 400, detail: 'bad', errors: [{ field: 'body.spec.memory', reason: 'is more than the host has' }] }, 400),
    );
    act(() => screen.getByRole('button', { name: 'Create and start' }).focus());
    await user.keyboard('{Enter}');
    await stepHeading('Hardware');
    expect(await screen.findByText('is more than the host has')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /^Memory/ }).getAttribute('aria-invalid')).toBe('true');

    // Forward again to the summary; this time a task (the disk is made) that ends by an events message.
    for (const next of ['Storage', 'Network', 'Summary']) {
      act(() => screen.getByRole('button', { name: 'Next' }).focus());
      await user.keyboard('{Enter}');
      await stepHeading(next);
    }
    createResponses.push(() => json({ task: TASK }, 202));
    act(() => screen.getByRole('button', { name: 'Create and start' }).focus());
    await user.keyboard('{Enter}');
    expect(await screen.findByText('Creating vm1')).toBeTruthy();
    const create = calls.filter((c) => c.method === 'POST' && c.url === '/api/v1/hosts/local/domains').at(-1)!;
    expect(create.body).toMatchObject({
      start: true,
      spec: {
        name: 'vm1',
        cdroms: [{ source: { type: 'volume', pool: 'isos', volume: 'debian.iso' } }],
        disks: [{ source: { type: 'volume', pool: 'default', volume: 'vm1.qcow2' }, create: true, size: { value: 1024, unit: 'MiB' } }],
      },
    });

    const cursor = { epoch: 'e', seq: 0 };
    act(() => {
      applyEvent(client, cursor, { type: 'task', seq: 1, host: 'local', task: { ...TASK, state: 'running', progress: 0.5, step: 'creating volume vm1.qcow2', updatedAt: '2024-01-01T00:00:01.000Z' } });
    });
    expect(await screen.findByText('creating volume vm1.qcow2')).toBeTruthy();
    act(() => {
      applyEvent(client, cursor, { type: 'task', seq: 2, host: 'local', task: { ...TASK, state: 'succeeded', progress: 1, result: { uuid: 'u-1' }, updatedAt: '2024-01-01T00:00:02.000Z' } });
    });
    expect(await screen.findByText('vm1 was created.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open vm1' }).getAttribute('href')).toBe('/vms/local/u-1');
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  }, 30_000);

  it('offers to create the default pool when the host has none', async () => {
    pools = [];
    const { user } = setup();
    await stepHeading('Source');
    await typeInto(user, screen.getByRole('textbox', { name: /^Name/ }), 'vm2');
    await pickOption(user, screen.getByRole('combobox', { name: 'ISO image' }), 'alpine', 'alpine.iso (/srv/iso-dir, 60 MiB)');
    act(() => screen.getByRole('button', { name: 'Next' }).focus());
    await user.keyboard('{Enter}');
    await stepHeading('Hardware');
    act(() => screen.getByRole('button', { name: 'Next' }).focus());
    await user.keyboard('{Enter}');
    await stepHeading('Storage');
    expect(
      await screen.findByText('This host has no storage pool. Vireo can create the pool "default" in /var/lib/libvirt/images, as virt-manager does.'),
    ).toBeTruthy();
    // Without a pool, Next stops here.
    act(() => screen.getByRole('button', { name: 'Next' }).focus());
    await user.keyboard('{Enter}');
    expect(await screen.findByText('Choose a storage pool.')).toBeTruthy();
    act(() => screen.getByRole('button', { name: 'Create default pool' }).focus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Storage pool' }).value).toBe('default'));
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/hosts/local/storage/pools/default')).toBe(true);
    expect(await screen.findByText('Created the storage pool "default" in /var/lib/libvirt/images')).toBeTruthy();
  }, 15_000);

  it('cloud image: a cloud-init step whose raw YAML errors show beside the editor', async () => {
    const { user } = setup();
    await stepHeading('Source');
    await typeInto(user, screen.getByRole('textbox', { name: /^Name/ }), 'vm3');
    act(() => screen.getByRole('radio', { name: 'Cloud image with cloud-init' }).focus());
    await user.keyboard(' ');
    await pickOption(user, screen.getByRole('combobox', { name: 'Cloud image' }), 'genericcloud', 'debian-12-genericcloud.qcow2 (default, 400 MiB)');
    for (const next of ['Hardware', 'Storage', 'Network', 'Cloud-init']) {
      act(() => screen.getByRole('button', { name: 'Next' }).focus());
      await user.keyboard('{Enter}');
      await stepHeading(next);
    }
    await typeInto(user, screen.getByRole('textbox', { name: 'User name' }), 'ann');
    expect(screen.getByText(/name: ann/)).toBeTruthy();
    act(() => screen.getByRole('checkbox', { name: 'Edit the user-data YAML by hand' }).focus());
    await user.keyboard(' ');
    const raw = screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^User-data/ });
    expect(raw.value).toContain('name: ann');
    await typeInto(user, raw, '#cloud-config{Enter}packages: [[htop{Enter}');
    act(() => screen.getByRole('button', { name: 'Next' }).focus());
    await user.keyboard('{Enter}');
    expect(await screen.findByText(/^YAML error at line \d+:/)).toBeTruthy();
    expect(raw.getAttribute('aria-invalid')).toBe('true');
  }, 15_000);
});
