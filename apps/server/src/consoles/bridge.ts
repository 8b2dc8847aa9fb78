import type { Duplex } from 'node:stream';
import type { WebSocket } from '@fastify/websocket';
import { ConsoleCloseCode } from '@vireo/api';
import { ByteQueue } from './byte-queue.js';

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Collects what the browser sends before the console side is ready (a SPICE client speaks first; a terminal may
 * type early), so nothing is lost while the proxy connects. `take` hands the bytes and the socket's messages over.
 */
export class EarlyMessages {
  readonly queue = new ByteQueue();
  private readonly onMessage = (data: Buffer | ArrayBuffer | Buffer[]) => this.queue.push(toBuffer(data));
  private readonly onClose = () => this.queue.fail(new Error('the browser closed the console'));

  constructor(private readonly ws: WebSocket) {
    ws.on('message', this.onMessage);
    ws.once('close', this.onClose);
  }

  /** Stops collecting; returns what was not read yet. */
  take(): Buffer {
    this.ws.off('message', this.onMessage);
    this.ws.off('close', this.onClose);
    return this.queue.drain();
  }
}

/**
 * Joins a browser WebSocket and a console byte stream until either ends: binary frames one way, writes the other,
 * with backpressure both ways (a slow browser pauses the display, a slow display pauses the socket). When the
 * console side ends, the socket closes with ConsoleCloseCode.ended; when the socket closes, the stream is destroyed.
 */
export function bridge(ws: WebSocket, peer: Duplex, pending: { toPeer?: Buffer; toBrowser?: Buffer } = {}): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (code?: number, reason?: string) => {
      if (done) return;
      done = true;
      peer.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
        if (code === undefined) ws.close();
        else ws.close(code, reason);
      }
      resolve();
    };

    // The console side's chunks may share one read buffer (HostAccess.connect): a frame the socket could not write
    // at once still points into it, so the console side stays paused until that frame is out. The kernel's socket
    // buffers keep the stream moving meanwhile; this is also the backpressure from a slow browser.
    let held = 0;
    const sent = () => {
      held--;
      if (held === 0 && !done) peer.resume();
    };
    const toBrowser = (chunk: Buffer) => {
      held++;
      ws.send(chunk, { binary: true }, sent);
      if (ws.bufferedAmount > 0) peer.pause();
    };

    peer.on('data', toBrowser);
    // A stream paused before the bridge would not flow for a 'data' listener alone. Resumed before the handshake's
    // leftovers are sent, so that a pause for them holds; the stream's own data flows from the next tick, after them.
    peer.resume();
    if (pending.toBrowser && pending.toBrowser.length > 0) toBrowser(pending.toBrowser);
    if (pending.toPeer && pending.toPeer.length > 0) peer.write(pending.toPeer);
    peer.once('end', () => finish(ConsoleCloseCode.ended, 'console ended'));
    peer.once('close', () => finish(ConsoleCloseCode.ended, 'console ended'));
    peer.once('error', (err: Error) => finish(ConsoleCloseCode.ended, `console ended: ${err.message}`.slice(0, 120)));

    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      if (!peer.write(toBuffer(data))) {
        ws.pause();
        peer.once('drain', () => ws.resume());
      }
    });
    ws.once('close', () => finish());
    ws.once('error', () => finish());
  });
}
