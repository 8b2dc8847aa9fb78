import { LibvirtConnection, type OpenOptions } from './connection.js';

/**
 * The connections Vireo holds to one libvirt daemon: one shared connection for ordinary calls and event
 * subscriptions, used by every request, and dedicated ones for streams and long jobs.
 *
 * Why: libvirtd runs at most `max_client_requests` (5) calls of one client at a time, and a stream whose reader is
 * slow pauses its whole socket. A console, an upload or a migration on the shared connection would stall every
 * other request of the host; on a connection of its own it stalls nothing.
 *
 * This class does not reconnect: when the shared connection closes it stays closed until the owner (the server's
 * host manager, which decides backoff and reports health) calls `shared()` again.
 */
export class HostConnections {
  private sharedConn: Promise<LibvirtConnection> | undefined;
  private readonly dedicatedConns = new Set<LibvirtConnection>();
  private isClosed = false;

  constructor(
    readonly uri: string,
    private readonly options: OpenOptions = {},
  ) {}

  /** The shared connection; concurrent callers get the same one. Opens it when there is none or it closed. */
  shared(): Promise<LibvirtConnection> {
    if (this.isClosed) return Promise.reject(new Error(`connections to ${this.uri} are closed`));
    const current = this.sharedConn;
    if (current) {
      return current.then(
        (conn) => (conn.closed ? this.openShared() : conn),
        () => this.openShared(),
      );
    }
    return this.openShared();
  }

  private openShared(): Promise<LibvirtConnection> {
    const opening = LibvirtConnection.open(this.uri, this.options);
    this.sharedConn = opening;
    // A failed open is not cached as the answer: the next caller tries again.
    opening.catch(() => {
      if (this.sharedConn === opening) this.sharedConn = undefined;
    });
    return opening;
  }

  /** A new connection of its own, for a stream or a long job; closing it is the caller's (or `close()`'s) job. */
  async dedicated(): Promise<LibvirtConnection> {
    if (this.isClosed) throw new Error(`connections to ${this.uri} are closed`);
    const conn = await LibvirtConnection.open(this.uri, this.options);
    this.dedicatedConns.add(conn);
    conn.once('close', () => this.dedicatedConns.delete(conn));
    return conn;
  }

  /** Runs `job` on a dedicated connection and closes it afterwards, however the job ends. */
  async withDedicated<T>(job: (conn: LibvirtConnection) => Promise<T>): Promise<T> {
    const conn = await this.dedicated();
    try {
      return await job(conn);
    } finally {
      await conn.close();
    }
  }

  /** Open dedicated connections, for health reporting and tests. */
  get dedicatedCount(): number {
    return this.dedicatedConns.size;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    const shared = this.sharedConn;
    this.sharedConn = undefined;
    const all = [...this.dedicatedConns];
    this.dedicatedConns.clear();
    await Promise.allSettled([...all.map((c) => c.close()), shared?.then((c) => c.close())]);
  }
}
