import type { RemoteError } from '../procedures/remote-types.js';

/** libvirt's virErrorNumber values that callers branch on (include/libvirt/virterror.h). */
export const ErrorCode = {
  INTERNAL_ERROR: 1,
  NO_SUPPORT: 3,
  INVALID_ARG: 8,
  OPERATION_FAILED: 9,
  XML_ERROR: 27,
  DOM_EXIST: 28,
  OPERATION_DENIED: 29,
  RPC: 39,
  NO_DOMAIN: 42,
  NO_NETWORK: 43,
  AUTH_FAILED: 45,
  NO_STORAGE_POOL: 49,
  NO_STORAGE_VOL: 50,
  NO_NODE_DEVICE: 53,
  OPERATION_INVALID: 55,
  NO_INTERFACE: 57,
  NO_SECRET: 66,
  CONFIG_UNSUPPORTED: 67,
  OPERATION_TIMEOUT: 68,
  NO_DOMAIN_SNAPSHOT: 72,
  ARGUMENT_UNSUPPORTED: 74,
  OPERATION_ABORTED: 78,
  NO_DOMAIN_METADATA: 80,
  OPERATION_UNSUPPORTED: 84,
  AGENT_UNRESPONSIVE: 86,
  RESOURCE_BUSY: 87,
  ACCESS_DENIED: 88,
  STORAGE_VOL_EXIST: 90,
  XML_INVALID_SCHEMA: 92,
  AUTH_UNAVAILABLE: 94,
  DEVICE_MISSING: 99,
  NO_HOSTNAME: 108,
} as const;

const NOT_FOUND_CODES: ReadonlySet<number> = new Set([
  ErrorCode.NO_DOMAIN,
  ErrorCode.NO_NETWORK,
  ErrorCode.NO_STORAGE_POOL,
  ErrorCode.NO_STORAGE_VOL,
  ErrorCode.NO_NODE_DEVICE,
  ErrorCode.NO_INTERFACE,
  ErrorCode.NO_SECRET,
  ErrorCode.NO_DOMAIN_SNAPSHOT,
  ErrorCode.NO_DOMAIN_METADATA,
]);

/** An error reported by the daemon, keeping libvirt's code, domain and message and naming the call that failed. */
export class LibvirtError extends Error {
  override readonly name = 'LibvirtError';
  readonly code: number;
  /** libvirt's virErrorDomain: which subsystem raised it. */
  readonly domain: number;
  readonly level: number;
  /** The method that failed, e.g. `domainLookupByName`. */
  readonly procedure: string;
  readonly remote: RemoteError;

  constructor(remote: RemoteError, procedure: string, where?: string) {
    const text = remote.message ?? `libvirt error code ${remote.code}`;
    super(`${procedure}${where ? ` on ${where}` : ''}: ${text}`);
    this.code = remote.code;
    this.domain = remote.domain;
    this.level = remote.level;
    this.procedure = procedure;
    this.remote = remote;
  }

  /** libvirt's own message, without our context prefix. */
  get libvirtMessage(): string {
    return this.remote.message ?? '';
  }

  get isNotFound(): boolean {
    return NOT_FOUND_CODES.has(this.code);
  }
}

export function isLibvirtError(err: unknown, code?: number): err is LibvirtError {
  return err instanceof LibvirtError && (code === undefined || err.code === code);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof LibvirtError && err.isNotFound;
}

/** The byte stream broke the protocol (bad length, undecodable reply). */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** The connection closed (or died) while a call or stream was pending. */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
}
