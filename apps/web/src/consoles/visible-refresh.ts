/**
 * A counter that advances at most every `intervalMs`, and only while its element is on screen (IntersectionObserver)
 * and the page is visible: a screenshot costs the host a QEMU screendump, so nobody pays for thumbnails not seen.
 */
import { useEffect, useState, type RefObject } from 'react';

export interface RefreshClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: RefreshClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * The scheduling without React or the DOM: `setVisible` reports whether the element is seen (in view and page
 * visible); `onTick` fires at once when it becomes seen and at least `intervalMs` passed since the last tick, then
 * every `intervalMs` while it stays seen.
 */
export class RefreshScheduler {
  private visible = false;
  private last = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;

  constructor(
    private readonly intervalMs: number,
    private readonly onTick: () => void,
    private readonly clock: RefreshClock = systemClock,
  ) {}

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.cancel();
    if (visible) this.schedule();
  }

  dispose(): void {
    this.visible = false;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const wait = Math.max(0, this.last + this.intervalMs - this.clock.now());
    if (wait === 0) return this.fire();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (this.visible) this.fire();
    }, wait);
  }

  private fire(): void {
    this.last = this.clock.now();
    this.onTick();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (this.visible) this.fire();
    }, this.intervalMs);
  }
}

/** The tick count for an element (0 until first seen); `enabled` false stops it (e.g. the VM is not running). */
export function useVisibleRefresh(ref: RefObject<Element | null>, enabled: boolean, intervalMs: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!enabled || !element) return;
    const scheduler = new RefreshScheduler(intervalMs, () => setTick((n) => n + 1));
    let inView = false;
    const update = () => scheduler.setVisible(inView && document.visibilityState === 'visible');
    // Without IntersectionObserver (old browsers, jsdom) the element counts as in view.
    const observer =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => {
            for (const entry of entries) inView = entry.isIntersecting;
            update();
          })
        : null;
    if (observer) observer.observe(element);
    else {
      inView = true;
      update();
    }
    document.addEventListener('visibilitychange', update);
    return () => {
      observer?.disconnect();
      document.removeEventListener('visibilitychange', update);
      scheduler.dispose();
    };
  }, [ref, enabled, intervalMs]);
  return tick;
}
