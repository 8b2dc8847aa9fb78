// @vitest-environment jsdom
// Bulk actions: selection checkboxes, which buttons are enabled, and which VMs each action reaches.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import type { DomainSummary, Role } from '@vireo/api';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../src/i18n/index.js';
import { BulkActionBar } from '../../src/vms/BulkActionBar.js';
import { VmTable } from '../../src/vms/VmTable.js';
import { bulkTargets, pruneSelection, type BulkAction } from '../../src/vms/vm-bulk.js';
import { domain } from './fixtures.js';

const vms: DomainSummary[] = [
  domain('web', { state: 'running' }),
  domain('paused-1', { state: 'paused' }),
  domain('db', { state: 'shutoff' }),
  domain('app', { state: 'running' }),
];
const uuidOf = (name: string) => vms.find((d) => d.name === name)!.uuid;

describe('bulkTargets', () => {
  it('acts only on the selected VMs the action applies to', () => {
    const sel = new Set(['web', 'paused-1', 'db'].map(uuidOf));
    const names = (a: BulkAction) => bulkTargets(vms, sel, a).map((d) => d.name);
    expect(names('start')).toEqual(['db']);
    expect(names('shutdown')).toEqual(['web']);
    expect(names('suspend')).toEqual(['web']);
    expect(names('resume')).toEqual(['paused-1']);
    expect(names('destroy')).toEqual(['web', 'paused-1']);
    expect(bulkTargets(vms, new Set(), 'destroy')).toEqual([]);
  });

  it('drops VMs that left the list from the selection', () => {
    const sel = new Set([uuidOf('web'), 'gone']);
    expect([...pruneSelection(sel, vms)]).toEqual([uuidOf('web')]);
    const same = new Set([uuidOf('db')]);
    expect(pruneSelection(same, vms)).toBe(same);
  });
});

function Harness({ role, onRun }: { role: Role; onRun: (a: BulkAction, targets: DomainSummary[]) => void }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  return (
    <>
      <BulkActionBar domains={vms} selected={selected} role={role} onRun={onRun} />
      <VmTable
        rows={vms}
        role={role}
        sort={{ key: 'name', dir: 'asc' }}
        onSort={() => undefined}
        onAction={() => undefined}
        initialRect={{ width: 1200, height: 800 }}
        selected={selected}
        onToggle={(d, on) =>
          setSelected((s) => {
            const n = new Set(s);
            if (on) n.add(d.uuid);
            else n.delete(d.uuid);
            return n;
          })
        }
        onToggleAll={(on) => setSelected(on ? new Set(vms.map((d) => d.uuid)) : new Set())}
      />
    </>
  );
}

function renderBulk(role: Role = 'operator') {
  const onRun = vi.fn();
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <I18nextProvider i18n={createI18n('en')}>
        <Harness role={role} onRun={onRun} />
      </I18nextProvider>
    </MantineProvider>,
  );
  return onRun;
}

const BULK = ['Start selected', 'Shut down selected', 'Force off selected', 'Pause selected', 'Resume selected'];
const button = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });

describe('bulk actions', () => {
  it('are disabled with nothing selected and enabled once a VM is selected', async () => {
    renderBulk();
    for (const name of BULK) expect(button(name).disabled).toBe(true);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select db' }));
    for (const name of BULK) expect(button(name).disabled).toBe(false);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select db' }));
    for (const name of BULK) expect(button(name).disabled).toBe(true);
  });

  it('run on the selected VMs in a fitting state only', async () => {
    const onRun = renderBulk();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select web' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select db' }));
    await userEvent.click(button('Start selected'));
    expect(onRun).toHaveBeenLastCalledWith('start', [expect.objectContaining({ name: 'db' })]);
    await userEvent.click(button('Shut down selected'));
    expect(onRun).toHaveBeenLastCalledWith('shutdown', [expect.objectContaining({ name: 'web' })]);
  });

  it('"Select all" selects every row, and the VM names link to their details', async () => {
    const onRun = renderBulk();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect((screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select app' })).checked).toBe(true);
    await userEvent.click(button('Force off selected'));
    expect((onRun.mock.lastCall?.[1] as DomainSummary[]).map((d) => d.name)).toEqual(['web', 'paused-1', 'app']);
    expect(screen.getByRole('link', { name: 'db' }).getAttribute('href')).toBe(`/vms/local/${uuidOf('db')}`);
  });

  it('are not offered to viewers', () => {
    renderBulk('viewer');
    expect(screen.queryByRole('button', { name: 'Start selected' })).toBeNull();
  });
});
