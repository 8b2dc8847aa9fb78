import type { Codec } from '../xdr/index.js';
import { XdrWriter } from '../xdr/index.js';
import { HEADER_SIZE, MESSAGE_MAX } from './constants.js';
import { ProtocolError } from './errors.js';

export interface Header {
  program: number;
  version: number;
  procedure: number;
  type: number;
  serial: number;
  status: number;
}

/** One framed packet as received: header plus a view of its payload (valid until the next chunk arrives). */
export interface Packet {
  header: Header;
  payload: Buffer;
}

/** Frames one packet: length word, header, then the XDR body (or raw bytes for stream data). */
export function encodePacket<T>(header: Header, body?: { codec: Codec<T>; value: T } | Buffer): Buffer {
  let out: Buffer;
  if (body === undefined || Buffer.isBuffer(body)) {
    const size = HEADER_SIZE + (body?.length ?? 0);
    out = Buffer.allocUnsafe(size);
    if (body) body.copy(out, HEADER_SIZE);
  } else {
    const w = new XdrWriter(512, HEADER_SIZE);
    body.codec.encode(w, body.value);
    out = w.finish();
  }
  if (out.length > MESSAGE_MAX) {
    throw new ProtocolError(`message of ${out.length} bytes exceeds libvirt's limit of ${MESSAGE_MAX}`);
  }
  out.writeUInt32BE(out.length, 0);
  out.writeUInt32BE(header.program, 4);
  out.writeUInt32BE(header.version, 8);
  out.writeInt32BE(header.procedure, 12);
  out.writeInt32BE(header.type, 16);
  out.writeUInt32BE(header.serial, 20);
  out.writeInt32BE(header.status, 24);
  return out;
}

/**
 * Reassembles packets from a byte stream that may arrive in chunks of any size. A length outside libvirt's bounds is
 * a ProtocolError (the stream cannot be resynchronised after that; the caller must drop the connection).
 */
export class PacketDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessage = MESSAGE_MAX) {}

  /** Feeds bytes and returns every packet they complete, in order. */
  push(chunk: Buffer): Packet[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Packet[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const head = this.peekLength();
      if (head < HEADER_SIZE || head > this.maxMessage) {
        throw new ProtocolError(`bad packet length ${head} (allowed ${HEADER_SIZE}..${this.maxMessage})`);
      }
      if (this.buffered < head) break;
      const buf = this.take(head);
      out.push({
        header: {
          program: buf.readUInt32BE(4),
          version: buf.readUInt32BE(8),
          procedure: buf.readInt32BE(12),
          type: buf.readInt32BE(16),
          serial: buf.readUInt32BE(20),
          status: buf.readInt32BE(24),
        },
        payload: buf.subarray(HEADER_SIZE),
      });
    }
    return out;
  }

  /** Bytes held waiting for the rest of a packet. */
  get pending(): number {
    return this.buffered;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readUInt32BE(0);
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined.readUInt32BE(0);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) {
      const packet = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return packet;
    }
    const packet = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const want = n - filled;
      if (c.length <= want) {
        c.copy(packet, filled);
        filled += c.length;
        this.chunks.shift();
      } else {
        c.copy(packet, filled, 0, want);
        this.chunks[0] = c.subarray(want);
        filled += want;
      }
    }
    this.buffered -= n;
    return packet;
  }
}
