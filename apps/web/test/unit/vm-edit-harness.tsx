// The VM details page against a mocked server, for the editing tests: a detail, a session of a chosen role, the
// host summary, and handlers for the changes under test. Every request is recorded.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import type { DomainDetail, Role } from '@vireo/api';
import { render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { vi } from 'vitest';
import { createI18n } from '../../src/i18n/index.js';
import { VmDetailsPage } from '../../src/vms/details/VmDetailsPage.js';
import { domain } from './fixtures.js';

export const UUID = '11111111-2222-3333-4444-555555555555';
export const GiB = 1024 * 1024;
export const PATH = `/api/v1/hosts/local/domains/${UUID}`;

export function makeDetail(overrides: Partial<DomainDetail> = {}, view: Record<string, unknown> = {}): DomainDetail {
  return {
    summary: domain('web-1', { uuid: UUID, state: 'shutoff', vcpus: 2, maxVcpus: 2, memoryKiB: GiB, maxMemoryKiB: GiB, autostart: false }),
    etag: '"rev-1"',
    xml: `<domain type='kvm'>\n  <name>web-1</name>\n  <uuid>${UUID}</uuid>\n</domain>\n`,
    redacted: [],
    view: {
      name: 'web-1',
      memoryKiB: GiB,
      currentMemoryKiB: GiB,
      vcpus: { count: 2, current: 2 },
      os: { type: 'hvm', arch: 'x86_64', machine: 'pc-q35-9.2', firmwareFeatures: [], bootDevices: ['hd'] },
      firmware: 'bios',
      secureBoot: false,
      devices: {
        disks: [
          { type: 'file', device: 'disk', driver: { type: 'qcow2' }, source: { file: '/img/web-1.qcow2' }, target: { dev: 'vda', bus: 'virtio' } },
          { type: 'file', device: 'cdrom', driver: { type: 'raw' }, source: { file: '/iso/debian.iso' }, target: { dev: 'sda', bus: 'sata' } },
        ],
        interfaces: [{ type: 'network', mac: '52:54:00:aa:bb:cc', source: { network: 'isolated' }, model: 'virtio' }],
      },
      bootOrder: [],
      ...view,
    },
    live: null,
    ...overrides,
  };
}

export type Handler = (init: RequestInit) => Response | Promise<Response>;

export const problem = (status: number, body: Record<string, unknown>) =>
  Response.json({ status, ...body }, { status, headers: { 'content-type': 'application/problem+json' } });

export function setup(options: { role?: Role; detail?: DomainDetail; handlers?: Record<string, Handler>; language?: 'en' | 'zh-CN' } = {}) {
  let detail = options.detail ?? makeDetail();
  const handlers = options.handlers ?? {};
  const fetchMock = vi.fn((url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const key = `${method} ${url}`;
    const handler = handlers[key];
    if (handler) return Promise.resolve(handler(init));
    if (url === '/api/v1/session') {
      return Promise.resolve(Response.json({ user: { name: 'u', role: options.role ?? 'admin', realm: 'local', mustChangePassword: false, language: null }, authMethod: 'session', csrfToken: 'csrf' }));
    }
    if (url.endsWith('/domains')) return Promise.resolve(Response.json({ host: 'local', seq: 1, domains: [detail.summary] }));
    if (url === '/api/v1/hosts/local') return Promise.resolve(Response.json({ memory: { totalBytes: 8 * 2 ** 30, freeBytes: 3 * 2 ** 30 } }));
    if (key === `GET ${PATH}`) return Promise.resolve(Response.json(detail));
    return Promise.resolve(problem(404, { title: 'Not Found', detail: `unexpected ${key}` }));
  });
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rootRoute = createRootRoute();
  const page = createRoute({ getParentRoute: () => rootRoute, path: '/', component: () => <VmDetailsPage host="local" uuid={UUID} /> });
  const router = createRouter({ routeTree: rootRoute.addChildren([page]), history: createMemoryHistory({ initialEntries: ['/'] }) });
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <Notifications />
      <QueryClientProvider client={client}>
        <I18nextProvider i18n={createI18n(options.language ?? 'en')}>
          <RouterProvider router={router} />
        </I18nextProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  const calls = (method: string, path: string) =>
    fetchMock.mock.calls.filter(([u, init]) => u === path && (init?.method ?? 'GET') === method).map(([, init]) => init ?? {});
  return { client, fetchMock, calls, setDetail: (d: DomainDetail) => (detail = d) };
}

export const bodyOf = (init: RequestInit) => JSON.parse(init.body as string) as unknown;
export const headersOf = (init: RequestInit) => init.headers as Record<string, string>;

