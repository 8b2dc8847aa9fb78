// @vitest-environment jsdom
// The VM list: filtering and sorting, action buttons by state and role, the rows' accessible names.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import type { DomainSummary, Role } from '@vireo/api';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../src/i18n/index.js';
import { VmTable } from '../../src/vms/VmTable.js';
import { actionsFor, filterAndSort, formatKiB } from '../../src/vms/vm-logic.js';
import { domain } from './fixtures.js';

const vms: DomainSummary[] = [
  domain('web-10', { state: 'running', vcpus: 4, memoryKiB: 4194304, cpuPercent: 12 }),
  domain('web-2', { state: 'paused', vcpus: 2, title: 'Front end' }),
  domain('db', { state: 'shutoff', vcpus: 8, memoryKiB: 8388608 }),
  domain('Build', { state: 'running', vcpus: 1, cpuPercent: 90 }),
];

describe('filterAndSort', () => {
  it('sorts by name, numbers naturally and case-insensitively', () => {
    expect(filterAndSort(vms, { search: '', state: 'all' }, { key: 'name', dir: 'asc' }).map((d) => d.name)).toEqual(['Build', 'db', 'web-2', 'web-10']);
    expect(filterAndSort(vms, { search: '', state: 'all' }, { key: 'name', dir: 'desc' }).map((d) => d.name)).toEqual(['web-10', 'web-2', 'db', 'Build']);
  });

  it('sorts by vCPUs, memory, CPU and state, ties by name', () => {
    const by = (key: 'vcpus' | 'memory' | 'cpu' | 'state') => filterAndSort(vms, { search: '', state: 'all' }, { key, dir: 'asc' }).map((d) => d.name);
    expect(by('vcpus')).toEqual(['Build', 'web-2', 'web-10', 'db']);
    expect(by('memory')).toEqual(['Build', 'web-2', 'web-10', 'db']);
    expect(by('cpu')).toEqual(['db', 'web-2', 'web-10', 'Build']);
    expect(by('state')).toEqual(['Build', 'web-10', 'web-2', 'db']);
  });

  it('filters by state and by name or title, case-insensitively', () => {
    const sort = { key: 'name' as const, dir: 'asc' as const };
    expect(filterAndSort(vms, { search: 'WEB', state: 'all' }, sort).map((d) => d.name)).toEqual(['web-2', 'web-10']);
    expect(filterAndSort(vms, { search: 'front', state: 'all' }, sort).map((d) => d.name)).toEqual(['web-2']);
    expect(filterAndSort(vms, { search: '', state: 'running' }, sort).map((d) => d.name)).toEqual(['Build', 'web-10']);
    expect(filterAndSort(vms, { search: 'web', state: 'running' }, sort).map((d) => d.name)).toEqual(['web-10']);
    expect(filterAndSort(vms, { search: 'nothing', state: 'all' }, sort)).toEqual([]);
  });

  it('formats sizes', () => {
    expect(formatKiB(1048576, 'en')).toBe('1 GiB');
    expect(formatKiB(65536, 'en')).toBe('64 MiB');
    expect(formatKiB(1572864, 'en')).toBe('1.5 GiB');
  });
});

describe('actionsFor', () => {
  it('offers the actions that fit the state', () => {
    expect(actionsFor('running', 'operator')).toEqual(['shutdown', 'reboot', 'suspend', 'destroy']);
    expect(actionsFor('paused', 'operator')).toEqual(['resume', 'destroy']);
    expect(actionsFor('shutoff', 'admin')).toEqual(['start']);
    expect(actionsFor('crashed', 'admin')).toEqual(['start', 'destroy']);
  });

  it('offers nothing to viewers', () => {
    for (const s of ['running', 'paused', 'shutoff'] as const) expect(actionsFor(s, 'viewer')).toEqual([]);
  });
});

function renderTable(role: Role, rows: DomainSummary[] = vms, onAction = vi.fn(), language: 'en' | 'zh-CN' = 'en') {
  const i18n = createI18n(language);
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <I18nextProvider i18n={i18n}>
        <VmTable
          rows={rows}
          role={role}
          sort={{ key: 'name', dir: 'asc' }}
          onSort={() => undefined}
          onAction={onAction}
          initialRect={{ width: 1200, height: 800 }}
        />
      </I18nextProvider>
    </MantineProvider>,
  );
  return onAction;
}

describe('VmTable', () => {
  it('renders an accessible table whose rows carry the VM name, state badge and test id', () => {
    renderTable('operator');
    const table = screen.getByRole('table', { name: 'Virtual machines' });
    const row = within(table).getByRole('row', { name: /web-2/ });
    expect(row.dataset['testid']).toBe('vm-row-web-2');
    const badge = row.querySelector('[data-state]')!;
    expect(badge.getAttribute('data-state')).toBe('paused');
    expect(badge.textContent).toBe('paused');
    expect(within(screen.getByTestId('vm-row-db')).getByText('shut off')).toBeTruthy();
    expect(within(screen.getByTestId('vm-row-db')).getByText('8 GiB')).toBeTruthy();
  });

  it('shows the action buttons by state for operators, with the VM in their names', async () => {
    const onAction = renderTable('operator');
    for (const name of ['Shut down web-10', 'Reboot web-10', 'Pause web-10', 'Force off web-10', 'Resume web-2', 'Force off web-2', 'Start db']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
    }
    expect(screen.queryByRole('button', { name: 'Start web-10' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Pause web-2' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Shut down db' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Resume web-2' }));
    expect(onAction).toHaveBeenCalledWith(expect.objectContaining({ name: 'web-2' }), 'resume');
  });

  it('shows no action buttons to viewers', () => {
    renderTable('viewer');
    expect(screen.queryAllByRole('button', { name: /^(Start|Shut down|Force off|Reboot|Pause|Resume) / })).toEqual([]);
  });

  it('renders only the rows in view of a long list', () => {
    const many = Array.from({ length: 1000 }, (_, i) => domain(`vm-${String(i).padStart(4, '0')}`));
    renderTable('viewer', many);
    const rows = screen.getAllByRole('row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('1001');
  });
});
