/**
 * One console's connection life, apart from what draws it (noVNC, xterm): ask for a ticket, open the socket, and
 * decide after each close whether to reconnect. A guest reboot keeps QEMU's display, but a VM restart ends the
 * socket: the session then waits for the events-fed state to say the VM runs again and reconnects with a new
 * ticket. A serial console held elsewhere (close code busy) waits for the user to take it over.
 */
import type { ConsoleTicket, ConsoleType } from '@vireo/api';
import { ApiError } from '../api/client.js';

/** ConsoleCloseCode of @vireo/api (a value import would bundle zod). */
export const CloseCode = { ended: 4000, unavailable: 4001, busy: 4002, badTicket: 4003 } as const;

export type ConsoleStatus =
  /** The VM is not running: the session reconnects when it is. */
  | { kind: 'off' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  /** Lost; the next attempt starts in `delayMs`. */
  | { kind: 'retrying'; attempt: number; delayMs: number }
  /** The serial console is held by another client. */
  | { kind: 'busy' }
  /** The VM has no console of this type (or the server said it cannot open it), with the server's reason. */
  | { kind: 'unavailable'; detail: string | null }
  /** Gave up (no permission, or too many failed attempts): a manual retry starts again. */
  | { kind: 'failed'; detail: string };

export interface TransportHandlers {
  onOpen(): void;
  onClose(code: number, reason: string): void;
}

/** An open console connection as the session sees it. */
export interface ConsoleTransport {
  close(): void;
}

export interface ConsoleSessionDeps {
  type: ConsoleType;
  requestTicket(type: ConsoleType, force: boolean): Promise<ConsoleTicket>;
  /** Opens the console on the ticket: noVNC's RFB, or a WebSocket for xterm. */
  open(ticket: ConsoleTicket, handlers: TransportHandlers): ConsoleTransport;
  onStatus(status: ConsoleStatus): void;
  /** Timers, injectable for tests (default: the global ones). */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

/** Attempts in a row without a successful open before the session gives up. */
export const MAX_ATTEMPTS = 8;

/** 1 s, 2 s, 4 s, then every 8 s. */
export function retryDelay(attempt: number): number {
  return Math.min(8000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** States in which the domain has a QEMU process, and so a display and serial port to connect to. */
export function consoleLive(state: string): boolean {
  return state === 'running' || state === 'blocked' || state === 'paused' || state === 'pmsuspended' || state === 'shutdown';
}

export class ConsoleSession {
  private status: ConsoleStatus = { kind: 'off' };
  private running = false;
  private transport: ConsoleTransport | null = null;
  /** Bumped on every (re)connect and stop: callbacks of an older generation are ignored. */
  private generation = 0;
  private attempts = 0;
  private timer: unknown = null;
  private disposed = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly deps: ConsoleSessionDeps) {
    this.setTimer = deps.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.clearTimer = deps.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  get current(): ConsoleStatus {
    return this.status;
  }

  /** The VM's state from the events-fed cache: running starts (or resumes) the session, stopped parks it. */
  setRunning(running: boolean): void {
    if (this.disposed) return;
    const was = this.running;
    this.running = running;
    if (!running) {
      this.stop();
      this.set({ kind: 'off' });
      return;
    }
    if (!was) {
      this.attempts = 0;
      this.connect(false);
    }
  }

  /** Busy serial console: connect with libvirt's force flag, which disconnects the other client. */
  takeOver(): void {
    if (this.disposed || !this.running) return;
    this.attempts = 0;
    this.connect(true);
  }

  /** A manual reconnect after a failure, or at once instead of waiting out a retry delay. */
  retry(): void {
    if (this.disposed || !this.running) return;
    this.attempts = 0;
    this.connect(false);
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private set(status: ConsoleStatus): void {
    this.status = status;
    this.deps.onStatus(status);
  }

  private stop(): void {
    this.generation++;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    const t = this.transport;
    this.transport = null;
    t?.close();
  }

  private connect(force: boolean): void {
    this.stop();
    const gen = this.generation;
    this.attempts++;
    this.set({ kind: 'connecting' });
    this.deps.requestTicket(this.deps.type, force).then(
      (ticket) => {
        if (gen !== this.generation) return;
        this.transport = this.deps.open(ticket, {
          onOpen: () => {
            if (gen !== this.generation) return;
            this.attempts = 0;
            this.set({ kind: 'connected' });
          },
          onClose: (code, reason) => {
            if (gen !== this.generation) return;
            this.transport = null;
            this.closed(code, reason);
          },
        });
      },
      (error: unknown) => {
        if (gen !== this.generation) return;
        this.ticketFailed(error);
      },
    );
  }

  private closed(code: number, reason: string): void {
    if (code === CloseCode.busy) return this.set({ kind: 'busy' });
    if (code === CloseCode.unavailable) return this.set({ kind: 'unavailable', detail: reason || null });
    // ended (the VM stopped or reset its display), a spent ticket, or a lost connection: try again while it runs;
    // a VM that stopped turns the session 'off' when its state arrives, cancelling the retry.
    this.scheduleRetry(reason || `closed (${code})`);
  }

  private ticketFailed(error: unknown): void {
    if (error instanceof ApiError) {
      // 409: not running (the state event may still be on its way) or no such console. The events decide which.
      if (error.status === 409) return this.set({ kind: 'unavailable', detail: error.detail ?? error.title });
      if (error.status === 403 || error.status === 404) return this.set({ kind: 'failed', detail: error.detail ?? error.title });
    }
    this.scheduleRetry(error instanceof Error ? error.message : String(error));
  }

  private scheduleRetry(detail: string): void {
    if (!this.running) return this.set({ kind: 'off' });
    if (this.attempts >= MAX_ATTEMPTS) return this.set({ kind: 'failed', detail });
    // A connection lost after it had opened counts as the first failure.
    const attempt = Math.max(1, this.attempts);
    const delayMs = retryDelay(attempt);
    const gen = this.generation;
    this.set({ kind: 'retrying', attempt, delayMs });
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (gen === this.generation) this.connect(false);
    }, delayMs);
  }
}

/** The WebSocket URL of a ticket's path, on this page's origin (wss behind HTTPS). */
export function consoleSocketUrl(path: string, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}
