import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { boundedConnect, DEFAULT_CONNECT_TIMEOUT_MS, socketAttempt, type ConnectOptions } from './connect.js';
import { connectError } from './errors.js';
import type { Transport } from './types.js';
import { DEFAULT_SOCKET_PATH } from './uri.js';

export interface UnixTransportOptions {
  /** Default `/var/run/libvirt/libvirt-sock`. */
  socketPath?: string;
  /** Default 10 s; 0 waits forever. `connect({ timeoutMs })` overrides it per call. */
  connectTimeoutMs?: number;
}

/** The local daemon's unix socket. */
export class UnixTransport implements Transport {
  readonly socketPath: string;
  readonly description: string;
  private readonly timeoutMs: number;

  constructor(options: UnixTransportOptions = {}) {
    this.socketPath = options.socketPath ?? DEFAULT_SOCKET_PATH;
    this.timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.description = `unix:${this.socketPath}`;
  }

  connect(options: ConnectOptions = {}): Promise<Duplex> {
    const target = this.description;
    return boundedConnect(target, options.timeoutMs ?? this.timeoutMs, options.signal, () =>
      socketAttempt(createConnection({ path: this.socketPath }), 'connect', (err) => connectError(target, err)),
    );
  }
}
