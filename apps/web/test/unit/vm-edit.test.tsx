// @vitest-environment jsdom
// Editing on the VM details page against a mocked server: CPU and memory (client checks, the PATCH with If-Match,
// server field errors beside the field, a 409 with Reload), the boot order editor, autostart, read-only roles and
// the "needs restart" badges.
import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { zh } from '../../src/i18n/zh.js';
import { bodyOf, GiB, headersOf, makeDetail, PATH, problem, setup, UUID } from './vm-edit-harness.js';
import { domain } from './fixtures.js';

afterEach(() => {
  act(() => notifications.clean());
  vi.unstubAllGlobals();
});

async function openCpuMemory() {
  await userEvent.click(await screen.findByRole('button', { name: 'Edit CPU and memory' }));
  return screen.findByRole('dialog', { name: 'CPU and memory of web-1' });
}

describe('CPU and memory', () => {
  it('shows the persistent values and the host\'s free memory, and checks values before sending', async () => {
    const { calls } = setup();
    const dialog = await openCpuMemory();
    expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: 'Maximum vCPUs' }).value).toBe('2');
    expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: 'Maximum memory' }).value).toBe('1');
    expect(within(dialog).getByRole<HTMLSelectElement>('combobox', { name: 'Maximum memory unit' }).value).toBe('GiB');
    expect(await within(dialog).findByText('Free memory on the host: 3 GiB')).toBeTruthy();

    const vcpus = within(dialog).getByRole('textbox', { name: 'Current vCPUs' });
    await userEvent.clear(vcpus);
    await userEvent.type(vcpus, '3');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(vcpus.getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByText('Cannot exceed the maximum vCPUs')).toBeTruthy();
    expect(calls('PATCH', PATH)).toHaveLength(0);
  });

  it('sends the changed values as typed edits with If-Match, then refreshes the detail and says so', async () => {
    const { calls } = setup({ handlers: { [`PATCH ${PATH}`]: () => Response.json(makeDetail({ etag: '"rev-2"' }, { memoryKiB: 2 * GiB, currentMemoryKiB: 2 * GiB })) } });
    const dialog = await openCpuMemory();
    const max = within(dialog).getByRole('textbox', { name: 'Maximum memory' });
    await userEvent.clear(max);
    await userEvent.type(max, '2');
    const current = within(dialog).getByRole('textbox', { name: 'Current memory' });
    await userEvent.clear(current);
    await userEvent.type(current, '1536');
    await userEvent.selectOptions(within(dialog).getByRole('combobox', { name: 'Current memory unit' }), 'MiB');
    const detailGets = calls('GET', PATH).length;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('CPU and memory of web-1 saved')).toBeTruthy();
    const [patch] = calls('PATCH', PATH);
    expect(headersOf(patch!)['if-match']).toBe('"rev-1"');
    expect(bodyOf(patch!)).toEqual({ operations: [{ op: 'memory', kib: 2 * GiB }, { op: 'currentMemory', kib: 1536 * 1024 }] });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(calls('GET', PATH).length).toBeGreaterThan(detailGets));
  });

  it('puts a server validation error beside its field and shows libvirt\'s message in a notification', async () => {
    setup({
      handlers: {
        [`PATCH ${PATH}`]: () =>
          problem(400, {
            type: 'urn:vireo:problem:validation',
            title: 'Bad Request',
            detail: 'operation 0 (vcpus): 2 vCPUs does not match the CPU topology of 4',
            errors: [{ field: 'body.operations.0.vcpu', reason: '2 vCPUs does not match the CPU topology of 4' }],
          }),
      },
    });
    const dialog = await openCpuMemory();
    const max = within(dialog).getByRole('textbox', { name: 'Maximum vCPUs' });
    await userEvent.clear(max);
    await userEvent.type(max, '4');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(max.getAttribute('aria-invalid')).toBe('true'));
    expect(within(dialog).getByText('2 vCPUs does not match the CPU topology of 4')).toBeTruthy();
    const note = await screen.findByText('Saving CPU and memory of web-1 failed');
    expect(note.closest('[role="alert"]')?.textContent).toContain('operation 0 (vcpus): 2 vCPUs does not match the CPU topology of 4');
  });

  it('reports a definition changed meanwhile with a Reload that fetches the current one and keeps what was typed', async () => {
    let patches = 0;
    const ctx = setup({
      handlers: {
        [`PATCH ${PATH}`]: () => {
          patches += 1;
          if (patches === 1) {
            return problem(409, { type: 'urn:vireo:problem:conflict', title: 'Conflict', detail: 'the definition changed', current: { etag: '"rev-9"', xml: '', redacted: [] } });
          }
          return Response.json(makeDetail({ etag: '"rev-10"' }));
        },
      },
    });
    const dialog = await openCpuMemory();
    const max = within(dialog).getByRole('textbox', { name: 'Maximum memory' });
    await userEvent.clear(max);
    await userEvent.type(max, '3');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('The definition changed meanwhile');
    expect(alert.textContent).toContain('virsh edit');

    ctx.setDetail(makeDetail({ etag: '"rev-9"' }));
    await userEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(within(dialog).queryByRole('alert')).toBeNull());
    expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: 'Maximum memory' }).value).toBe('3');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(ctx.calls('PATCH', PATH)).toHaveLength(2));
    expect(headersOf(ctx.calls('PATCH', PATH)[1]!)['if-match']).toBe('"rev-9"');
  });
});

describe('boot order', () => {
  it('moves and enables devices with named, keyboard-reachable controls and saves per-device order', async () => {
    const { calls } = setup({ handlers: { [`PATCH ${PATH}`]: () => Response.json(makeDetail({ etag: '"rev-2"' })) } });
    const region = await screen.findByRole('region', { name: 'Boot order' });
    await within(region).findByRole('checkbox', { name: 'Boot from vda' });
    const names = () => within(region).getAllByRole('listitem').map((li) => li.querySelector('.vireo-mono')?.textContent);
    expect(names()).toEqual(['vda', 'sda', '52:54:00:aa:bb:cc']);
    expect(within(region).getByRole<HTMLInputElement>('checkbox', { name: 'Boot from vda' }).checked).toBe(true);
    expect(within(region).getByRole<HTMLInputElement>('checkbox', { name: 'Boot from sda' }).checked).toBe(false);
    expect(within(region).getByRole<HTMLButtonElement>('button', { name: 'Move up vda' }).disabled).toBe(true);
    const save = within(region).getByRole<HTMLButtonElement>('button', { name: 'Save boot order' });
    expect(save.disabled).toBe(true);

    await userEvent.click(within(region).getByRole('checkbox', { name: 'Boot from sda' }));
    const up = within(region).getByRole('button', { name: 'Move up sda' });
    up.focus();
    await userEvent.keyboard('{Enter}');
    expect(names()).toEqual(['sda', 'vda', '52:54:00:aa:bb:cc']);
    // Focus follows the moved device; at the top its Move up is disabled, so Move down takes it.
    expect(document.activeElement).toBe(within(region).getByRole('button', { name: 'Move down sda' }));

    await userEvent.click(save);
    expect(await screen.findByText('Boot order of web-1 saved')).toBeTruthy();
    expect(bodyOf(calls('PATCH', PATH)[0]!)).toEqual({
      operations: [{ op: 'bootOrder', order: [{ kind: 'disk', target: 'sda' }, { kind: 'disk', target: 'vda' }] }],
    });
    expect(headersOf(calls('PATCH', PATH)[0]!)['if-match']).toBe('"rev-1"');
  });
});

describe('autostart', () => {
  it('is a switch for operators that sends the change and updates the row', async () => {
    const { calls } = setup({
      role: 'operator',
      handlers: { [`PUT ${PATH}/autostart`]: () => Response.json(domain('web-1', { uuid: UUID, autostart: true })) },
    });
    const toggle = await screen.findByRole('switch', { name: 'Autostart' });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    await userEvent.click(toggle);
    expect(await screen.findByText('web-1 now starts when the host boots')).toBeTruthy();
    expect(bodyOf(calls('PUT', `${PATH}/autostart`)[0]!)).toEqual({ enabled: true });
    await waitFor(() => expect(screen.getByRole<HTMLInputElement>('switch', { name: 'Autostart' }).checked).toBe(true));
    // Operators do not edit the definition.
    expect(screen.queryByRole('button', { name: 'Edit CPU and memory' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit XML' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Open in editor' })).toBeTruthy();
  });

  it('shows libvirt\'s message when the change fails', async () => {
    setup({
      handlers: {
        [`PUT ${PATH}/autostart`]: () =>
          problem(500, { type: 'urn:vireo:problem:libvirt', title: 'libvirt error', detail: 'x', libvirt: { code: 1, domain: 10, message: 'cannot create autostart symlink' } }),
      },
    });
    await userEvent.click(await screen.findByRole('switch', { name: 'Autostart' }));
    const note = await screen.findByText('Changing autostart of web-1 failed');
    expect(note.closest('[role="alert"]')?.textContent).toContain('cannot create autostart symlink');
  });
});

describe('viewers', () => {
  it('see everything read-only', async () => {
    setup({ role: 'viewer' });
    await screen.findByRole('heading', { level: 1, name: 'web-1' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Open in editor' })).toBeTruthy());
    expect(screen.queryByRole('switch')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit CPU and memory' })).toBeNull();
    const region = screen.getByRole('region', { name: 'Boot order' });
    expect(within(region).queryByRole('checkbox')).toBeNull();
    expect(within(region).queryByRole('button')).toBeNull();
    expect(within(region).getByText('vda')).toBeTruthy();
  });
});

describe('needs restart', () => {
  it('badges each fact the running configuration does not have yet, with a page notice', async () => {
    const persistent = makeDetail(
      { summary: domain('web-1', { uuid: UUID, state: 'running', id: 3, vcpus: 2, maxVcpus: 2, memoryKiB: GiB, maxMemoryKiB: GiB }) },
      { memoryKiB: 2 * GiB, currentMemoryKiB: 2 * GiB, os: { type: 'hvm', arch: 'x86_64', machine: 'pc-q35-9.2', firmwareFeatures: [], bootDevices: ['cdrom', 'hd'] } },
    );
    persistent.live = makeDetail().view;
    setup({ detail: persistent });
    expect((await screen.findByText('Changes wait for a restart')).closest('[role="status"]')).toBeTruthy();
    expect(screen.getByText(/Not yet in effect: memory and boot order\./)).toBeTruthy();
    const badges = [...document.querySelectorAll('[data-pending-restart]')].map((b) => b.getAttribute('data-pending-restart'));
    expect(badges.sort()).toEqual(['bootOrder', 'memory']);
    const overview = screen.getByRole('region', { name: 'Overview' });
    expect(within(overview).getByRole('rowheader', { name: 'Memory' }).closest('tr')?.textContent).toContain('Needs restart');
  });

  it('shows no badge when the VM is shut off, and speaks Chinese', async () => {
    const persistent = makeDetail({}, { memoryKiB: 2 * GiB });
    persistent.live = makeDetail().view;
    setup({ detail: persistent, language: 'zh-CN' });
    await screen.findByRole('heading', { name: zh.edit.bootOrder.title });
    expect(document.querySelectorAll('[data-pending-restart]')).toHaveLength(0);
    expect(await screen.findByRole('button', { name: zh.edit.cpuMemory.button })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: '从 vda 启动' })).toBeTruthy();
  });
});
