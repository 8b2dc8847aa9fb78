// @vitest-environment jsdom
// The SPICE password's ciphertext as it goes on the wire, with spice-html5's own connection code: its hex round trip
// drops leading zero bytes (then QEMU refuses the password, one channel in ~200); spice-client puts them back.
import { SpiceMainConn } from '@spice-project/spice-html5';
import { describe, expect, it, vi } from 'vitest';
import { fullTicket } from '../../src/consoles/spice-client.js';

// spice-html5's RNG takes jsdom (appVersion "4.0") for Netscape 4 and asks it for window.crypto.random; say 5.
vi.hoisted(() => Object.defineProperty(navigator, 'appVersion', { value: '5.0 (jsdom)', configurable: true }));

/** What spice-html5's SpiceConn.send_ticket writes for `ticket`: auth mechanism (4 bytes), then the ciphertext. */
function wire(ticket: number[]): Uint8Array {
  const conn = Object.getPrototypeOf(SpiceMainConn.prototype) as { send_ticket(this: unknown, t: number[]): void };
  let sent: ArrayBuffer | undefined;
  conn.send_ticket.call({ ws: { send: (mb: ArrayBuffer) => (sent = mb) } }, ticket);
  if (!sent) throw new Error('nothing sent');
  return new Uint8Array(sent);
}

describe('the SPICE ticket', () => {
  it('keeps a full-length ciphertext as it is', () => {
    const full = Array.from({ length: 128 }, (_, i) => (i * 7 + 1) & 0xff);
    expect(fullTicket(full)).toEqual(full);
    expect([...wire(full).subarray(4)]).toEqual(full);
  });

  it('puts back the leading zero bytes the hex round trip dropped, for every channel', () => {
    const shortened = Array.from({ length: 127 }, (_, i) => (i + 1) & 0xff);
    expect(fullTicket(shortened)).toEqual([0, ...shortened]);
    // spice-html5 alone would send the 127 bytes one place early and a zero at the end.
    const sent = wire(shortened);
    expect(sent.length).toBe(4 + 128);
    expect([...sent.subarray(4)]).toEqual([0, ...shortened]);
    expect(fullTicket([1, 2])).toHaveLength(128);
    expect(fullTicket(null)).toBeNull();
  });
});
