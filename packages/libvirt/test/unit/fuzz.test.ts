/**
 * Deterministic fuzzing of the framing and of real schemas. Every input is derived from a seeded PRNG, so a failure
 * names the seed and iteration that reproduce it. The only acceptable failures are ProtocolError (framing) and
 * XdrError (payload); anything else (RangeError, TypeError, a hang, a huge allocation) is a bug.
 */
import { describe, expect, it } from 'vitest';
import { remoteMessages } from '../../src/procedures/events.js';
import { remoteProcedures } from '../../src/procedures/remote.js';
import {
  nonnullDomain,
  remoteError,
  typedParam,
  TypedParamType,
  type RemoteError,
  type TypedParam,
} from '../../src/procedures/remote-types.js';
import type { MessageDef, ProcedureDef } from '../../src/procedures/types.js';
import { HEADER_SIZE, KEEPALIVE_PROGRAM, MESSAGE_MAX, MessageStatus, MessageType, QEMU_PROGRAM, REMOTE_PROGRAM } from '../../src/rpc/constants.js';
import { ProtocolError } from '../../src/rpc/errors.js';
import { encodePacket, PacketDecoder, type Header } from '../../src/rpc/packet.js';
import { array, decode, encode, opaque, string, struct, uint, XdrError, type Codec } from '../../src/xdr/index.js';

// ------------------------------------------------------------------------------------------------ PRNG + mutators

/** mulberry32: small, fast, good enough to spread mutations; fully determined by its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = prng(seed);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  u32(): number {
    return (this.next() * 4294967296) >>> 0;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** Length-like words a decoder must survive: boundaries, sign bits, "4 GB", values near the real size. */
const INTERESTING_WORDS = [
  0, 1, 2, 3, 4, 27, 28, 29, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 262120, 262121, 4194304, 4194305, MESSAGE_MAX,
  MESSAGE_MAX + 1, 0x3fffffff, 0x40000000, 0x7fffffff, 0x80000000, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff,
];

type Mutator = (rng: Rng, input: Buffer) => Buffer;

const mutators: readonly { name: string; fn: Mutator }[] = [
  {
    name: 'bit flips',
    fn: (rng, input) => {
      const out = Buffer.from(input);
      if (out.length === 0) return out;
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips; i++) {
        const at = rng.int(out.length);
        out[at] = out[at]! ^ (1 << rng.int(8));
      }
      return out;
    },
  },
  {
    name: 'random bytes',
    fn: (rng, input) => {
      const out = Buffer.from(input);
      if (out.length === 0) return out;
      const n = 1 + rng.int(6);
      for (let i = 0; i < n; i++) out[rng.int(out.length)] = rng.int(256);
      return out;
    },
  },
  {
    name: 'interesting word',
    fn: (rng, input) => {
      const out = Buffer.from(input);
      if (out.length < 4) return out;
      const n = 1 + rng.int(3);
      for (let i = 0; i < n; i++) {
        // Mostly word-aligned (where XDR lengths live), sometimes not.
        const at = rng.int(4) === 0 ? rng.int(out.length - 3) : 4 * rng.int(Math.floor(out.length / 4));
        const word = rng.int(3) === 0 ? rng.u32() : rng.int(4) === 0 ? out.length + rng.int(9) - 4 : rng.pick(INTERESTING_WORDS);
        out.writeUInt32BE(word >>> 0, at);
      }
      return out;
    },
  },
  { name: 'truncation', fn: (rng, input) => input.subarray(0, rng.int(input.length + 1)) },
  {
    name: 'extension',
    fn: (rng, input) => Buffer.concat([input, rng.int(2) === 0 ? Buffer.alloc(1 + rng.int(12)) : rng.bytes(1 + rng.int(12))]),
  },
  {
    name: 'insert/delete',
    fn: (rng, input) => {
      const at = rng.int(input.length + 1);
      if (rng.int(2) === 0) return Buffer.concat([input.subarray(0, at), rng.bytes(1 + rng.int(8)), input.subarray(at)]);
      return Buffer.concat([input.subarray(0, at), input.subarray(Math.min(input.length, at + 1 + rng.int(8)))]);
    },
  },
  { name: 'random buffer', fn: (rng) => rng.bytes(rng.int(96)) },
  {
    name: 'splice',
    fn: (rng, input) => {
      const a = rng.int(input.length + 1);
      const b = rng.int(input.length + 1);
      return Buffer.concat([input.subarray(0, Math.max(a, b)), input.subarray(Math.min(a, b))]);
    },
  },
];

function mutate(rng: Rng, input: Buffer): Buffer {
  let out = rng.pick(mutators).fn(rng, input);
  // Sometimes stack a second mutation.
  if (rng.int(4) === 0) out = rng.pick(mutators).fn(rng, out);
  return out;
}

interface Failure {
  what: string;
  seed: number;
  iteration: number;
  input: string;
  error: string;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message}` : `non-error thrown: ${String(err)}`;
}

function report(failures: Failure[]): string {
  return failures
    .slice(0, 5)
    .map((f) => `${f.what} seed=${f.seed} i=${f.iteration}: ${f.error}\n  input=${f.input.slice(0, 200)}`)
    .join('\n');
}

// ------------------------------------------------------------------------------------------------ seeds

const uuid = (n: number): Buffer => Buffer.alloc(16, n);
const dom = { name: 'vm-名前-😀', uuid: uuid(0xab), id: 7 };

const errorSeeds: RemoteError[] = [
  { code: 42, domain: 10, message: 'Domain not found: no domain with matching name', level: 2, dom: null, str1: null, str2: null, str3: null, int1: 0, int2: 0, net: null },
  { code: 1, domain: 0, message: null, level: 1, dom, str1: 'a', str2: 'bc', str3: '', int1: -1, int2: 0x7fffffff, net: { name: 'default', uuid: uuid(1) } },
];

const paramSeeds: TypedParam[][] = [
  [],
  [
    { field: 'state.state', value: { type: TypedParamType.INT, value: 1 } },
    { field: 'balloon.current', value: { type: TypedParamType.ULLONG, value: 4194304n } },
    { field: 'cpu.time', value: { type: TypedParamType.LLONG, value: -5n } },
    { field: 'vcpu.maximum', value: { type: TypedParamType.UINT, value: 0xffffffff } },
    { field: 'load', value: { type: TypedParamType.DOUBLE, value: 0.25 } },
    { field: 'autostart', value: { type: TypedParamType.BOOLEAN, value: 1 } },
    { field: 'block.0.name', value: { type: TypedParamType.STRING, value: 'vda' } },
  ],
];

interface Target {
  name: string;
  codec: Codec<unknown>;
  seeds: Buffer[];
}

const typedParamsCodec = array(typedParam, 64);

/** A few shared schemas with hand-made seeds. */
const schemaTargets: Target[] = [
  { name: 'remote_error', codec: remoteError, seeds: errorSeeds.map((e) => encode(remoteError, e)) },
  { name: 'remote_typed_param<>', codec: typedParamsCodec, seeds: paramSeeds.map((p) => encode(typedParamsCodec, p)) },
  {
    name: 'domain stats records',
    codec: array(struct({ dom: nonnullDomain, params: typedParamsCodec }), 16),
    seeds: [encode(array(struct({ dom: nonnullDomain, params: typedParamsCodec }), 16), [{ dom, params: paramSeeds[1]! }, { dom, params: [] }])],
  },
];

/** The smallest all-zero buffer a schema accepts (empty arrays, null pointers, zero ints): a valid seed for any
 * schema whose unions have an arm 0 or none at all. */
function zeroSeed(codec: Codec<unknown>): Buffer | undefined {
  for (let n = 0; n <= 1024; n += 4) {
    const b = Buffer.alloc(n);
    try {
      decode(codec, b);
      return b;
    } catch {
      // try longer
    }
  }
  return undefined;
}

function decodes(codec: Codec<unknown>, input: Buffer): boolean {
  try {
    decode(codec, input);
    return true;
  } catch {
    return false;
  }
}

/** Seeds for every ret/args type of the procedure catalogue and every event message body. */
function catalogueTargets(): Target[] {
  const out: Target[] = [];
  const add = (name: string, codec: Codec<unknown>, extra: Buffer[] = []): void => {
    const seeds = [...extra];
    const z = zeroSeed(codec);
    if (z) seeds.push(z);
    // Seeds with a string or two where the zero seed has empty ones: 'ab' plus padding in place of a zero word.
    // Kept only where the schema starts with a string (or an array of 2-word elements, and so on).
    if (z && z.length >= 4) seeds.push(Buffer.concat([encode(string(8), 'ab'), z.subarray(4)]));
    out.push({ name, codec, seeds: seeds.filter((s) => decodes(codec, s)) });
  };
  const hand = new Map<string, Buffer[]>([
    [
      'nodeGetInfo.ret',
      [encode(remoteProcedures.nodeGetInfo.ret, { model: 'x86_64', memory: 16777216n, cpus: 8, mhz: 2400, nodes: 1, sockets: 1, cores: 4, threads: 2 })],
    ],
    ['connectListAllDomains.ret', [encode(remoteProcedures.connectListAllDomains.ret, { domains: [dom, { ...dom, name: 'b', id: -1 }], ret: 2 })]],
    ['connectGetAllDomainStats.ret', [encode(remoteProcedures.connectGetAllDomainStats.ret, { retStats: [{ dom, params: paramSeeds[1]! }] })]],
    ['authList.ret', [encode(remoteProcedures.authList.ret, { types: [0, 2] })]],
  ]);
  for (const [key, def] of Object.entries(remoteProcedures as Record<string, ProcedureDef>)) {
    add(`${key}.ret`, def.ret, hand.get(`${key}.ret`));
    add(`${key}.args`, def.args);
  }
  for (const [key, def] of Object.entries(remoteMessages as Record<string, MessageDef>)) add(`${key}.msg`, def.body);
  return out;
}

// ------------------------------------------------------------------------------------------------ tests

const FUZZ_TIMEOUT = 20_000;

describe('fuzzing the framing (PacketDecoder)', () => {
  const headers: Header[] = [
    { program: REMOTE_PROGRAM, version: 1, procedure: 16, type: MessageType.REPLY, serial: 1, status: MessageStatus.OK },
    { program: REMOTE_PROGRAM, version: 1, procedure: 23, type: MessageType.REPLY, serial: 2, status: MessageStatus.ERROR },
    { program: REMOTE_PROGRAM, version: 1, procedure: 318, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK },
    { program: QEMU_PROGRAM, version: 1, procedure: 209, type: MessageType.STREAM, serial: 9, status: MessageStatus.CONTINUE },
    { program: KEEPALIVE_PROGRAM, version: 1, procedure: 1, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK },
  ];
  const frames = [
    encodePacket(headers[0]!, { codec: typedParamsCodec, value: paramSeeds[1]! }),
    encodePacket(headers[1]!, { codec: remoteError, value: errorSeeds[1]! }),
    encodePacket(headers[2]!, Buffer.alloc(64, 0)),
    encodePacket(headers[3]!, Buffer.from('stream bytes, not XDR')),
    encodePacket(headers[4]!),
  ];

  it('60,000 mutated packet streams: only ProtocolError, consistent accounting, no hang', () => {
    const seed = 0x5eed0001;
    const rng = new Rng(seed);
    const failures: Failure[] = [];
    let framed = 0;
    let rejected = 0;
    const ITERATIONS = 60_000;
    const started = performance.now();
    for (let i = 0; i < ITERATIONS; i++) {
      // One to three frames, each maybe mutated, glued together, then cut into random chunks.
      const parts: Buffer[] = [];
      const count = 1 + rng.int(3);
      for (let k = 0; k < count; k++) {
        const f = rng.pick(frames);
        parts.push(rng.int(5) === 0 ? f : mutate(rng, f));
      }
      const input = Buffer.concat(parts);
      const decoder = new PacketDecoder();
      let fed = 0;
      let consumed = 0;
      try {
        let off = 0;
        while (off < input.length) {
          const size = rng.int(3) === 0 ? 1 : 1 + rng.int(input.length);
          const chunk = input.subarray(off, off + size);
          off += chunk.length;
          fed += chunk.length;
          for (const p of decoder.push(chunk)) {
            framed++;
            consumed += HEADER_SIZE + p.payload.length;
            const h = p.header;
            if (!(Number.isInteger(h.program) && h.program >= 0 && h.program <= 0xffffffff && Number.isInteger(h.serial) && h.serial >= 0)) {
              throw new Error(`bad header ${JSON.stringify(h)}`);
            }
          }
        }
        if (consumed + decoder.pending !== fed) throw new Error(`accounting: consumed ${consumed} + pending ${decoder.pending} != fed ${fed}`);
      } catch (err) {
        if (err instanceof ProtocolError) rejected++;
        else failures.push({ what: 'PacketDecoder', seed, iteration: i, input: input.toString('hex'), error: describeError(err) });
      }
    }
    const elapsed = performance.now() - started;
    expect(failures, report(failures)).toEqual([]);
    // The mutations must exercise both outcomes, or the fuzzer is not testing anything.
    expect(framed).toBeGreaterThan(10_000);
    expect(rejected).toBeGreaterThan(5_000);
    expect(elapsed).toBeLessThan(FUZZ_TIMEOUT);
  }, FUZZ_TIMEOUT);

  it('is deterministic: the same seed gives the same outcome counts', () => {
    const run = (seed: number): string => {
      const rng = new Rng(seed);
      let ok = 0;
      let bad = 0;
      for (let i = 0; i < 2000; i++) {
        try {
          ok += new PacketDecoder().push(mutate(rng, rng.pick(frames))).length;
        } catch {
          bad++;
        }
      }
      return `${ok}/${bad}`;
    };
    expect(run(1234)).toBe(run(1234));
    expect(run(1234)).not.toBe(run(4321));
  });
});

describe('fuzzing payload schemas', () => {
  function fuzzTargets(targets: Target[], iterations: number, seed: number): { accepted: number; rejected: number; failures: Failure[] } {
    const rng = new Rng(seed);
    const failures: Failure[] = [];
    let accepted = 0;
    let rejected = 0;
    const usable = targets.filter((t) => t.seeds.length > 0);
    for (let i = 0; i < iterations; i++) {
      const t = usable[i % usable.length]!;
      const input = mutate(rng, rng.pick(t.seeds));
      try {
        decode(t.codec, input);
        accepted++;
      } catch (err) {
        if (err instanceof XdrError) rejected++;
        else failures.push({ what: t.name, seed, iteration: i, input: input.toString('hex'), error: describeError(err) });
      }
    }
    return { accepted, rejected, failures };
  }

  it('seeds are valid encodings of their schemas', () => {
    for (const t of [...schemaTargets, ...catalogueTargets()]) {
      for (const s of t.seeds) expect(() => decode(t.codec, s), t.name).not.toThrow();
    }
  });

  it('30,000 mutated remote_error / typed params / stats payloads: only XdrError', () => {
    const { accepted, rejected, failures } = fuzzTargets(schemaTargets, 30_000, 0x5eed0002);
    expect(failures, report(failures)).toEqual([]);
    expect(accepted).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(10_000);
  }, FUZZ_TIMEOUT);

  it('40,000 mutated payloads over every catalogue ret/args type and event body: only XdrError', () => {
    const targets = catalogueTargets();
    // The zero seed covers nearly every schema; the few without one still get random-buffer inputs below.
    const covered = targets.filter((t) => t.seeds.length > 0).length;
    expect(covered / targets.length).toBeGreaterThan(0.9);
    const { accepted, rejected, failures } = fuzzTargets(targets, 40_000, 0x5eed0003);
    expect(failures, report(failures)).toEqual([]);
    expect(accepted).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(10_000);

    // Plain random bytes against every schema, seeded or not.
    const rng = new Rng(0x5eed0004);
    const more: Failure[] = [];
    for (let i = 0; i < 10_000; i++) {
      const t = targets[i % targets.length]!;
      const input = rng.bytes(rng.int(80));
      try {
        decode(t.codec, input);
      } catch (err) {
        if (!(err instanceof XdrError)) more.push({ what: t.name, seed: 0x5eed0004, iteration: i, input: input.toString('hex'), error: describeError(err) });
      }
    }
    expect(more, report(more)).toEqual([]);
  }, FUZZ_TIMEOUT);

  it('whole pipeline: mutated REPLY/ERROR frames through PacketDecoder then remote_error', () => {
    const seed = 0x5eed0005;
    const rng = new Rng(seed);
    const header: Header = { program: REMOTE_PROGRAM, version: 1, procedure: 23, type: MessageType.REPLY, serial: 5, status: MessageStatus.ERROR };
    const frames = errorSeeds.map((e) => encodePacket(header, { codec: remoteError, value: e }));
    const failures: Failure[] = [];
    for (let i = 0; i < 10_000; i++) {
      const input = mutate(rng, rng.pick(frames));
      try {
        for (const p of new PacketDecoder().push(input)) decode(remoteError, p.payload);
      } catch (err) {
        if (!(err instanceof XdrError || err instanceof ProtocolError)) {
          failures.push({ what: 'pipeline', seed, iteration: i, input: input.toString('hex'), error: describeError(err) });
        }
      }
    }
    expect(failures, report(failures)).toEqual([]);
  }, FUZZ_TIMEOUT);
});

describe('lengths claiming far more than the input holds', () => {
  const huge = 0xffffffff;
  const hugeSchemas: { name: string; codec: Codec<unknown> }[] = [
    { name: 'array(uint, 2^32-1)', codec: array(uint, huge) },
    { name: 'array(typed_param, 2^32-1)', codec: array(typedParam, huge) },
    { name: 'array(array(uint))', codec: array(array(uint, huge), huge) },
    { name: 'opaque<2^32-1>', codec: opaque(huge) },
    { name: 'string<2^32-1>', codec: string(huge) },
    { name: 'connectGetAllDomainStats.ret', codec: remoteProcedures.connectGetAllDomainStats.ret },
    { name: 'connectListAllDomains.ret', codec: remoteProcedures.connectListAllDomains.ret },
  ];

  it('fail fast with XdrError and allocate nothing proportional to the claim', () => {
    const claims = [0xffffffff, 0xfffffffc, 0x80000000, 0x40000000, 0x3fffffff, 16384, 65536];
    // Measured after a warm-up so lazily created internals do not count.
    for (const { codec } of hugeSchemas) {
      try {
        decode(codec, Buffer.alloc(8));
      } catch {
        // warm-up
      }
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const buffersBefore = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    let attempts = 0;
    for (let round = 0; round < 2000; round++) {
      for (const { name, codec } of hugeSchemas) {
        for (const claim of claims) {
          const input = Buffer.alloc(16);
          input.writeUInt32BE(claim, 0);
          input.writeUInt32BE(claim, 4);
          attempts++;
          let caught: unknown;
          try {
            decode(codec, input);
          } catch (err) {
            caught = err;
          }
          if (!(caught instanceof XdrError)) throw new Error(`${name} with claim ${claim}: expected XdrError, got ${describeError(caught)}`);
        }
      }
    }
    const elapsed = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const bufferGrowth = process.memoryUsage().arrayBuffers - buffersBefore;
    expect(attempts).toBe(2000 * hugeSchemas.length * claims.length);
    // ~100k attempts; a single 4 GB claim honoured would need gigabytes (or seconds to walk).
    expect(heapGrowth).toBeLessThan(64 << 20);
    expect(bufferGrowth).toBeLessThan(16 << 20);
    expect(elapsed).toBeLessThan(5000);
  }, FUZZ_TIMEOUT);

  it('a 4 GB count with 1 MiB of real data behind it still fails before walking elements', () => {
    const input = Buffer.alloc(1 << 20);
    input.writeUInt32BE(0xffffffff, 0);
    const started = performance.now();
    expect(() => decode(array(uint, 0xffffffff), input)).toThrow(/truncated/);
    // Within the bytes there, a count is honoured: 262143 words fit exactly.
    input.writeUInt32BE((input.length - 4) / 4, 0);
    expect(decode(array(uint, 0xffffffff), input)).toHaveLength(262143);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a PacketDecoder waiting on 32 MiB claims holds only the bytes it was given', () => {
    const before = process.memoryUsage().arrayBuffers;
    const decoders: PacketDecoder[] = [];
    for (let i = 0; i < 500; i++) {
      const d = new PacketDecoder();
      const head = Buffer.alloc(HEADER_SIZE);
      head.writeUInt32BE(MESSAGE_MAX, 0);
      d.push(head);
      decoders.push(d);
    }
    expect(decoders.every((d) => d.pending === HEADER_SIZE)).toBe(true);
    // 500 x 32 MiB would be 16 GB if the decoder allocated up front.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
  });
});
