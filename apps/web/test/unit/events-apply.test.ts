// The events -> query cache reducer, and the connection's reconnect URL and backoff.
import type { EventMessage, HostState } from '@vireo/api';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { queryKeys, type DomainCache } from '../../src/api/queries.js';
import { applyEvent, eventsUrl, initialCursor } from '../../src/events/apply.js';
import { EventsConnection } from '../../src/events/connection.js';
import { domain } from './fixtures.js';

const health = { state: 'connected' as const, since: '2026-01-01T00:00:00.000Z', lastError: null, attempts: 0 };

function hostState(domains = [domain('a'), domain('b', { state: 'running' })]): HostState {
  return { id: 'local', uri: 'qemu:///system', health, domains };
}

function setup(seq = 10) {
  const client = new QueryClient();
  const cursor = initialCursor();
  expect(applyEvent(client, cursor, { type: 'snapshot', seq, epoch: 'e1', hosts: [hostState()] })).toBe('ok');
  const list = () => client.getQueryData<DomainCache>(queryKeys.domains('local'))!;
  return { client, cursor, list };
}

const updated = (seq: number, name: string, state: 'running' | 'paused' | 'shutoff'): EventMessage => ({
  type: 'domain.updated',
  seq,
  host: 'local',
  domain: domain(name, { state }),
});

describe('applyEvent', () => {
  it('a snapshot replaces the host list and every domain list and sets the cursor', () => {
    const { client, cursor, list } = setup();
    expect(cursor).toEqual({ epoch: 'e1', seq: 10 });
    expect(list().domains.map((d) => d.name)).toEqual(['a', 'b']);
    expect(client.getQueryData(queryKeys.hosts)).toEqual([{ id: 'local', uri: 'qemu:///system', health }]);
  });

  it('applies deltas in order: update, add, remove', () => {
    const { cursor, list } = setup();
    const before = list().domains;
    expect(applyEvent(new QueryClient(), { ...cursor }, updated(11, 'a', 'running'))).toBe('ok'); // another cache: no effect here
    const client = new QueryClient();
    const c = initialCursor();
    applyEvent(client, c, { type: 'snapshot', seq: 10, epoch: 'e1', hosts: [hostState()] });
    expect(applyEvent(client, c, updated(11, 'a', 'running'))).toBe('ok');
    expect(applyEvent(client, c, updated(12, 'c', 'paused'))).toBe('ok');
    expect(applyEvent(client, c, { type: 'domain.removed', seq: 13, host: 'local', uuid: 'uuid-b', name: 'b' })).toBe('ok');
    const now = client.getQueryData<DomainCache>(queryKeys.domains('local'))!;
    expect(now.domains.map((d) => [d.name, d.state])).toEqual([
      ['a', 'running'],
      ['c', 'paused'],
    ]);
    expect(now.seq).toBe(13);
    expect(c.seq).toBe(13);
    expect(before).toHaveLength(2); // the old array was not mutated
  });

  it('ignores replayed (stale) deltas and reports a gap without applying it', () => {
    const { cursor, client, list } = setup();
    expect(applyEvent(client, cursor, updated(10, 'a', 'running'))).toBe('stale');
    expect(applyEvent(client, cursor, updated(12, 'a', 'running'))).toBe('gap');
    expect(list().domains[0]!.state).toBe('shutoff');
    expect(cursor.seq).toBe(10);
  });

  it('a heartbeat or stats tick ahead of the cursor means a delta was missed', () => {
    const { cursor, client } = setup();
    expect(applyEvent(client, cursor, { type: 'heartbeat', seq: 10, at: 1 })).toBe('ok');
    expect(applyEvent(client, cursor, { type: 'heartbeat', seq: 11, at: 2 })).toBe('gap');
    expect(applyEvent(client, cursor, { type: 'stats', seq: 11, host: 'local', at: 1, intervalMs: 5000, node: null, domains: [] })).toBe('gap');
  });

  it('stats patch usage without moving seq', () => {
    const { cursor, client, list } = setup();
    const msg: EventMessage = {
      type: 'stats',
      seq: 10,
      host: 'local',
      at: 1000,
      intervalMs: 5000,
      node: { cpu: null, memory: { totalBytes: 8, freeBytes: 4, buffersBytes: 0, cachedBytes: 0, usedBytes: 4 } },
      domains: [
        { uuid: 'uuid-b', cpuPercent: 42.5, memoryUsedKiB: 1000, diskReadBytesPerSec: null, diskWriteBytesPerSec: null, netRxBytesPerSec: null, netTxBytesPerSec: null },
      ],
    };
    expect(applyEvent(client, cursor, msg)).toBe('ok');
    expect(list().domains[1]).toMatchObject({ name: 'b', cpuPercent: 42.5, memoryUsedKiB: 1000 });
    expect(list().seq).toBe(10);
    expect(client.getQueryData(queryKeys.nodeUsage('local'))).toMatchObject({ at: 1000, memory: { usedBytes: 4 } });
  });

  it('a resync replaces the state, new epoch and seq included', () => {
    const { cursor, client, list } = setup();
    applyEvent(client, cursor, updated(11, 'a', 'running'));
    expect(
      applyEvent(client, cursor, { type: 'resync', seq: 3, epoch: 'e2', reason: 'since-too-old', hosts: [hostState([domain('z')])] }),
    ).toBe('ok');
    expect(cursor).toEqual({ epoch: 'e2', seq: 3 });
    expect(list()).toEqual({ seq: 3, domains: [domain('z')] });
    // Deltas of the new epoch apply from its seq on.
    expect(applyEvent(client, cursor, updated(4, 'z', 'running'))).toBe('ok');
    expect(list().domains[0]!.state).toBe('running');
  });

  it('host.health patches the host list (the banner reads it)', () => {
    const { cursor, client } = setup();
    const down = { ...health, state: 'reconnecting' as const, lastError: 'connection reset' };
    expect(applyEvent(client, cursor, { type: 'host.health', seq: 11, host: 'local', health: down })).toBe('ok');
    expect(client.getQueryData(queryKeys.hosts)).toEqual([{ id: 'local', uri: 'qemu:///system', health: down }]);
  });

  it('other deltas still advance the cursor', () => {
    const { cursor, client } = setup();
    expect(applyEvent(client, cursor, { type: 'network.started', seq: 11, host: 'local', name: 'n', uuid: 'u' })).toBe('ok');
    expect(cursor.seq).toBe(11);
  });
});

describe('eventsUrl', () => {
  it('connects fresh without a cursor, and with since + epoch after one', () => {
    expect(eventsUrl({ protocol: 'https:', host: 'h:8443' }, initialCursor())).toBe('wss://h:8443/api/v1/events');
    expect(eventsUrl({ protocol: 'http:', host: 'h' }, { epoch: 'a b', seq: 7 })).toBe('ws://h/api/v1/events?since=7&epoch=a%20b');
  });
});

class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close(): void {
    this.closed = true;
    queueMicrotask(() => this.onclose?.());
  }
  send(msg: EventMessage): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

describe('EventsConnection', () => {
  it('reconnects with since and epoch after a gap, and after a silent socket', async () => {
    FakeSocket.all = [];
    const client = new QueryClient();
    const conn = new EventsConnection({
      client,
      url: (c) => eventsUrl({ protocol: 'https:', host: 'h' }, c),
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      heartbeatTimeoutMs: 30,
      minBackoffMs: 1,
      maxBackoffMs: 2,
    });
    conn.start();
    const first = FakeSocket.all[0]!;
    expect(first.url).toBe('wss://h/api/v1/events');
    first.onopen?.();
    first.send({ type: 'snapshot', seq: 5, epoch: 'E', hosts: [hostState()] });
    first.send({ type: 'heartbeat', seq: 6, at: 0 }); // a delta went missing
    expect(first.closed).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    const second = FakeSocket.all[1]!;
    expect(second.url).toBe('wss://h/api/v1/events?since=5&epoch=E');
    second.onopen?.();
    // Nothing arrives: the watchdog replaces the socket.
    await new Promise((r) => setTimeout(r, 60));
    expect(second.closed).toBe(true);
    expect(FakeSocket.all.length).toBeGreaterThanOrEqual(3);
    conn.stop();
  });

  it('backs off exponentially up to the cap', () => {
    const conn = new EventsConnection({ client: new QueryClient(), minBackoffMs: 100, maxBackoffMs: 1000, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, url: () => 'x' });
    const delays = [1, 2, 3, 4, 5, 10].map((n) => conn.backoffMs(n));
    expect(delays[0]).toBeGreaterThanOrEqual(75);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[2]).toBeGreaterThanOrEqual(300);
    expect(delays[5]).toBeLessThanOrEqual(1000);
    expect(delays[5]).toBeGreaterThanOrEqual(750);
  });
});
