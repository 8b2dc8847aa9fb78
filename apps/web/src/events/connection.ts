import type { EventMessage } from '@vireo/api';
import type { QueryClient } from '@tanstack/react-query';
import { applyEvent, eventsUrl, initialCursor, type EventCursor } from './apply.js';

export type EventsStatus = 'connecting' | 'open' | 'closed';

export interface EventsConnectionOptions {
  client: QueryClient;
  /** Builds the socket URL from the cursor (defaults to this page's origin). */
  url?: (cursor: EventCursor) => string;
  /** No message (heartbeats included) for this long: the socket is taken for dead and replaced. */
  heartbeatTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Called after a connection that never opened failed: the session may have expired. */
  onConnectFailed?: () => void;
  onStatus?: (status: EventsStatus) => void;
  WebSocketImpl?: typeof WebSocket;
}

/**
 * The one events WebSocket: snapshot then deltas into the query cache; reconnects with `since` + `epoch` and
 * exponential backoff; a silent socket (no heartbeat) is closed and replaced; a gap in seq reconnects at once.
 */
export class EventsConnection {
  readonly cursor: EventCursor = initialCursor();
  private socket: WebSocket | null = null;
  private stopped = true;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private readonly opts: Required<Omit<EventsConnectionOptions, 'onConnectFailed' | 'onStatus' | 'WebSocketImpl'>> &
    Pick<EventsConnectionOptions, 'onConnectFailed' | 'onStatus' | 'WebSocketImpl'>;

  constructor(options: EventsConnectionOptions) {
    this.opts = {
      url: (cursor) => eventsUrl(window.location, cursor),
      heartbeatTimeoutMs: 40_000,
      minBackoffMs: 500,
      maxBackoffMs: 15_000,
      ...options,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.opts.onStatus?.('closed');
  }

  /** The delay before reconnect attempt `n` (1-based): doubling from the minimum, capped, with jitter. */
  backoffMs(n: number): number {
    const base = Math.min(this.opts.maxBackoffMs, this.opts.minBackoffMs * 2 ** Math.max(0, n - 1));
    return Math.round(base * (0.75 + Math.random() * 0.25));
  }

  private connect(): void {
    if (this.stopped) return;
    this.opts.onStatus?.('connecting');
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    const socket = new Impl(this.opts.url(this.cursor));
    this.socket = socket;
    let received = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.opts.onStatus?.('open');
      this.armWatchdog();
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      received = true;
      this.attempts = 0;
      this.armWatchdog();
      let msg: EventMessage;
      try {
        msg = JSON.parse(event.data) as EventMessage;
      } catch {
        return;
      }
      if (applyEvent(this.opts.client, this.cursor, msg) === 'gap') this.replace(0);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (this.stopped) return;
      this.opts.onStatus?.('closed');
      if (!received) this.opts.onConnectFailed?.();
      this.attempts += 1;
      this.schedule(this.backoffMs(this.attempts));
    };
  }

  /** Drops the current socket and connects again after `delayMs` (with the cursor, so missed deltas replay). */
  private replace(delayMs: number): void {
    const socket = this.socket;
    this.socket = null;
    this.clearTimers();
    socket?.close(4000);
    this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delayMs);
  }

  private armWatchdog(): void {
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      this.watchdog = null;
      this.attempts += 1;
      this.replace(this.backoffMs(this.attempts));
    }, this.opts.heartbeatTimeoutMs);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
  }
}
