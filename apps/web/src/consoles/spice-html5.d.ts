// spice-html5 0.2.1 ships no types: the parts spice-client.ts uses (src/main.js, src/spiceconn.js, src/spicemsg.js,
// src/enums.js). Its channels are plain objects with public fields; only those read or set here are declared.
declare module '@spice-project/spice-html5' {
  /** A message for `send_msg`: anything that knows its size and writes itself into a buffer. */
  export interface SpiceWireMessage {
    buffer_size(): number;
    to_buffer(buffer: ArrayBuffer, at?: number): number;
  }

  /** One channel's connection (main, display, inputs, cursor, playback, port ...): one WebSocket each. */
  export interface SpiceChannel {
    ws: WebSocket | undefined;
    /** connecting, start, link, ticket, ready; `closing` and `error` silence its close handler. */
    state: string;
    onerror?: (error: unknown) => void;
    send_msg(message: SpiceWireMessage): void;
    /** Clears its connect timeout and closes its socket. */
    cleanup(): void;
  }

  export interface SpiceMainConnOptions {
    uri: string;
    password: string;
    /** The id of the element the display channel appends its canvas to. */
    screen_id: string;
    onerror?: (error: unknown) => void;
    onsuccess?: (message: string) => void;
    onagent?: (connection: SpiceMainConn) => void;
  }

  export class SpiceMainConn implements SpiceChannel {
    constructor(options: SpiceMainConnOptions);
    ws: WebSocket | undefined;
    state: string;
    onerror?: (error: unknown) => void;
    display?: SpiceChannel;
    inputs?: SpiceChannel;
    cursor?: SpiceChannel;
    ports: SpiceChannel[];
    extra_channels?: SpiceChannel[];
    /** Opens the channels the server lists (SPICE_MSG_MAIN_CHANNELS_LIST), among other messages. */
    process_channel_message(message: unknown): boolean;
    send_msg(message: SpiceWireMessage): void;
    cleanup(): void;
  }
}

declare module '@spice-project/spice-html5/src/spicemsg.js' {
  import type { SpiceWireMessage } from '@spice-project/spice-html5';

  export class SpiceMiniData implements SpiceWireMessage {
    build_msg(type: number, data: SpiceWireMessage): void;
    buffer_size(): number;
    to_buffer(buffer: ArrayBuffer, at?: number): number;
  }

  /** A key press; `code` is the PC scan code (set 1), an 0xE0 prefix in the low byte. */
  export class SpiceMsgcKeyDown implements SpiceWireMessage {
    code: number;
    buffer_size(): number;
    to_buffer(buffer: ArrayBuffer, at?: number): number;
  }

  export class SpiceMsgcKeyUp implements SpiceWireMessage {
    code: number;
    buffer_size(): number;
    to_buffer(buffer: ArrayBuffer, at?: number): number;
  }
}

declare module '@spice-project/spice-html5/src/enums.js' {
  export const Constants: {
    readonly SPICE_MSGC_INPUTS_KEY_DOWN: number;
    readonly SPICE_MSGC_INPUTS_KEY_UP: number;
    readonly SPICE_TICKET_KEY_PAIR_LENGTH: number;
  };
}
