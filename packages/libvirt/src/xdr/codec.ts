import { XdrError } from './errors.js';
import { XdrReader } from './reader.js';
import { XdrWriter } from './writer.js';

/** A schema node: encodes and decodes one XDR type. Schemas are built from the combinators below. */
export interface Codec<T> {
  readonly kind: string;
  encode(w: XdrWriter, value: T): void;
  decode(r: XdrReader): T;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

function codec<T>(kind: string, encode: Codec<T>['encode'], decode: Codec<T>['decode']): Codec<T> {
  return { kind, encode, decode };
}

export const int: Codec<number> = codec('int', (w, v) => w.int(v), (r) => r.int());
export const uint: Codec<number> = codec('uint', (w, v) => w.uint(v), (r) => r.uint());
export const hyper: Codec<bigint> = codec('hyper', (w, v) => w.hyper(v), (r) => r.hyper());
export const uhyper: Codec<bigint> = codec('uhyper', (w, v) => w.uhyper(v), (r) => r.uhyper());
export const double: Codec<number> = codec('double', (w, v) => w.double(v), (r) => r.double());
export const bool: Codec<boolean> = codec('bool', (w, v) => w.bool(v), (r) => r.bool());

/** `void`: no bytes; used for procedures without arguments or return value. */
export const voidCodec: Codec<void> = codec<void>('void', () => undefined, () => undefined);

/** `string<max>`. */
export function string(max: number): Codec<string> {
  return codec('string', (w, v) => w.string(v, max), (r) => r.string(max));
}

/** `opaque[n]`: fixed length, no length word on the wire. */
export function fixedOpaque(n: number): Codec<Buffer> {
  return codec(
    'fixedOpaque',
    (w, v) => {
      if (!(v instanceof Uint8Array) || v.length !== n) {
        throw new XdrError(`opaque[${n}] needs exactly ${n} bytes, got ${v instanceof Uint8Array ? v.length : typeof v}`);
      }
      w.bytes(v);
    },
    (r) => r.opaque(n),
  );
}

/** `opaque<max>`: a length word then the bytes. */
export function opaque(max: number): Codec<Buffer> {
  return codec(
    'opaque',
    (w, v) => {
      if (!(v instanceof Uint8Array)) throw new XdrError(`opaque<${max}> needs bytes, got ${typeof v}`);
      if (v.length > max) throw new XdrError(`opaque of ${v.length} bytes exceeds maximum ${max}`);
      w.uint(v.length);
      w.bytes(v);
    },
    (r) => r.opaque(r.length(max, 'opaque')),
  );
}

/** `T *`: an optional value, a 0/1 word then the value; `null` when absent. */
export function optional<T>(inner: Codec<T>): Codec<T | null> {
  return codec(
    'optional',
    (w, v) => {
      if (v === null || v === undefined) {
        w.uint(0);
      } else {
        w.uint(1);
        inner.encode(w, v);
      }
    },
    (r) => {
      const present = r.uint();
      if (present === 0) return null;
      if (present !== 1) throw new XdrError(`bad optional marker ${present}`);
      return inner.decode(r);
    },
  );
}

/** `T name<max>`: a count word then the elements. Every element takes at least 4 bytes on the wire, so the count
 * is checked against what is left before anything is allocated. */
export function array<T>(element: Codec<T>, max: number): Codec<T[]> {
  return codec(
    'array',
    (w, v) => {
      if (!Array.isArray(v)) throw new XdrError(`array<${max}> needs an array, got ${typeof v}`);
      if (v.length > max) throw new XdrError(`array of ${v.length} elements exceeds maximum ${max}`);
      w.uint(v.length);
      for (const item of v) element.encode(w, item);
    },
    (r) => {
      const n = r.length(max, 'array', element.kind === 'void' ? 0 : 4);
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = element.decode(r);
      return out;
    },
  );
}

/** `T name[n]`: exactly n elements, no count word. */
export function fixedArray<T>(element: Codec<T>, n: number): Codec<T[]> {
  return codec(
    'fixedArray',
    (w, v) => {
      if (!Array.isArray(v) || v.length !== n) throw new XdrError(`array[${n}] needs exactly ${n} elements`);
      for (const item of v) element.encode(w, item);
    },
    (r) => {
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = element.decode(r);
      return out;
    },
  );
}

/** rpcgen's `char name[n]`: every char takes a 4-byte word; decoded up to the first NUL. */
export function charArray(n: number): Codec<string> {
  return codec(
    'charArray',
    (w, v) => {
      // latin1 would silently keep only the low byte of wider characters; one char is one byte here.
      if (typeof v !== 'string' || [...v].some((ch) => ch.charCodeAt(0) > 0xff)) {
        throw new XdrError(`char[${n}] needs a string of single-byte characters`);
      }
      const bytes = Buffer.from(v, 'latin1');
      if (bytes.length > n) throw new XdrError(`char[${n}] cannot hold ${bytes.length} characters`);
      for (let i = 0; i < n; i++) w.int(i < bytes.length ? (bytes[i]! << 24) >> 24 : 0);
    },
    (r) => {
      let s = '';
      let ended = false;
      for (let i = 0; i < n; i++) {
        const c = r.int() & 0xff;
        if (c === 0) ended = true;
        if (!ended) s += String.fromCharCode(c);
      }
      return s;
    },
  );
}

type StructValue<F extends Record<string, Codec<unknown>>> = { [K in keyof F]: Infer<F[K]> };

/** `struct { ... }`: fields on the wire in the order the object lists them. */
export function struct<F extends Record<string, Codec<unknown>>>(fields: F): Codec<StructValue<F>> {
  const entries = Object.entries(fields);
  const n = entries.length;
  const keys = entries.map(([k]) => k);
  const codecs = entries.map(([, c]) => c);
  return codec(
    'struct',
    (w, v) => {
      if (typeof v !== 'object' || v === null) throw new XdrError(`struct needs an object, got ${v === null ? 'null' : typeof v}`);
      const rec = v as Record<string, unknown>;
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        try {
          codecs[i]!.encode(w, rec[key]);
        } catch (err) {
          if (err instanceof XdrError) throw new XdrError(`${key}: ${err.message}`);
          throw err;
        }
      }
    },
    (r) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) out[keys[i]!] = codecs[i]!.decode(r);
      return out as StructValue<F>;
    },
  );
}

type UnionValue<A extends Record<number, Codec<unknown>>> = {
  [K in keyof A & number]: { type: K; value: Infer<A[K]> };
}[keyof A & number];

/** `union switch (int type) { case N: ... }`: decoded as `{ type, value }`; an unknown discriminant is an error. */
export function union<A extends Record<number, Codec<unknown>>>(arms: A): Codec<UnionValue<A>> {
  const table = new Map<number, Codec<unknown>>(Object.entries(arms).map(([k, c]) => [Number(k), c]));
  return codec(
    'union',
    (w, v) => {
      const arm = table.get(v?.type);
      if (!arm) throw new XdrError(`union has no arm for discriminant ${String(v?.type)}`);
      w.int(v.type);
      arm.encode(w, v.value);
    },
    (r) => {
      const type = r.int();
      const arm = table.get(type);
      if (!arm) throw new XdrError(`union has no arm for discriminant ${type}`);
      return { type, value: arm.decode(r) } as UnionValue<A>;
    },
  );
}

/** A named alias, so schemas read like the `.x` file and errors name the type. */
export function named<T>(kind: string, inner: Codec<T>): Codec<T> {
  return { kind, encode: (w, v) => inner.encode(w, v), decode: (r) => inner.decode(r) };
}

/** A codec whose definition refers to itself (e.g. linked lists); resolved on first use. */
export function lazy<T>(get: () => Codec<T>): Codec<T> {
  let resolved: Codec<T> | undefined;
  const target = (): Codec<T> => (resolved ??= get());
  return codec('lazy', (w, v) => target().encode(w, v), (r) => target().decode(r));
}

export function encode<T>(c: Codec<T>, value: T): Buffer {
  const w = new XdrWriter();
  c.encode(w, value);
  return Buffer.from(w.finish());
}

/** Decodes a whole buffer; trailing bytes are an error so a schema mismatch cannot pass unnoticed. */
export function decode<T>(c: Codec<T>, buf: Buffer, offset = 0, end = buf.length): T {
  const r = new XdrReader(buf, offset, end);
  const v = c.decode(r);
  if (r.remaining !== 0) throw new XdrError(`${r.remaining} trailing bytes after ${c.kind}`);
  return v;
}
