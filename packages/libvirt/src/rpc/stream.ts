import { Duplex } from 'node:stream';
import type { StreamDirection } from '../procedures/types.js';
import { MessageStatus, MessageType, STREAM_CHUNK_MAX } from './constants.js';
import { ProtocolError } from './errors.js';
import type { Header, Packet } from './packet.js';

/** What a stream needs from its connection; implemented by RpcClient. */
export interface StreamHost {
  readonly description: string;
  writeStreamPacket(header: Header, data?: Buffer): boolean;
  waitForDrain(callback: () => void): void;
  pauseReading(): void;
  resumeReading(): void;
  forgetStream(serial: number): void;
  decodeError(payload: Buffer, name: string): Error;
}

export interface StreamId {
  program: number;
  version: number;
  procedure: number;
  serial: number;
  /** The method that opened it, for errors. */
  name: string;
}

/**
 * A libvirt stream (console, screenshot, volume upload/download) as a Node Duplex.
 * Backpressure: writes wait for the socket to drain; when the reader is slow the socket stops being read, which is
 * why streams belong on their own connection. Ending the writable side sends libvirt's finish and waits for the
 * daemon to confirm it; destroying the stream early aborts it on the daemon.
 */
export class LibvirtStream extends Duplex {
  private finishCallback: ((err?: Error | null) => void) | undefined;
  private finished = false;
  private finishSent = false;
  private paused = false;

  constructor(
    private readonly host: StreamHost,
    readonly id: StreamId,
    readonly direction: StreamDirection,
  ) {
    // A download ends its writable side by itself once all data was read, which sends the finish libvirt expects.
    super({ allowHalfOpen: direction !== 'read' });
  }

  private header(status: number): Header {
    return {
      program: this.id.program,
      version: this.id.version,
      procedure: this.id.procedure,
      type: MessageType.STREAM,
      serial: this.id.serial,
      status,
    };
  }

  /** Called by the connection for every STREAM packet with this stream's serial. */
  handlePacket(packet: Packet): void {
    const { header, payload } = packet;
    if (header.type === MessageType.STREAM_HOLE) {
      this.failSoon(new ProtocolError(`${this.id.name} on ${this.host.description}: sparse stream holes are not supported`));
      return;
    }
    switch (header.status) {
      case MessageStatus.CONTINUE:
        if (payload.length === 0) {
          if (this.direction === 'read') {
            // A download is over once the daemon confirms our finish: only then does the reader see its end, so a
            // call made right after (deleting the volume, say) never races the stream's teardown on the daemon.
            this.sendFinish();
          } else if (this.direction === 'write') {
            this.completeFinish();
          } else {
            this.push(null);
          }
          return;
        }
        if (!this.push(payload) && !this.paused) {
          this.paused = true;
          this.host.pauseReading();
        }
        return;
      case MessageStatus.OK:
        this.completeFinish();
        return;
      case MessageStatus.ERROR: {
        this.finished = true;
        const err =
          payload.length > 0
            ? this.host.decodeError(payload, this.id.name)
            : new Error(`${this.id.name} on ${this.host.description}: stream aborted by the daemon`);
        this.failSoon(err);
        return;
      }
      default:
        this.failSoon(new ProtocolError(`${this.id.name} on ${this.host.description}: bad stream status ${header.status}`));
    }
  }

  /**
   * Errors the stream on the next turn of the event loop. A failure can arrive in the same socket chunk as the reply
   * that opened the stream, before the caller's `await callStream(...)` has resumed and attached an 'error'
   * listener; destroying right away would emit 'error' with no listener, an uncaught exception.
   */
  private failSoon(err: Error): void {
    this.host.forgetStream(this.id.serial);
    setImmediate(() => this.destroy(err));
  }

  private completeFinish(): void {
    this.finished = true;
    this.host.forgetStream(this.id.serial);
    // The daemon's STREAM/OK ends the stream both ways: no data follows it (for a download, EOF came before).
    this.push(null);
    const cb = this.finishCallback;
    this.finishCallback = undefined;
    cb?.();
  }

  override _read(): void {
    if (this.paused) {
      this.paused = false;
      this.host.resumeReading();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.direction === 'read') {
      callback(new Error(`${this.id.name}: this stream only carries data from the daemon`));
      return;
    }
    let ok = true;
    for (let off = 0; off < chunk.length; off += STREAM_CHUNK_MAX) {
      ok = this.host.writeStreamPacket(this.header(MessageStatus.CONTINUE), chunk.subarray(off, off + STREAM_CHUNK_MAX));
    }
    if (ok) callback();
    else this.host.waitForDrain(() => callback());
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (this.finished) {
      callback();
      return;
    }
    this.finishCallback = callback;
    this.sendFinish();
  }

  /** libvirt's virStreamFinish: STREAM/OK, answered by the daemon's STREAM/OK. Sent once. */
  private sendFinish(): void {
    if (this.finishSent) return;
    this.finishSent = true;
    this.host.writeStreamPacket(this.header(MessageStatus.OK));
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (!this.finished) {
      this.finished = true;
      // Tell the daemon to drop its end, unless the connection itself is what failed.
      this.host.writeStreamPacket(this.header(MessageStatus.ERROR));
    }
    this.host.forgetStream(this.id.serial);
    if (this.paused) {
      this.paused = false;
      this.host.resumeReading();
    }
    const cb = this.finishCallback;
    this.finishCallback = undefined;
    cb?.(err ?? new Error(`${this.id.name}: stream destroyed before the daemon confirmed the finish`));
    callback(err);
  }
}
