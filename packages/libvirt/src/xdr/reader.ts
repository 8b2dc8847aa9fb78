import { XdrError } from './errors.js';

/** Sequential big-endian reader over one XDR payload; every read is bounds-checked. */
export class XdrReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    offset = 0,
    private readonly end = buf.length,
  ) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) {
      throw new XdrError(`truncated XDR: ${what} needs ${n} bytes at offset ${this.pos}, ${this.end - this.pos} left`);
    }
  }

  int(): number {
    this.need(4, 'int');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint(): number {
    this.need(4, 'unsigned int');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  hyper(): bigint {
    this.need(8, 'hyper');
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  uhyper(): bigint {
    this.need(8, 'unsigned hyper');
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8, 'double');
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  bool(): boolean {
    const v = this.int();
    if (v !== 0 && v !== 1) throw new XdrError(`bad XDR bool ${v} at offset ${this.pos - 4}`);
    return v === 1;
  }

  /** A length read from the wire, checked against the schema's maximum and against what is left. */
  length(max: number, what: string, unit = 1): number {
    const n = this.uint();
    if (n > max) throw new XdrError(`${what} length ${n} exceeds maximum ${max}`);
    if (n * unit > this.remaining) {
      throw new XdrError(`truncated XDR: ${what} of length ${n} at offset ${this.pos}, ${this.remaining} bytes left`);
    }
    return n;
  }

  /** Fixed-length opaque data: n bytes then zero padding to a multiple of 4. Returns a copy. */
  opaque(n: number): Buffer {
    const padded = (n + 3) & ~3;
    this.need(padded, `opaque[${n}]`);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += padded;
    return out;
  }

  string(max: number): string {
    const n = this.length(max, 'string');
    const padded = (n + 3) & ~3;
    this.need(padded, 'string');
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += padded;
    return s;
  }
}
