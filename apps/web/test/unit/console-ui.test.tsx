// @vitest-environment jsdom
// The console UI pieces without a browser's noVNC/xterm: thumbnails refresh only while seen, and a busy serial
// console offers "Take over", which asks for a ticket with force.
import './setup-dom.js';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ConsoleTicket } from '@vireo/api';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleStatusLine } from '../../src/consoles/ConsoleStatusLine.js';
import { ScreenThumbnail, THUMBNAIL_REFRESH_MS } from '../../src/consoles/ScreenThumbnail.js';
import { CloseCode, type TransportHandlers } from '../../src/consoles/session.js';
import { useConsoleSession } from '../../src/consoles/useConsoleSession.js';
import { RefreshScheduler } from '../../src/consoles/visible-refresh.js';
import { createI18n } from '../../src/i18n/index.js';

const UUID = '11111111-2222-3333-4444-555555555555';

function wrap(children: React.ReactNode, language: 'en' | 'zh-CN' = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <QueryClientProvider client={client}>
        <I18nextProvider i18n={createI18n(language)}>{children}</I18nextProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}

/** A controllable IntersectionObserver: the test says when the element comes into view. */
class FakeIntersectionObserver {
  static instances: FakeIntersectionObserver[] = [];
  readonly elements: Element[] = [];
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.instances.push(this);
  }
  observe(element: Element) {
    this.elements.push(element);
  }
  disconnect() {
    this.elements.length = 0;
  }
  unobserve() {}
  takeRecords() {
    return [];
  }
  show(isIntersecting: boolean) {
    this.callback(this.elements.map((target) => ({ target, isIntersecting }) as IntersectionObserverEntry), this as unknown as IntersectionObserver);
  }
}

let visibility: DocumentVisibilityState = 'visible';

beforeEach(() => {
  vi.useFakeTimers();
  FakeIntersectionObserver.instances = [];
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('RefreshScheduler', () => {
  it('ticks at once when seen, then every interval, never while hidden', () => {
    const ticks: number[] = [];
    const s = new RefreshScheduler(5000, () => ticks.push(Date.now()));
    const t0 = Date.now();
    s.setVisible(true);
    expect(ticks).toEqual([t0]);
    vi.advanceTimersByTime(4999);
    expect(ticks).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(ticks).toHaveLength(2);
    s.setVisible(false);
    vi.advanceTimersByTime(60_000);
    expect(ticks).toHaveLength(2);
    s.dispose();
  });

  it('coming back into view sooner than the interval waits out the rest of it', () => {
    let count = 0;
    const s = new RefreshScheduler(5000, () => count++);
    s.setVisible(true);
    vi.advanceTimersByTime(2000);
    s.setVisible(false);
    s.setVisible(true);
    expect(count).toBe(1);
    vi.advanceTimersByTime(2999);
    expect(count).toBe(1);
    vi.advanceTimersByTime(1);
    expect(count).toBe(2);
    s.dispose();
  });
});

describe('ScreenThumbnail', () => {
  const img = () => screen.queryByRole('img', { name: 'web-1 screen' });

  it('loads a screenshot only once in view, refreshes every 5 s, and pauses when the page is hidden', () => {
    render(wrap(<ScreenThumbnail host="local" uuid={UUID} name="web-1" running />));
    expect(img()).toBeNull();
    expect(screen.getByText('No screenshot')).toBeTruthy();

    act(() => FakeIntersectionObserver.instances[0]!.show(true));
    expect(img()?.getAttribute('src')).toBe(`/api/v1/hosts/local/domains/${UUID}/screenshot?width=240&t=1`);
    // jsdom loads no images: the browser's load event frees the screenshot's slot for the next one.
    fireEvent.load(img()!);

    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS));
    expect(img()?.getAttribute('src')).toContain('t=2');
    fireEvent.load(img()!);

    visibility = 'hidden';
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS * 4));
    expect(img()?.getAttribute('src')).toContain('t=2');

    visibility = 'visible';
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    expect(img()?.getAttribute('src')).toContain('t=3');

    act(() => FakeIntersectionObserver.instances[0]!.show(false));
    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS * 4));
    expect(img()?.getAttribute('src')).toContain('t=3');
  });

  it('asks nothing for a VM that is not running', () => {
    render(wrap(<ScreenThumbnail host="local" uuid={UUID} name="web-1" running={false} />));
    expect(FakeIntersectionObserver.instances).toHaveLength(0);
    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS * 2));
    expect(img()).toBeNull();
  });

  it('a failed screenshot shows the placeholder until the next refresh', () => {
    render(wrap(<ScreenThumbnail host="local" uuid={UUID} name="web-1" running />));
    act(() => FakeIntersectionObserver.instances[0]!.show(true));
    fireEvent.error(img()!);
    expect(img()).toBeNull();
    expect(screen.getByText('No screenshot')).toBeTruthy();
    act(() => void vi.advanceTimersByTime(THUMBNAIL_REFRESH_MS));
    expect(img()?.getAttribute('src')).toContain('t=2');
  });

  it('names the image in Chinese', () => {
    render(wrap(<ScreenThumbnail host="local" uuid={UUID} name="web-1" running />, 'zh-CN'));
    act(() => FakeIntersectionObserver.instances[0]!.show(true));
    expect(screen.getByRole('img', { name: 'web-1 的屏幕' })).toBeTruthy();
  });
});

/** The serial console's connection UI with a recorded transport instead of a WebSocket. */
function BusyHarness({ sockets }: { sockets: TransportHandlers[] }) {
  const session = useConsoleSession('local', UUID, 'serial', true, (_ticket: ConsoleTicket, handlers) => {
    sockets.push(handlers);
    return { close: () => undefined };
  });
  return <ConsoleStatusLine status={session.status} onRetry={session.retry} onTakeOver={session.takeOver} />;
}

describe('a busy serial console', () => {
  it('says it is in use and takes it over with force', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string, init: RequestInit) => {
        expect(url).toBe(`/api/v1/hosts/local/domains/${UUID}/consoles`);
        bodies.push(JSON.parse(init.body as string));
        const ticket: ConsoleTicket = { ticket: `t${bodies.length}`, type: 'serial', path: `/api/v1/consoles/t${bodies.length}`, expiresAt: '2030-01-01T00:00:00.000Z', password: null };
        return Promise.resolve(Response.json(ticket, { status: 201 }));
      }),
    );
    const sockets: TransportHandlers[] = [];
    render(wrap(<BusyHarness sockets={sockets} />));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(bodies).toEqual([{ type: 'serial', force: false }]);
    expect(sockets).toHaveLength(1);

    act(() => sockets[0]!.onClose(CloseCode.busy, 'the console is in use'));
    expect(screen.getByRole('alert').textContent).toContain('The serial console is in use by another client');
    const takeOver = screen.getByRole('button', { name: 'Take over' });

    fireEvent.click(takeOver);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(bodies[1]).toEqual({ type: 'serial', force: true });
    act(() => sockets[1]!.onOpen());
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Connected');
  });
});
