/**
 * spice-html5 behind a small interface: connect, send key events, close. A SPICE session is a socket per channel
 * (main first, then display, inputs, cursor ... as the server lists them), all on the same ticket; this keeps track
 * of every one, so that the first to end ends the session (the console session then reconnects with a new ticket)
 * and closing leaves none open. spice-html5's own `stop` cannot be used for that: it forgets the cursor channel when
 * a playback channel follows (both are kept as `cursor`), leaves port channels open, and looks up the screen by id,
 * which throws once React has taken the element out of the document.
 */
import { SpiceMainConn, type SpiceChannel } from '@spice-project/spice-html5';
import { Constants } from '@spice-project/spice-html5/src/enums.js';
import { SpiceMiniData, SpiceMsgcKeyDown, SpiceMsgcKeyUp } from '@spice-project/spice-html5/src/spicemsg.js';
import type { SpiceKeyEvent } from './spice-keys.js';
import { CLOSE_LOST, errorText, spiceErrorOutcome } from './spice-status.js';

export interface SpiceClientOptions {
  /** The ticket's WebSocket URL. */
  url: string;
  /** The display's password from the ticket ('' when it has none: QEMU then accepts any). */
  password: string;
  /** In the document with an id: spice-html5 finds it by that id and appends the display's canvas to it. */
  screen: HTMLElement;
  /** The main channel is up (the display and input channels follow). */
  onConnected(): void;
  /** Once: the first channel to close or fail ended the session. */
  onEnded(code: number, reason: string): void;
}

export interface SpiceClient {
  /** Sends key presses on the inputs channel; false while it is not ready. */
  sendKeys(events: readonly SpiceKeyEvent[]): boolean;
  close(): void;
}

/** The fields of the main connection that hold a channel; the setter sees every one, even one later replaced. */
const CHANNEL_FIELDS = ['display', 'inputs', 'cursor'] as const;

/** The RSA-encrypted password of a SPICE link: as many bytes as the server's 1024-bit key. */
const TICKET_BYTES = Constants.SPICE_TICKET_KEY_PAIR_LENGTH / 8;

/**
 * The ciphertext of the password as the server expects it. spice-html5 0.2.1 turns it into bytes through a hex
 * string, which drops its leading zero bytes: then every byte after them arrives one place early, and QEMU refuses
 * the password (about one channel in 200, so a SPICE session in 50). The dropped zeros go back in front.
 */
export function fullTicket(ticket: readonly number[] | null): number[] | null {
  if (ticket === null || ticket.length >= TICKET_BYTES) return ticket === null ? null : [...ticket];
  return [...new Array<number>(TICKET_BYTES - ticket.length).fill(0), ...ticket];
}

// Every channel (main, display, inputs, cursor ...) inherits send_ticket from spice-html5's SpiceConn, the prototype
// of SpiceMainConn's prototype; it is patched once, for all of them.
const spiceConn = Object.getPrototypeOf(SpiceMainConn.prototype) as { send_ticket?: (this: unknown, ticket: number[] | null) => void };
const sendTicket = Object.hasOwn(spiceConn, 'send_ticket') ? spiceConn.send_ticket : undefined;
if (sendTicket) {
  spiceConn.send_ticket = function sendFullTicket(ticket) {
    sendTicket.call(this, fullTicket(ticket));
  };
}

export function connectSpice(options: SpiceClientOptions): SpiceClient {
  const channels = new Set<SpiceChannel>();
  let ended = false;
  let lastError: string | null = null;

  const shutdown = () => {
    for (const ch of channels) {
      // 'closing' keeps spice-html5's close handlers from reporting the close as an error.
      ch.state = 'closing';
      try {
        ch.cleanup();
      } catch {
        // One channel failing to clean up must not keep the others open.
      }
    }
    channels.clear();
    // A reconnect starts on an empty screen (spice-html5 finds its canvas by a fixed id).
    options.screen.replaceChildren();
    options.screen.style.removeProperty('height');
    options.screen.style.removeProperty('cursor');
  };

  const end = (code: number, reason: string) => {
    if (ended) return;
    ended = true;
    shutdown();
    options.onEnded(code, reason || lastError || `closed (${code})`);
  };

  const fail = (ch: SpiceChannel | undefined, error: unknown) => {
    if (ended) return;
    lastError = errorText(error);
    const outcome = spiceErrorOutcome(error, ch?.ws === undefined || ch.ws.readyState === WebSocket.CLOSED);
    if (outcome) end(outcome.code, outcome.reason);
  };

  const track = (ch: SpiceChannel) => {
    if (channels.has(ch) || ended) return;
    channels.add(ch);
    ch.onerror = (error) => fail(ch, error);
    ch.ws?.addEventListener('close', (e) => end(e.code, e.reason));
  };

  let conn: SpiceMainConn;
  try {
    conn = new SpiceMainConn({
      uri: options.url,
      password: options.password,
      screen_id: options.screen.id,
      onsuccess: () => {
        if (!ended) options.onConnected();
      },
    });
  } catch (err) {
    // No socket to close: the session hears of it as of a socket that could not open.
    queueMicrotask(() => end(CLOSE_LOST, errorText(err)));
    return { sendKeys: () => false, close: () => void (ended = true) };
  }
  // spice-html5 reports through `onerror`, and throws when a channel has none: every channel gets ours, set before
  // any of its socket's events can fire.
  track(conn);
  for (const field of CHANNEL_FIELDS) {
    let value: SpiceChannel | undefined;
    Object.defineProperty(conn, field, {
      configurable: true,
      enumerable: true,
      get: () => value,
      set: (ch: SpiceChannel | undefined) => {
        value = ch;
        if (ch) track(ch);
      },
    });
  }
  const processMessage = conn.process_channel_message.bind(conn);
  conn.process_channel_message = (message) => {
    const handled = processMessage(message);
    // Port and unknown channels are kept in lists; they are tracked before any of their events can fire.
    for (const ch of conn.ports) track(ch);
    for (const ch of conn.extra_channels ?? []) if (ch) track(ch);
    return handled;
  };

  return {
    sendKeys(events) {
      const inputs = conn.inputs;
      if (ended || !inputs || inputs.state !== 'ready') return false;
      for (const e of events) {
        const key = e.down ? new SpiceMsgcKeyDown() : new SpiceMsgcKeyUp();
        key.code = e.code;
        const message = new SpiceMiniData();
        message.build_msg(e.down ? Constants.SPICE_MSGC_INPUTS_KEY_DOWN : Constants.SPICE_MSGC_INPUTS_KEY_UP, key);
        inputs.send_msg(message);
      }
      return true;
    },
    close() {
      if (ended) return;
      ended = true;
      shutdown();
    },
  };
}
