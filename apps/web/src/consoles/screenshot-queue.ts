/**
 * Screenshots in flight, shared by every thumbnail on the page: each costs the host a QEMU screendump and the
 * browser one of its six connections to the server, so a list of running VMs must not ask for all of them at once.
 * A thumbnail holds a slot from setting its image's URL until the image loads or fails; the rest wait their turn.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/** At most this many screenshots in flight across the page (room is left for the API calls and the events socket). */
export const SCREENSHOTS_IN_FLIGHT = 4;

/** One request for a slot: `done()` leaves the queue if still waiting, or frees the slot if granted; idempotent. */
export interface SlotTicket {
  done(): void;
}

/** A first-come, first-served limiter of concurrent work, with no timers: slots are freed by their holders. */
export class SlotQueue {
  private active = 0;
  private readonly waiting = new Set<{ grant: () => void }>();

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`a slot queue needs at least one slot (asked for ${limit})`);
  }

  /** Slots granted and not yet freed. */
  get inFlight(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Calls `onGrant` with the ticket once a slot is free: at once (synchronously) when one is. */
  request(onGrant: (ticket: SlotTicket) => void): SlotTicket {
    let state: 'waiting' | 'granted' | 'done' = 'waiting';
    const entry = {
      grant: () => {
        state = 'granted';
        this.active++;
        onGrant(ticket);
      },
    };
    const ticket: SlotTicket = {
      done: () => {
        if (state === 'waiting') this.waiting.delete(entry);
        else if (state === 'granted') {
          this.active--;
          this.next();
        }
        state = 'done';
      },
    };
    this.waiting.add(entry);
    this.next();
    return ticket;
  }

  private next(): void {
    while (this.active < this.limit) {
      const first = this.waiting.values().next();
      if (first.done) return;
      this.waiting.delete(first.value);
      first.value.grant();
    }
  }
}

export const screenshotQueue = new SlotQueue(SCREENSHOTS_IN_FLIGHT);

export interface QueuedImage {
  /** The URL to show now (the last one granted a slot), or null while there is none or it failed. */
  src: string | null;
  /** For the `<img>`: frees the slot (and asks for the newest wanted URL if it moved on meanwhile). */
  onLoad: () => void;
  onError: () => void;
}

/**
 * Loads `wanted` (an image URL; null: nothing) through the queue. One image at a time per caller: a newer URL asked
 * for while one is in flight waits for it to settle, so a slow host sees fewer requests, never a pile-up of them.
 * The image keeps showing the last picture while the next loads; a failed one shows nothing until the next URL.
 */
export function useQueuedImage(wanted: string | null, queue: SlotQueue = screenshotQueue): QueuedImage {
  const [shown, setShown] = useState<{ src: string; failed: boolean } | null>(null);
  const latest = useRef(wanted);
  /** The slot this caller holds or waits for, and the URL loading in it (null while waiting). */
  const ticket = useRef<SlotTicket | null>(null);
  const loading = useRef<string | null>(null);

  const ask = useCallback(() => {
    if (ticket.current) return; // waiting (the grant reads the newest URL) or in flight (its settling asks again)
    ticket.current = queue.request((granted) => {
      const url = latest.current;
      if (url === null) {
        granted.done();
        ticket.current = null;
        return;
      }
      loading.current = url;
      setShown({ src: url, failed: false });
    });
  }, [queue]);

  const settle = useCallback(
    (failed: boolean) => {
      const src = loading.current;
      if (src === null) return; // a stale event (the slot was already given back)
      loading.current = null;
      ticket.current?.done();
      ticket.current = null;
      if (failed) setShown((s) => (s?.src === src ? { src, failed: true } : s));
      if (latest.current !== null && latest.current !== src) ask();
    },
    [ask],
  );

  useEffect(() => {
    latest.current = wanted;
    if (wanted !== null) {
      ask();
      return;
    }
    // Nothing wanted (the VM stopped): the image leaves the page, so no load event will free its slot.
    ticket.current?.done();
    ticket.current = null;
    loading.current = null;
  }, [wanted, ask]);

  // Unmounted (the row scrolled away, screens turned off): whatever this caller holds goes back to the others.
  useEffect(
    () => () => {
      ticket.current?.done();
      ticket.current = null;
      loading.current = null;
    },
    [],
  );

  const onLoad = useCallback(() => settle(false), [settle]);
  const onError = useCallback(() => settle(true), [settle]);
  return { src: wanted !== null && shown !== null && !shown.failed ? shown.src : null, onLoad, onError };
}
