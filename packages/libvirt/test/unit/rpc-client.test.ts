import type { Duplex, Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { procedure } from '../../src/procedures/types.js';
import { RpcClient, type RpcClientOptions } from '../../src/rpc/client.js';
import {
  KEEPALIVE_PROGRAM,
  MessageStatus,
  MessageType,
  QEMU_PROGRAM,
  QEMU_PROTOCOL_VERSION,
  REMOTE_PROGRAM,
  REMOTE_PROTOCOL_VERSION,
  STREAM_CHUNK_MAX,
} from '../../src/rpc/constants.js';
import { CallTimeoutError, ConnectionClosedError, LibvirtError, ProtocolError } from '../../src/rpc/errors.js';
import type { LibvirtStream } from '../../src/rpc/stream.js';
import { decode, encode, int, string, struct, uint, voidCodec, XdrError } from '../../src/xdr/index.js';
import {
  isPing,
  isPong,
  MockDaemon,
  reply,
  waitForEvent,
  waitUntil,
  type ConnectMode,
  type IncomingCall,
  type MockConnection,
  type ReceivedPacket,
} from '../support/mock-daemon.js';

// ------------------------------------------------------------------------------------------------ fixtures

const PROGRAM = { program: REMOTE_PROGRAM, version: REMOTE_PROTOCOL_VERSION };
const echoArgs = struct({ n: int, text: string(1024) });
const ECHO = procedure(1000, echoArgs, echoArgs);
const NOOP = procedure(1001, voidCodec, voidCodec);
const volArgs = struct({ name: string(64), flags: uint });
const DOWNLOAD = procedure(209, volArgs, voidCodec, 'read');
const UPLOAD = procedure(208, volArgs, voidCodec, 'write');
const CONSOLE = procedure(201, volArgs, voidCodec, 'both');
const eventBody = struct({ seq: int });

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const PONG_BYTES = hex('0000001c 6b656570 00000001 00000002 00000002 00000000 00000000');
const PING_BYTES = hex('0000001c 6b656570 00000001 00000001 00000002 00000000 00000000');

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Setup {
  daemon: MockDaemon;
  conn: MockConnection;
  client: RpcClient;
  socket: Duplex;
}

async function setup(mode: ConnectMode = 'unix', options: Partial<RpcClientOptions> = {}, daemon = new MockDaemon()): Promise<Setup> {
  daemon.handle(ECHO.number, reply.ok(echoArgs, (call) => call.args(echoArgs)));
  daemon.handle(NOOP.number, reply.ok(voidCodec, undefined));
  const { socket, conn } = await daemon.connect(mode);
  const client = new RpcClient(socket, { description: 'mock-daemon', ...options });
  cleanups.push(async () => {
    await client.close();
    await daemon.close();
  });
  return { daemon, conn, client, socket };
}

/** Tracks a promise's outcome without awaiting it (and without leaving an unhandled rejection). */
function track<T>(p: Promise<T>): { settled: boolean; value?: T; error?: unknown; promise: Promise<T> } {
  const state: { settled: boolean; value?: T; error?: unknown; promise: Promise<T> } = { settled: false, promise: p };
  p.then(
    (v) => {
      state.settled = true;
      state.value = v;
    },
    (err: unknown) => {
      state.settled = true;
      state.error = err;
    },
  );
  return state;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to reject');
}

/** Lets pending I/O callbacks and ticks run (a few real event-loop turns); not used to wait for an outcome. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function collect(stream: Readable, timeoutMs = 3000): Promise<Buffer[]> {
  return new Promise<Buffer[]>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => reject(new Error('stream did not end in time')), timeoutMs);
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => {
      clearTimeout(timer);
      resolve(chunks);
    });
    stream.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

const pattern = (n: number, salt = 0): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + salt + (i >> 8)) & 0xff;
  return b;
};

const fakeTimers = (): void => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
};

// ------------------------------------------------------------------------------------------------ calls

describe('calls', () => {
  it('sends a well-formed CALL and resolves with the decoded ret', async () => {
    const { client, conn } = await setup();
    const ret = await client.call(PROGRAM, 'echo', ECHO, { n: 42, text: '名前 😀' });
    expect(ret).toEqual({ n: 42, text: '名前 😀' });
    const [call] = conn.calls;
    expect(call?.header).toEqual({ program: REMOTE_PROGRAM, version: 1, procedure: 1000, type: MessageType.CALL, serial: 1, status: 0 });
    expect(call?.packet.payload).toEqual(encode(echoArgs, { n: 42, text: '名前 😀' }));
    expect(call?.packet.raw.readUInt32BE(0)).toBe(call?.packet.raw.length);
    await expect(client.call(PROGRAM, 'noop', NOOP, undefined)).resolves.toBeUndefined();
    expect(conn.calls[1]?.serial).toBe(2);
  });

  it('concurrent calls answered out of order resolve to the right callers', async () => {
    const { client, conn, daemon } = await setup('unix', { maxInFlight: 64 });
    const held: IncomingCall[] = [];
    daemon.handle(ECHO.number, reply.never(held));
    const N = 64;
    const calls = Array.from({ length: N }, (_, i) => client.call(PROGRAM, 'echo', ECHO, { n: i, text: `call ${i}` }));
    await waitUntil(() => held.length === N, { what: `${N} calls at the daemon` });
    const serials = held.map((c) => c.serial);
    expect(new Set(serials).size).toBe(N);
    expect(serials.every((s) => s > 0)).toBe(true);

    // Deterministic shuffle; the first half is answered in one chunk, the rest one write each.
    const order = held.map((c, i) => ({ c, key: (i * 37 + 11) % N })).sort((a, b) => a.key - b.key).map((x) => x.c);
    const answer = (c: IncomingCall): Buffer => {
      const { n, text } = c.args(echoArgs);
      return c.replyFrame(echoArgs, { n: n * 1000, text: `${text} answered` });
    };
    conn.sendRaw(Buffer.concat(order.slice(0, N / 2).map(answer)));
    for (const c of order.slice(N / 2)) conn.sendRaw(answer(c));

    const results = await Promise.all(calls);
    results.forEach((r, i) => expect(r).toEqual({ n: i * 1000, text: `call ${i} answered` }));
  });

  it("keeps at most libvirtd's max_client_requests (5) calls on the wire and queues the rest", async () => {
    const { client, conn, daemon } = await setup();
    const held: IncomingCall[] = [];
    daemon.handle(ECHO.number, reply.never(held));
    const calls = Array.from({ length: 12 }, (_, i) => client.call(PROGRAM, 'echo', ECHO, { n: i, text: '' }));
    await waitUntil(() => held.length === 5, { what: 'five calls at the daemon' });
    // Answering one frees one slot: exactly one more call goes out, the oldest queued.
    conn.sendRaw(held[0]!.replyFrame(echoArgs, { n: 0, text: '' }));
    await expect(calls[0]).resolves.toEqual({ n: 0, text: '' });
    await waitUntil(() => held.length === 6, { what: 'the sixth call' });
    expect(held[5]!.args(echoArgs).n).toBe(5);
    let answered = 1;
    while (answered < 12) {
      await waitUntil(() => held.length > answered, { what: 'the next queued calls' });
      // Never more than five unanswered at the daemon.
      expect(held.length - answered).toBeLessThanOrEqual(5);
      for (const c of held.slice(answered)) conn.sendRaw(c.replyFrame(echoArgs, c.args(echoArgs)));
      answered = held.length;
    }
    const results = await Promise.all(calls);
    results.forEach((r, i) => expect(r.n).toBe(i));
  });

  it('a sent call that timed out keeps its daemon slot until its late reply arrives', async () => {
    const { client, conn, daemon } = await setup('unix', { maxInFlight: 1 });
    const held: IncomingCall[] = [];
    daemon.handle(ECHO.number, reply.never(held));
    const first = track(client.call(PROGRAM, 'slow', ECHO, { n: 1, text: '' }, { timeoutMs: 50 }));
    await waitUntil(() => held.length === 1);
    const second = client.call(PROGRAM, 'next', ECHO, { n: 2, text: '' });
    await waitUntil(() => first.settled, { what: 'the timeout' });
    expect(first.error).toBeInstanceOf(CallTimeoutError);
    expect(held.length).toBe(1);
    conn.sendRaw(held[0]!.replyFrame(echoArgs, { n: 1, text: 'late' }));
    await waitUntil(() => held.length === 2, { what: 'the queued call after the late reply' });
    conn.sendRaw(held[1]!.replyFrame(echoArgs, { n: 2, text: '' }));
    await expect(second).resolves.toEqual({ n: 2, text: '' });
  });

  it('ERROR replies become LibvirtError with code, domain, message and the procedure name', async () => {
    const { client, daemon } = await setup();
    daemon.handle(
      ECHO.number,
      reply.error({ code: 42, domain: 10, message: "Domain not found: no domain with matching name 'ghost'", str1: 'ghost', int1: 5 }),
    );
    const err = await rejection(client.call(PROGRAM, 'domainLookupByName', ECHO, { n: 1, text: 'ghost' }));
    expect(err).toBeInstanceOf(LibvirtError);
    const lv = err as LibvirtError;
    expect(lv.code).toBe(42);
    expect(lv.domain).toBe(10);
    expect(lv.level).toBe(2);
    expect(lv.procedure).toBe('domainLookupByName');
    expect(lv.libvirtMessage).toBe("Domain not found: no domain with matching name 'ghost'");
    expect(lv.message).toBe("domainLookupByName on mock-daemon: Domain not found: no domain with matching name 'ghost'");
    expect(lv.isNotFound).toBe(true);
    expect(lv.remote.str1).toBe('ghost');
    expect(lv.remote.int1).toBe(5);

    // No message from the daemon: the code stands in.
    daemon.handle(ECHO.number, reply.error({ code: 1, domain: 0, message: null }));
    const bare = (await rejection(client.call(PROGRAM, 'connectGetType', ECHO, { n: 1, text: '' }))) as LibvirtError;
    expect(bare).toBeInstanceOf(LibvirtError);
    expect(bare.message).toBe('connectGetType on mock-daemon: libvirt error code 1');
    expect(bare.isNotFound).toBe(false);

    // The connection is still fine.
    await expect(client.call(PROGRAM, 'noop', NOOP, undefined)).resolves.toBeUndefined();
  });

  it('undecodable replies reject with ProtocolError and leave the connection usable', async () => {
    const { client, daemon } = await setup();
    daemon.handle(ECHO.number, (call) => call.replyRaw(hex('00000001'), MessageStatus.ERROR)); // truncated remote_error
    const e1 = await rejection(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }));
    expect(e1).toBeInstanceOf(ProtocolError);
    expect(e1.message).toMatch(/^echo on mock-daemon: undecodable error reply/);

    daemon.handle(ECHO.number, (call) => call.replyRaw(Buffer.concat([encode(echoArgs, { n: 1, text: '' }), hex('00000000')])));
    const e2 = await rejection(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }));
    expect(e2).toBeInstanceOf(ProtocolError);
    expect(e2.message).toMatch(/undecodable reply: 4 trailing bytes/);

    daemon.handle(ECHO.number, (call) => call.replyRaw(hex('00000001 00000009 6162')));
    expect(await rejection(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }))).toBeInstanceOf(ProtocolError);

    await expect(client.call(PROGRAM, 'noop', NOOP, undefined)).resolves.toBeUndefined();
    expect(client.closed).toBe(false);
  });

  it('bad arguments reject with XdrError naming the call, and nothing is sent', async () => {
    const { client, conn } = await setup();
    const err = await rejection(client.call(PROGRAM, 'echo', ECHO, { n: 2 ** 40, text: '' }));
    expect(err).toBeInstanceOf(XdrError);
    expect(err.message).toMatch(/^echo: bad arguments: n: /);
    await client.call(PROGRAM, 'noop', NOOP, undefined);
    expect(conn.calls.map((c) => c.procedure)).toEqual([NOOP.number]);
  });

  it('replies for unknown serials are ignored', async () => {
    const { client, conn } = await setup();
    conn.send({ program: REMOTE_PROGRAM, version: 1, procedure: 1000, type: MessageType.REPLY, serial: 999, status: 0 }, encode(echoArgs, { n: 9, text: 'stray' }));
    await expect(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: 'mine' })).resolves.toEqual({ n: 1, text: 'mine' });
  });

  it('per-call timeout gives CallTimeoutError and the late reply is ignored (fake timers)', async () => {
    fakeTimers();
    const { client, conn, daemon } = await setup('memory');
    const held: IncomingCall[] = [];
    daemon.handle(ECHO.number, reply.never(held));

    const first = track(client.call(PROGRAM, 'domainGetInfo', ECHO, { n: 1, text: 'slow' }, { timeoutMs: 5000 }));
    await waitUntil(() => held.length === 1);
    await vi.advanceTimersByTimeAsync(4999);
    expect(first.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.settled).toBe(true);
    expect(first.error).toBeInstanceOf(CallTimeoutError);
    expect((first.error as Error).message).toBe('domainGetInfo on mock-daemon: no reply within 5000 ms');

    // The next call must get its own answer, not the late one for the timed-out serial sent right before it.
    const second = track(client.call(PROGRAM, 'echo', ECHO, { n: 2, text: 'fast' }, { timeoutMs: 5000 }));
    await waitUntil(() => held.length === 2);
    expect(held[1]!.serial).not.toBe(held[0]!.serial);
    conn.sendRaw(
      Buffer.concat([held[0]!.replyFrame(echoArgs, { n: 111, text: 'late' }), held[1]!.replyFrame(echoArgs, { n: 222, text: 'on time' })]),
    );
    await waitUntil(() => second.settled);
    expect(second.value).toEqual({ n: 222, text: 'on time' });
    expect(client.closed).toBe(false);
  });

  it('the client-wide default timeout applies, and timeoutMs 0 disables it (fake timers)', async () => {
    fakeTimers();
    const { client, daemon } = await setup('memory', { callTimeoutMs: 1000 });
    const held: IncomingCall[] = [];
    daemon.handle(ECHO.number, reply.never(held));
    const byDefault = track(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }));
    const never = track(client.call(PROGRAM, 'echo', ECHO, { n: 2, text: '' }, { timeoutMs: 0 }));
    await waitUntil(() => held.length === 2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(byDefault.error).toBeInstanceOf(CallTimeoutError);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(never.settled).toBe(false);
    held[1]!.reply(echoArgs, { n: 2, text: 'eventually' });
    await waitUntil(() => never.settled);
    expect(never.value).toEqual({ n: 2, text: 'eventually' });
  });

  it('an AbortSignal rejects the call; a later reply is dropped', async () => {
    const { client, daemon, conn } = await setup();
    const held: IncomingCall[] = [];
    daemon.handle(ECHO.number, reply.never(held));
    const ac = new AbortController();
    const p = track(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }, { signal: ac.signal }));
    await waitUntil(() => held.length === 1);
    ac.abort(new Error('user went away'));
    await waitUntil(() => p.settled);
    expect((p.error as Error).message).toMatch(/echo on mock-daemon: aborted/);
    held[0]!.reply(echoArgs, { n: 1, text: 'too late' });
    await expect(client.call(PROGRAM, 'noop', NOOP, undefined)).resolves.toBeUndefined();

    const already = await rejection(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }, { signal: AbortSignal.abort() }));
    expect(already.message).toMatch(/aborted/);
    expect(conn.calls.filter((c) => c.procedure === ECHO.number)).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------ connection loss

describe('connection loss', () => {
  for (const [label, kill] of [
    ['destroyed by the daemon (unix)', 'destroy'],
    ['half-closed by the daemon (unix)', 'end'],
  ] as const) {
    it(`${label}: every pending call rejects at once with ConnectionClosedError and close is emitted once`, async () => {
      const { client, conn, daemon } = await setup('unix', { maxInFlight: 10 });
      const held: IncomingCall[] = [];
      daemon.handle(ECHO.number, reply.never(held));
      const closes: (Error | undefined)[] = [];
      client.on('close', (err) => closes.push(err));
      const pending = Array.from({ length: 10 }, (_, i) => track(client.call(PROGRAM, `proc${i}`, ECHO, { n: i, text: '' })));
      await waitUntil(() => held.length === 10);

      if (kill === 'destroy') conn.destroy();
      else conn.end();
      await waitForEvent<[Error | undefined]>(client, 'close');
      await turns(1);
      // All of them, without any timer having to fire.
      expect(pending.every((p) => p.settled)).toBe(true);
      pending.forEach((p, i) => {
        expect(p.error).toBeInstanceOf(ConnectionClosedError);
        expect((p.error as Error).message).toMatch(new RegExp(`^proc${i}: connection to mock-daemon`));
      });
      expect(client.closed).toBe(true);
      expect(client.closeReason).toBeInstanceOf(ConnectionClosedError);

      await turns();
      expect(closes).toHaveLength(1);
      expect(closes[0]).toBeInstanceOf(ConnectionClosedError);

      // Calls after the close fail immediately.
      const late = await rejection(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }));
      expect(late).toBeInstanceOf(ConnectionClosedError);
      expect(late.message).toMatch(/^echo: connection to mock-daemon is closed/);
    });
  }

  it('in-memory socket destroyed: same behaviour', async () => {
    const { client, conn, daemon } = await setup('memory');
    daemon.handle(ECHO.number, reply.never());
    const pending = [track(client.call(PROGRAM, 'a', ECHO, { n: 1, text: '' })), track(client.call(PROGRAM, 'b', ECHO, { n: 2, text: '' }))];
    await conn.waitForCalls(2);
    const closed = waitForEvent<[Error | undefined]>(client, 'close');
    conn.destroy();
    await closed;
    await turns(1);
    expect(pending.map((p) => p.error instanceof ConnectionClosedError)).toEqual([true, true]);
  });

  it('a framing error from the daemon drops the connection with a ProtocolError reason', async () => {
    const { client, conn, daemon } = await setup();
    daemon.handle(ECHO.number, reply.never());
    const p = track(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }));
    await conn.waitForCalls(1);
    const closed = waitForEvent<[Error | undefined]>(client, 'close');
    conn.sendRaw(hex('00000010 00000000 00000000 00000000'));
    const [reason] = await closed;
    expect(reason).toBeInstanceOf(ProtocolError);
    expect(reason?.message).toMatch(/bad packet length 16/);
    await waitUntil(() => p.settled);
    expect(p.error).toBeInstanceOf(ConnectionClosedError);
    expect((p.error as ConnectionClosedError).cause).toBe(reason);
    await waitUntil(() => conn.closed, { what: 'the daemon side to see the socket close' });
  });

  it('close() fails pending calls, closes the socket and resolves', async () => {
    const { client, conn, daemon } = await setup();
    daemon.handle(ECHO.number, reply.never());
    const p = track(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }));
    await conn.waitForCalls(1);
    await client.close();
    expect(p.settled).toBe(true);
    expect(p.error).toBeInstanceOf(ConnectionClosedError);
    expect((p.error as Error).message).toMatch(/closed by the client/);
    await waitUntil(() => conn.closed);
    await client.close(); // idempotent
  });
});

// ------------------------------------------------------------------------------------------------ keepalive

describe('keepalive', () => {
  it('answers the daemon’s PING with an exact PONG (keepalive program, proc 2, MESSAGE, serial 0)', async () => {
    const { client, conn } = await setup();
    conn.ping();
    const pong = await conn.waitForPacket(isPong);
    expect(pong.raw).toEqual(PONG_BYTES);
    expect(pong.header).toEqual({ program: KEEPALIVE_PROGRAM, version: 1, procedure: 2, type: MessageType.MESSAGE, serial: 0, status: 0 });

    // Several in one chunk, interleaved with a reply: each gets its PONG and the call still resolves.
    const held: IncomingCall[] = [];
    conn.daemon.handle(ECHO.number, reply.never(held));
    const p = client.call(PROGRAM, 'echo', ECHO, { n: 5, text: '' });
    await waitUntil(() => held.length === 1);
    conn.sendRaw(Buffer.concat([PING_BYTES, PING_BYTES, held[0]!.replyFrame(echoArgs, { n: 5, text: 'x' }), PING_BYTES]));
    await expect(p).resolves.toEqual({ n: 5, text: 'x' });
    await waitUntil(() => conn.received.filter(isPong).length === 4, { what: '4 pongs' });
    // Answering a PONG with anything would loop forever.
    conn.pong();
    await client.call(PROGRAM, 'noop', NOOP, undefined);
    expect(conn.received.filter((r) => r.header.program === KEEPALIVE_PROGRAM)).toHaveLength(4);
  });

  it('pings when idle and declares the peer dead after `count` unanswered pings (50 ms x 3, real timers)', async () => {
    const { client, conn, daemon } = await setup('unix');
    daemon.answerPings = false;
    daemon.handle(ECHO.number, reply.never());
    const p = track(client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' }));
    await conn.waitForCalls(1);
    const started = performance.now();
    client.startKeepalive({ intervalMs: 50, count: 3 });
    const [reason] = await waitForEvent<[Error | undefined]>(client, 'close', 3000);
    const elapsed = performance.now() - started;
    expect(reason).toBeInstanceOf(ConnectionClosedError);
    expect(reason?.message).toMatch(/connection to mock-daemon is dead: no answer to 3 keepalive pings/);
    // Three pings, then one more silent interval before giving up.
    expect(elapsed).toBeGreaterThanOrEqual(150);
    const pings = conn.received.filter(isPing);
    expect(pings).toHaveLength(3);
    for (const ping of pings) expect(ping.raw).toEqual(PING_BYTES);
    await waitUntil(() => p.settled);
    expect(p.error).toBeInstanceOf(ConnectionClosedError);
    await waitUntil(() => conn.closed, { what: 'the socket to be dropped' });
  });

  it('counts unanswered pings exactly (fake timers)', async () => {
    fakeTimers();
    const { client, conn, daemon } = await setup('memory');
    daemon.answerPings = false;
    const pings = (): number => conn.received.filter(isPing).length;
    client.startKeepalive({ intervalMs: 1000, count: 3 });

    await vi.advanceTimersByTimeAsync(999);
    await turns();
    expect(pings()).toBe(0);
    for (let i = 1; i <= 3; i++) {
      await vi.advanceTimersByTimeAsync(i === 1 ? 1 : 1000);
      await waitUntil(() => pings() === i, { what: `ping ${i}` });
      expect(client.closed).toBe(false);
    }
    await vi.advanceTimersByTimeAsync(999);
    expect(client.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.closed).toBe(true);
    expect(client.closeReason?.message).toMatch(/no answer to 3 keepalive pings in 4 s/);
    await turns();
    expect(pings()).toBe(3);
  });

  it('a daemon that answers (PONG) keeps the connection alive indefinitely (fake timers)', async () => {
    fakeTimers();
    const { client, conn } = await setup('memory');
    client.startKeepalive({ intervalMs: 1000, count: 2 });
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      await waitUntil(() => conn.received.filter(isPing).length === i + 1, { what: `ping ${i + 1}` });
      await turns(); // let the PONG reach the client
    }
    expect(client.closed).toBe(false);
    await expect(client.call(PROGRAM, 'noop', NOOP, undefined)).resolves.toBeUndefined();
  });

  it('any traffic from the daemon counts as a sign of life (fake timers)', async () => {
    fakeTimers();
    const { client, conn, daemon } = await setup('memory');
    daemon.answerPings = false;
    client.startKeepalive({ intervalMs: 1000, count: 1 });
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(900);
      conn.sendMessage(9999, eventBody, { seq: i });
      await turns();
    }
    expect(conn.received.filter(isPing)).toHaveLength(0);
    expect(client.closed).toBe(false);
    // Silence now: one ping, then dead.
    await vi.advanceTimersByTimeAsync(1000);
    await waitUntil(() => conn.received.filter(isPing).length === 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.closed).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------ messages

describe('messages (events)', () => {
  it('MESSAGE packets reach the registered handler in order, interleaved with replies', async () => {
    const { client, conn, daemon } = await setup();
    const got: { proc: number; seq: number; serial: number; type: number }[] = [];
    client.onMessages(REMOTE_PROGRAM, (packet) => {
      const { seq } = decode(eventBody, packet.payload);
      got.push({ proc: packet.header.procedure, seq, serial: packet.header.serial, type: packet.header.type });
    });
    const held: IncomingCall[] = [];
    daemon.handle(ECHO.number, reply.never(held));
    const p = client.call(PROGRAM, 'echo', ECHO, { n: 1, text: '' });
    await waitUntil(() => held.length === 1);

    // 100 in one chunk, then 100 one by one with the reply in the middle.
    conn.sendRaw(Buffer.concat(Array.from({ length: 100 }, (_, i) => conn.messageFrame(318 + (i % 3), eventBody, { seq: i }))));
    for (let i = 100; i < 200; i++) {
      if (i === 150) held[0]!.reply(echoArgs, { n: 1, text: 'reply' });
      conn.sendMessage(318 + (i % 3), eventBody, { seq: i });
    }
    await waitUntil(() => got.length === 200, { what: '200 messages' });
    expect(got.map((g) => g.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(got.map((g) => g.proc)).toEqual(Array.from({ length: 200 }, (_, i) => 318 + (i % 3)));
    expect(got.every((g) => g.serial === 0 && g.type === MessageType.MESSAGE)).toBe(true);
    await expect(p).resolves.toEqual({ n: 1, text: 'reply' });
  });

  it('routes messages by program and drops those nobody registered for', async () => {
    const { client, conn } = await setup();
    const remote: number[] = [];
    const qemu: number[] = [];
    client.onMessages(REMOTE_PROGRAM, (p) => remote.push(p.header.procedure));
    client.onMessages(QEMU_PROGRAM, (p) => qemu.push(p.header.procedure));
    conn.sendMessage(6, eventBody, { seq: 1 }, QEMU_PROGRAM, QEMU_PROTOCOL_VERSION);
    conn.sendMessage(318, eventBody, { seq: 2 });
    conn.sendMessage(1, eventBody, { seq: 3 }, 0x12345678, 1); // unknown program: ignored
    await client.call(PROGRAM, 'noop', NOOP, undefined); // barrier: everything before the reply was dispatched
    expect(remote).toEqual([318]);
    expect(qemu).toEqual([6]);
    expect(client.closed).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------------ streams

describe('streams', () => {
  const args = { name: 'vol.img', flags: 0 };

  const isStream = (status: number) => (p: ReceivedPacket): boolean => p.header.type === MessageType.STREAM && p.header.status === status;

  it('daemon data arrives in order through the Duplex, EOF ends it, and the finish is confirmed', async () => {
    const { client, daemon } = await setup();
    const chunks = Array.from({ length: 20 }, (_, i) => pattern(1000 + i * 517, i));
    let opened: IncomingCall | undefined;
    daemon.handle(DOWNLOAD.number, (call) => {
      opened = call;
      call.confirmFinish();
      // The reply and the first data packets in one chunk: the stream must exist before they are dispatched.
      call.conn.sendRaw(Buffer.concat([call.replyFrame(voidCodec, undefined), ...chunks.slice(0, 5).map((c) => call.streamFrame(MessageStatus.CONTINUE, c))]));
      for (const c of chunks.slice(5)) call.streamData(c);
      call.streamEof();
    });
    const { ret, stream } = await client.callStream(PROGRAM, 'storageVolDownload', DOWNLOAD, args, 'read');
    expect(ret).toBeUndefined();
    expect(stream.id).toMatchObject({ program: REMOTE_PROGRAM, procedure: DOWNLOAD.number, name: 'storageVolDownload' });
    const closed = waitForEvent<[]>(stream, 'close');
    const got = await collect(stream);
    expect(Buffer.concat(got).equals(Buffer.concat(chunks))).toBe(true);
    expect(got).toHaveLength(chunks.length); // one push per packet, in order
    // A download ends its writable side by itself: libvirt's finish (STREAM/OK, empty) goes out, the daemon confirms.
    const finish = await opened!.waitForStream((p) => p.header.status === MessageStatus.OK);
    expect(finish.header).toEqual({ ...opened!.header, type: MessageType.STREAM, status: MessageStatus.OK });
    expect(finish.payload.length).toBe(0);
    await closed;
    expect(stream.errored).toBeNull();
  });

  it('keeps stream data and EOF that overtake the reply (a screenshot), and delivers them once the stream opens', async () => {
    const { client, daemon } = await setup();
    const chunks = [pattern(700, 1), pattern(1300, 2)];
    daemon.handle(DOWNLOAD.number, (call) => {
      call.confirmFinish();
      // libvirtd may start sending before its reply: the data, the EOF, then the reply, in that order.
      call.conn.sendRaw(
        Buffer.concat([
          ...chunks.map((c) => call.streamFrame(MessageStatus.CONTINUE, c)),
          call.streamFrame(MessageStatus.CONTINUE, Buffer.alloc(0)),
          call.replyFrame(voidCodec, undefined),
        ]),
      );
    });
    const { stream } = await client.callStream(PROGRAM, 'storageVolDownload', DOWNLOAD, args, 'read');
    const got = await collect(stream);
    expect(Buffer.concat(got).equals(Buffer.concat(chunks))).toBe(true);
  });

  it("a download's reader sees its end only after the daemon confirmed the finish", async () => {
    const { client, daemon } = await setup();
    let opened: IncomingCall | undefined;
    daemon.handle(DOWNLOAD.number, (call) => {
      opened = call;
      call.conn.sendRaw(call.replyFrame(voidCodec, undefined));
      call.streamData(Buffer.from('abc'));
      call.streamEof();
    });
    const { stream } = await client.callStream(PROGRAM, 'storageVolDownload', DOWNLOAD, args, 'read');
    let ended = false;
    stream.on('end', () => (ended = true));
    stream.resume();
    // Our finish goes out as soon as EOF arrives...
    await opened!.waitForStream(isStream(MessageStatus.OK));
    // ...but until the daemon answers it, the reader must not be told the stream is over.
    await client.call(PROGRAM, 'noop', NOOP, undefined); // barrier: everything the daemon sent was dispatched
    expect(ended).toBe(false);
    opened!.conn.sendRaw(opened!.streamFrame(MessageStatus.OK, Buffer.alloc(0)));
    await waitUntil(() => ended, { what: "the stream's end" });
  });

  it('end() sends STREAM/OK and waits for the daemon’s STREAM/OK before finishing', async () => {
    const { client, daemon } = await setup();
    let opened: IncomingCall | undefined;
    daemon.handle(UPLOAD.number, (call) => {
      opened = call;
      call.reply(voidCodec, undefined);
    });
    const { stream } = await client.callStream(PROGRAM, 'storageVolUpload', UPLOAD, args, 'write');
    let finished = false;
    stream.on('finish', () => {
      finished = true;
    });
    stream.write(Buffer.from('hello '));
    stream.write(Buffer.from('world'));
    stream.end();
    const finish = await opened!.waitForStream((p) => p.header.status === MessageStatus.OK);
    expect(finish.payload.length).toBe(0);
    expect(finish.header.serial).toBe(opened!.serial);
    await turns(10);
    expect(finished).toBe(false); // not before the daemon confirmed
    const data = opened!.streamPackets().filter((p) => p.header.status === MessageStatus.CONTINUE);
    expect(Buffer.concat(data.map((p) => p.payload)).toString()).toBe('hello world');
    // The finish comes after the data.
    expect(opened!.streamPackets().at(-1)).toBe(finish);

    opened!.streamFinish();
    await waitForEvent<[]>(stream, 'finish');
    expect(finished).toBe(true);
  });

  it('writes over 262120 bytes are split into STREAM packets of at most 262120 bytes', async () => {
    const { client, daemon } = await setup();
    let opened: IncomingCall | undefined;
    daemon.handle(UPLOAD.number, (call) => {
      opened = call;
      call.confirmFinish();
      call.reply(voidCodec, undefined);
    });
    const { stream } = await client.callStream(PROGRAM, 'storageVolUpload', UPLOAD, args, 'write');
    const big = pattern(600_000, 1);
    const exact = pattern(STREAM_CHUNK_MAX, 2);
    const oneOver = pattern(STREAM_CHUNK_MAX + 1, 3);
    stream.write(big);
    stream.write(exact);
    stream.write(oneOver);
    stream.end();
    await waitForEvent<[]>(stream, 'finish', 5000);
    const data = opened!.streamPackets().filter((p) => p.header.status === MessageStatus.CONTINUE);
    expect(data.map((p) => p.payload.length)).toEqual([
      STREAM_CHUNK_MAX,
      STREAM_CHUNK_MAX,
      600_000 - 2 * STREAM_CHUNK_MAX,
      STREAM_CHUNK_MAX,
      STREAM_CHUNK_MAX,
      1,
    ]);
    for (const p of data) {
      expect(p.header).toEqual({ ...opened!.header, type: MessageType.STREAM, status: MessageStatus.CONTINUE });
      expect(p.raw.length).toBeLessThanOrEqual(STREAM_CHUNK_MAX + 28);
    }
    expect(Buffer.concat(data.map((p) => p.payload)).equals(Buffer.concat([big, exact, oneOver]))).toBe(true);
  });

  it('destroy() aborts with an empty STREAM/ERROR; later packets for it are ignored', async () => {
    const { client, daemon, conn } = await setup();
    let opened: IncomingCall | undefined;
    daemon.handle(CONSOLE.number, (call) => {
      opened = call;
      call.reply(voidCodec, undefined);
      call.streamData(Buffer.from('login: '));
    });
    const { stream } = await client.callStream(PROGRAM, 'domainOpenConsole', CONSOLE, args, 'both');
    const received: Buffer[] = [];
    stream.on('data', (c: Buffer) => received.push(c));
    await waitUntil(() => received.length === 1);
    const closed = waitForEvent<[]>(stream, 'close');
    stream.destroy();
    const abort = await opened!.waitForStream(isStream(MessageStatus.ERROR));
    expect(abort.payload.length).toBe(0);
    expect(abort.header).toEqual({ ...opened!.header, type: MessageType.STREAM, status: MessageStatus.ERROR });
    await closed;

    opened!.streamData(Buffer.from('ignored'));
    opened!.streamEof();
    await expect(client.call(PROGRAM, 'noop', NOOP, undefined)).resolves.toBeUndefined();
    expect(received.map(String)).toEqual(['login: ']);
    expect(conn.received.filter(isStream(MessageStatus.ERROR))).toHaveLength(1);
  });

  it('a STREAM/ERROR with a remote_error errors the stream with LibvirtError, and nothing is sent back', async () => {
    const { client, daemon, conn } = await setup();
    let opened: IncomingCall | undefined;
    daemon.handle(DOWNLOAD.number, (call) => {
      opened = call;
      call.reply(voidCodec, undefined);
      call.streamData(Buffer.from('partial'));
      call.streamError({ code: 38, domain: 18, message: 'cannot read volume: I/O error' });
    });
    const { stream } = await client.callStream(PROGRAM, 'storageVolDownload', DOWNLOAD, args, 'read');
    const err = await rejection(collect(stream));
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(38);
    expect((err as LibvirtError).domain).toBe(18);
    expect((err as LibvirtError).procedure).toBe('storageVolDownload');
    expect(err.message).toBe('storageVolDownload on mock-daemon: cannot read volume: I/O error');
    await client.call(PROGRAM, 'noop', NOOP, undefined);
    expect(conn.received.filter((p) => p.header.type === MessageType.STREAM && p.header.serial === opened!.serial)).toEqual([]);
  });

  it('an empty STREAM/ERROR from the daemon is an abort', async () => {
    const { client, daemon } = await setup();
    daemon.handle(DOWNLOAD.number, (call) => {
      call.reply(voidCodec, undefined);
      call.streamError();
    });
    const { stream } = await client.callStream(PROGRAM, 'storageVolDownload', DOWNLOAD, args, 'read');
    const err = await rejection(collect(stream));
    expect(err.message).toBe('storageVolDownload on mock-daemon: stream aborted by the daemon');
  });

  it('an ERROR reply to the opening call rejects callStream with LibvirtError', async () => {
    const { client, daemon } = await setup();
    daemon.handle(DOWNLOAD.number, reply.error({ code: 50, domain: 18, message: 'Storage volume not found' }));
    const err = await rejection(client.callStream(PROGRAM, 'storageVolDownload', DOWNLOAD, args, 'read'));
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).isNotFound).toBe(true);
  });

  it('a bidirectional stream carries data both ways and closes once the finish is confirmed', async () => {
    const { client, daemon } = await setup();
    let opened: IncomingCall | undefined;
    daemon.handle(CONSOLE.number, (call) => {
      opened = call;
      call.confirmFinish();
      // Echo every data packet back in upper case.
      call.onStream((p) => {
        if (p.header.status === MessageStatus.CONTINUE) call.streamData(Buffer.from(p.payload.toString().toUpperCase()));
      });
      call.reply(voidCodec, undefined);
    });
    const { stream } = await client.callStream(PROGRAM, 'domainOpenConsole', CONSOLE, args, 'both');
    const received: string[] = [];
    stream.on('data', (c: Buffer) => received.push(c.toString()));
    stream.write('ls\n');
    await waitUntil(() => received.join('') === 'LS\n');
    stream.write('exit\n');
    await waitUntil(() => received.join('') === 'LS\nEXIT\n');
    const closed = waitForEvent<[]>(stream, 'close');
    stream.end();
    await opened!.waitForStream(isStream(MessageStatus.OK));
    await closed;
    expect(stream.errored).toBeNull();
  });

  it('losing the connection errors open streams with ConnectionClosedError', async () => {
    const { client, daemon, conn } = await setup();
    daemon.handle(CONSOLE.number, (call) => call.reply(voidCodec, undefined));
    const { stream } = await client.callStream(PROGRAM, 'domainOpenConsole', CONSOLE, args, 'both');
    const errored = waitForEvent<[Error]>(stream, 'error');
    conn.destroy();
    const [err] = await errored;
    expect(err).toBeInstanceOf(ConnectionClosedError);
  });

  it('a slow reader pauses the socket and resumes it when read, losing nothing', async () => {
    const { client, daemon } = await setup();
    const pause = vi.spyOn(client, 'pauseReading');
    const resume = vi.spyOn(client, 'resumeReading');
    const chunks = Array.from({ length: 16 }, (_, i) => pattern(32 * 1024, i));
    daemon.handle(DOWNLOAD.number, (call) => {
      call.confirmFinish();
      call.reply(voidCodec, undefined);
      for (const c of chunks) call.streamData(c);
      call.streamEof();
    });
    const { stream }: { stream: LibvirtStream } = await client.callStream(PROGRAM, 'storageVolDownload', DOWNLOAD, args, 'read');
    // Nobody reads yet: past the readable high-water mark the client must stop reading the socket.
    await waitUntil(() => pause.mock.calls.length > 0, { what: 'pauseReading' });
    expect(resume).not.toHaveBeenCalled();
    const got = await collect(stream, 5000);
    expect(resume).toHaveBeenCalled();
    expect(Buffer.concat(got).equals(Buffer.concat(chunks))).toBe(true);
    await expect(client.call(PROGRAM, 'noop', NOOP, undefined)).resolves.toBeUndefined();
  });
});
