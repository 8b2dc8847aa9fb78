// @vitest-environment jsdom
// The VM details page: sections from a detail response, the live state from the list cache, the 404 alert.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import type { DomainDetail } from '@vireo/api';
import { act, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryKeys, type DomainCache } from '../../src/api/queries.js';
import { createI18n } from '../../src/i18n/index.js';
import { zh } from '../../src/i18n/zh.js';
import { domainDetailKey } from '../../src/vms/details/queries.js';
import { VmDetailsPage } from '../../src/vms/details/VmDetailsPage.js';
import { domain } from './fixtures.js';

const UUID = '11111111-2222-3333-4444-555555555555';
const XML = `<domain type='kvm'>\n  <name>web-1</name>\n  <uuid>${UUID}</uuid>\n</domain>\n`;

const detail: DomainDetail = {
  summary: domain('web-1', { uuid: UUID, state: 'shutoff', vcpus: 2, maxVcpus: 4, memoryKiB: 1048576, maxMemoryKiB: 2097152, autostart: true }),
  etag: '"1"',
  xml: XML,
  redacted: [],
  view: {
    name: 'web-1',
    os: { type: 'hvm', arch: 'x86_64', machine: 'pc-q35-9.2', firmwareFeatures: [], bootDevices: [] },
    firmware: 'uefi',
    secureBoot: true,
    devices: {
      disks: [
        { type: 'file', device: 'disk', driver: { name: 'qemu', type: 'qcow2' }, source: { file: '/var/lib/libvirt/images/web-1.qcow2', hosts: [] }, target: { dev: 'vda', bus: 'virtio' } },
        { type: 'volume', device: 'cdrom', driver: { type: 'raw' }, source: { pool: 'isos', volume: 'debian.iso', hosts: [] }, target: { dev: 'sda', bus: 'sata' } },
      ],
      interfaces: [{ type: 'network', mac: '52:54:00:aa:bb:cc', source: { network: 'isolated' }, model: 'virtio', linkState: 'down' }],
    },
  },
  live: null,
};

function setup(response: () => Response, language: 'en' | 'zh-CN' = 'en') {
  const fetchMock = vi.fn((url: string) => {
    if (url.endsWith('/domains')) return Promise.resolve(Response.json({ host: 'local', seq: 1, domains: [detail.summary] }));
    return Promise.resolve(response());
  });
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rootRoute = createRootRoute();
  const page = createRoute({ getParentRoute: () => rootRoute, path: '/', component: () => <VmDetailsPage host="local" uuid={UUID} /> });
  const router = createRouter({ routeTree: rootRoute.addChildren([page]), history: createMemoryHistory({ initialEntries: ['/'] }) });
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <QueryClientProvider client={client}>
        <I18nextProvider i18n={createI18n(language)}>
          <RouterProvider router={router} />
        </I18nextProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { client, fetchMock };
}

afterEach(() => vi.unstubAllGlobals());

describe('VmDetailsPage', () => {
  it('renders the overview, disks, interfaces and XML from the detail response', async () => {
    setup(() => Response.json(detail));
    expect(await screen.findByRole('heading', { level: 1, name: 'web-1' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'XML' })).toBeTruthy();

    const overview = screen.getByRole('region', { name: 'Overview' });
    const rowText = (label: string) => within(overview).getByRole('rowheader', { name: label }).closest('tr')?.textContent;
    expect(within(overview).getByText('shut off').closest('[data-state]')?.getAttribute('data-state')).toBe('shutoff');
    expect(rowText('vCPUs')).toContain('2 of 4');
    expect(rowText('Memory')).toContain('1 GiB (maximum 2 GiB)');
    expect(rowText('OS type')).toContain('hvm');
    expect(rowText('Architecture')).toContain('x86_64');
    expect(rowText('Machine')).toContain('pc-q35-9.2');
    expect(rowText('Firmware')).toContain('UEFI');
    expect(rowText('Firmware')).toContain('Secure Boot');
    expect(rowText('Autostart')).toContain('Yes');

    const disks = screen.getByRole('table', { name: 'Disks' });
    const diskRows = within(disks).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(diskRows).toEqual(['vdadiskvirtio/var/lib/libvirt/images/web-1.qcow2qcow2', 'sdaCD-ROMsataisos/debian.isoraw']);

    const nics = screen.getByRole('table', { name: 'Network interfaces' });
    const nicCells = within(nics).getAllByRole('row')[1]!.querySelectorAll('td');
    expect([...nicCells].map((c) => c.textContent)).toEqual(['52:54:00:aa:bb:cc', 'network', 'isolated', 'virtio', 'down']);

    const xml = screen.getByLabelText('Domain XML');
    expect(xml.tagName).toBe('PRE');
    expect(xml.textContent).toBe(XML);
  });

  it('follows the state from the events-fed list cache without refetching the detail', async () => {
    const { client, fetchMock } = setup(() => Response.json(detail));
    await screen.findByRole('heading', { level: 1, name: 'web-1' });
    const detailCalls = () => fetchMock.mock.calls.filter(([u]) => u.endsWith(UUID)).length;
    expect(detailCalls()).toBe(1);
    await screen.findByText('shut off');
    act(() => {
      client.setQueryData<DomainCache>(queryKeys.domains('local'), { seq: 2, domains: [{ ...detail.summary, state: 'running' }] });
    });
    expect((await screen.findByText('running')).closest('[data-state]')?.getAttribute('data-state')).toBe('running');
    expect(detailCalls()).toBe(1);
    expect(client.getQueryData(domainDetailKey('local', UUID))).toBeTruthy();
  });

  it('says "Virtual machine not found" on a 404', async () => {
    setup(() => Response.json({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no domain' }, { status: 404, headers: { 'content-type': 'application/problem+json' } }));
    expect((await screen.findByRole('alert')).textContent).toBe('Virtual machine not found');
  });

  it('translates into Chinese', async () => {
    setup(() => Response.json(detail), 'zh-CN');
    expect(await screen.findByRole('heading', { name: zh.details.overview })).toBeTruthy();
    expect(screen.getByRole('table', { name: zh.details.disks })).toBeTruthy();
    expect(screen.getByLabelText(zh.details.xmlLabel).textContent).toBe(XML);
  });
});
