/**
 * A canned-reply libvirt daemon for unit tests.
 *
 * It speaks only the framing: CALL packets are decoded with our own PacketDecoder and answered by handlers keyed by
 * (program, procedure). A handler can reply OK with an encoded ret, reply ERROR with a remote_error, never reply,
 * push MESSAGE packets, run a stream exchange, or close the socket. Keepalive PINGs are answered with PONGs unless
 * `answerPings` is turned off. Every packet the client sent is recorded (header, payload, exact bytes) so tests can
 * assert on what went over the wire.
 *
 * Two ways to connect a client:
 * - `connect('unix')` (default): a real `net.Server` on a unix socket in a fresh tmp dir; real socket semantics.
 * - `connect('memory')`: an in-memory Duplex pair; no I/O, so it works under fake timers.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { remoteError, type RemoteError } from '../../src/procedures/remote-types.js';
import {
  HEADER_SIZE,
  KEEPALIVE_PROC_PING,
  KEEPALIVE_PROC_PONG,
  KEEPALIVE_PROGRAM,
  KEEPALIVE_PROTOCOL_VERSION,
  MessageStatus,
  MessageType,
  REMOTE_PROGRAM,
  REMOTE_PROTOCOL_VERSION,
} from '../../src/rpc/constants.js';
import { encodePacket, PacketDecoder, type Header } from '../../src/rpc/packet.js';
import type { Transport } from '../../src/transport/types.js';
import { decode, encode, type Codec } from '../../src/xdr/index.js';

// Captured at load time so polling keeps working while a test has vi.useFakeTimers() installed.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetImmediate = globalThis.setImmediate;
const realNow = performance.now.bind(performance);

/** Polls `condition` (on real timers) until it returns a truthy value or the deadline passes. */
export async function waitUntil<T>(
  condition: () => T | undefined | null | false,
  { timeoutMs = 2000, what = 'condition' }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = realNow() + timeoutMs;
  for (;;) {
    const v = condition();
    if (v) return v;
    if (realNow() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => realSetImmediate(resolve));
  }
}

/** Resolves with the first emission of `event` or rejects after a real-time deadline. */
export function waitForEvent<A extends unknown[]>(
  emitter: { once(event: string, listener: (...args: A) => void): unknown; off(event: string, listener: (...args: A) => void): unknown },
  event: string,
  timeoutMs = 2000,
): Promise<A> {
  return new Promise<A>((resolve, reject) => {
    const timer = realSetTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for '${event}'`));
    }, timeoutMs);
    const listener = (...args: A): void => {
      realClearTimeout(timer);
      resolve(args);
    };
    emitter.once(event, listener);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// In-memory socket pair

/** One end of an in-memory socket pair: what one side writes, the other reads. Behaves like a net.Socket with
 * allowHalfOpen=false: when the peer ends, this side ends too; destroying one side closes both. */
export class MemorySocket extends Duplex {
  peer: MemorySocket | undefined;

  constructor() {
    super({ allowHalfOpen: false });
  }

  override _read(): void {
    // Data is pushed by the peer's _write.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    const peer = this.peer;
    if (!peer || peer.destroyed) {
      callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      return;
    }
    peer.push(Buffer.from(chunk));
    callback();
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    const peer = this.peer;
    if (peer && !peer.destroyed) {
      peer.push(null);
      peer.destroy();
    }
    callback(err);
  }
}

export function memorySocketPair(): [MemorySocket, MemorySocket] {
  const a = new MemorySocket();
  const b = new MemorySocket();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

// ---------------------------------------------------------------------------------------------------------------
// Packets

/** A packet the client sent, as the daemon decoded it. `raw` holds the exact bytes, length word included. */
export interface ReceivedPacket {
  header: Header;
  payload: Buffer;
  raw: Buffer;
}

/** The fields of a remote_error a test cares about; the rest default to null/0. */
export type RemoteErrorInit = Pick<RemoteError, 'code'> & Partial<RemoteError>;

export function makeRemoteError(init: RemoteErrorInit): RemoteError {
  return {
    domain: 0,
    message: null,
    level: 2,
    dom: null,
    str1: null,
    str2: null,
    str3: null,
    int1: 0,
    int2: 0,
    net: null,
    ...init,
  };
}

export function encodeRemoteError(init: RemoteErrorInit): Buffer {
  return encode(remoteError, makeRemoteError(init));
}

/** Builds one frame; `body` is raw bytes (stream data, pre-encoded XDR) or nothing. */
export function frame(header: Header, body?: Buffer): Buffer {
  return encodePacket(header, body);
}

export function keepaliveFrame(procedure: number): Buffer {
  return encodePacket({
    program: KEEPALIVE_PROGRAM,
    version: KEEPALIVE_PROTOCOL_VERSION,
    procedure,
    type: MessageType.MESSAGE,
    serial: 0,
    status: MessageStatus.OK,
  });
}

export const isPing = (p: ReceivedPacket): boolean =>
  p.header.program === KEEPALIVE_PROGRAM && p.header.procedure === KEEPALIVE_PROC_PING;
export const isPong = (p: ReceivedPacket): boolean =>
  p.header.program === KEEPALIVE_PROGRAM && p.header.procedure === KEEPALIVE_PROC_PONG;

// ---------------------------------------------------------------------------------------------------------------
// Calls

export type CallHandler = (call: IncomingCall) => void | Promise<void>;
type StreamListener = (packet: ReceivedPacket) => void;

/** A CALL the daemon received; the handler answers through it. Stream helpers use the call's proc and serial. */
export class IncomingCall {
  constructor(
    readonly conn: MockConnection,
    readonly packet: ReceivedPacket,
  ) {}

  get header(): Header {
    return this.packet.header;
  }

  get serial(): number {
    return this.packet.header.serial;
  }

  get procedure(): number {
    return this.packet.header.procedure;
  }

  args<T>(codec: Codec<T>): T {
    return decode(codec, this.packet.payload);
  }

  private headerFor(type: number, status: number): Header {
    const { program, version, procedure, serial } = this.packet.header;
    return { program, version, procedure, type, serial, status };
  }

  // Frames (for batching several packets into one write with conn.sendRaw(Buffer.concat([...])))

  replyFrame<R>(codec: Codec<R>, value: R): Buffer {
    return frame(this.headerFor(MessageType.REPLY, MessageStatus.OK), encode(codec, value));
  }

  replyRawFrame(payload: Buffer, status: number = MessageStatus.OK): Buffer {
    return frame(this.headerFor(MessageType.REPLY, status), payload);
  }

  errorFrame(err: RemoteErrorInit): Buffer {
    return frame(this.headerFor(MessageType.REPLY, MessageStatus.ERROR), encodeRemoteError(err));
  }

  streamFrame(status: number, data?: Buffer): Buffer {
    return frame(this.headerFor(MessageType.STREAM, status), data);
  }

  // Sending

  reply<R>(codec: Codec<R>, value: R): void {
    this.conn.sendRaw(this.replyFrame(codec, value));
  }

  replyRaw(payload: Buffer, status: number = MessageStatus.OK): void {
    this.conn.sendRaw(this.replyRawFrame(payload, status));
  }

  replyError(err: RemoteErrorInit): void {
    this.conn.sendRaw(this.errorFrame(err));
  }

  /** STREAM/CONTINUE with data. */
  streamData(data: Buffer): void {
    this.conn.sendRaw(this.streamFrame(MessageStatus.CONTINUE, data));
  }

  /** STREAM/CONTINUE with no data: end of the daemon's data. */
  streamEof(): void {
    this.conn.sendRaw(this.streamFrame(MessageStatus.CONTINUE));
  }

  /** STREAM/OK: confirms the client's finish. */
  streamFinish(): void {
    this.conn.sendRaw(this.streamFrame(MessageStatus.OK));
  }

  /** STREAM/ERROR, with a remote_error or (abort) empty. */
  streamError(err?: RemoteErrorInit): void {
    this.conn.sendRaw(this.streamFrame(MessageStatus.ERROR, err ? encodeRemoteError(err) : undefined));
  }

  /** STREAM packets the client sent with this call's serial so far. */
  streamPackets(): ReceivedPacket[] {
    return this.conn.received.filter((p) => p.header.type === MessageType.STREAM && p.header.serial === this.serial);
  }

  /** Calls `listener` for every STREAM packet the client sends with this call's serial from now on. */
  onStream(listener: StreamListener): () => void {
    return this.conn.onStream(this.serial, listener);
  }

  /** Answers the client's finish (STREAM/OK) with the daemon's STREAM/OK, as libvirtd does. */
  confirmFinish(): void {
    this.onStream((p) => {
      if (p.header.status === MessageStatus.OK) this.streamFinish();
    });
  }

  /** Waits for a STREAM packet of this call matching `predicate` (already received or yet to come). */
  waitForStream(predicate: (p: ReceivedPacket) => boolean, timeoutMs?: number): Promise<ReceivedPacket> {
    return this.conn.waitForPacket(
      (p) => p.header.type === MessageType.STREAM && p.header.serial === this.serial && predicate(p),
      timeoutMs,
    );
  }
}

/** Ready-made handlers. */
export const reply = {
  /** REPLY/OK with `value` (or what `value(call)` computes) encoded with `codec`. */
  ok<R>(codec: Codec<R>, value: R | ((call: IncomingCall) => R)): CallHandler {
    return (call) => call.reply(codec, typeof value === 'function' ? (value as (call: IncomingCall) => R)(call) : value);
  },
  /** REPLY/ERROR with a remote_error. */
  error(err: RemoteErrorInit): CallHandler {
    return (call) => call.replyError(err);
  },
  /** Never replies; the call is pushed to `sink` when given so the test can answer it later. */
  never(sink?: IncomingCall[]): CallHandler {
    return (call) => {
      sink?.push(call);
    };
  },
  /** Drops the connection instead of answering. */
  destroySocket(): CallHandler {
    return (call) => call.conn.destroy();
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Connections

interface MockConnectionEvents {
  packet: [packet: ReceivedPacket];
  call: [call: IncomingCall];
  close: [];
}

/** The daemon's side of one client connection. */
export class MockConnection extends EventEmitter<MockConnectionEvents> {
  /** Every packet the client sent, in order. */
  readonly received: ReceivedPacket[] = [];
  /** Every CALL, in order. */
  readonly calls: IncomingCall[] = [];
  /** Set when the client's bytes could not be framed. */
  framingError: Error | undefined;
  private readonly decoder = new PacketDecoder();
  private readonly streamListeners = new Map<number, Set<StreamListener>>();
  private isClosed = false;

  constructor(
    readonly daemon: MockDaemon,
    readonly socket: Duplex,
  ) {
    super();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {
      // The client going away mid-write is expected in tests that kill connections.
    });
    socket.on('close', () => {
      this.isClosed = true;
      this.emit('close');
    });
  }

  get closed(): boolean {
    return this.isClosed || this.socket.destroyed;
  }

  /** Writes bytes as they are (several frames, a partial frame, garbage). */
  sendRaw(bytes: Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(bytes);
  }

  send(header: Header, body?: Buffer): void {
    this.sendRaw(frame(header, body));
  }

  /** Pushes a MESSAGE packet (an event) with serial 0. */
  sendMessage<T>(procedure: number, codec: Codec<T>, value: T, program = REMOTE_PROGRAM, version = REMOTE_PROTOCOL_VERSION): void {
    this.sendRaw(this.messageFrame(procedure, codec, value, program, version));
  }

  messageFrame<T>(procedure: number, codec: Codec<T>, value: T, program = REMOTE_PROGRAM, version = REMOTE_PROTOCOL_VERSION): Buffer {
    return frame({ program, version, procedure, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK }, encode(codec, value));
  }

  ping(): void {
    this.sendRaw(keepaliveFrame(KEEPALIVE_PROC_PING));
  }

  pong(): void {
    this.sendRaw(keepaliveFrame(KEEPALIVE_PROC_PONG));
  }

  /** Half-closes (FIN); the client sees 'end'. */
  end(): void {
    this.socket.end();
  }

  /** Drops the connection abruptly. */
  destroy(): void {
    this.socket.destroy();
  }

  onStream(serial: number, listener: StreamListener): () => void {
    let set = this.streamListeners.get(serial);
    if (!set) {
      set = new Set();
      this.streamListeners.set(serial, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Resolves with the first packet (already received or yet to come) that matches. */
  waitForPacket(predicate: (p: ReceivedPacket) => boolean, timeoutMs = 2000): Promise<ReceivedPacket> {
    const found = this.received.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<ReceivedPacket>((resolve, reject) => {
      const timer = realSetTimeout(() => {
        this.off('packet', listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a packet from the client`));
      }, timeoutMs);
      const listener = (p: ReceivedPacket): void => {
        if (!predicate(p)) return;
        realClearTimeout(timer);
        this.off('packet', listener);
        resolve(p);
      };
      this.on('packet', listener);
    });
  }

  /** Waits until `n` CALLs arrived in total; returns them. */
  async waitForCalls(n: number, timeoutMs = 2000): Promise<IncomingCall[]> {
    await waitUntil(() => this.calls.length >= n, { timeoutMs, what: `${n} calls (got ${this.calls.length})` });
    return this.calls.slice(0, n);
  }

  private onData(chunk: Buffer): void {
    if (this.framingError) return;
    let packets;
    try {
      packets = this.decoder.push(chunk);
    } catch (err) {
      this.framingError = err as Error;
      return;
    }
    for (const { header, payload } of packets) {
      // The decoder hands out the payload as a view right behind the header; recover the exact frame bytes.
      const raw = Buffer.from(Buffer.from(payload.buffer, payload.byteOffset - HEADER_SIZE, payload.length + HEADER_SIZE));
      const packet: ReceivedPacket = { header: { ...header }, payload: raw.subarray(HEADER_SIZE), raw };
      this.received.push(packet);
      this.emit('packet', packet);
      this.dispatch(packet);
    }
  }

  private dispatch(packet: ReceivedPacket): void {
    const { header } = packet;
    if (header.program === KEEPALIVE_PROGRAM) {
      if (header.procedure === KEEPALIVE_PROC_PING && this.daemon.answerPings) this.pong();
      return;
    }
    if (header.type === MessageType.STREAM) {
      for (const listener of this.streamListeners.get(header.serial) ?? []) listener(packet);
      return;
    }
    if (header.type !== MessageType.CALL) return;
    const call = new IncomingCall(this, packet);
    this.calls.push(call);
    this.emit('call', call);
    const handler = this.daemon.handlerFor(header.program, header.procedure);
    if (!handler) {
      call.replyError({ code: 39, domain: 7, message: `mock daemon: no handler for procedure ${header.procedure}` });
      return;
    }
    void Promise.resolve()
      .then(() => handler(call))
      .catch((err: unknown) => {
        call.replyError({ code: 1, domain: 7, message: `mock daemon handler failed: ${(err as Error).message}` });
      });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The daemon

interface MockDaemonEvents {
  connection: [conn: MockConnection];
}

export type ConnectMode = 'unix' | 'memory';

export class MockDaemon extends EventEmitter<MockDaemonEvents> {
  /** Answer the client's keepalive PINGs with PONGs. */
  answerPings = true;
  readonly connections: MockConnection[] = [];
  private readonly handlers = new Map<string, CallHandler>();
  private server: net.Server | undefined;
  private dir: string | undefined;
  private path: string | undefined;

  /** Registers the handler of one procedure (remote program unless told otherwise). */
  handle(procedure: number, handler: CallHandler, program = REMOTE_PROGRAM): this {
    this.handlers.set(`${program}:${procedure}`, handler);
    return this;
  }

  handlerFor(program: number, procedure: number): CallHandler | undefined {
    return this.handlers.get(`${program}:${procedure}`);
  }

  /** The unix socket path, once listening. */
  get socketPath(): string | undefined {
    return this.path;
  }

  /** Starts the unix-socket server (idempotent); returns its path. */
  async listen(): Promise<string> {
    if (this.path) return this.path;
    this.dir = await mkdtemp(path.join(os.tmpdir(), 'vireo-mockd-'));
    const socketPath = path.join(this.dir, 'libvirt-sock');
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.path = socketPath;
    return socketPath;
  }

  /** Connects a new client; resolves once both ends exist. */
  async connect(mode: ConnectMode = 'unix'): Promise<{ socket: Duplex; conn: MockConnection }> {
    if (mode === 'memory') {
      const [client, server] = memorySocketPair();
      const conn = this.accept(server);
      return { socket: client, conn };
    }
    const socketPath = await this.listen();
    const accepted = waitForEvent<[MockConnection]>(this, 'connection');
    const socket = net.createConnection(socketPath);
    await waitForEvent<[]>(socket, 'connect');
    const [conn] = await accepted;
    return { socket, conn };
  }

  /** A Transport for LibvirtConnection.open(uri, { transport }). */
  transport(mode: ConnectMode = 'unix'): Transport {
    return {
      description: `mock:${mode}`,
      connect: async () => (await this.connect(mode)).socket,
    };
  }

  /** Destroys every connection, stops listening and removes the tmp dir. */
  async close(): Promise<void> {
    for (const conn of this.connections) conn.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.path = undefined;
  }

  private accept(socket: Duplex): MockConnection {
    const conn = new MockConnection(this, socket);
    this.connections.push(conn);
    this.emit('connection', conn);
    return conn;
  }
}
