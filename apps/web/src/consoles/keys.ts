/**
 * Key events for the VNC console: the "Send keys" combinations and typing text as key presses (for guests whose
 * clipboard is not shared, e.g. a login prompt or an installer). Each event carries both the X11 keysym and the
 * physical key (KeyboardEvent.code): QEMU takes the scan code from the code when the client supports its extended
 * key events, so modifiers are pressed explicitly, as a US keyboard would need them.
 */

export interface KeyEvent {
  keysym: number;
  /** KeyboardEvent.code of the physical key; null when there is none (the keysym alone is sent). */
  code: string | null;
  down: boolean;
}

interface Key {
  keysym: number;
  code: string | null;
}

export const KEYS = {
  ctrl: { keysym: 0xffe3, code: 'ControlLeft' },
  alt: { keysym: 0xffe9, code: 'AltLeft' },
  shift: { keysym: 0xffe1, code: 'ShiftLeft' },
  delete: { keysym: 0xffff, code: 'Delete' },
  print: { keysym: 0xff61, code: 'PrintScreen' },
  enter: { keysym: 0xff0d, code: 'Enter' },
  tab: { keysym: 0xff09, code: 'Tab' },
} as const satisfies Record<string, Key>;

/** F1..F12: keysyms 0xffbe..0xffc9. */
export function functionKey(n: number): Key {
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new RangeError(`F${n}: function keys are F1 to F12`);
  return { keysym: 0xffbe + n - 1, code: `F${n}` };
}

/** Presses the modifiers in order, taps the key, releases the modifiers in reverse. */
function combo(modifiers: readonly Key[], key: Key): KeyEvent[] {
  return [
    ...modifiers.map((m) => ({ ...m, down: true })),
    { ...key, down: true },
    { ...key, down: false },
    ...[...modifiers].reverse().map((m) => ({ ...m, down: false })),
  ];
}

export type SendKeysId = 'ctrlAltDel' | `ctrlAltF${number}` | 'printScreen';

/** The "Send keys" menu, in order. */
export const SEND_KEYS: readonly SendKeysId[] = [
  'ctrlAltDel',
  ...Array.from({ length: 12 }, (_, i) => `ctrlAltF${i + 1}` as const),
  'printScreen',
];

export function sendKeysEvents(id: SendKeysId): KeyEvent[] {
  if (id === 'ctrlAltDel') return combo([KEYS.ctrl, KEYS.alt], KEYS.delete);
  if (id === 'printScreen') return combo([], KEYS.print);
  const n = Number(id.slice('ctrlAltF'.length));
  return combo([KEYS.ctrl, KEYS.alt], functionKey(n));
}

/** The label of a combination as the menu shows it (key names are not translated). */
export function sendKeysLabel(id: SendKeysId): string | null {
  if (id === 'ctrlAltDel') return 'Ctrl+Alt+Del';
  if (id === 'printScreen') return null;
  return `Ctrl+Alt+F${id.slice('ctrlAltF'.length)}`;
}

// US layout: the shifted symbol of each unshifted key, by its code.
const SYMBOL_KEYS: readonly [code: string, plain: string, shifted: string][] = [
  ['Backquote', '`', '~'],
  ['Digit1', '1', '!'],
  ['Digit2', '2', '@'],
  ['Digit3', '3', '#'],
  ['Digit4', '4', '$'],
  ['Digit5', '5', '%'],
  ['Digit6', '6', '^'],
  ['Digit7', '7', '&'],
  ['Digit8', '8', '*'],
  ['Digit9', '9', '('],
  ['Digit0', '0', ')'],
  ['Minus', '-', '_'],
  ['Equal', '=', '+'],
  ['BracketLeft', '[', '{'],
  ['BracketRight', ']', '}'],
  ['Backslash', '\\', '|'],
  ['Semicolon', ';', ':'],
  ['Quote', "'", '"'],
  ['Comma', ',', '<'],
  ['Period', '.', '>'],
  ['Slash', '/', '?'],
  ['Space', ' ', ' '],
];

interface TypedChar {
  key: Key;
  shift: boolean;
}

const US_KEYS = new Map<string, TypedChar>();
for (const [code, plain, shifted] of SYMBOL_KEYS) {
  US_KEYS.set(plain, { key: { keysym: plain.charCodeAt(0), code }, shift: false });
  if (shifted !== plain) US_KEYS.set(shifted, { key: { keysym: shifted.charCodeAt(0), code }, shift: true });
}
for (let i = 0; i < 26; i++) {
  const lower = String.fromCharCode(97 + i);
  const upper = String.fromCharCode(65 + i);
  const code = `Key${upper}`;
  US_KEYS.set(lower, { key: { keysym: lower.charCodeAt(0), code }, shift: false });
  US_KEYS.set(upper, { key: { keysym: upper.charCodeAt(0), code }, shift: true });
}
US_KEYS.set('\n', { key: KEYS.enter, shift: false });
US_KEYS.set('\t', { key: KEYS.tab, shift: false });

/**
 * One character as key presses. Characters a US keyboard has go by their key (with Shift when needed); others by
 * keysym only (Latin-1 keysyms equal the code point, the rest are 0x01000000 + code point), which QEMU maps with
 * its keymap when it can.
 */
export function charEvents(ch: string): KeyEvent[] {
  const us = US_KEYS.get(ch);
  if (us) return us.shift ? combo([KEYS.shift], us.key) : combo([], us.key);
  const cp = ch.codePointAt(0);
  if (cp === undefined || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return [];
  const keysym = cp <= 0xff ? cp : 0x01000000 + cp;
  return combo([], { keysym, code: null });
}

/**
 * Text typed as key presses, one group per character (sent paced: the guest's keyboard buffer is small); "\r\n"
 * and "\r" count as one Enter, other control characters are skipped.
 */
export function typingEvents(text: string): KeyEvent[][] {
  const normalised = text.replace(/\r\n?/g, '\n');
  const groups: KeyEvent[][] = [];
  for (const ch of normalised) {
    const events = charEvents(ch);
    if (events.length > 0) groups.push(events);
  }
  return groups;
}

/** The pause between typed characters. */
export const TYPING_INTERVAL_MS = 12;

/** Longest text "Type text" sends: typing is slow for the guest, and a huge paste is more likely a mistake. */
export const MAX_TYPED_CHARS = 4096;
