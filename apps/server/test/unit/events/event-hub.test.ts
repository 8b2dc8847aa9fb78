import type { DeltaBody } from '@vireo/api';
import { describe, expect, it } from 'vitest';
import { EventHub, type Published } from '../../../src/events/event-hub.js';

const removed = (n: number): DeltaBody => ({ type: 'domain.removed', host: 'local', uuid: `u${n}`, name: `d${n}` });

describe('EventHub', () => {
  it('numbers deltas 1, 2, 3 and sends each to every subscriber, serialised once', () => {
    const hub = new EventHub(10);
    const a: Published[] = [];
    const b: Published[] = [];
    hub.subscribe((p) => a.push(p));
    hub.subscribe((p) => b.push(p));
    hub.publish(removed(1));
    hub.publish(removed(2));
    expect(a.map((p) => p.message.seq)).toEqual([1, 2]);
    expect(a[0]!.json).toBe(JSON.stringify(a[0]!.message));
    // The same string object goes to both: one JSON.stringify per message.
    expect(b[1]!.json).toBe(a[1]!.json);
    expect(hub.seq).toBe(2);
  });

  it('replays the deltas after a seq while the ring holds them', () => {
    const hub = new EventHub(3);
    for (let i = 1; i <= 5; i++) hub.publish(removed(i));
    expect(hub.deltasSince(5)).toEqual([]);
    expect(hub.deltasSince(3)!.map((m) => m.seq)).toEqual([4, 5]);
    expect(hub.deltasSince(2)!.map((m) => m.seq)).toEqual([3, 4, 5]);
    // Seq 2 itself fell out of the ring: from 1 on cannot be replayed.
    expect(hub.deltasSince(1)).toBeNull();
    expect(hub.deltasSince(0)).toBeNull();
  });

  it('refuses a since from the future, a negative one, or another epoch', () => {
    const hub = new EventHub(10);
    hub.publish(removed(1));
    expect(hub.deltasSince(2)).toBeNull();
    expect(hub.deltasSince(-1)).toBeNull();
    expect(hub.deltasSince(0, 'another-process')).toBeNull();
    expect(hub.deltasSince(0, hub.epoch)!.map((m) => m.seq)).toEqual([1]);
  });

  it('stamps ephemeral messages with the current seq without advancing it or keeping them', () => {
    const hub = new EventHub(10);
    const got: Published[] = [];
    hub.subscribe((p) => got.push(p));
    hub.publish(removed(1));
    hub.broadcast({ type: 'heartbeat', at: 5 });
    expect(got[1]!.message).toEqual({ type: 'heartbeat', at: 5, seq: 1 });
    expect(hub.seq).toBe(1);
    expect(hub.deltasSince(0)!.map((m) => m.type)).toEqual(['domain.removed']);
  });

  it('keeps delivering when one subscriber throws, and stops after unsubscribe', () => {
    const hub = new EventHub(10);
    const got: number[] = [];
    hub.subscribe(() => {
      throw new Error('socket gone');
    });
    const off = hub.subscribe((p) => got.push(p.message.seq));
    hub.publish(removed(1));
    off();
    hub.publish(removed(2));
    expect(got).toEqual([1]);
    expect(hub.subscriberCount).toBe(1);
  });

  it('gives each process its own epoch', () => {
    expect(new EventHub().epoch).not.toBe(new EventHub().epoch);
  });
});
