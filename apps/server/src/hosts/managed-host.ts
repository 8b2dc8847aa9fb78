import { EventEmitter } from 'node:events';
import { ProblemType } from '@vireo/api';
import { HostConnections, type LibvirtConnection, type OpenOptions } from '@vireo/libvirt';
import { HttpProblem } from '../errors/http-problem.js';
import type { HostAccess } from '../host-access/host-access.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { describeError, type HealthRecord } from './host-health.js';

export interface ManagedHostOptions {
  backoff: BackoffOptions;
  /** Failed attempts in a row after which the host reads `down` rather than `reconnecting`. */
  downAfterAttempts: number;
  /** Passed to every connection opened (keepalive, connect timeout). */
  open: OpenOptions;
  now?: () => number;
  random?: () => number;
}

/**
 * Runs on every new shared connection before the host counts as connected: event registration, rebuilding the
 * per-host state. If one fails, the connection is dropped and retried with backoff like a failed connect.
 */
export type ConnectionSetup = (conn: LibvirtConnection) => Promise<void>;

interface ManagedHostEvents {
  health: [HealthRecord];
  /** The shared connection is open and every setup ran on it. */
  connected: [LibvirtConnection];
  /** The shared connection closed; reconnection is scheduled. */
  disconnected: [LibvirtConnection];
}

/**
 * One libvirt host: its connections (one shared, dedicated ones for streams and long jobs), its health, and
 * reconnection with exponential backoff when libvirtd goes away. `@vireo/libvirt` never reconnects by itself; this
 * class owns that decision.
 *
 * Requests never wait for a connection: while the host is not connected, `connection()` fails at once with 503, so
 * a restarting daemon costs callers an error they can retry, never a hung request.
 */
export class ManagedHost extends EventEmitter<ManagedHostEvents> {
  readonly connections: HostConnections;
  private readonly setups: ConnectionSetup[] = [];
  private current: LibvirtConnection | undefined;
  private record: HealthRecord;
  private retryTimer: NodeJS.Timeout | undefined;
  private connecting = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    readonly id: string,
    readonly uri: string,
    readonly access: HostAccess,
    private readonly options: ManagedHostOptions,
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.connections = new HostConnections(uri, options.open);
    this.record = { state: 'reconnecting', since: this.now(), lastError: null, attempts: 0 };
  }

  /** The URI without its query string (which may name key files): what the API shows. */
  get displayUri(): string {
    return this.uri.split('?', 1)[0] ?? this.uri;
  }

  get health(): HealthRecord {
    return { ...this.record };
  }

  get connected(): boolean {
    return this.record.state === 'connected' && this.current !== undefined && !this.current.closed;
  }

  /** Adds work to run on every new connection, in the order added. */
  addSetup(setup: ConnectionSetup): void {
    this.setups.push(setup);
  }

  /** Starts connecting in the background; health reports how it goes. */
  start(): void {
    if (this.stopped || this.connecting || this.current) return;
    void this.connect();
  }

  /** The shared connection, or a 503 problem at once when the host is not connected. */
  connection(): LibvirtConnection {
    const conn = this.current;
    if (this.record.state === 'connected' && conn && !conn.closed) return conn;
    const why = this.record.lastError ? ` (last error: ${this.record.lastError})` : '';
    throw new HttpProblem(503, 'libvirt unavailable', {
      type: ProblemType.libvirtUnavailable,
      detail: `host ${this.id}: libvirt is ${this.record.state}${why}`,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(this.nextRetryMs() / 1000))) },
    });
  }

  private nextRetryMs(): number {
    return backoffDelay(this.record.attempts + 1, { ...this.options.backoff, jitter: 0 });
  }

  private async connect(): Promise<void> {
    this.connecting = true;
    let conn: LibvirtConnection | undefined;
    try {
      conn = await this.connections.shared();
      if (this.stopped) return;
      for (const setup of this.setups) await setup(conn);
      if (conn.closed) throw new Error('the connection closed while it was being set up');
      this.current = conn;
      const opened = conn;
      opened.once('close', (err) => this.onClose(opened, err));
      this.setHealth('connected', this.record.lastError, 0);
      this.emit('connected', opened);
    } catch (err) {
      if (this.stopped) return;
      // A half-set-up connection (events registered, state not rebuilt) must not linger: the next attempt starts clean.
      if (conn && !conn.closed) await conn.close().catch(() => undefined);
      const attempts = this.record.attempts + 1;
      this.setHealth(attempts >= this.options.downAfterAttempts ? 'down' : 'reconnecting', describeError(err), attempts);
      this.scheduleRetry(backoffDelay(attempts, this.options.backoff, this.options.random));
    } finally {
      this.connecting = false;
    }
  }

  private onClose(conn: LibvirtConnection, err: Error | undefined): void {
    if (conn !== this.current) return;
    this.current = undefined;
    if (this.stopped) return;
    this.setHealth('reconnecting', err ? describeError(err) : `the connection to ${this.displayUri} closed`, 0);
    this.emit('disconnected', conn);
    // The first retry comes at once: a daemon restart is the common case, and it is back within a second.
    this.scheduleRetry(0);
  }

  private scheduleRetry(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped && !this.connecting && !this.current) void this.connect();
    }, delayMs);
    this.retryTimer.unref();
  }

  /** `since` moves only when the state does: "down since 10:02" stays true across further failed attempts. */
  private setHealth(state: HealthRecord['state'], lastError: string | null, attempts: number): void {
    const prev = this.record;
    if (state === prev.state && lastError === prev.lastError && attempts === prev.attempts) return;
    this.record = { state, since: state === prev.state ? prev.since : this.now(), lastError, attempts };
    this.emit('health', this.health);
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.current = undefined;
    await this.connections.close();
  }
}
