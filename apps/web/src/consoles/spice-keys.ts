/**
 * The "Send keys" combinations (keys.ts) for the SPICE console. SPICE's inputs channel takes PC scan codes (set 1)
 * packed into a number, first byte lowest: an extended key's 0xE0 prefix is the low byte and its code the next one;
 * a release sets bit 7 of the code. spice-html5's own sendCtrlAltDel leaves Ctrl and Alt held and presses Delete
 * twice (its release lacks that bit), so the console sends these instead.
 */
import type { KeyEvent } from './keys.js';

/** Scan codes (set 1) by KeyboardEvent.code for the keys the "Send keys" menu presses; 0xE0xx are extended keys. */
const SCAN_CODES: Readonly<Record<string, number>> = {
  ControlLeft: 0x1d,
  AltLeft: 0x38,
  ShiftLeft: 0x2a,
  Delete: 0xe053,
  PrintScreen: 0xe037,
  Enter: 0x1c,
  Tab: 0x0f,
  F1: 0x3b,
  F2: 0x3c,
  F3: 0x3d,
  F4: 0x3e,
  F5: 0x3f,
  F6: 0x40,
  F7: 0x41,
  F8: 0x42,
  F9: 0x43,
  F10: 0x44,
  F11: 0x57,
  F12: 0x58,
};

export interface SpiceKeyEvent {
  /** The value for SpiceMsgcKeyDown/KeyUp's `code`. */
  code: number;
  down: boolean;
}

/** One key event as SPICE's inputs channel wants it; null for a key without a known scan code. */
export function spiceKeyEvent(event: KeyEvent): SpiceKeyEvent | null {
  const scan = event.code === null ? undefined : SCAN_CODES[event.code];
  if (scan === undefined) return null;
  const extended = scan > 0xff;
  const code = scan & 0x7f;
  const withRelease = event.down ? code : code | 0x80;
  return { code: extended ? 0xe0 | (withRelease << 8) : withRelease, down: event.down };
}

/** A whole combination; throws when a key has no scan code (the menu's keys all have one). */
export function spiceKeyEvents(events: readonly KeyEvent[]): SpiceKeyEvent[] {
  return events.map((e) => {
    const key = spiceKeyEvent(e);
    if (!key) throw new Error(`no SPICE scan code for the key ${e.code ?? `keysym 0x${e.keysym.toString(16)}`}`);
    return key;
  });
}

/**
 * Key presses spice-html5 has no scan code for and answers with an alert() per key: an input method composing
 * (Chinese, Japanese ... report keyCode 229) or a key the browser cannot identify (0). The console drops them.
 */
export function isUnmappableKey(event: { keyCode: number; isComposing: boolean }): boolean {
  return event.isComposing || event.keyCode === 229 || event.keyCode === 0;
}
