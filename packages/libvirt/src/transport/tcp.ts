import { createConnection, isIPv6 } from 'node:net';
import type { Duplex } from 'node:stream';
import { boundedConnect, DEFAULT_CONNECT_TIMEOUT_MS, socketAttempt, type ConnectOptions } from './connect.js';
import { connectError } from './errors.js';
import type { Transport } from './types.js';
import { DEFAULT_TCP_PORT } from './uri.js';

export interface TcpTransportOptions {
  host: string;
  /** Default 16509. */
  port?: number;
  /** Default 10 s; 0 waits forever. `connect({ timeoutMs })` overrides it per call. */
  connectTimeoutMs?: number;
}

/** `host:port` with IPv6 literals bracketed, for descriptions. */
export function hostPort(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

const TCP_HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'is libvirtd listening on TCP? it needs listen_tcp=1 or virtproxyd-tcp.socket',
};

/** Plain TCP (no encryption): only sensible on loopback or a trusted network. */
export class TcpTransport implements Transport {
  readonly host: string;
  readonly port: number;
  readonly description: string;
  private readonly timeoutMs: number;

  constructor(options: TcpTransportOptions) {
    this.host = options.host;
    this.port = options.port ?? DEFAULT_TCP_PORT;
    this.timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.description = `tcp:${hostPort(this.host, this.port)}`;
  }

  connect(options: ConnectOptions = {}): Promise<Duplex> {
    const target = this.description;
    return boundedConnect(target, options.timeoutMs ?? this.timeoutMs, options.signal, () => {
      // RPC calls are small request/reply packets: Nagle would add latency to every one of them.
      const socket = createConnection({ host: this.host, port: this.port, noDelay: true });
      return socketAttempt(socket, 'connect', (err) => connectError(target, err, TCP_HINTS));
    });
  }
}
