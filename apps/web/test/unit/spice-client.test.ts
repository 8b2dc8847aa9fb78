// @vitest-environment jsdom
// The SPICE console's logic without a SPICE server: scan codes for the "Send keys" menu, what spice-html5's errors
// mean for the session, and the adapter around spice-html5 (a fake main connection whose channels are fake
// sockets): every channel is tracked, the first to end ends the session once, closing leaves no socket open, and key
// presses go out as SPICE inputs messages (spice-html5's real message classes write the bytes).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SEND_KEYS, sendKeysEvents } from '../../src/consoles/keys.js';
import { CloseCode } from '../../src/consoles/session.js';
import { connectSpice, type SpiceClientOptions } from '../../src/consoles/spice-client.js';
import { spiceKeyEvent, spiceKeyEvents } from '../../src/consoles/spice-keys.js';
import { CLOSE_LOST, spiceErrorOutcome } from '../../src/consoles/spice-status.js';

const fake = vi.hoisted(() => {
  // jsdom says it is Netscape 4, and spice-html5's RSA code (loaded with its messages) then asks for NS4's RNG.
  Object.defineProperty(navigator, 'appVersion', { configurable: true, value: '5.0 (jsdom)' });
  class FakeSocket extends EventTarget {
    readyState = 1;
    close() {
      this.readyState = 3;
    }
    /** The server closed it. */
    serverClose(code: number, reason: string) {
      this.readyState = 3;
      this.dispatchEvent(Object.assign(new Event('close'), { code, reason }));
    }
  }
  class FakeChannel {
    static created: FakeChannel[] = [];
    ws: FakeSocket | undefined = new FakeSocket();
    state = 'connecting';
    onerror?: (error: unknown) => void;
    sent: { buffer_size(): number; to_buffer(b: ArrayBuffer, at?: number): number }[] = [];
    cleaned = false;
    constructor() {
      FakeChannel.created.push(this);
    }
    send_msg(message: { buffer_size(): number; to_buffer(b: ArrayBuffer, at?: number): number }) {
      this.sent.push(message);
    }
    cleanup() {
      this.cleaned = true;
      this.ws?.close();
      this.ws = undefined;
    }
  }
  class FakeMainConn extends FakeChannel {
    static last: FakeMainConn | null = null;
    static failNext: Error | null = null;
    display?: FakeChannel;
    inputs?: FakeChannel;
    cursor?: FakeChannel;
    ports: FakeChannel[] = [];
    constructor(readonly options: { uri: string; password: string; screen_id: string; onsuccess?: () => void }) {
      super();
      if (FakeMainConn.failNext) {
        const err = FakeMainConn.failNext;
        FakeMainConn.failNext = null;
        throw err;
      }
      FakeMainConn.last = this;
    }
    /** 'channels' opens what a server with sound lists: playback replaces cursor, as spice-html5 does. */
    process_channel_message(message: unknown): boolean {
      if (message !== 'channels') return false;
      this.display = new FakeChannel();
      this.inputs = new FakeChannel();
      this.cursor = new FakeChannel();
      this.cursor = new FakeChannel();
      this.ports.push(new FakeChannel());
      return true;
    }
  }
  return { FakeChannel, FakeMainConn };
});

vi.mock('@spice-project/spice-html5', () => ({ SpiceMainConn: fake.FakeMainConn }));

function start(overrides: Partial<SpiceClientOptions> = {}) {
  fake.FakeChannel.created = [];
  const screen = document.createElement('div');
  screen.id = 'spice-screen-test';
  document.body.append(screen);
  const ended: [number, string][] = [];
  const onConnected = vi.fn();
  const client = connectSpice({
    url: 'wss://vireo.example/api/v1/consoles/t1',
    password: 'pw',
    screen,
    onConnected,
    onEnded: (code, reason) => ended.push([code, reason]),
    ...overrides,
  });
  return { client, screen, ended, onConnected, main: fake.FakeMainConn.last! };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('spiceKeyEvents', () => {
  it('presses Ctrl+Alt+Del as scan codes, Delete extended, and releases all three', () => {
    expect(spiceKeyEvents(sendKeysEvents('ctrlAltDel'))).toEqual([
      { code: 0x1d, down: true },
      { code: 0x38, down: true },
      { code: 0x53e0, down: true },
      { code: 0xd3e0, down: false },
      { code: 0xb8, down: false },
      { code: 0x9d, down: false },
    ]);
  });

  it('has a scan code for every key of the menu', () => {
    for (const id of SEND_KEYS) expect(() => spiceKeyEvents(sendKeysEvents(id))).not.toThrow();
    expect(spiceKeyEvents(sendKeysEvents('ctrlAltF12')).map((e) => e.code)).toEqual([0x1d, 0x38, 0x58, 0xd8, 0xb8, 0x9d]);
    expect(spiceKeyEvents(sendKeysEvents('printScreen'))).toEqual([
      { code: 0x37e0, down: true },
      { code: 0xb7e0, down: false },
    ]);
  });

  it('knows no scan code for a keysym-only key', () => {
    expect(spiceKeyEvent({ keysym: 0x20ac, code: null, down: true })).toBeNull();
    expect(() => spiceKeyEvents([{ keysym: 0x20ac, code: null, down: true }])).toThrow(/keysym 0x20ac/);
  });
});

describe('spiceErrorOutcome', () => {
  it('stops for good on a refused password or a broken handshake', () => {
    expect(spiceErrorOutcome(new Error('Permission denied.'), false)).toEqual({ code: CloseCode.unavailable, reason: 'the SPICE display refused the password' });
    expect(spiceErrorOutcome(new Error('Error: magic mismatch: 1234'), false)).toEqual({ code: CloseCode.unavailable, reason: 'SPICE handshake failed: Error: magic mismatch: 1234' });
  });

  it('retries after a timeout or another error on an open socket', () => {
    expect(spiceErrorOutcome(new Error('Connection timed out.'), false)).toEqual({ code: CLOSE_LOST, reason: 'the SPICE display did not answer in time' });
    expect(spiceErrorOutcome(new Event('error'), false)).toEqual({ code: CLOSE_LOST, reason: 'the connection failed' });
  });

  it('leaves an error of a closed socket to its close code', () => {
    expect(spiceErrorOutcome(new Error('Unexpected protocol mismatch.'), true)).toBeNull();
  });
});

describe('connectSpice', () => {
  it('connects the main channel with the ticket URL, password and screen id', () => {
    const { main, onConnected } = start();
    expect(main.options).toMatchObject({ uri: 'wss://vireo.example/api/v1/consoles/t1', password: 'pw', screen_id: 'spice-screen-test' });
    main.options.onsuccess?.();
    expect(onConnected).toHaveBeenCalledOnce();
  });

  it('ends the session once, at the first channel to close, and closes every other', () => {
    const { main, screen, ended } = start();
    main.process_channel_message('channels');
    // main, display, inputs, cursor, playback (which replaced cursor), port
    const channels = fake.FakeChannel.created;
    expect(channels).toHaveLength(6);
    screen.append(document.createElement('canvas'));
    screen.style.height = '400px';

    channels[1]!.ws!.serverClose(CloseCode.ended, 'console ended');
    expect(ended).toEqual([[CloseCode.ended, 'console ended']]);
    for (const ch of channels) {
      expect(ch.cleaned).toBe(true);
      expect(ch.state).toBe('closing');
    }
    expect(screen.children).toHaveLength(0);
    expect(screen.style.height).toBe('');
    // The others' closes that follow change nothing.
    main.onerror?.(new Error('Unexpected close while ready'));
    expect(ended).toHaveLength(1);
  });

  it('stops on a refused password; an error of a closed socket waits for the proxy\'s close code', () => {
    const refused = start();
    refused.main.onerror?.(new Error('Permission denied.'));
    expect(refused.ended).toEqual([[CloseCode.unavailable, 'the SPICE display refused the password']]);

    const { main, ended } = start();
    main.ws!.readyState = 3;
    main.onerror?.(new Error('Unexpected protocol mismatch.'));
    expect(ended).toEqual([]);
    main.ws!.serverClose(CloseCode.unavailable, 'cannot reach the SPICE display');
    expect(ended).toEqual([[CloseCode.unavailable, 'cannot reach the SPICE display']]);
  });

  it('a close without a reason says what went wrong before it', () => {
    const { main, ended } = start();
    main.ws!.readyState = 3;
    main.onerror?.(new Error('Unexpected close while ready'));
    main.ws!.serverClose(1006, '');
    expect(ended).toEqual([[1006, 'Unexpected close while ready']]);
  });

  it('close() closes every socket and reports nothing', () => {
    const { client, main, ended } = start();
    main.process_channel_message('channels');
    client.close();
    expect(fake.FakeChannel.created.every((ch) => ch.cleaned)).toBe(true);
    main.onerror?.(new Error('Connection timed out.'));
    expect(ended).toEqual([]);
    expect(client.sendKeys(spiceKeyEvents(sendKeysEvents('ctrlAltDel')))).toBe(false);
  });

  it('sends key presses as SPICE inputs messages once the inputs channel is ready', () => {
    const { client, main } = start();
    main.process_channel_message('channels');
    const keys = spiceKeyEvents(sendKeysEvents('ctrlAltDel'));
    expect(client.sendKeys(keys)).toBe(false);
    main.inputs!.state = 'ready';
    expect(client.sendKeys(keys)).toBe(true);
    const wire = main.inputs!.sent.map((m) => {
      const buffer = new ArrayBuffer(m.buffer_size());
      m.to_buffer(buffer);
      const view = new DataView(buffer);
      // SpiceMiniDataHeader: type (u16), size (u32); then the key code (u32), all little-endian.
      return [view.getUint16(0, true), view.getUint32(2, true), view.getUint32(6, true)];
    });
    expect(wire).toEqual([
      [101, 4, 0x1d],
      [101, 4, 0x38],
      [101, 4, 0x53e0],
      [102, 4, 0xd3e0],
      [102, 4, 0xb8],
      [102, 4, 0x9d],
    ]);
  });

  it('a connection that cannot even start ends the session at the next turn', async () => {
    fake.FakeMainConn.failNext = new Error('Unable to connect');
    const screen = document.createElement('div');
    const ended: [number, string][] = [];
    const client = connectSpice({ url: 'wss://x/y', password: '', screen, onConnected: () => undefined, onEnded: (c, r) => ended.push([c, r]) });
    expect(ended).toEqual([]);
    await Promise.resolve();
    expect(ended).toEqual([[CLOSE_LOST, 'Unable to connect']]);
    expect(client.sendKeys([])).toBe(false);
  });
});
