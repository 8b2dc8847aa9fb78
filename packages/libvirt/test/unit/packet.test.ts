import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { remoteError, typedParam } from '../../src/procedures/remote-types.js';
import {
  HEADER_SIZE,
  KEEPALIVE_PROGRAM,
  MESSAGE_MAX,
  MessageStatus,
  MessageType,
  QEMU_PROGRAM,
  REMOTE_PROGRAM,
} from '../../src/rpc/constants.js';
import { ProtocolError } from '../../src/rpc/errors.js';
import { encodePacket, PacketDecoder, type Header, type Packet } from '../../src/rpc/packet.js';
import { array, decode, encode, int, string, struct, XdrError } from '../../src/xdr/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const callHeader = (serial: number, procedure = 1): Header => ({
  program: REMOTE_PROGRAM,
  version: 1,
  procedure,
  type: MessageType.CALL,
  serial,
  status: MessageStatus.OK,
});

/** Splits `buf` at the given cut points (sorted, deduplicated, inside the buffer). */
function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < buf.length))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

function feed(decoder: PacketDecoder, chunks: Buffer[]): Packet[] {
  const out: Packet[] = [];
  for (const c of chunks) out.push(...decoder.push(c));
  return out;
}

function expectProtocolError(fn: () => unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  if (message) expect((caught as Error).message).toMatch(message);
}

describe('encodePacket', () => {
  it('writes the length word, the six header words and the payload', () => {
    const args = struct({ name: string(64), flags: int });
    const bytes = encodePacket(
      { program: REMOTE_PROGRAM, version: 1, procedure: 23, type: MessageType.CALL, serial: 7, status: MessageStatus.OK },
      { codec: args, value: { name: 'vm', flags: 0 } },
    );
    expect(bytes).toEqual(
      hex(`
        00000028
        20008086 00000001 00000017 00000000 00000007 00000000
        00000002 766d0000 00000000`),
    );
  });

  it('frames a keepalive PONG as exactly 28 bytes', () => {
    const bytes = encodePacket({ program: KEEPALIVE_PROGRAM, version: 1, procedure: 2, type: MessageType.MESSAGE, serial: 0, status: 0 });
    expect(bytes).toEqual(hex('0000001c 6b656570 00000001 00000002 00000002 00000000 00000000'));
  });

  it('copies raw bytes (stream data) after the header unchanged', () => {
    const data = Buffer.from([1, 2, 3]); // not padded: stream data is not XDR
    const bytes = encodePacket({ ...callHeader(9), type: MessageType.STREAM, status: MessageStatus.CONTINUE }, data);
    expect(bytes.length).toBe(HEADER_SIZE + 3);
    expect(bytes.readUInt32BE(0)).toBe(31);
    expect(bytes.subarray(HEADER_SIZE)).toEqual(data);
  });

  it('carries serials and programs above 2^31 as unsigned', () => {
    const bytes = encodePacket({ ...callHeader(0xffffffff), program: 0xfffffffe });
    const [p] = new PacketDecoder().push(bytes);
    expect(p?.header.serial).toBe(0xffffffff);
    expect(p?.header.program).toBe(0xfffffffe);
  });

  it('refuses to build a message above 32 MiB', () => {
    expectProtocolError(() => encodePacket(callHeader(1), Buffer.alloc(MESSAGE_MAX - HEADER_SIZE + 1)), /exceeds libvirt's limit/);
    expect(encodePacket(callHeader(1), Buffer.alloc(MESSAGE_MAX - HEADER_SIZE)).length).toBe(MESSAGE_MAX);
  });

  it('lets XdrError from a bad body through', () => {
    expect(() => encodePacket(callHeader(1), { codec: int, value: 2 ** 40 })).toThrow(XdrError);
  });
});

describe('PacketDecoder', () => {
  const a = encodePacket(callHeader(1, 10), { codec: string(100), value: 'first' });
  const b = encodePacket({ ...callHeader(2, 11), type: MessageType.REPLY }, Buffer.alloc(0));
  const c = encodePacket({ ...callHeader(3, 12), program: QEMU_PROGRAM, type: MessageType.STREAM, status: MessageStatus.CONTINUE }, Buffer.from('raw bytes!'));
  const all = Buffer.concat([a, b, c]);

  function check(packets: Packet[]): void {
    expect(packets.map((p) => p.header.serial)).toEqual([1, 2, 3]);
    expect(packets.map((p) => p.header.procedure)).toEqual([10, 11, 12]);
    expect(decode(string(100), packets[0]!.payload)).toBe('first');
    expect(packets[1]!.payload.length).toBe(0);
    expect(packets[1]!.header.type).toBe(MessageType.REPLY);
    expect(packets[2]!.header).toEqual({
      program: QEMU_PROGRAM,
      version: 1,
      procedure: 12,
      type: MessageType.STREAM,
      serial: 3,
      status: MessageStatus.CONTINUE,
    });
    expect(packets[2]!.payload.toString()).toBe('raw bytes!');
  }

  it('decodes many packets from one chunk', () => {
    const d = new PacketDecoder();
    check(d.push(all));
    expect(d.pending).toBe(0);
  });

  it('decodes packets arriving one byte at a time', () => {
    const d = new PacketDecoder();
    const out: Packet[] = [];
    for (let i = 0; i < all.length; i++) {
      const got = d.push(all.subarray(i, i + 1));
      out.push(...got);
      // A packet pops out exactly on its last byte.
      if (i === a.length - 1 || i === a.length + b.length - 1 || i === all.length - 1) expect(got).toHaveLength(1);
      else expect(got).toHaveLength(0);
    }
    check(out);
    expect(d.pending).toBe(0);
  });

  it('handles a length word split across chunks and empty chunks', () => {
    const d = new PacketDecoder();
    expect(d.push(Buffer.alloc(0))).toEqual([]);
    expect(d.push(all.subarray(0, 1))).toEqual([]);
    expect(d.push(Buffer.alloc(0))).toEqual([]);
    expect(d.push(all.subarray(1, 3))).toEqual([]);
    expect(d.pending).toBe(3);
    const out = [...d.push(all.subarray(3, a.length + 2)), ...d.push(all.subarray(a.length + 2))];
    check(out);
  });

  it('keeps a partial packet until the rest arrives', () => {
    const d = new PacketDecoder();
    expect(d.push(Buffer.concat([a, c.subarray(0, 10)]))).toHaveLength(1);
    expect(d.pending).toBe(10);
    const rest = d.push(c.subarray(10));
    expect(rest).toHaveLength(1);
    expect(rest[0]!.payload.toString()).toBe('raw bytes!');
  });

  it('property: any chunking of any packet sequence yields the same packets', () => {
    const headerArb = fc.record({
      program: fc.constantFrom(REMOTE_PROGRAM, QEMU_PROGRAM, KEEPALIVE_PROGRAM, 0, 0xffffffff),
      version: fc.integer({ min: 0, max: 0xffffffff }),
      procedure: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      type: fc.integer({ min: 0, max: 6 }),
      serial: fc.integer({ min: 0, max: 0xffffffff }),
      status: fc.integer({ min: 0, max: 2 }),
    });
    const packetArb = fc.tuple(headerArb, fc.uint8Array({ maxLength: 300 }));
    fc.assert(
      fc.property(fc.array(packetArb, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 40 }), (packets, cutSeeds) => {
        const frames = packets.map(([h, body]) => encodePacket(h, Buffer.from(body)));
        const stream = Buffer.concat(frames);
        const cuts = cutSeeds.map((s) => s % (stream.length + 1));
        const d = new PacketDecoder();
        const got = feed(d, splitAt(stream, cuts));
        expect(got).toHaveLength(packets.length);
        got.forEach((p, i) => {
          expect(p.header).toEqual({ ...packets[i]![0] });
          expect(Buffer.compare(p.payload, Buffer.from(packets[i]![1]))).toBe(0);
        });
        expect(d.pending).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('reassembles large packets across many chunks (a 1 MiB stream packet in 4 KiB pieces)', () => {
    const data = Buffer.alloc(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    const frameBytes = encodePacket({ ...callHeader(5), type: MessageType.STREAM, status: MessageStatus.CONTINUE }, data);
    const d = new PacketDecoder();
    const got: Packet[] = [];
    for (let off = 0; off < frameBytes.length; off += 4096) got.push(...d.push(frameBytes.subarray(off, off + 4096)));
    expect(got).toHaveLength(1);
    expect(got[0]!.payload.equals(data)).toBe(true);
  });

  it('a header-only packet (length 28) is valid', () => {
    const d = new PacketDecoder();
    const [p] = d.push(hex('0000001c 6b656570 00000001 00000001 00000002 00000000 00000000'));
    expect(p?.header).toEqual({ program: KEEPALIVE_PROGRAM, version: 1, procedure: 1, type: 2, serial: 0, status: 0 });
    expect(p?.payload.length).toBe(0);
  });

  it('rejects lengths below the header size as soon as the length word is complete', () => {
    for (const len of [0, 1, 4, 24, 27]) {
      const word = Buffer.alloc(4);
      word.writeUInt32BE(len);
      expectProtocolError(() => new PacketDecoder().push(word), new RegExp(`bad packet length ${len}\\b`));
    }
    // Split length word: the error comes with the fourth byte.
    const d = new PacketDecoder();
    expect(d.push(hex('0000'))).toEqual([]);
    expect(d.push(hex('00'))).toEqual([]);
    expectProtocolError(() => d.push(hex('1b')), /bad packet length 27/);
  });

  it('rejects lengths above 32 MiB without waiting for (or allocating) the body', () => {
    const before = process.memoryUsage().arrayBuffers;
    for (const len of [MESSAGE_MAX + 1, 0x7fffffff, 0xffffffff]) {
      const word = Buffer.alloc(4);
      word.writeUInt32BE(len);
      expectProtocolError(() => new PacketDecoder().push(word), /bad packet length/);
    }
    // Exactly 32 MiB is allowed: the decoder waits for the body instead of failing.
    const d = new PacketDecoder();
    const head = Buffer.alloc(HEADER_SIZE);
    head.writeUInt32BE(MESSAGE_MAX);
    expect(d.push(head)).toEqual([]);
    expect(d.pending).toBe(HEADER_SIZE);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 << 20);
  });

  it('a bad packet after a good one in the same chunk still fails the stream', () => {
    const bad = hex('00000010 00000000');
    expectProtocolError(() => new PacketDecoder().push(Buffer.concat([b, bad])));
  });

  it('a custom maximum is enforced', () => {
    const d = new PacketDecoder(64);
    expect(d.push(encodePacket(callHeader(1), Buffer.alloc(36)))).toHaveLength(1);
    expectProtocolError(() => d.push(encodePacket(callHeader(2), Buffer.alloc(37))), /bad packet length 65 \(allowed 28\.\.64\)/);
  });

  it('payloads of real schemas survive framing', () => {
    const err = {
      code: 42,
      domain: 10,
      message: 'Domain not found',
      level: 2,
      dom: null,
      str1: '名前',
      str2: null,
      str3: null,
      int1: 0,
      int2: 0,
      net: null,
    };
    const params = [
      { field: 'cpu.time', value: { type: 4 as const, value: 123456789012345n } },
      { field: 'state.reason', value: { type: 7 as const, value: '😀' } },
    ];
    const bytes = Buffer.concat([
      encodePacket({ ...callHeader(1), type: MessageType.REPLY, status: MessageStatus.ERROR }, { codec: remoteError, value: err }),
      encodePacket({ ...callHeader(2), type: MessageType.REPLY }, { codec: array(typedParam, 16), value: params }),
    ]);
    const got = feed(new PacketDecoder(), splitAt(bytes, [3, 17, 50, 51, 90]));
    expect(decode(remoteError, got[0]!.payload)).toEqual(err);
    expect(decode(array(typedParam, 16), got[1]!.payload)).toEqual(params);
    expect(encode(remoteError, err).length + HEADER_SIZE).toBe(got[0]!.payload.length + HEADER_SIZE);
  });
});
