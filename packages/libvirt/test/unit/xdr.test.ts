import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nonnullDomain,
  remoteError,
  remoteString,
  remoteUuid,
  typedParam,
  TypedParamType,
  type RemoteError,
  type TypedParam,
} from '../../src/procedures/remote-types.js';
import {
  array,
  bool,
  charArray,
  decode,
  double,
  encode,
  fixedArray,
  fixedOpaque,
  hyper,
  int,
  lazy,
  named,
  opaque,
  optional,
  string,
  struct,
  uhyper,
  uint,
  union,
  voidCodec,
  XdrError,
  XdrReader,
  XdrWriter,
  type Codec,
} from '../../src/xdr/index.js';

const INT_MIN = -0x80000000;
const INT_MAX = 0x7fffffff;
const UINT_MAX = 0xffffffff;
const HYPER_MIN = -(1n << 63n);
const HYPER_MAX = (1n << 63n) - 1n;
const UHYPER_MAX = (1n << 64n) - 1n;

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function roundTrip<T>(c: Codec<T>, value: T): T {
  return decode(c, encode(c, value));
}

/** Encoding must fail with XdrError (and nothing else). */
function expectEncodeError<T>(c: Codec<T>, value: unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    encode(c, value as T);
  } catch (err) {
    caught = err;
  }
  expect(caught, `encoding ${String(value)} with ${c.kind} should fail`).toBeInstanceOf(XdrError);
  if (message) expect((caught as Error).message).toMatch(message);
}

function expectDecodeError<T>(c: Codec<T>, bytes: Buffer, message?: RegExp): void {
  let caught: unknown;
  try {
    decode(c, bytes);
  } catch (err) {
    caught = err;
  }
  expect(caught, `decoding ${bytes.toString('hex')} as ${c.kind} should fail`).toBeInstanceOf(XdrError);
  if (message) expect((caught as Error).message).toMatch(message);
}

describe('integers', () => {
  it('int encodes big-endian two’s complement at the edges', () => {
    expect(encode(int, 0)).toEqual(hex('00000000'));
    expect(encode(int, 1)).toEqual(hex('00000001'));
    expect(encode(int, -1)).toEqual(hex('ffffffff'));
    expect(encode(int, INT_MIN)).toEqual(hex('80000000'));
    expect(encode(int, INT_MAX)).toEqual(hex('7fffffff'));
    for (const v of [0, 1, -1, INT_MIN, INT_MAX, 0x12345678, -0x12345678]) expect(roundTrip(int, v)).toBe(v);
  });

  it('int rejects values it cannot represent', () => {
    for (const v of [INT_MAX + 1, INT_MIN - 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expectEncodeError(int, v, /not a 32-bit int/);
    expectEncodeError(int, '1');
    expectEncodeError(int, 1n);
    expectEncodeError(int, undefined);
  });

  it('uint covers 0 and 0xffffffff and rejects the rest', () => {
    expect(encode(uint, 0)).toEqual(hex('00000000'));
    expect(encode(uint, UINT_MAX)).toEqual(hex('ffffffff'));
    expect(encode(uint, 0x80000000)).toEqual(hex('80000000'));
    for (const v of [0, 1, 0x7fffffff, 0x80000000, UINT_MAX]) expect(roundTrip(uint, v)).toBe(v);
    for (const v of [-1, UINT_MAX + 1, 0.5, Number.NaN]) expectEncodeError(uint, v, /not a 32-bit unsigned int/);
  });

  it('the same four bytes read as int and as uint', () => {
    expect(decode(int, hex('ffffffff'))).toBe(-1);
    expect(decode(uint, hex('ffffffff'))).toBe(UINT_MAX);
    expect(decode(int, hex('80000000'))).toBe(INT_MIN);
    expect(decode(uint, hex('80000000'))).toBe(0x80000000);
  });

  it('hyper covers negative, min and max', () => {
    expect(encode(hyper, -1n)).toEqual(hex('ffffffffffffffff'));
    expect(encode(hyper, HYPER_MIN)).toEqual(hex('8000000000000000'));
    expect(encode(hyper, HYPER_MAX)).toEqual(hex('7fffffffffffffff'));
    expect(encode(hyper, -2n)).toEqual(hex('fffffffffffffffe'));
    expect(encode(hyper, 0x0102030405060708n)).toEqual(hex('0102030405060708'));
    for (const v of [0n, -1n, HYPER_MIN, HYPER_MAX, -(2n ** 40n), 2n ** 53n + 1n]) expect(roundTrip(hyper, v)).toBe(v);
    for (const v of [HYPER_MAX + 1n, HYPER_MIN - 1n]) expectEncodeError(hyper, v, /not a 64-bit hyper/);
    expectEncodeError(hyper, 1); // a number, not a bigint
  });

  it('uhyper covers 0 and max and rejects negatives and overflow', () => {
    expect(encode(uhyper, 0n)).toEqual(hex('0000000000000000'));
    expect(encode(uhyper, UHYPER_MAX)).toEqual(hex('ffffffffffffffff'));
    expect(roundTrip(uhyper, UHYPER_MAX)).toBe(UHYPER_MAX);
    expect(roundTrip(uhyper, 1n << 63n)).toBe(1n << 63n);
    expect(decode(hyper, hex('ffffffffffffffff'))).toBe(-1n);
    expect(decode(uhyper, hex('ffffffffffffffff'))).toBe(UHYPER_MAX);
    for (const v of [-1n, UHYPER_MAX + 1n]) expectEncodeError(uhyper, v, /not a 64-bit unsigned hyper/);
    expectEncodeError(uhyper, 5);
  });

  it('property: int, uint, hyper and uhyper round-trip in 4/8 bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: INT_MIN, max: INT_MAX }), (v) => {
        const b = encode(int, v);
        return b.length === 4 && b.readInt32BE(0) === v && decode(int, b) === v;
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: UINT_MAX }), (v) => {
        const b = encode(uint, v);
        return b.length === 4 && decode(uint, b) === v;
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: HYPER_MIN, max: HYPER_MAX }), (v) => {
        const b = encode(hyper, v);
        return b.length === 8 && b.readBigInt64BE(0) === v && decode(hyper, b) === v;
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: UHYPER_MAX }), (v) => {
        const b = encode(uhyper, v);
        return b.length === 8 && decode(uhyper, b) === v;
      }),
    );
  });
});

describe('double and bool', () => {
  it('double keeps NaN, -0 and infinities', () => {
    expect(encode(double, 1)).toEqual(hex('3ff0000000000000'));
    expect(encode(double, -0)).toEqual(hex('8000000000000000'));
    expect(encode(double, Number.POSITIVE_INFINITY)).toEqual(hex('7ff0000000000000'));
    expect(encode(double, Number.NEGATIVE_INFINITY)).toEqual(hex('fff0000000000000'));
    expect(Number.isNaN(roundTrip(double, Number.NaN))).toBe(true);
    expect(Object.is(roundTrip(double, -0), -0)).toBe(true);
    expect(Object.is(roundTrip(double, 0), 0)).toBe(true);
    expect(roundTrip(double, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(roundTrip(double, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(roundTrip(double, Number.MIN_VALUE)).toBe(Number.MIN_VALUE);
    expect(roundTrip(double, Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expectEncodeError(double, '1.5');
  });

  it('property: any double round-trips bit for bit', () => {
    fc.assert(
      fc.property(fc.double(), (v) => {
        const back = roundTrip(double, v);
        return Object.is(back, v);
      }),
    );
  });

  it('bool is an int 0/1; anything else is rejected both ways', () => {
    expect(encode(bool, true)).toEqual(hex('00000001'));
    expect(encode(bool, false)).toEqual(hex('00000000'));
    expect(roundTrip(bool, true)).toBe(true);
    expect(roundTrip(bool, false)).toBe(false);
    expectDecodeError(bool, hex('00000002'), /bad XDR bool 2/);
    expectDecodeError(bool, hex('ffffffff'), /bad XDR bool -1/);
    expectEncodeError(bool, 1);
    expectEncodeError(bool, 'true');
  });
});

describe('strings', () => {
  const s = string(1024);

  it('empty string is a zero length word only', () => {
    expect(encode(s, '')).toEqual(hex('00000000'));
    expect(roundTrip(s, '')).toBe('');
  });

  it('pads ASCII to four bytes with zeros', () => {
    expect(encode(s, 'a')).toEqual(hex('00000001 61000000'));
    expect(encode(s, 'ab')).toEqual(hex('00000002 61620000'));
    expect(encode(s, 'abc')).toEqual(hex('00000003 61626300'));
    expect(encode(s, 'abcd')).toEqual(hex('00000004 61626364'));
    expect(encode(s, 'abcde')).toEqual(hex('00000005 61626364 65000000'));
  });

  it('counts UTF-8 bytes, not UTF-16 units, and pads the bytes', () => {
    // 名前: two 3-byte sequences -> length 6, then 2 bytes of padding.
    expect(encode(s, '名前')).toEqual(hex('00000006 e5908de5 898d0000'));
    // 😀 is one code point, two UTF-16 units, four UTF-8 bytes: no padding.
    expect(encode(s, '😀')).toEqual(hex('00000004 f09f9880'));
    // é is 2 bytes -> 2 bytes of padding.
    expect(encode(s, 'é')).toEqual(hex('00000002 c3a90000'));
    expect(encode(s, 'a😀')).toEqual(hex('00000005 61f09f98 80000000'));
    for (const v of ['名前', '😀', 'é', 'a😀', 'vm-名前-🚀-ümlaut', '\u0000inner nul']) expect(roundTrip(s, v)).toBe(v);
  });

  it('enforces the maximum in bytes on encode and on decode', () => {
    const three = string(3);
    expect(roundTrip(three, 'abc')).toBe('abc');
    expect(roundTrip(three, '名')).toBe('名'); // 3 bytes
    expectEncodeError(three, 'abcd', /exceeds maximum 3/);
    expectEncodeError(three, '前名', /exceeds maximum 3/); // 2 chars, 6 bytes
    expectEncodeError(three, 'é😀');
    // A wire length above the maximum fails even when the bytes are there.
    expectDecodeError(three, hex('00000004 61626364'), /exceeds maximum 3/);
    expectEncodeError(s, 42);
    expectEncodeError(s, null);
  });

  it('rejects truncated strings, including missing padding', () => {
    expectDecodeError(s, hex('00000005 61626364'), /truncated/); // 4 of 5 bytes
    expectDecodeError(s, hex('00000005 61626364 65'), /truncated/); // padding missing
    expectDecodeError(s, hex('000000'), /truncated/); // not even a length word
    expectDecodeError(s, hex('7fffffff 00000000'));
  });

  it('property: arbitrary Unicode strings round-trip with exact length and zero padding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (v) => {
        const bytes = Buffer.from(v, 'utf8');
        const wire = encode(s, v);
        const padded = (bytes.length + 3) & ~3;
        expect(wire.length).toBe(4 + padded);
        expect(wire.readUInt32BE(0)).toBe(bytes.length);
        expect(wire.subarray(4, 4 + bytes.length)).toEqual(bytes);
        expect(wire.subarray(4 + bytes.length).every((b) => b === 0)).toBe(true);
        expect(decode(s, wire)).toBe(v);
      }),
    );
  });
});

describe('opaque', () => {
  it('fixed opaque has no length word and is zero padded', () => {
    expect(encode(fixedOpaque(1), Buffer.from([0xaa]))).toEqual(hex('aa000000'));
    expect(encode(fixedOpaque(3), Buffer.from([1, 2, 3]))).toEqual(hex('01020300'));
    expect(encode(fixedOpaque(4), Buffer.from([1, 2, 3, 4]))).toEqual(hex('01020304'));
    expect(encode(fixedOpaque(5), Buffer.from([1, 2, 3, 4, 5]))).toEqual(hex('01020304 05000000'));
    expect(encode(fixedOpaque(0), Buffer.alloc(0))).toEqual(Buffer.alloc(0));
    const uuid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(encode(remoteUuid, uuid)).toEqual(uuid);
    expect(roundTrip(remoteUuid, uuid)).toEqual(uuid);
    expect(decode(fixedOpaque(5), hex('0102030405000000'))).toEqual(Buffer.from([1, 2, 3, 4, 5]));
  });

  it('fixed opaque demands exactly n bytes', () => {
    expectEncodeError(remoteUuid, Buffer.alloc(15), /exactly 16 bytes/);
    expectEncodeError(remoteUuid, Buffer.alloc(17));
    expectEncodeError(remoteUuid, 'not bytes');
    expectDecodeError(fixedOpaque(5), hex('01020304 05'), /truncated/);
    expectDecodeError(remoteUuid, Buffer.alloc(12), /truncated/);
  });

  it('var opaque has a length word, padding and a maximum', () => {
    const o = opaque(6);
    expect(encode(o, Buffer.alloc(0))).toEqual(hex('00000000'));
    expect(encode(o, Buffer.from([9]))).toEqual(hex('00000001 09000000'));
    expect(encode(o, Buffer.from([1, 2, 3, 4, 5, 6]))).toEqual(hex('00000006 01020304 05060000'));
    expect(roundTrip(o, Buffer.from([1, 2, 3, 4, 5, 6]))).toEqual(Buffer.from([1, 2, 3, 4, 5, 6]));
    expect(encode(o, new Uint8Array([7, 8]) as unknown as Buffer)).toEqual(hex('00000002 07080000'));
    expectEncodeError(o, Buffer.alloc(7), /exceeds maximum 6/);
    expectEncodeError(o, [1, 2]);
    expectDecodeError(o, hex('00000007 01020304 05060700'), /exceeds maximum 6/);
    expectDecodeError(o, hex('00000006 01020304'), /truncated/);
    expectDecodeError(o, hex('00000006 01020304 0506'), /truncated/);
  });

  it('decoded opaque is a copy, not a view of the input', () => {
    const wire = hex('00000002 0a0b0000');
    const out = decode(opaque(8), wire);
    wire.fill(0);
    expect(out).toEqual(Buffer.from([0x0a, 0x0b]));
  });

  it('property: var opaque round-trips with zero padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        const wire = encode(opaque(70), Buffer.from(bytes));
        expect(wire.length).toBe(4 + ((bytes.length + 3) & ~3));
        expect(wire.subarray(4 + bytes.length).every((b) => b === 0)).toBe(true);
        expect(decode(opaque(70), wire)).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('optional', () => {
  const o = optional(int);

  it('null is a 0 word; a value is a 1 word then the value', () => {
    expect(encode(o, null)).toEqual(hex('00000000'));
    expect(encode(o, 7)).toEqual(hex('00000001 00000007'));
    expect(roundTrip(o, null)).toBeNull();
    expect(roundTrip(o, 0)).toBe(0);
    expect(roundTrip(remoteString, null)).toBeNull();
    expect(roundTrip(remoteString, '')).toBe('');
    expect(encode(remoteString, '')).toEqual(hex('00000001 00000000'));
    expect(roundTrip(remoteString, '名前')).toBe('名前');
  });

  it('a marker other than 0/1 is an error', () => {
    expectDecodeError(o, hex('00000002 00000007'), /bad optional marker 2/);
    expectDecodeError(o, hex('00000001'), /truncated/);
  });
});

describe('arrays', () => {
  const a = array(int, 3);

  it('encodes a count word then the elements', () => {
    expect(encode(a, [])).toEqual(hex('00000000'));
    expect(encode(a, [1, -1, 2])).toEqual(hex('00000003 00000001 ffffffff 00000002'));
    expect(roundTrip(a, [])).toEqual([]);
    expect(roundTrip(a, [1, -1, 2])).toEqual([1, -1, 2]);
  });

  it('enforces the maximum on encode and decode', () => {
    expectEncodeError(a, [1, 2, 3, 4], /exceeds maximum 3/);
    expectDecodeError(a, hex('00000004 00000001 00000002 00000003 00000004'), /exceeds maximum 3/);
    expectEncodeError(a, 'nope');
    expectEncodeError(a, [1, 2, 0.5], /not a 32-bit int/);
  });

  it('a count larger than what is left fails before decoding elements', () => {
    expectDecodeError(a, hex('00000003 00000001'), /truncated/);
    const big = array(int, UINT_MAX);
    expectDecodeError(big, hex('ffffffff'), /truncated/);
  });

  it('an array at its maximum round-trips', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i * 7 - 3000);
    expect(roundTrip(array(int, 1000), values)).toEqual(values);
    expect(encode(array(int, 1000), values).length).toBe(4 + 4000);
  });

  it('arrays of structs and of strings', () => {
    const c = array(struct({ n: int, s: string(16) }), 10);
    const v = [
      { n: 1, s: '' },
      { n: 2, s: '名前' },
    ];
    expect(roundTrip(c, v)).toEqual(v);
    const strs = array(string(8), 4);
    expect(encode(strs, ['a', ''])).toEqual(hex('00000002 00000001 61000000 00000000'));
  });

  it('fixed arrays carry no count and demand exactly n elements', () => {
    const f = fixedArray(int, 3);
    expect(encode(f, [1, 2, 3])).toEqual(hex('00000001 00000002 00000003'));
    expect(roundTrip(f, [1, 2, 3])).toEqual([1, 2, 3]);
    expectEncodeError(f, [1, 2], /exactly 3/);
    expectEncodeError(f, [1, 2, 3, 4], /exactly 3/);
    expectDecodeError(f, hex('00000001 00000002'), /truncated/);
    expect(roundTrip(fixedArray(hyper, 0), [])).toEqual([]);
  });

  it('arrays of void take no bytes per element', () => {
    const v = array(voidCodec, 5);
    expect(encode(v, [undefined, undefined])).toEqual(hex('00000002'));
    expect(decode(v, hex('00000002'))).toHaveLength(2);
    expectDecodeError(v, hex('00000006'), /exceeds maximum 5/);
  });

  it('property: int arrays round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: INT_MIN, max: INT_MAX }), { maxLength: 50 }), (v) => {
        const wire = encode(array(int, 50), v);
        return wire.length === 4 + 4 * v.length && decode(array(int, 50), wire).join() === v.join();
      }),
    );
  });
});

describe('charArray (rpcgen char[n])', () => {
  const model = charArray(32);

  it('takes four bytes per char, sign-extended, NUL padded', () => {
    const wire = encode(charArray(4), 'Ab');
    expect(wire).toEqual(hex('00000041 00000062 00000000 00000000'));
    expect(encode(model, 'x86_64')).toHaveLength(128);
    expect(roundTrip(model, 'x86_64')).toBe('x86_64');
    expect(roundTrip(model, '')).toBe('');
    expect(roundTrip(charArray(4), 'abcd')).toBe('abcd');
    // char is signed in C: a byte above 0x7f goes out as a negative int.
    expect(encode(charArray(1), 'é')).toEqual(hex('ffffffe9'));
    expect(roundTrip(charArray(2), 'é')).toBe('é');
  });

  it('stops at the first NUL and accepts either sign on decode', () => {
    expect(decode(charArray(4), hex('00000041 00000000 00000042 00000000'))).toBe('A');
    expect(decode(charArray(2), hex('000000e9 ffffffe9'))).toBe('éé');
    expectDecodeError(charArray(4), hex('00000041 00000042'), /truncated/);
  });

  it('rejects text that does not fit, or characters that are not one byte', () => {
    expectEncodeError(charArray(3), 'abcd', /cannot hold/);
    expectEncodeError(charArray(8), '名前');
    expectEncodeError(charArray(8), '😀');
    expectEncodeError(charArray(8), 42);
  });
});

describe('structs', () => {
  const point = struct({ x: int, y: hyper, label: string(8), tags: array(uint, 4) });

  it('encodes fields in declaration order with no framing of its own', () => {
    const v = { x: -2, y: 3n, label: 'ok', tags: [5] };
    expect(encode(point, v)).toEqual(hex('fffffffe 0000000000000003 00000002 6f6b0000 00000001 00000005'));
    expect(roundTrip(point, v)).toEqual(v);
  });

  it('names the field that failed to encode', () => {
    expectEncodeError(point, { x: 1, y: 2n, label: 'too long label', tags: [] }, /^label: .*exceeds maximum 8/);
    expectEncodeError(point, { x: 1, y: 2, label: '', tags: [] }, /^y: /);
    expectEncodeError(point, { x: 1, y: 2n, label: '' }, /^tags: /);
    expectEncodeError(point, null, /struct needs an object/);
    expectEncodeError(point, 7);
  });

  it('nested libvirt structs round-trip', () => {
    const dom = { name: 'vm-名前', uuid: Buffer.alloc(16, 0xab), id: -1 };
    expect(roundTrip(nonnullDomain, dom)).toEqual(dom);
    const err: RemoteError = {
      code: 42,
      domain: 10,
      message: 'Domain not found: no domain with matching name',
      level: 2,
      dom,
      str1: 'a',
      str2: null,
      str3: '',
      int1: -1,
      int2: INT_MAX,
      net: { name: 'default', uuid: Buffer.alloc(16, 1) },
    };
    expect(roundTrip(remoteError, err)).toEqual(err);
  });

  it('trailing bytes after a complete value are an error', () => {
    expectDecodeError(int, hex('00000001 00000000'), /4 trailing bytes after int/);
    expectDecodeError(point, Buffer.concat([encode(point, { x: 1, y: 1n, label: '', tags: [] }), hex('00')]), /1 trailing bytes/);
    expectDecodeError(voidCodec, hex('00000000'), /trailing/);
    expect(decode(voidCodec, Buffer.alloc(0))).toBeUndefined();
  });

  it('decode honours offset and end', () => {
    const buf = hex('deadbeef 00000005 cafebabe');
    expect(decode(int, buf, 4, 8)).toBe(5);
    expectDecodeError(int, buf.subarray(0, 3));
  });
});

describe('unions', () => {
  const u = union({ 1: int, 2: string(8), 7: hyper });

  it('encodes the discriminant then the arm', () => {
    expect(encode(u, { type: 1, value: -1 })).toEqual(hex('00000001 ffffffff'));
    expect(encode(u, { type: 2, value: 'hi' })).toEqual(hex('00000002 00000002 68690000'));
    expect(encode(u, { type: 7, value: 1n })).toEqual(hex('00000007 0000000000000001'));
    expect(roundTrip(u, { type: 2, value: 'hi' })).toEqual({ type: 2, value: 'hi' });
  });

  it('an unknown discriminant is an XdrError both ways', () => {
    expectDecodeError(u, hex('00000003 00000000'), /no arm for discriminant 3/);
    expectDecodeError(u, hex('ffffffff 00000000'), /no arm for discriminant -1/);
    expectEncodeError(u, { type: 3, value: 1 }, /no arm for discriminant 3/);
    expectEncodeError(u, null);
    expectEncodeError(u, { type: 1, value: 'wrong arm type' });
  });

  it('property: typed parameters of every type round-trip', () => {
    const param: fc.Arbitrary<TypedParam> = fc.oneof(
      fc.record({ field: fc.string(), value: fc.record({ type: fc.constant(TypedParamType.INT), value: fc.integer({ min: INT_MIN, max: INT_MAX }) }) }),
      fc.record({ field: fc.string(), value: fc.record({ type: fc.constant(TypedParamType.UINT), value: fc.integer({ min: 0, max: UINT_MAX }) }) }),
      fc.record({ field: fc.string(), value: fc.record({ type: fc.constant(TypedParamType.LLONG), value: fc.bigInt({ min: HYPER_MIN, max: HYPER_MAX }) }) }),
      fc.record({ field: fc.string(), value: fc.record({ type: fc.constant(TypedParamType.ULLONG), value: fc.bigInt({ min: 0n, max: UHYPER_MAX }) }) }),
      fc.record({ field: fc.string(), value: fc.record({ type: fc.constant(TypedParamType.DOUBLE), value: fc.double() }) }),
      fc.record({ field: fc.string(), value: fc.record({ type: fc.constant(TypedParamType.BOOLEAN), value: fc.integer({ min: 0, max: 1 }) }) }),
      fc.record({ field: fc.string(), value: fc.record({ type: fc.constant(TypedParamType.STRING), value: fc.string({ unit: 'binary' }) }) }),
    );
    const params = array(typedParam, 64);
    fc.assert(
      fc.property(fc.array(param, { maxLength: 20 }), (v) => {
        const wire = encode(params, v);
        expect(wire.length % 4).toBe(0);
        expect(decode(params, wire)).toEqual(v);
      }),
    );
  });
});

describe('named and lazy', () => {
  it('named keeps the behaviour and renames the kind used in errors', () => {
    const n = named('remote_thing', int);
    expect(n.kind).toBe('remote_thing');
    expect(encode(n, 5)).toEqual(encode(int, 5));
    expectDecodeError(n, hex('00000001 00'), /trailing bytes after remote_thing/);
  });

  it('lazy resolves self-referencing schemas (a linked list)', () => {
    interface Node {
      v: number;
      next: Node | null;
    }
    const node: Codec<Node> = lazy(() => struct({ v: int, next: optional(node) }));
    const list: Node = { v: 1, next: { v: 2, next: { v: 3, next: null } } };
    expect(encode(node, list)).toEqual(hex('00000001 00000001 00000002 00000001 00000003 00000000'));
    expect(roundTrip(node, list)).toEqual(list);
  });
});

describe('XdrWriter and XdrReader', () => {
  it('the writer grows past its initial size and keeps earlier bytes', () => {
    const w = new XdrWriter(8);
    for (let i = 0; i < 10000; i++) w.uint(i);
    const big = 'x'.repeat(100_003);
    w.string(big, 1 << 20);
    const out = w.finish();
    expect(out.length).toBe(40000 + 4 + 100_004);
    expect(out.readUInt32BE(0)).toBe(0);
    expect(out.readUInt32BE(39996)).toBe(9999);
    const r = new XdrReader(out);
    for (let i = 0; i < 10000; i++) expect(r.uint()).toBe(i);
    expect(r.string(1 << 20)).toBe(big);
    expect(r.remaining).toBe(0);
  });

  it('the writer reserves a prefix and patches words into it', () => {
    const w = new XdrWriter(4, 8);
    w.int(-1);
    w.patchUint(0, 0xdeadbeef);
    w.patchUint(4, 12);
    expect(w.finish()).toEqual(hex('deadbeef 0000000c ffffffff'));
  });

  it('the reader checks every read against the end it was given', () => {
    const r = new XdrReader(hex('00000001 00000002 00000003'), 4, 8);
    expect(r.int()).toBe(2);
    expect(r.remaining).toBe(0);
    expect(() => r.int()).toThrow(XdrError);
    expect(() => new XdrReader(hex('000000')).uint()).toThrow(/truncated/);
    expect(() => new XdrReader(hex('00000000000000')).hyper()).toThrow(/truncated/);
    expect(() => new XdrReader(hex('00000000000000')).uhyper()).toThrow(XdrError);
    expect(() => new XdrReader(hex('00000000000000')).double()).toThrow(XdrError);
  });

  it('length() checks the maximum before the remaining bytes', () => {
    expect(() => new XdrReader(hex('00000011')).length(16, 'thing')).toThrow(/thing length 17 exceeds maximum 16/);
    expect(() => new XdrReader(hex('00000010')).length(16, 'thing')).toThrow(/truncated XDR: thing of length 16/);
    expect(() => new XdrReader(hex('00000002 00000000')).length(16, 'thing', 4)).toThrow(/truncated/);
    expect(new XdrReader(hex('00000001 00000000')).length(16, 'thing', 4)).toBe(1);
  });
});
