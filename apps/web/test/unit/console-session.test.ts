// The console connection's life: tickets, close codes, reconnecting across VM restarts, busy serial consoles.
import type { ConsoleTicket, ConsoleType } from '@vireo/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/api/client.js';
import { CloseCode, ConsoleSession, consoleLive, consoleSocketUrl, MAX_ATTEMPTS, retryDelay, type ConsoleStatus, type TransportHandlers } from '../../src/consoles/session.js';

function ticket(n: number): ConsoleTicket {
  return { ticket: `t${n}`, type: 'vnc', path: `/api/v1/consoles/t${n}`, expiresAt: '2030-01-01T00:00:00.000Z', password: null };
}

/** A session whose tickets and sockets are recorded and driven by the test. */
function harness(type: ConsoleType = 'vnc') {
  const statuses: ConsoleStatus[] = [];
  const requests: { type: ConsoleType; force: boolean }[] = [];
  const sockets: { ticket: ConsoleTicket; handlers: TransportHandlers; closed: boolean }[] = [];
  let ticketError: Error | null = null;
  const session = new ConsoleSession({
    type,
    requestTicket: (t, force) => {
      requests.push({ type: t, force });
      if (ticketError !== null) return Promise.reject(ticketError);
      return Promise.resolve(ticket(requests.length));
    },
    open: (tk, handlers) => {
      const socket = { ticket: tk, handlers, closed: false };
      sockets.push(socket);
      return { close: () => void (socket.closed = true) };
    },
    onStatus: (s) => statuses.push(s),
  });
  return {
    session,
    statuses,
    requests,
    sockets,
    last: () => sockets[sockets.length - 1]!,
    failTickets: (error: Error | null) => void (ticketError = error),
  };
}

/** Lets the ticket promise settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ConsoleSession', () => {
  it('waits while the VM is off, connects when it runs, and reports connected on open', async () => {
    const h = harness();
    expect(h.session.current.kind).toBe('off');
    expect(h.requests).toHaveLength(0);
    h.session.setRunning(true);
    expect(h.session.current.kind).toBe('connecting');
    await settle();
    expect(h.requests).toEqual([{ type: 'vnc', force: false }]);
    expect(h.sockets).toHaveLength(1);
    h.last().handlers.onOpen();
    expect(h.session.current.kind).toBe('connected');
    // Repeating "running" (another events message) does not reconnect.
    h.session.setRunning(true);
    await settle();
    expect(h.sockets).toHaveLength(1);
  });

  it('reconnects with a new ticket after the display ends while the VM still runs', async () => {
    const h = harness();
    h.session.setRunning(true);
    await settle();
    h.last().handlers.onOpen();
    h.last().handlers.onClose(CloseCode.ended, 'display closed');
    expect(h.session.current).toEqual({ kind: 'retrying', attempt: 1, delayMs: 1000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(h.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.requests).toHaveLength(2);
    expect(h.last().ticket.ticket).toBe('t2');
    h.last().handlers.onOpen();
    expect(h.session.current.kind).toBe('connected');
  });

  it('parks when the VM stops and reconnects when it runs again (a VM restart)', async () => {
    const h = harness();
    h.session.setRunning(true);
    await settle();
    h.last().handlers.onOpen();
    // The server closes first; the state event follows and cancels the pending retry.
    h.last().handlers.onClose(CloseCode.ended, 'the domain stopped');
    h.session.setRunning(false);
    expect(h.session.current.kind).toBe('off');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.requests).toHaveLength(1);
    h.session.setRunning(true);
    await settle();
    expect(h.requests).toHaveLength(2);
    h.last().handlers.onOpen();
    expect(h.session.current.kind).toBe('connected');
  });

  it('closes the open console when the VM stops, and ignores that socket afterwards', async () => {
    const h = harness();
    h.session.setRunning(true);
    await settle();
    const first = h.last();
    first.handlers.onOpen();
    h.session.setRunning(false);
    expect(first.closed).toBe(true);
    first.handlers.onClose(1000, '');
    expect(h.session.current.kind).toBe('off');
  });

  it('reports a busy serial console and takes it over with force on request', async () => {
    const h = harness('serial');
    h.session.setRunning(true);
    await settle();
    h.last().handlers.onClose(CloseCode.busy, 'in use');
    expect(h.session.current.kind).toBe('busy');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.requests).toHaveLength(1);
    h.session.takeOver();
    await settle();
    expect(h.requests[1]).toEqual({ type: 'serial', force: true });
    h.last().handlers.onOpen();
    expect(h.session.current.kind).toBe('connected');
  });

  it('says unavailable with the reason for close code unavailable, without retrying', async () => {
    const h = harness();
    h.session.setRunning(true);
    await settle();
    h.last().handlers.onClose(CloseCode.unavailable, 'no VNC display');
    expect(h.session.current).toEqual({ kind: 'unavailable', detail: 'no VNC display' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.requests).toHaveLength(1);
  });

  it('treats a 409 on the ticket as unavailable and a 403 as failed', async () => {
    const h = harness();
    h.failTickets(new ApiError(409, { title: 'Conflict', detail: 'the domain is not running' }));
    h.session.setRunning(true);
    await settle();
    expect(h.session.current).toEqual({ kind: 'unavailable', detail: 'the domain is not running' });
    const g = harness();
    g.failTickets(new ApiError(403, { title: 'Forbidden', detail: 'needs operator' }));
    g.session.setRunning(true);
    await settle();
    expect(g.session.current).toEqual({ kind: 'failed', detail: 'needs operator' });
  });

  it('backs off on repeated failures and gives up after MAX_ATTEMPTS; a manual retry starts over', async () => {
    const h = harness();
    h.failTickets(new TypeError('network down'));
    h.session.setRunning(true);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      await settle();
      expect(h.session.current).toEqual({ kind: 'retrying', attempt: i, delayMs: retryDelay(i) });
      await vi.advanceTimersByTimeAsync(retryDelay(i));
    }
    await settle();
    expect(h.session.current).toEqual({ kind: 'failed', detail: 'network down' });
    expect(h.requests).toHaveLength(MAX_ATTEMPTS);
    h.failTickets(null);
    h.session.retry();
    await settle();
    h.last().handlers.onOpen();
    expect(h.session.current.kind).toBe('connected');
  });

  it('a bad ticket (spent or expired) gets a fresh one', async () => {
    const h = harness();
    h.session.setRunning(true);
    await settle();
    h.last().handlers.onClose(CloseCode.badTicket, 'unknown ticket');
    await vi.advanceTimersByTimeAsync(retryDelay(1));
    expect(h.requests).toHaveLength(2);
    expect(h.last().ticket.ticket).toBe('t2');
  });

  it('dispose closes the console and stops every timer', async () => {
    const h = harness();
    h.session.setRunning(true);
    await settle();
    const socket = h.last();
    socket.handlers.onClose(CloseCode.ended, '');
    h.session.dispose();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.requests).toHaveLength(1);
  });
});

describe('console helpers', () => {
  it('retry delays double up to 8 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('a console is live in the states with a QEMU process', () => {
    expect(['running', 'paused', 'blocked', 'pmsuspended', 'shutdown'].every(consoleLive)).toBe(true);
    expect(['shutoff', 'crashed', 'nostate'].some(consoleLive)).toBe(false);
  });

  it('socket URLs follow the page: wss behind HTTPS', () => {
    expect(consoleSocketUrl('/api/v1/consoles/abc', { protocol: 'https:', host: 'vireo.example:8443' })).toBe('wss://vireo.example:8443/api/v1/consoles/abc');
    expect(consoleSocketUrl('/api/v1/consoles/abc', { protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/api/v1/consoles/abc');
  });
});
