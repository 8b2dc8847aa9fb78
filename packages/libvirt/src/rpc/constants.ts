/** Program numbers, header values and limits of libvirt's RPC framing (src/rpc/virnetprotocol.x). */
export const REMOTE_PROGRAM = 0x20008086;
export const REMOTE_PROTOCOL_VERSION = 1;
export const QEMU_PROGRAM = 0x20008087;
export const QEMU_PROTOCOL_VERSION = 1;
export const KEEPALIVE_PROGRAM = 0x6b656570;
export const KEEPALIVE_PROTOCOL_VERSION = 1;
export const KEEPALIVE_PROC_PING = 1;
export const KEEPALIVE_PROC_PONG = 2;

export const MessageType = {
  CALL: 0,
  REPLY: 1,
  MESSAGE: 2,
  STREAM: 3,
  CALL_WITH_FDS: 4,
  REPLY_WITH_FDS: 5,
  STREAM_HOLE: 6,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const MessageStatus = { OK: 0, ERROR: 1, CONTINUE: 2 } as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/** The length word (4) plus six header words. */
export const HEADER_SIZE = 28;
/** Newer daemons accept 32 MiB messages; older ones 16 MiB. We accept up to 32 MiB from the peer. */
export const MESSAGE_MAX = 33554432;
/** Stream payload per packet: libvirt's legacy payload limit, which every daemon accepts. */
export const STREAM_CHUNK_MAX = 262120;
