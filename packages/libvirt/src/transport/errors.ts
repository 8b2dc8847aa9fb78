/** A transport could not reach the daemon. `target` is the transport's description, `code` the errno-style cause. */
export class TransportError extends Error {
  override name = 'TransportError';
  readonly target: string;
  /** `ENOENT`, `ECONNREFUSED`, `ETIMEDOUT`, `HOST_KEY_UNKNOWN`, ... when known, so callers can branch without parsing. */
  readonly code: string | undefined;

  constructor(message: string, details: { target: string; code?: string | undefined; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.target = details.target;
    this.code = details.code;
  }
}

/** The caller's AbortSignal fired while connecting; named `AbortError` like Node's own aborted operations. */
export class TransportAbortError extends TransportError {
  override name = 'AbortError';
}

export type HostKeyProblem = 'unknown' | 'mismatch' | 'revoked';

/** The SSH server's host key is not one known_hosts vouches for; the message names host, port and fingerprint. */
export class HostKeyVerificationError extends TransportError {
  override name = 'HostKeyVerificationError';
  readonly host: string;
  readonly port: number;
  readonly problem: HostKeyProblem;
  /** The offered key's type, e.g. `ssh-ed25519`. */
  readonly keyType: string;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;

  constructor(
    message: string,
    details: { target: string; host: string; port: number; problem: HostKeyProblem; keyType: string; fingerprint: string },
  ) {
    super(message, { target: details.target, code: `HOST_KEY_${details.problem.toUpperCase()}` });
    this.host = details.host;
    this.port = details.port;
    this.problem = details.problem;
    this.keyType = details.keyType;
    this.fingerprint = details.fingerprint;
  }
}

const HINTS: Readonly<Record<string, string>> = {
  ENOENT: 'is libvirtd running?',
  ECONNREFUSED: 'is libvirtd running and listening there?',
  EACCES: 'permission denied: run as root or as a member of the libvirt group',
  EPERM: 'permission denied: run as root or as a member of the libvirt group',
  ENOTFOUND: 'unknown host name',
  EAI_AGAIN: 'host name lookup failed, try again later',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the peer reset the connection',
};

function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** Turns a socket-level error into `cannot connect to libvirt at <target>: ECODE (hint)`. */
export function connectError(target: string, err: unknown, hints: Readonly<Record<string, string>> = HINTS): TransportError {
  const code = errnoCode(err);
  const hint = code === undefined ? undefined : (hints[code] ?? HINTS[code]);
  const reason =
    code !== undefined && hint !== undefined
      ? `${code} (${hint})`
      : err instanceof Error
        ? err.message
        : String(err);
  return new TransportError(`cannot connect to libvirt at ${target}: ${reason}`, { target, code, cause: err });
}
