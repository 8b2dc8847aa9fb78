// @vitest-environment jsdom
// Sparklines (nulls break the line), a chart's accessible name and data table, the list's usage and IP columns,
// and the theme switch (remembered, applied before render).
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import type { DomainSummary } from '@vireo/api';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Sparkline, sparkPath } from '../../src/charts/Sparkline.js';
import { TimeSeriesChart } from '../../src/charts/TimeSeriesChart.js';
import { formatByteRate, formatBytes } from '../../src/charts/format.js';
import { applyStoredColorScheme, COLOR_SCHEME_KEY, colorSchemeManager, resolveColorScheme } from '../../src/components/color-scheme.js';
import { ThemeSelect } from '../../src/components/ThemeSelect.js';
import { createI18n } from '../../src/i18n/index.js';
import { VmTable } from '../../src/vms/VmTable.js';
import { domain } from './fixtures.js';

// jsdom has no canvas: the lazily loaded uPlot drawing is replaced by a marker carrying what it was given.
vi.mock('../../src/charts/UPlotCanvas.js', () => ({
  default: ({ series }: { series: (number | null)[][] }) => <div data-testid="uplot" data-points={series[0]?.length ?? 0} />,
}));

function wrap(node: React.ReactNode, language: 'en' | 'zh-CN' = 'en') {
  return render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <I18nextProvider i18n={createI18n(language)}>{node}</I18nextProvider>
    </MantineProvider>,
  );
}

describe('sparkPath', () => {
  it('draws one segment per run of values, a null breaking the line', () => {
    expect(sparkPath([0, 50, null, 100, 100], 100, 40, 20)).toBe('M0.0 20.0L10.0 10.0M30.0 0.0L40.0 0.0');
  });

  it('makes a lone value between nulls a dot, and nothing of all nulls', () => {
    expect(sparkPath([null, 50, null], 100, 40, 20)).toBe('M20.0 10.0h0.01');
    expect(sparkPath([null, null], 100)).toBe('');
    expect(sparkPath([], 100)).toBe('');
  });

  it('clamps to the scale', () => {
    expect(sparkPath([-5, 500], 100, 10, 10)).toBe('M0.0 10.0L10.0 0.0');
  });

  it('renders an svg image named by its label, without a path when empty', () => {
    const { container } = wrap(<Sparkline values={[1, null, 3, 4]} yMax={100} kind="cpu" label="CPU use trend, latest 4 %" />);
    const img = screen.getByRole('img', { name: 'CPU use trend, latest 4 %' });
    expect(img.querySelector('path')!.getAttribute('d')).toMatch(/^M0\.0 [\d.]+h0\.01M/);
    wrap(<Sparkline values={[null]} yMax={100} kind="memory" label="empty" />);
    expect(screen.getByRole('img', { name: 'empty' }).querySelector('path')).toBeNull();
    expect(container.querySelector('.vireo-spark-cpu')).not.toBeNull();
  });
});

describe('TimeSeriesChart', () => {
  const props = {
    title: 'Network',
    timestamps: [0, 5000, 10_000, 60_000],
    series: [
      { label: 'Received', values: [100, 200, null, 2048] },
      { label: 'Sent', values: [null, null, null, null] },
    ],
    intervalMs: 5000,
    format: (v: number) => formatByteRate(v, 'en'),
  };

  it('is an image named by its title and latest values, with a heading and a legend', async () => {
    wrap(<TimeSeriesChart {...props} />);
    expect(screen.getByRole('heading', { level: 3, name: 'Network' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Network, last hour; latest: Received 2 KiB/s, Sent —' })).toBeTruthy();
    const legend = screen.getByRole('list', { name: 'Latest' });
    expect(within(legend).getByText('2 KiB/s')).toBeTruthy();
    // The drawing gets the data with the gap made explicit (one null inserted between 10 s and 60 s).
    expect((await screen.findByTestId('uplot')).dataset['points']).toBe('5');
  });

  it('says when there is nothing yet, in Chinese too', () => {
    wrap(<TimeSeriesChart {...props} series={[{ label: '接收', values: [] }]} timestamps={[]} title="网络" />, 'zh-CN');
    expect(screen.getByRole('img', { name: '网络（最近一小时）：暂无采样' })).toBeTruthy();
  });

  it('shows the samples as a table on demand', async () => {
    wrap(<TimeSeriesChart {...props} />);
    expect(screen.queryByRole('table')).toBeNull();
    await userEvent.click(screen.getByText('Show the data as a table'));
    const table = await screen.findByRole('table', { name: 'Network: the latest 4 samples' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(5);
    expect(within(rows[4]!).getByText('2 KiB/s')).toBeTruthy();
    expect(within(rows[4]!).getByText('—')).toBeTruthy();
  });

  it('formats sizes and rates with the locale', () => {
    expect(formatBytes(1536, 'en')).toBe('1.5 KiB');
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatByteRate(3 * 1024 ** 3, 'de')).toBe('3 GiB/s');
    expect(formatBytes(1.25 * 1024 ** 2, 'de')).toBe('1,3 MiB');
  });
});

describe('VmTable usage and IP columns', () => {
  const rows: DomainSummary[] = [
    domain('web', { state: 'running', cpuPercent: 12.5, memoryUsedKiB: 524288, memoryKiB: 1048576, addresses: ['192.0.2.10', '2001:db8::10'] }),
    domain('db', { state: 'shutoff' }),
  ];

  function table(sparklines?: Parameters<typeof VmTable>[0]['sparklines']) {
    wrap(
      <VmTable
        rows={rows}
        role="viewer"
        sort={{ key: 'name', dir: 'asc' }}
        onSort={() => undefined}
        onAction={() => undefined}
        initialRect={{ width: 1200, height: 800 }}
        sparklines={sparklines}
      />,
    );
  }

  it('shows the addresses when known, a dash otherwise, under an "IP" column', () => {
    table();
    expect(screen.getByRole('columnheader', { name: 'IP' })).toBeTruthy();
    expect(within(screen.getByTestId('vm-row-web')).getByText('192.0.2.10, 2001:db8::10')).toBeTruthy();
    const dbCells = within(screen.getByTestId('vm-row-db')).getAllByRole('cell');
    expect(dbCells.find((c) => c.classList.contains('vireo-col-ip'))!.textContent).toBe('—');
  });

  it('draws CPU and memory sparklines from the bulk history, with the current values beside them', () => {
    table({ 'uuid-web': { cpuPercent: [10, null, 12.5], memoryUsedKiB: [524288, 524288, 524288] } });
    const row = screen.getByTestId('vm-row-web');
    expect(within(row).getByRole('img', { name: 'CPU use trend, latest 12.5 %' })).toBeTruthy();
    expect(within(row).getByRole('img', { name: 'Memory use trend, latest 512 MiB' })).toBeTruthy();
    expect(within(row).getByText('12.5 %')).toBeTruthy();
    expect(within(row).getByText('512 MiB')).toBeTruthy();
    // A stopped VM without samples gets no sparkline, and its state badge is still there.
    const db = screen.getByTestId('vm-row-db');
    expect(within(db).queryAllByRole('img')).toHaveLength(0);
    expect(db.querySelector('[data-state]')!.getAttribute('data-state')).toBe('shutoff');
    expect(screen.getByRole('columnheader', { name: 'Memory use' })).toBeTruthy();
  });
});

describe('theme', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.removeAttribute('data-mantine-color-scheme');
  });

  it('resolves automatic to the system preference', () => {
    expect(resolveColorScheme('auto', true)).toBe('dark');
    expect(resolveColorScheme('auto', false)).toBe('light');
    expect(resolveColorScheme('dark', false)).toBe('dark');
  });

  it('the "Theme" picker switches the scheme at once and remembers it', async () => {
    wrap(<ThemeSelect />);
    const picker = screen.getByRole('combobox', { name: 'Theme' });
    expect((picker as HTMLSelectElement).value).toBe('auto');
    await userEvent.selectOptions(picker, 'Dark');
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('dark');
    expect(localStorage.getItem(COLOR_SCHEME_KEY)).toBe('dark');
    await userEvent.selectOptions(picker, 'Light');
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('light');
    expect(localStorage.getItem(COLOR_SCHEME_KEY)).toBe('light');
  });

  it('applies the stored choice before the first render', () => {
    localStorage.setItem(COLOR_SCHEME_KEY, 'dark');
    applyStoredColorScheme();
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('dark');
    localStorage.setItem(COLOR_SCHEME_KEY, 'bogus');
    applyStoredColorScheme();
    // An unreadable choice is automatic: jsdom's matchMedia prefers nothing, so light.
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('light');
  });
});
