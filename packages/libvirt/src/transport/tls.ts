import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { boundedConnect, DEFAULT_CONNECT_TIMEOUT_MS, socketAttempt, type ConnectOptions } from './connect.js';
import { connectError, TransportError } from './errors.js';
import { hostPort } from './tcp.js';
import type { Transport } from './types.js';
import { DEFAULT_TLS_PORT } from './uri.js';

/** libvirt's system-wide client PKI files (used as root, or when the user's ~/.pki/libvirt lacks them). */
export const LIBVIRT_PKI_DEFAULTS = {
  ca: '/etc/pki/CA/cacert.pem',
  crl: '/etc/pki/CA/cacrl.pem',
  cert: '/etc/pki/libvirt/clientcert.pem',
  key: '/etc/pki/libvirt/private/clientkey.pem',
} as const;

export type Pem = string | Buffer;

export interface TlsTransportOptions {
  host: string;
  /** Default 16514. */
  port?: number;
  /** PEM contents; each one given here replaces the file libvirt's layout would supply. */
  ca?: Pem;
  cert?: Pem;
  key?: Pem;
  /** libvirt's `pkipath=`: a directory holding cacert.pem, clientcert.pem, clientkey.pem (and optionally cacrl.pem). */
  pkiPath?: string;
  /**
   * false is libvirt's `no_verify=1`: the server's certificate is not checked at all (neither CA nor name), exactly
   * as libvirt ignores a bad certificate "at user request". Default true.
   */
  verify?: boolean;
  /** Name to expect in the server's certificate; default `host`. */
  servername?: string;
  /** Default 10 s; 0 waits forever. `connect({ timeoutMs })` overrides it per call. */
  connectTimeoutMs?: number;
}

interface PkiFiles {
  ca: string;
  crl: string;
  cert: string;
  key: string;
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  return (await readIfExists(path)) !== undefined;
}

/**
 * Where libvirt's client looks for its credentials: an explicit pkipath as is; otherwise, for non-root users,
 * ~/.pki/libvirt file by file (cert and key only as a pair), falling back to the system paths.
 */
export async function locatePkiFiles(pkiPath?: string): Promise<PkiFiles> {
  if (pkiPath !== undefined) {
    return {
      ca: join(pkiPath, 'cacert.pem'),
      crl: join(pkiPath, 'cacrl.pem'),
      cert: join(pkiPath, 'clientcert.pem'),
      key: join(pkiPath, 'clientkey.pem'),
    };
  }
  const files: PkiFiles = { ...LIBVIRT_PKI_DEFAULTS };
  if (process.geteuid?.() !== 0) {
    const dir = join(homedir(), '.pki', 'libvirt');
    const user = {
      ca: join(dir, 'cacert.pem'),
      crl: join(dir, 'cacrl.pem'),
      cert: join(dir, 'clientcert.pem'),
      key: join(dir, 'clientkey.pem'),
    };
    if (await exists(user.ca)) files.ca = user.ca;
    if (await exists(user.crl)) files.crl = user.crl;
    if ((await exists(user.cert)) && (await exists(user.key))) {
      files.cert = user.cert;
      files.key = user.key;
    }
  }
  return files;
}

const TLS_HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'is libvirtd listening for TLS? it needs listen_tls=1 or virtproxyd-tls.socket',
};

/** Node's verification error codes that mean "the server's certificate is not acceptable". */
const CERT_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|ISSUER|SIGNATURE/;

/** TLS with libvirt's x509 PKI layout, verifying the server against our CA and presenting our client certificate. */
export class TlsTransport implements Transport {
  readonly host: string;
  readonly port: number;
  readonly description: string;
  private readonly options: TlsTransportOptions;
  private readonly timeoutMs: number;

  constructor(options: TlsTransportOptions) {
    this.options = options;
    this.host = options.host;
    this.port = options.port ?? DEFAULT_TLS_PORT;
    this.timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.description = `tls:${hostPort(this.host, this.port)}`;
  }

  private async credentials(): Promise<{ tls: ConnectionOptions; caSource: string; certSource: string | undefined }> {
    const { ca, cert, key, pkiPath } = this.options;
    const verify = this.options.verify ?? true;
    const target = this.description;
    const needFiles = ca === undefined || cert === undefined || key === undefined;
    const files = needFiles ? await locatePkiFiles(pkiPath) : undefined;

    const load = async (what: string, path: string): Promise<Buffer | undefined> => {
      try {
        return await readIfExists(path);
      } catch (err) {
        throw new TransportError(`cannot read TLS ${what} ${path} for ${target}: ${(err as Error).message}`, {
          target,
          code: (err as NodeJS.ErrnoException).code,
          cause: err,
        });
      }
    };

    let caPem: Pem | undefined = ca;
    let caSource = 'the given CA certificate';
    let crlPem: Buffer | undefined;
    if (caPem === undefined && files !== undefined) {
      caPem = await load('CA certificate', files.ca);
      caSource = files.ca;
      // Without a CA nothing can be verified; libvirt refuses too. With no_verify it would be ignored anyway.
      if (caPem === undefined && verify) {
        throw new TransportError(
          `cannot connect to libvirt at ${target}: CA certificate ${files.ca} not found (set pkipath= or pass the CA)`,
          { target, code: 'ENOENT' },
        );
      }
      crlPem = await load('CA revocation list', files.crl);
    }

    let certPem: Pem | undefined = cert;
    let keyPem: Pem | undefined = key;
    let certSource: string | undefined = cert === undefined ? undefined : 'the given client certificate';
    let keySource: string | undefined = key === undefined ? undefined : 'the given client key';
    if (files !== undefined && (certPem === undefined || keyPem === undefined)) {
      if (certPem === undefined) {
        certPem = await load('client certificate', files.cert);
        if (certPem !== undefined) certSource = files.cert;
      }
      if (keyPem === undefined) {
        keyPem = await load('client key', files.key);
        if (keyPem !== undefined) keySource = files.key;
      }
      // A certificate without its key (or the reverse) is a broken setup, not "no client certificate".
      if (certSource === undefined && keySource !== undefined) {
        throw new TransportError(`cannot connect to libvirt at ${target}: ${keySource} has no certificate ${files.cert}`, {
          target,
          code: 'ENOENT',
        });
      }
      if (certSource !== undefined && keySource === undefined) {
        throw new TransportError(`cannot connect to libvirt at ${target}: ${certSource} has no key ${files.key}`, {
          target,
          code: 'ENOENT',
        });
      }
    }

    const servername = this.options.servername ?? this.host;
    const tls: ConnectionOptions = {
      host: this.host,
      port: this.port,
      rejectUnauthorized: verify,
      checkServerIdentity: (_host, peer) => checkServerIdentity(servername, peer),
      // SNI must not carry an IP address (RFC 6066); the identity check still uses `host` for IP certificates.
      ...(isIP(servername) === 0 ? { servername } : {}),
      ...(caPem !== undefined ? { ca: caPem } : {}),
      ...(crlPem !== undefined ? { crl: crlPem } : {}),
      ...(certPem !== undefined && keyPem !== undefined ? { cert: certPem, key: keyPem } : {}),
    };
    return { tls, caSource, certSource };
  }

  async connect(options: ConnectOptions = {}): Promise<Duplex> {
    const target = this.description;
    const { tls, caSource, certSource } = await this.credentials();
    const describe = (err: unknown): TransportError => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== undefined && CERT_ERROR.test(code)) {
        return new TransportError(
          `cannot connect to libvirt at ${target}: server certificate rejected: ${(err as Error).message} ` +
            `(checked against ${caSource}${this.options.servername !== undefined ? `, expecting ${this.options.servername}` : ''})`,
          { target, code, cause: err },
        );
      }
      return connectError(target, err, TLS_HINTS);
    };
    const refused = (detail: string, cause?: unknown): TransportError =>
      new TransportError(
        `cannot connect to libvirt at ${target}: the daemon refused us after the TLS handshake (${detail}); ` +
          `client certificate: ${certSource ?? 'none presented'}`,
        { target, code: 'TLS_CLIENT_REFUSED', cause },
      );
    return boundedConnect(target, options.timeoutMs ?? this.timeoutMs, options.signal, () => {
      const socket = tlsConnect(tls);
      // RPC calls are small request/reply packets: Nagle would add latency to every one of them.
      socket.setNoDelay(true);
      const handshake = socketAttempt(socket, 'secureConnect', describe);
      return {
        result: handshake.result.then((stream) => awaitConfirmation(stream, refused)),
        cancel: handshake.cancel,
      };
    });
  }
}

/**
 * libvirtd checks our certificate (and IP) after the handshake and then sends a single 0x01 byte; anything else,
 * or a close, means it refused us. libvirt's own client reads that byte before any RPC (virNetClientSetTLSSession),
 * and so must we, or the RPC layer would see it as the first byte of a packet length.
 */
function awaitConfirmation(stream: Duplex, refused: (detail: string, cause?: unknown) => TransportError): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    const cleanup = (): void => {
      stream.off('readable', onReadable);
      stream.off('error', onError);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
    };
    function onReadable(): void {
      const byte = stream.read(1) as Buffer | null;
      if (byte === null) return;
      cleanup();
      if (byte[0] === 1) resolve(stream);
      else reject(refused(`confirmation byte was 0x${(byte[0] ?? 0).toString(16).padStart(2, '0')}, not 0x01`));
    }
    function onError(err: Error): void {
      cleanup();
      reject(refused(err.message, err));
    }
    function onEnd(): void {
      cleanup();
      reject(refused('connection closed before the confirmation byte'));
    }
    stream.on('readable', onReadable);
    stream.once('error', onError);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
  });
}
