import type { Transport } from './types.js';
import type { LibvirtUri } from './uri.js';
import { UnixTransport } from './unix.js';
import { TcpTransport } from './tcp.js';
import { TlsTransport, type TlsTransportOptions } from './tls.js';
import { SshTransport, type SshAuthMethod, type SshTransportOptions } from './ssh.js';

export type { Transport } from './types.js';
export {
  parseLibvirtUri,
  DEFAULT_SOCKET_PATH,
  DEFAULT_TCP_PORT,
  DEFAULT_TLS_PORT,
  DEFAULT_SSH_PORT,
  type LibvirtUri,
  type TransportKind,
} from './uri.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectOptions } from './connect.js';
export { TransportError, TransportAbortError, HostKeyVerificationError, type HostKeyProblem } from './errors.js';
export { UnixTransport, type UnixTransportOptions } from './unix.js';
export { TcpTransport, type TcpTransportOptions } from './tcp.js';
export { TlsTransport, LIBVIRT_PKI_DEFAULTS, locatePkiFiles, type TlsTransportOptions, type Pem } from './tls.js';
export { SshTransport, hostKeyAlgorithms, type SshTransportOptions, type SshAuthMethod } from './ssh.js';
export {
  parseKnownHosts,
  checkHostKey,
  verifyHostKey,
  knownKeyTypes,
  entriesForHost,
  hostFieldMatches,
  knownHostName,
  hashKnownHostName,
  fingerprintSha256,
  sshKeyType,
  type KnownHostEntry,
  type KnownHostMarker,
  type HostKeyCheck,
} from './known-hosts.js';

/** Overrides for what the URI says (or cannot say, such as key contents). Options win over URI parameters. */
export interface TransportOptions {
  /** Connect timeout for every transport; default 10 s, 0 waits forever. */
  connectTimeoutMs?: number;
  /** unix: the local socket; ssh: the socket on the remote host. Overrides `socket=`. */
  socketPath?: string;
  /** SSH settings the URI cannot carry, or overrides of `keyfile=`, `known_hosts=`, `sshauth=`. */
  ssh?: Pick<
    SshTransportOptions,
    'username' | 'privateKey' | 'privateKeyPath' | 'passphrase' | 'agent' | 'authMethods' | 'knownHosts' | 'knownHostsPath'
  >;
  /** TLS settings the URI cannot carry (PEM contents), or overrides of `pkipath=` and `no_verify=`. */
  tls?: Pick<TlsTransportOptions, 'ca' | 'cert' | 'key' | 'pkiPath' | 'verify' | 'servername'>;
}

/** libvirt's sshauth= names mapped to ours; password and keyboard-interactive have no place in an unattended server. */
function sshAuthFromUri(uri: LibvirtUri): SshAuthMethod[] | undefined {
  if (uri.sshAuth === undefined) return undefined;
  const methods = uri.sshAuth.filter((m): m is SshAuthMethod => m === 'agent' || m === 'privkey');
  if (methods.length === 0) {
    throw new Error(
      `libvirt URI '${uri.uri}': sshauth=${uri.sshAuth.join(',')} names no method Vireo supports (agent, privkey)`,
    );
  }
  return methods;
}

/** The transport a parsed URI asks for, with `options` taking precedence over URI parameters. */
export function transportForUri(uri: LibvirtUri, options: TransportOptions = {}): Transport {
  const connectTimeoutMs = options.connectTimeoutMs;
  switch (uri.transport) {
    case 'unix':
      return new UnixTransport({ socketPath: options.socketPath ?? uri.socketPath, connectTimeoutMs });
    case 'tcp':
      return new TcpTransport({ host: uri.host ?? 'localhost', port: uri.port, connectTimeoutMs });
    case 'tls': {
      const tls = options.tls ?? {};
      return new TlsTransport({
        host: uri.host ?? 'localhost',
        port: uri.port,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        pkiPath: tls.pkiPath ?? uri.pkiPath,
        verify: tls.verify ?? !uri.noVerify,
        servername: tls.servername,
        connectTimeoutMs,
      });
    }
    case 'ssh': {
      const ssh = options.ssh ?? {};
      return new SshTransport({
        host: uri.host ?? 'localhost',
        port: uri.port,
        username: ssh.username ?? uri.user,
        socketPath: options.socketPath ?? uri.socketPath,
        privateKey: ssh.privateKey,
        privateKeyPath: ssh.privateKeyPath ?? uri.keyFile,
        passphrase: ssh.passphrase,
        agent: ssh.agent,
        authMethods: ssh.authMethods ?? sshAuthFromUri(uri),
        knownHosts: ssh.knownHosts,
        knownHostsPath: ssh.knownHostsPath ?? uri.knownHostsPath,
        connectTimeoutMs,
      });
    }
  }
}
