import type { Duplex } from 'node:stream';
import { TransportAbortError, TransportError } from './errors.js';

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Overrides the transport's connect timeout for this call; 0 waits forever. */
  timeoutMs?: number;
}

/** Long enough for a slow SSH handshake over a WAN, short enough that a dead host does not hang the UI. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** One in-flight connection attempt: its outcome, and how to tear it down if the caller stops waiting. */
export interface ConnectAttempt {
  readonly result: Promise<Duplex>;
  /** Destroys whatever the attempt has opened so far (socket, TLS session, SSH client). Called at most once. */
  readonly cancel: () => void;
}

/**
 * Runs `start` bounded by a timeout and an AbortSignal. Whichever way the attempt loses, `cancel` runs so no
 * half-open socket outlives the returned promise, and a stream that arrives after the loss is destroyed.
 */
export function boundedConnect(
  target: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  start: () => ConnectAttempt,
): Promise<Duplex> {
  if (signal?.aborted) {
    return Promise.reject(
      new TransportAbortError(`connecting to libvirt at ${target} was aborted`, {
        target,
        code: 'ABORT_ERR',
        cause: signal.reason,
      }),
    );
  }
  return new Promise<Duplex>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const attempt = start();

    const finish = (): void => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const lose = (err: Error): void => {
      if (settled) return;
      finish();
      attempt.cancel();
      reject(err);
    };
    function onAbort(): void {
      lose(
        new TransportAbortError(`connecting to libvirt at ${target} was aborted`, {
          target,
          code: 'ABORT_ERR',
          cause: signal?.reason,
        }),
      );
    }

    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      timer = setTimeout(
        () =>
          lose(
            new TransportError(`cannot connect to libvirt at ${target}: timed out after ${timeoutMs} ms`, {
              target,
              code: 'ETIMEDOUT',
            }),
          ),
        timeoutMs,
      );
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    attempt.result.then(
      (stream) => {
        if (settled) {
          stream.destroy();
          return;
        }
        finish();
        resolve(stream);
      },
      (err: unknown) => {
        if (settled) return;
        finish();
        attempt.cancel();
        reject(err instanceof Error ? err : new TransportError(String(err), { target }));
      },
    );
  });
}

/**
 * Wraps a socket that is connecting: resolves with it once `readyEvent` fires (`connect`, or `secureConnect` for TLS),
 * rejects with `describe(err)` if it errors or closes first. Only the listeners added here are removed afterwards.
 */
export function socketAttempt(
  socket: Duplex,
  readyEvent: 'connect' | 'secureConnect',
  describe: (err: unknown) => Error,
): ConnectAttempt {
  const result = new Promise<Duplex>((resolve, reject) => {
    const cleanup = (): void => {
      socket.off(readyEvent, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    function onReady(): void {
      cleanup();
      resolve(socket);
    }
    function onError(err: unknown): void {
      cleanup();
      reject(describe(err));
    }
    function onClose(): void {
      cleanup();
      reject(describe(new Error('connection closed before it was established')));
    }
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
  return {
    result,
    cancel: () => {
      // A late error from the torn-down socket must not become an uncaught exception.
      socket.on('error', () => {});
      socket.destroy();
    },
  };
}
