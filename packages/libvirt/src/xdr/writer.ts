import { XdrError } from './errors.js';

const INT_MIN = -0x80000000;
const INT_MAX = 0x7fffffff;
const UINT_MAX = 0xffffffff;
const HYPER_MIN = -(1n << 63n);
const HYPER_MAX = (1n << 63n) - 1n;
const UHYPER_MAX = (1n << 64n) - 1n;

/** Growable big-endian writer. Values are range-checked so a bad argument fails before it reaches the wire. */
export class XdrWriter {
  private buf: Buffer;
  private pos: number;

  constructor(initialSize = 256, reserve = 0) {
    this.buf = Buffer.allocUnsafe(Math.max(initialSize, reserve + 16));
    this.pos = reserve;
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int(v: number): void {
    if (!Number.isInteger(v) || v < INT_MIN || v > INT_MAX) throw new XdrError(`value ${v} is not a 32-bit int`);
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  uint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > UINT_MAX) throw new XdrError(`value ${v} is not a 32-bit unsigned int`);
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
  }

  hyper(v: bigint): void {
    if (typeof v !== 'bigint' || v < HYPER_MIN || v > HYPER_MAX) throw new XdrError(`value ${String(v)} is not a 64-bit hyper`);
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
  }

  uhyper(v: bigint): void {
    if (typeof v !== 'bigint' || v < 0n || v > UHYPER_MAX) {
      throw new XdrError(`value ${String(v)} is not a 64-bit unsigned hyper`);
    }
    this.ensure(8);
    this.buf.writeBigUInt64BE(v, this.pos);
    this.pos += 8;
  }

  double(v: number): void {
    if (typeof v !== 'number') throw new XdrError(`value ${String(v)} is not a double`);
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  bool(v: boolean): void {
    if (typeof v !== 'boolean') throw new XdrError(`value ${String(v)} is not a boolean`);
    this.int(v ? 1 : 0);
  }

  /** Raw bytes followed by zero padding to a multiple of 4. */
  bytes(data: Uint8Array): void {
    const padded = (data.length + 3) & ~3;
    this.ensure(padded);
    this.buf.set(data, this.pos);
    this.buf.fill(0, this.pos + data.length, this.pos + padded);
    this.pos += padded;
  }

  string(v: string, max: number): void {
    if (typeof v !== 'string') throw new XdrError(`value ${String(v)} is not a string`);
    const n = Buffer.byteLength(v, 'utf8');
    if (n > max) throw new XdrError(`string of ${n} bytes exceeds maximum ${max}`);
    this.uint(n);
    const padded = (n + 3) & ~3;
    this.ensure(padded);
    this.buf.write(v, this.pos, n, 'utf8');
    this.buf.fill(0, this.pos + n, this.pos + padded);
    this.pos += padded;
  }

  /** The written bytes (a view onto the internal buffer: do not keep the writer after this). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Patches a big-endian uint at an absolute position already written or reserved. */
  patchUint(at: number, v: number): void {
    this.buf.writeUInt32BE(v, at);
  }
}
