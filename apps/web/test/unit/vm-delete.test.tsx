// @vitest-environment jsdom
// The delete dialog: disks listed with none checked, shared media not checkable, typed-name confirmation, running VMs refused.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import type { DomainStateName } from '@vireo/api';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../src/i18n/index.js';
import { DeleteVmDialog } from '../../src/vms/DeleteVmDialog.js';
import { canDelete, disksOf, resolveDisks } from '../../src/vms/delete-logic.js';
import { domain } from './fixtures.js';

const view = {
  devices: {
    disks: [
      { device: 'disk', source: { file: '/var/lib/libvirt/images/vm1.qcow2' }, target: { dev: 'vda' }, shareable: false },
      { device: 'cdrom', source: { file: '/srv/iso/debian.iso' }, target: { dev: 'sda' }, shareable: false },
      { device: 'cdrom', target: { dev: 'sdb' } },
    ],
  },
};

describe('delete logic', () => {
  it('lists disks with a path; media are shared', () => {
    expect(disksOf(view)).toEqual([
      { key: '/var/lib/libvirt/images/vm1.qcow2', path: '/var/lib/libvirt/images/vm1.qcow2', target: 'vda', shared: false },
      { key: '/srv/iso/debian.iso', path: '/srv/iso/debian.iso', target: 'sda', shared: true },
    ]);
    expect(disksOf(undefined)).toEqual([]);
  });

  it('lists pool volumes, completes their paths from the pool, and marks volumes other VMs use as shared', () => {
    const listed = disksOf({
      devices: {
        disks: [
          { device: 'disk', source: { pool: 'default', volume: 'vm1.qcow2' }, target: { dev: 'vda' } },
          { device: 'disk', source: { pool: 'default', volume: 'base.qcow2' }, target: { dev: 'vdb' } },
          { device: 'disk', source: { pool: 'gone', volume: 'x.qcow2' }, target: { dev: 'vdc' } },
        ],
      },
    });
    expect(listed.map((d) => [d.key, d.path])).toEqual([
      ['default/vm1.qcow2', undefined],
      ['default/base.qcow2', undefined],
      ['gone/x.qcow2', undefined],
    ]);
    const facts: Record<string, { path: string; usedBy: string[] }> = {
      'default/vm1.qcow2': { path: '/var/lib/libvirt/images/vm1.qcow2', usedBy: ['vm1'] },
      'default/base.qcow2': { path: '/var/lib/libvirt/images/base.qcow2', usedBy: ['vm1', 'vm2'] },
    };
    const resolved = resolveDisks(listed, (pool, name) => facts[`${pool}/${name}`], 'vm1');
    expect(resolved.map((d) => [d.path, d.shared])).toEqual([
      ['/var/lib/libvirt/images/vm1.qcow2', false],
      ['/var/lib/libvirt/images/base.qcow2', true],
      [undefined, false],
    ]);
  });

  it('needs the exact name and a stopped VM', () => {
    expect(canDelete('vm1', 'vm1', 'shutoff')).toBe(true);
    expect(canDelete('vm', 'vm1', 'shutoff')).toBe(false);
    expect(canDelete('VM1', 'vm1', 'shutoff')).toBe(false);
    expect(canDelete('vm1', 'vm1', 'running')).toBe(false);
    expect(canDelete('vm1', 'vm1', 'paused')).toBe(false);
  });
});

let calls: { url: string; init: RequestInit | undefined }[] = [];
beforeEach(() => {
  calls = [];
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    if (init?.method === 'DELETE') return Promise.resolve(new Response(null, { status: 204 }));
    return Promise.resolve(
      new Response(JSON.stringify({ summary: domain('vm1'), etag: 'e', xml: '<domain/>', redacted: [], view, live: null }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
  });
});
afterEach(() => vi.unstubAllGlobals());

function renderDialog(state: DomainStateName = 'shutoff') {
  const onClose = vi.fn();
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nextProvider i18n={createI18n('en')}>
          <DeleteVmDialog host="local" domain={domain('vm1', { state })} onClose={onClose} />
        </I18nextProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onClose;
}

describe('DeleteVmDialog', () => {
  it('lists the disks unchecked, media marked and not checkable; Delete waits for the typed name', async () => {
    const onClose = renderDialog();
    expect(screen.getByRole('dialog', { name: 'Delete vm1' })).toBeTruthy();
    const disk = (await screen.findByRole<HTMLInputElement>('checkbox', { name: '/var/lib/libvirt/images/vm1.qcow2' }));
    expect(disk.checked).toBe(false);
    expect(disk.disabled).toBe(false);
    const iso = screen.getByRole<HTMLInputElement>('checkbox', { name: '/srv/iso/debian.iso' });
    expect(iso.checked).toBe(false);
    expect(iso.disabled).toBe(true);
    expect(screen.getByText('(ISO, shared)')).toBeTruthy();

    const del = screen.getByRole<HTMLButtonElement>('button', { name: 'Delete' });
    expect(del.disabled).toBe(true);
    const input = screen.getByRole('textbox', { name: 'Type the VM name to confirm' });
    await userEvent.type(input, 'vm');
    expect(del.disabled).toBe(true);
    await userEvent.type(input, '1');
    expect(del.disabled).toBe(false);
    await userEvent.click(del);
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const req = calls.find((c) => c.init?.method === 'DELETE')!;
    expect(req.url).toBe('/api/v1/hosts/local/domains/uuid-vm1');
    expect(JSON.parse(req.init?.body as string)).toEqual({ volumes: [] });
  });

  it('sends the checked disks', async () => {
    renderDialog();
    await userEvent.click(await screen.findByRole('checkbox', { name: '/var/lib/libvirt/images/vm1.qcow2' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Type the VM name to confirm' }), 'vm1');
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls.some((c) => c.init?.method === 'DELETE')).toBe(true));
    const req = calls.find((c) => c.init?.method === 'DELETE')!;
    expect(JSON.parse(req.init?.body as string)).toEqual({ volumes: ['/var/lib/libvirt/images/vm1.qcow2'] });
  });

  it('a running VM must be forced off first', async () => {
    renderDialog('running');
    expect(screen.getByText('Force off the VM first')).toBeTruthy();
    await userEvent.type(screen.getByRole('textbox', { name: 'Type the VM name to confirm' }), 'vm1');
    expect((screen.getByRole<HTMLButtonElement>('button', { name: 'Delete' })).disabled).toBe(true);
  });
});
