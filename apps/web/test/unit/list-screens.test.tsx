// @vitest-environment jsdom
// The VM list's screens: the toggle only for those allowed screenshots, nothing mounted or asked while off, a
// placeholder (and no request) for VMs without a screen to take, rows that grow to fit, and at most four
// screenshots in flight across the page through the shared queue.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import type { DomainSummary, Role } from '@vireo/api';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { THUMBNAIL_REFRESH_MS } from '../../src/consoles/ScreenThumbnail.js';
import { SCREENSHOTS_IN_FLIGHT, SlotQueue, screenshotQueue } from '../../src/consoles/screenshot-queue.js';
import { createI18n } from '../../src/i18n/index.js';
import { canTakeScreens, readScreensPreference, SCREENS_STORAGE_KEY, writeScreensPreference } from '../../src/vms/list-screens/screens-preference.js';
import { ScreensToggle } from '../../src/vms/list-screens/ScreensToggle.js';
import { ROW_HEIGHT, ROW_HEIGHT_SCREENS, VmTable } from '../../src/vms/VmTable.js';
import { domain } from './fixtures.js';

/** Every IntersectionObserver made, each reporting its elements in view at once (the rows jsdom "shows"). */
let observers = 0;
class InViewObserver {
  constructor(private readonly callback: IntersectionObserverCallback) {
    observers++;
  }
  observe(target: Element) {
    this.callback([{ target, isIntersecting: true } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
  }
  disconnect() {}
  unobserve() {}
  takeRecords() {
    return [];
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  observers = 0;
  vi.stubGlobal('IntersectionObserver', InViewObserver);
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
  localStorage.clear();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function wrap(children: React.ReactNode, language: 'en' | 'zh-CN' = 'en') {
  return (
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <I18nextProvider i18n={createI18n(language)}>{children}</I18nextProvider>
    </MantineProvider>
  );
}

function table(rows: DomainSummary[], { role = 'operator', screens }: { role?: Role; screens: boolean }) {
  return (
    <VmTable
      rows={rows}
      role={role}
      sort={{ key: 'name', dir: 'asc' }}
      onSort={() => undefined}
      onAction={() => undefined}
      initialRect={{ width: 1200, height: 800 }}
      screens={screens}
    />
  );
}

const running = (name: string, graphics: string | null = 'vnc') => domain(name, { state: 'running', id: 1, graphics });
const screenshots = () => [...document.querySelectorAll('img')].map((i) => i.getAttribute('src') ?? '').filter((s) => s.includes('/screenshot'));
const rowOffset = (name: string) => screen.getByTestId(`vm-row-${name}`).style.transform;

describe('SlotQueue', () => {
  it('grants at most its limit, first come first served, and frees a slot to the next waiting', () => {
    const q = new SlotQueue(2);
    const granted: string[] = [];
    const tickets = ['a', 'b', 'c', 'd'].map((id) => q.request(() => granted.push(id)));
    expect(granted).toEqual(['a', 'b']);
    expect([q.inFlight, q.queued]).toEqual([2, 2]);
    tickets[0]!.done();
    expect(granted).toEqual(['a', 'b', 'c']);
    // A waiting request given up leaves the queue without taking a slot; done() twice frees nothing more.
    tickets[3]!.done();
    tickets[1]!.done();
    tickets[1]!.done();
    expect(granted).toEqual(['a', 'b', 'c']);
    expect([q.inFlight, q.queued]).toEqual([1, 0]);
    tickets[2]!.done();
    expect(q.inFlight).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new SlotQueue(0)).toThrow(/at least one slot/);
  });
});

describe('the "Show screens" toggle', () => {
  it('is there for operators and admins, never for viewers', () => {
    const { rerender } = render(wrap(<ScreensToggle role="viewer" on={false} onChange={() => undefined} />));
    expect(screen.queryByRole('switch', { name: 'Show screens' })).toBeNull();
    for (const role of ['operator', 'admin'] as const) {
      rerender(wrap(<ScreensToggle role={role} on={false} onChange={() => undefined} />));
      expect(screen.getByRole('switch', { name: 'Show screens' })).toBeTruthy();
    }
    expect(canTakeScreens('viewer')).toBe(false);
  });

  it('reports the change, and is named in Chinese', () => {
    const onChange = vi.fn();
    render(wrap(<ScreensToggle role="operator" on={false} onChange={onChange} />, 'zh-CN'));
    fireEvent.click(screen.getByRole('switch', { name: '显示屏幕画面' }));
    expect(onChange).toHaveBeenCalledWith(true);
  });

  it('is remembered per browser, off by default', () => {
    expect(readScreensPreference()).toBe(false);
    writeScreensPreference(true);
    expect(localStorage.getItem(SCREENS_STORAGE_KEY)).toBe('on');
    expect(readScreensPreference()).toBe(true);
    writeScreensPreference(false);
    expect(readScreensPreference()).toBe(false);
  });
});

describe('VmTable with screens', () => {
  const rows = [running('web-1'), domain('db', { graphics: 'vnc' }), running('headless', null), domain('zz', { graphics: 'spice' })];

  it('mounts nothing for screens while off: no column, no observer, no request, rows of the usual height', () => {
    const { rerender } = render(wrap(table(rows, { screens: false })));
    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS * 2));
    expect(screen.queryByRole('columnheader', { name: 'Screen' })).toBeNull();
    expect(screen.queryAllByTestId('screen-thumbnail')).toEqual([]);
    expect(observers).toBe(0);
    expect(screenshots()).toEqual([]);
    expect(rowOffset('db')).toBe(`translateY(${ROW_HEIGHT}px)`);
    // Turned on, the rows are laid out again at their new height.
    rerender(wrap(table(rows, { screens: true })));
    expect(rowOffset('db')).toBe(`translateY(${ROW_HEIGHT_SCREENS}px)`);
  });

  it('shows a running VM with a display live, linking to its console; placeholders and no request for the rest', () => {
    render(wrap(table(rows, { screens: true })));
    expect(screen.getByRole('columnheader', { name: 'Screen' })).toBeTruthy();
    const image = within(screen.getByTestId('vm-row-web-1')).getByRole('img', { name: 'web-1 screen' });
    expect(image.getAttribute('src')).toBe('/api/v1/hosts/local/domains/uuid-web-1/screenshot?width=128&t=1');
    expect(image.closest('a')?.getAttribute('href')).toBe('/vms/local/uuid-web-1/console');
    expect(within(screen.getByTestId('vm-row-db')).getByText('Not running')).toBeTruthy();
    expect(within(screen.getByTestId('vm-row-headless')).getByText('No display')).toBeTruthy();
    for (const name of ['db', 'headless', 'zz']) expect(within(screen.getByTestId(`vm-row-${name}`)).queryByRole('img')).toBeNull();
    // Only the live thumbnail watches whether it is in view.
    expect(observers).toBe(1);
    expect(screenshots()).toHaveLength(1);
    // The rows grew to fit the thumbnails.
    expect(rowOffset('db')).toBe(`translateY(${ROW_HEIGHT_SCREENS}px)`);
  });

  it('refreshes every interval once the last picture arrived, and stops when screens are turned off', () => {
    const { rerender } = render(wrap(table([running('web-1')], { screens: true })));
    const image = () => screen.getByRole('img', { name: 'web-1 screen' });
    // Still loading at the next tick: the refresh waits for it rather than piling up a second request.
    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS));
    expect(image().getAttribute('src')).toContain('t=1');
    fireEvent.load(image());
    expect(image().getAttribute('src')).toContain('t=2');
    fireEvent.load(image());
    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS));
    expect(image().getAttribute('src')).toContain('t=3');

    rerender(wrap(table([running('web-1')], { screens: false })));
    expect(screenshots()).toEqual([]);
    // The unloaded picture's slot went back with the thumbnail.
    expect(screenshotQueue.inFlight).toBe(0);
  });

  it('asks nothing for a viewer even if screens are on', () => {
    render(wrap(table(rows, { role: 'viewer', screens: true })));
    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS * 2));
    expect(screenshots()).toEqual([]);
    expect(observers).toBe(0);
  });

  it('has at most four screenshots in flight across the list; each load lets the next one go', () => {
    const many = Array.from({ length: 7 }, (_, i) => running(`vm-${i}`));
    render(wrap(table(many, { screens: true })));
    expect(SCREENSHOTS_IN_FLIGHT).toBe(4);
    expect(screenshots()).toHaveLength(4);
    expect(screenshotQueue.queued).toBe(3);
    fireEvent.load(screen.getByRole('img', { name: 'vm-0 screen' }));
    expect(screenshots()).toHaveLength(5);
    // A failed one frees its slot too (and shows the placeholder until its next refresh).
    fireEvent.error(screen.getByRole('img', { name: 'vm-1 screen' }));
    expect(screen.queryByRole('img', { name: 'vm-1 screen' })).toBeNull();
    expect(screenshots()).toHaveLength(5);
    expect(screenshotQueue.inFlight).toBe(4);
    expect(screenshotQueue.queued).toBe(1);
  });

  it('names the column, the image and the placeholders in Chinese', () => {
    render(wrap(table(rows, { screens: true }), 'zh-CN'));
    expect(screen.getByRole('columnheader', { name: '屏幕' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'web-1 的屏幕' })).toBeTruthy();
    expect(within(screen.getByTestId('vm-row-db')).getByText('未运行')).toBeTruthy();
    expect(within(screen.getByTestId('vm-row-headless')).getByText('无显示设备')).toBeTruthy();
  });
});
