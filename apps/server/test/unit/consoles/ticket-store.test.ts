import { describe, expect, it } from 'vitest';
import { TICKET_TTL_MS, TicketStore } from '../../../src/consoles/ticket-store.js';
import { ManualClock } from '../../helpers/harness.js';

const grant = { owner: 'session:a', host: 'local', uuid: 'u', force: false } as const;

describe('TicketStore', () => {
  it('lets a VNC or serial ticket open one socket, once', () => {
    const store = new TicketStore(new ManualClock());
    for (const type of ['vnc', 'serial'] as const) {
      const t = store.issue({ ...grant, type });
      const first = store.claim(t.ticket, 'session:a');
      expect('grant' in first && first.grant.type).toBe(type);
      expect(store.claim(t.ticket, 'session:a')).toEqual({ refused: 'console ticket already used' });
      if ('release' in first) first.release();
      expect('refused' in store.claim(t.ticket, 'session:a')).toBe(true);
    }
  });

  it('lets a SPICE ticket open its channels while the session lasts, then no more', () => {
    const store = new TicketStore(new ManualClock());
    const t = store.issue({ ...grant, type: 'spice' });
    const main = store.claim(t.ticket, 'session:a');
    const display = store.claim(t.ticket, 'session:a');
    expect('grant' in main && 'grant' in display).toBe(true);
    if ('release' in main) main.release();
    // One channel still open: the session goes on.
    expect('grant' in store.claim(t.ticket, 'session:a')).toBe(true);
  });

  it('refuses another session\'s ticket as unknown', () => {
    const store = new TicketStore(new ManualClock());
    const t = store.issue({ ...grant, type: 'vnc' });
    expect(store.claim(t.ticket, 'session:b')).toEqual({ refused: 'unknown console ticket' });
    expect(store.claim('nonsense', 'session:a')).toEqual({ refused: 'unknown console ticket' });
    // The failed attempt did not spend it.
    expect('grant' in store.claim(t.ticket, 'session:a')).toBe(true);
  });

  it('expires an unused ticket after the TTL', () => {
    const clock = new ManualClock();
    const store = new TicketStore(clock);
    const t = store.issue({ ...grant, type: 'vnc' });
    expect(t.expiresAt).toBe(clock.now() + TICKET_TTL_MS);
    clock.advance(TICKET_TTL_MS + 1);
    expect(store.claim(t.ticket, 'session:a')).toEqual({ refused: 'console ticket expired' });
    expect(store.size).toBe(0);
  });

  it('prunes lapsed tickets when new ones are issued', () => {
    const clock = new ManualClock();
    const store = new TicketStore(clock);
    for (let i = 0; i < 10; i++) store.issue({ ...grant, type: 'vnc' });
    clock.advance(TICKET_TTL_MS + 1);
    store.issue({ ...grant, type: 'vnc' });
    expect(store.size).toBe(1);
  });

  it('makes tickets unguessable and distinct', () => {
    const store = new TicketStore(new ManualClock());
    const seen = new Set(Array.from({ length: 200 }, () => store.issue({ ...grant, type: 'vnc' }).ticket));
    expect(seen.size).toBe(200);
    for (const t of seen) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
