import { randomBytes } from 'node:crypto';
import type { DeltaBody, DeltaMessage, EventMessage } from '@vireo/api';

/** A message as subscribers get it: serialised once, however many sockets it goes to. */
export interface Published {
  message: EventMessage;
  json: string;
}

export type EventListener = (published: Published) => void;

/** An ephemeral message (stats, heartbeat) before the hub stamps it with the current seq. */
export type EphemeralBody = Omit<Extract<EventMessage, { type: 'stats' }>, 'seq'> | Omit<Extract<EventMessage, { type: 'heartbeat' }>, 'seq'>;

export const DEFAULT_RING_SIZE = 10_000;

/**
 * The one fan-out point of the events channel. Deltas take consecutive sequence numbers and are kept in a ring so a
 * client that lost its socket can catch up with `since`; ephemeral messages (stats ticks, heartbeats) are sent
 * with the seq of the last delta and are never kept. Each message is serialised once, for all subscribers.
 *
 * `epoch` is random per server process: seq numbers restart with the process, so a client's `since` from an
 * earlier process must not be mistaken for a position in this one.
 */
export class EventHub {
  readonly epoch = randomBytes(6).toString('hex');
  private seqNo = 0;
  private readonly ring: (DeltaMessage | undefined)[];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly ringSize = DEFAULT_RING_SIZE) {
    if (!Number.isInteger(ringSize) || ringSize < 1) throw new Error(`event ring size must be a positive integer, got ${ringSize}`);
    this.ring = new Array<DeltaMessage | undefined>(ringSize).fill(undefined);
  }

  /** The seq of the last delta (0 before the first). */
  get seq(): number {
    return this.seqNo;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Numbers a delta, keeps it for replay and sends it to every subscriber. */
  publish(body: DeltaBody): DeltaMessage {
    this.seqNo += 1;
    const message: DeltaMessage = { ...body, seq: this.seqNo };
    this.ring[this.seqNo % this.ringSize] = message;
    this.deliver(message);
    return message;
  }

  /** Sends a message that changes no state; it carries the current seq and is not replayed. */
  broadcast(body: EphemeralBody): void {
    if (this.listeners.size === 0) return;
    this.deliver({ ...body, seq: this.seqNo });
  }

  /**
   * The deltas after `since`, oldest first, or null when they cannot all be given: `since` is older than the ring
   * or newer than anything sent (a client of another process or epoch).
   */
  deltasSince(since: number, epoch?: string): DeltaMessage[] | null {
    if (epoch !== undefined && epoch !== this.epoch) return null;
    if (!Number.isInteger(since) || since < 0 || since > this.seqNo) return null;
    if (this.seqNo - since > this.ringSize) return null;
    const out: DeltaMessage[] = [];
    for (let s = since + 1; s <= this.seqNo; s++) {
      const m = this.ring[s % this.ringSize];
      if (!m || m.seq !== s) return null;
      out.push(m);
    }
    return out;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private deliver(message: EventMessage): void {
    if (this.listeners.size === 0) return;
    const published = { message, json: JSON.stringify(message) };
    for (const listener of this.listeners) {
      try {
        listener(published);
      } catch {
        // A subscriber's failure (a socket closing mid-send) must not keep the message from the others.
      }
    }
  }
}
