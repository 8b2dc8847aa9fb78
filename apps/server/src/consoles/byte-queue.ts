/**
 * Bytes arriving in chunks, read back in exact lengths: the RFB handshake is a few fixed-size messages, and a
 * chunk may hold part of one or several of them. What is left after the handshake goes on to the proxy.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.wake();
  }

  /** No more bytes will come: a pending or later read fails with this. */
  fail(err: Error): void {
    this.failure = err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(err);
  }

  read(n: number): Promise<Buffer> {
    if (this.waiter) return Promise.reject(new Error('ByteQueue: one read at a time'));
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
      this.wake();
    });
  }

  /** Everything not read yet, leaving the queue empty. */
  drain(): Buffer {
    const all = Buffer.concat(this.chunks, this.length);
    this.chunks = [];
    this.length = 0;
    return all;
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.length >= w.n) {
      this.waiter = null;
      const all = this.drain();
      if (all.length > w.n) this.push(all.subarray(w.n));
      w.resolve(all.subarray(0, w.n));
    } else if (this.failure) {
      this.waiter = null;
      w.reject(this.failure);
    }
  }
}
