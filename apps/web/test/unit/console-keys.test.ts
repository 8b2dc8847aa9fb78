// Send-keys combinations and paste-as-typing: the key events noVNC is asked to send.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { charEvents, functionKey, KEYS, SEND_KEYS, sendKeysEvents, sendKeysLabel, typingEvents, type KeyEvent } from '../../src/consoles/keys.js';
import { scalingFlags, sendEvents, typeGroups, type KeySink } from '../../src/consoles/vnc-controls.js';

const down = (k: { keysym: number; code: string | null }): KeyEvent => ({ ...k, down: true });
const up = (k: { keysym: number; code: string | null }): KeyEvent => ({ ...k, down: false });

describe('send keys', () => {
  it('Ctrl+Alt+Del presses Ctrl, Alt, Delete and releases them in reverse', () => {
    expect(sendKeysEvents('ctrlAltDel')).toEqual([down(KEYS.ctrl), down(KEYS.alt), down(KEYS.delete), up(KEYS.delete), up(KEYS.alt), up(KEYS.ctrl)]);
    expect(KEYS.delete).toEqual({ keysym: 0xffff, code: 'Delete' });
  });

  it('Ctrl+Alt+F1..F12 use the function keysyms 0xffbe..0xffc9', () => {
    expect(sendKeysEvents('ctrlAltF1')[2]).toEqual({ keysym: 0xffbe, code: 'F1', down: true });
    expect(sendKeysEvents('ctrlAltF12')[2]).toEqual({ keysym: 0xffc9, code: 'F12', down: true });
    expect(sendKeysEvents('ctrlAltF7')).toEqual([down(KEYS.ctrl), down(KEYS.alt), down(functionKey(7)), up(functionKey(7)), up(KEYS.alt), up(KEYS.ctrl)]);
    expect(() => functionKey(13)).toThrow(RangeError);
  });

  it('PrintScreen is a single tap', () => {
    expect(sendKeysEvents('printScreen')).toEqual([down(KEYS.print), up(KEYS.print)]);
  });

  it('the menu lists Ctrl+Alt+Del, the twelve consoles and PrintScreen', () => {
    expect(SEND_KEYS).toHaveLength(14);
    expect(SEND_KEYS.map(sendKeysLabel).slice(0, 3)).toEqual(['Ctrl+Alt+Del', 'Ctrl+Alt+F1', 'Ctrl+Alt+F2']);
    expect(sendKeysLabel('printScreen')).toBeNull();
  });

  it('sendEvents hands each event to the sink in order', () => {
    const sent: [number, string | null, boolean | undefined][] = [];
    sendEvents({ sendKey: (keysym, code, isDown) => sent.push([keysym, code, isDown]) }, sendKeysEvents('ctrlAltDel'));
    expect(sent).toEqual([
      [0xffe3, 'ControlLeft', true],
      [0xffe9, 'AltLeft', true],
      [0xffff, 'Delete', true],
      [0xffff, 'Delete', false],
      [0xffe9, 'AltLeft', false],
      [0xffe3, 'ControlLeft', false],
    ]);
  });
});

describe('paste as typing', () => {
  it('lower-case letters and digits are plain taps of their key', () => {
    expect(charEvents('a')).toEqual([{ keysym: 0x61, code: 'KeyA', down: true }, { keysym: 0x61, code: 'KeyA', down: false }]);
    expect(charEvents('7')).toEqual([{ keysym: 0x37, code: 'Digit7', down: true }, { keysym: 0x37, code: 'Digit7', down: false }]);
  });

  it('upper-case letters and shifted symbols hold Shift around the key', () => {
    expect(charEvents('Q')).toEqual([down(KEYS.shift), { keysym: 0x51, code: 'KeyQ', down: true }, { keysym: 0x51, code: 'KeyQ', down: false }, up(KEYS.shift)]);
    expect(charEvents('!').map((e) => e.code)).toEqual(['ShiftLeft', 'Digit1', 'Digit1', 'ShiftLeft']);
    expect(charEvents('_').map((e) => e.code)).toEqual(['ShiftLeft', 'Minus', 'Minus', 'ShiftLeft']);
    expect(charEvents(':').map((e) => e.code)).toEqual(['ShiftLeft', 'Semicolon', 'Semicolon', 'ShiftLeft']);
    expect(charEvents(';').map((e) => e.code)).toEqual(['Semicolon', 'Semicolon']);
  });

  it('space, newline and tab are their keys; CRLF is one Enter', () => {
    expect(charEvents(' ')[0]).toEqual({ keysym: 0x20, code: 'Space', down: true });
    expect(typingEvents('a\r\nb').map((g) => g[0]!.code)).toEqual(['KeyA', 'Enter', 'KeyB']);
    expect(typingEvents('\t')[0]![0]).toEqual(down(KEYS.tab));
  });

  it('characters off the US keyboard go by keysym alone; control characters are skipped', () => {
    expect(charEvents('é')).toEqual([{ keysym: 0xe9, code: null, down: true }, { keysym: 0xe9, code: null, down: false }]);
    expect(charEvents('中')[0]).toEqual({ keysym: 0x01000000 + 0x4e2d, code: null, down: true });
    expect(charEvents('\u0007')).toEqual([]);
    expect(typingEvents('a\u0000b')).toHaveLength(2);
  });

  it('one group per typed character, each balanced (every key pressed is released)', () => {
    const groups = typingEvents('Hello, World!\n');
    expect(groups).toHaveLength(14);
    for (const g of groups) {
      const held = new Map<string, number>();
      for (const e of g) held.set(`${e.keysym}`, (held.get(`${e.keysym}`) ?? 0) + (e.down ? 1 : -1));
      expect([...held.values()].every((n) => n === 0)).toBe(true);
    }
  });
});

describe('scaling modes', () => {
  it('map to noVNC viewport flags', () => {
    expect(scalingFlags('scale')).toEqual({ scaleViewport: true, resizeSession: false, clipViewport: false });
    expect(scalingFlags('remote')).toEqual({ scaleViewport: false, resizeSession: true, clipViewport: false });
    expect(scalingFlags('none')).toEqual({ scaleViewport: false, resizeSession: false, clipViewport: false });
  });
});

describe('typing paced', () => {
  afterEach(() => vi.useRealTimers());

  it('sends one character per interval, reports progress, stops when done or cancelled', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const sink: KeySink = { sendKey: (keysym, _code, isDown) => void (isDown && sent.push(keysym)) };
    const progress: string[] = [];
    let ended = 0;
    typeGroups(() => sink, typingEvents('abc'), 10, (d, t) => progress.push(`${d}/${t}`), () => ended++);
    expect(sent).toEqual([0x61]);
    vi.advanceTimersByTime(10);
    expect(sent).toEqual([0x61, 0x62]);
    vi.advanceTimersByTime(20);
    expect(sent).toEqual([0x61, 0x62, 0x63]);
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
    expect(ended).toBe(1);

    const more: number[] = [];
    const cancel = typeGroups(() => ({ sendKey: (k, _c, isDown) => void (isDown && more.push(k)) }), typingEvents('xyz'), 10, () => undefined, () => undefined);
    cancel();
    vi.advanceTimersByTime(100);
    expect(more).toEqual([0x78]);
  });

  it('stops when the console goes away mid-text', () => {
    vi.useFakeTimers();
    let client: KeySink | null = { sendKey: () => undefined };
    let ended = 0;
    const progress: number[] = [];
    typeGroups(() => client, typingEvents('abcdef'), 10, (d) => progress.push(d), () => ended++);
    vi.advanceTimersByTime(10);
    client = null;
    vi.advanceTimersByTime(100);
    expect(progress).toEqual([1, 2]);
    expect(ended).toBe(1);
  });
});
