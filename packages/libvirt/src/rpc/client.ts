import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { remoteError } from '../procedures/remote-types.js';
import type { ProcedureDef, StreamDirection } from '../procedures/types.js';
import { decode, XdrError } from '../xdr/index.js';
import {
  KEEPALIVE_PROC_PING,
  KEEPALIVE_PROC_PONG,
  KEEPALIVE_PROGRAM,
  KEEPALIVE_PROTOCOL_VERSION,
  MessageStatus,
  MessageType,
} from './constants.js';
import { CallTimeoutError, ConnectionClosedError, LibvirtError, ProtocolError } from './errors.js';
import { encodePacket, PacketDecoder, type Header, type Packet } from './packet.js';
import { LibvirtStream } from './stream.js';

export interface KeepaliveOptions {
  /** Idle time before we ping the peer. libvirt's clients use 5 s. */
  intervalMs: number;
  /** Unanswered pings before the peer is declared dead. libvirt's clients use 6. */
  count: number;
}

export interface CallOptions {
  /** Rejects the call with CallTimeoutError after this long; 0 disables. Defaults to the client's callTimeoutMs. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RpcClientOptions {
  /** Names the peer in every error, e.g. `unix:/var/run/libvirt/libvirt-sock`. */
  description: string;
  /** Default per-call timeout in ms (0 = none). */
  callTimeoutMs?: number;
  /**
   * Calls on the wire at once; more wait here. libvirtd stops reading a client's socket while it has
   * `max_client_requests` (default 5) calls in progress, keepalive answers included, and then drops it as dead.
   */
  maxInFlight?: number;
}

/** libvirtd's default max_client_requests. */
export const DEFAULT_MAX_IN_FLIGHT = 5;

/** A program (remote or QEMU) the calls go to. */
export interface ProgramId {
  program: number;
  version: number;
}

interface PendingCall {
  procedure: string;
  /** On the wire (holding one of the daemon's request slots), not waiting in our queue. */
  sent: boolean;
  decodeReply: (packet: Packet) => void;
  fail: (err: Error) => void;
}

type MessageHandler = (packet: Packet) => void;

interface RpcClientEvents {
  close: [error: Error | undefined];
}

/**
 * One libvirt RPC connection: multiplexes concurrent calls by serial, routes stream packets to their streams and
 * pushed messages (events) to handlers, answers and sends keepalive pings. It knows programs and procedure
 * definitions but nothing about libvirt objects.
 */
export class RpcClient extends EventEmitter<RpcClientEvents> {
  readonly description: string;
  private readonly decoder = new PacketDecoder();
  private readonly pending = new Map<number, PendingCall>();
  private readonly streams = new Map<number, LibvirtStream>();
  /**
   * Stream packets that came before the reply opening their stream (by serial). libvirtd may start a download
   * (a screenshot, say) as soon as the call is dispatched, so its data can overtake the reply on the wire; libvirt's
   * own client registers the stream before calling for the same reason.
   */
  private readonly earlyStreamPackets = new Map<number, Packet[]>();
  private readonly messageHandlers = new Map<number, MessageHandler>();
  private nextSerial = 1;
  private closedWith: Error | undefined;
  private isClosed = false;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private lastReceived = Date.now();
  private unansweredPings = 0;
  private readonly callTimeoutMs: number;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly waiting: { serial: number; packet: Buffer }[] = [];
  /** Sent calls we stopped waiting for (timeout, abort): their slot on the daemon is busy until the reply comes. */
  private readonly abandoned = new Set<number>();

  constructor(
    private readonly socket: Duplex,
    options: RpcClientOptions,
  ) {
    super();
    this.description = options.description;
    this.callTimeoutMs = options.callTimeoutMs ?? 0;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.shutdown(new ConnectionClosedError(`connection to ${this.description} failed: ${err.message}`, { cause: err })));
    socket.on('end', () => this.shutdown(new ConnectionClosedError(`connection to ${this.description} closed by the daemon`)));
    socket.on('close', () => this.shutdown(new ConnectionClosedError(`connection to ${this.description} closed`)));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Why the connection closed, once it has. */
  get closeReason(): Error | undefined {
    return this.closedWith;
  }

  /** Handles MESSAGE packets (events) of one program. */
  onMessages(program: number, handler: MessageHandler): void {
    this.messageHandlers.set(program, handler);
  }

  call<A, R>(program: ProgramId, name: string, def: ProcedureDef<A, R>, args: A, options: CallOptions = {}): Promise<R> {
    return this.send(program, name, def, args, options, (packet) => decode(def.ret, packet.payload));
  }

  /** Calls a procedure that opens a stream; resolves once the daemon accepted it, with the stream ready for data. */
  callStream<A, R>(
    program: ProgramId,
    name: string,
    def: ProcedureDef<A, R>,
    args: A,
    direction: StreamDirection,
    options: CallOptions = {},
  ): Promise<{ ret: R; stream: LibvirtStream }> {
    return this.send(program, name, def, args, options, (packet) => {
      const ret = decode(def.ret, packet.payload);
      // Registered while handling the reply so stream packets right behind it in the same chunk find their stream.
      const stream = new LibvirtStream(this, { ...program, procedure: def.number, serial: packet.header.serial, name }, direction);
      this.streams.set(packet.header.serial, stream);
      const early = this.earlyStreamPackets.get(packet.header.serial);
      this.earlyStreamPackets.delete(packet.header.serial);
      for (const p of early ?? []) stream.handlePacket(p);
      return { ret, stream };
    });
  }

  private send<A, T>(
    program: ProgramId,
    name: string,
    def: ProcedureDef<A, unknown>,
    args: A,
    options: CallOptions,
    onReply: (packet: Packet) => T,
  ): Promise<T> {
    if (this.isClosed) {
      return Promise.reject(new ConnectionClosedError(`${name}: connection to ${this.description} is closed`, { cause: this.closedWith }));
    }
    const serial = this.allocateSerial();
    let packet: Buffer;
    try {
      packet = encodePacket(
        { program: program.program, version: program.version, procedure: def.number, type: MessageType.CALL, serial, status: MessageStatus.OK },
        { codec: def.args, value: args },
      );
    } catch (err) {
      const cause = err instanceof Error ? err : new Error(String(err));
      return Promise.reject(cause instanceof XdrError ? new XdrError(`${name}: bad arguments: ${cause.message}`) : cause);
    }
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.callTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const cleanup = (replied: boolean): void => {
        const entry = this.pending.get(serial);
        this.pending.delete(serial);
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (entry?.sent) {
          if (replied) this.releaseSlot();
          else this.abandoned.add(serial);
        } else {
          const queued = this.waiting.findIndex((w) => w.serial === serial);
          if (queued >= 0) this.waiting.splice(queued, 1);
        }
      };
      const fail = (err: Error): void => {
        cleanup(false);
        this.earlyStreamPackets.delete(serial);
        reject(err);
      };
      const onAbort = (): void => fail(new Error(`${name} on ${this.description}: aborted`, { cause: options.signal?.reason }));
      if (timeoutMs > 0) {
        timer = setTimeout(() => fail(new CallTimeoutError(`${name} on ${this.description}: no reply within ${timeoutMs} ms`)), timeoutMs);
      }
      if (options.signal) {
        if (options.signal.aborted) return onAbort();
        options.signal.addEventListener('abort', onAbort, { once: true });
      }
      this.pending.set(serial, {
        procedure: name,
        sent: false,
        fail,
        decodeReply: (reply) => {
          cleanup(true);
          if (reply.header.status === MessageStatus.OK) {
            try {
              resolve(onReply(reply));
            } catch (err) {
              reject(new ProtocolError(`${name} on ${this.description}: undecodable reply: ${(err as Error).message}`));
            }
          } else {
            reject(this.decodeError(reply.payload, name));
          }
          // onReply took what arrived early for its stream; after a failed call it has no one to go to.
          this.earlyStreamPackets.delete(serial);
        },
      });
      this.waiting.push({ serial, packet });
      this.pump();
    });
  }

  /** Puts queued calls on the wire while the daemon has request slots free. */
  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0 && !this.isClosed) {
      const next = this.waiting.shift()!;
      const entry = this.pending.get(next.serial);
      if (!entry) continue;
      entry.sent = true;
      this.inFlight++;
      this.socket.write(next.packet);
    }
  }

  private releaseSlot(): void {
    this.inFlight--;
    this.pump();
  }

  private allocateSerial(): number {
    // Serial 0 is what MESSAGE packets carry, so calls never use it.
    for (;;) {
      const serial = this.nextSerial;
      this.nextSerial = this.nextSerial >= 0xffffffff ? 1 : this.nextSerial + 1;
      if (!this.pending.has(serial) && !this.streams.has(serial) && !this.abandoned.has(serial)) return serial;
    }
  }

  decodeError(payload: Buffer, name: string): Error {
    try {
      return new LibvirtError(decode(remoteError, payload), name, this.description);
    } catch (err) {
      return new ProtocolError(`${name} on ${this.description}: undecodable error reply: ${(err as Error).message}`);
    }
  }

  /** Writes a stream packet; returns false when the socket wants the writer to wait for 'drain'. */
  writeStreamPacket(header: Header, data?: Buffer): boolean {
    if (this.isClosed) return true;
    return this.socket.write(encodePacket(header, data));
  }

  /** Waits until the socket drained its write buffer (or closed). */
  waitForDrain(callback: () => void): void {
    if (this.isClosed) return callback();
    const done = (): void => {
      this.socket.off('drain', done);
      this.off('close', done);
      callback();
    };
    this.socket.once('drain', done);
    this.once('close', done);
  }

  /** A stream's consumer is slow: stop reading the socket (streams get dedicated connections for this reason). */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  forgetStream(serial: number): void {
    this.streams.delete(serial);
  }

  /**
   * Sends a PING after intervalMs without hearing from the peer; after `count` unanswered pings the peer is dead and
   * the connection is closed, failing every pending call.
   */
  startKeepalive({ intervalMs, count }: KeepaliveOptions): void {
    this.stopKeepalive();
    this.lastReceived = Date.now();
    this.keepaliveTimer = setInterval(() => {
      if (Date.now() - this.lastReceived < intervalMs) return;
      if (this.unansweredPings >= count) {
        const err = new ConnectionClosedError(
          `connection to ${this.description} is dead: no answer to ${count} keepalive pings in ${Math.round((intervalMs * (count + 1)) / 1000)} s`,
        );
        this.abort(err);
        return;
      }
      this.unansweredPings++;
      this.sendKeepalive(KEEPALIVE_PROC_PING);
    }, intervalMs);
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }

  private sendKeepalive(procedure: number): void {
    if (this.isClosed) return;
    this.socket.write(
      encodePacket({
        program: KEEPALIVE_PROGRAM,
        version: KEEPALIVE_PROTOCOL_VERSION,
        procedure,
        type: MessageType.MESSAGE,
        serial: 0,
        status: MessageStatus.OK,
      }),
    );
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = Date.now();
    this.unansweredPings = 0;
    let packets: Packet[];
    try {
      packets = this.decoder.push(chunk);
    } catch (err) {
      // After a framing error the byte stream cannot be trusted any more.
      this.abort(new ProtocolError(`connection to ${this.description}: ${(err as Error).message}`));
      return;
    }
    for (const packet of packets) this.dispatch(packet);
  }

  private dispatch(packet: Packet): void {
    const { header } = packet;
    if (header.program === KEEPALIVE_PROGRAM) {
      if (header.procedure === KEEPALIVE_PROC_PING) this.sendKeepalive(KEEPALIVE_PROC_PONG);
      return;
    }
    switch (header.type) {
      case MessageType.REPLY:
      case MessageType.REPLY_WITH_FDS:
        {
          const call = this.pending.get(header.serial);
          if (call) call.decodeReply(packet);
          // A late reply for a call we gave up on: dropped, but its daemon slot is free again.
          else if (this.abandoned.delete(header.serial)) this.releaseSlot();
        }
        return;
      case MessageType.STREAM:
      case MessageType.STREAM_HOLE: {
        const stream = this.streams.get(header.serial);
        if (stream) stream.handlePacket(packet);
        else if (this.pending.has(header.serial)) {
          const early = this.earlyStreamPackets.get(header.serial);
          if (early) early.push(packet);
          else this.earlyStreamPackets.set(header.serial, [packet]);
        }
        return;
      }
      case MessageType.MESSAGE:
        this.messageHandlers.get(header.program)?.(packet);
        return;
      default:
        // CALLs from the daemon are not part of libvirt's protocol; ignore rather than kill the connection.
        return;
    }
  }

  /** Fails everything pending exactly once and emits close. */
  private shutdown(reason: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedWith = reason;
    this.stopKeepalive();
    const calls = [...this.pending.values()];
    this.pending.clear();
    this.waiting.length = 0;
    this.abandoned.clear();
    for (const call of calls) {
      call.fail(new ConnectionClosedError(`${call.procedure}: ${reason.message}`, { cause: reason }));
    }
    const streams = [...this.streams.values()];
    this.streams.clear();
    this.earlyStreamPackets.clear();
    for (const stream of streams) stream.destroy(new ConnectionClosedError(reason.message, { cause: reason }));
    this.emit('close', reason);
  }

  /** Drops the connection because of a local failure (e.g. a message that breaks the protocol). */
  abort(reason: Error): void {
    this.shutdown(reason);
    this.socket.destroy();
  }

  /** Closes the socket; pending calls fail with ConnectionClosedError. */
  close(): Promise<void> {
    if (this.isClosed && this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        this.shutdown(new ConnectionClosedError(`connection to ${this.description} closed by the client`));
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
      this.shutdown(new ConnectionClosedError(`connection to ${this.description} closed by the client`));
      this.socket.end();
      // A peer that never answers our FIN must not keep the caller waiting.
      setTimeout(() => this.socket.destroy(), 2000).unref();
    });
  }
}
