/** The VNC viewer's settings and key sending, apart from noVNC (which needs a browser to load). */
import type { KeyEvent } from './keys.js';

export type ScalingMode = 'scale' | 'remote' | 'none';
export const SCALING: readonly ScalingMode[] = ['scale', 'remote', 'none'];
export const SCALING_KEY = 'vireo.console.scaling';

export function savedScaling(): ScalingMode {
  const saved = globalThis.localStorage?.getItem(SCALING_KEY);
  return SCALING.includes(saved as ScalingMode) ? (saved as ScalingMode) : 'scale';
}

/** noVNC's viewport flags for a scaling mode. */
export function scalingFlags(mode: ScalingMode): { scaleViewport: boolean; resizeSession: boolean; clipViewport: boolean } {
  return { scaleViewport: mode === 'scale', resizeSession: mode === 'remote', clipViewport: false };
}

/** Something that takes key events: noVNC's RFB (a narrow type, so tests can pass a recorder). */
export interface KeySink {
  sendKey(keysym: number, code: string | null, down?: boolean): void;
}

export function sendEvents(sink: KeySink, events: readonly KeyEvent[]): void {
  for (const e of events) sink.sendKey(e.keysym, e.code, e.down);
}

/**
 * Sends key groups (one per typed character) `intervalMs` apart, reporting progress; returns a cancel function.
 * Stops by itself when `sink()` has no client any more (the console disconnected).
 */
export function typeGroups(
  sink: () => KeySink | null,
  groups: readonly (readonly KeyEvent[])[],
  intervalMs: number,
  onProgress: (done: number, total: number) => void,
  onEnd: () => void,
): () => void {
  let done = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const step = () => {
    timer = null;
    const client = sink();
    const group = groups[done];
    if (!client || !group) return onEnd();
    sendEvents(client, group);
    done++;
    onProgress(done, groups.length);
    timer = setTimeout(step, intervalMs);
  };
  step();
  return () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
}
