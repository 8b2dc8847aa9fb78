import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import type {
  AgentAuthMethod,
  Client as SshClient,
  ClientChannel,
  ConnectConfig,
  PublicKeyAuthMethod,
  ServerHostKeyAlgorithm,
} from 'ssh2';
import { boundedConnect, DEFAULT_CONNECT_TIMEOUT_MS, type ConnectOptions } from './connect.js';
import { connectError, TransportError } from './errors.js';
import { knownKeyTypes, parseKnownHosts, verifyHostKey, type KnownHostEntry } from './known-hosts.js';
import { hostPort } from './tcp.js';
import type { Transport } from './types.js';
import { DEFAULT_SOCKET_PATH, DEFAULT_SSH_PORT } from './uri.js';

type Ssh2 = typeof import('ssh2');
let ssh2Loading: Promise<Ssh2> | undefined;

/** ssh2 costs about 12 MiB once loaded: only processes that really open an SSH connection pay for it. */
function loadSsh2(): Promise<Ssh2> {
  ssh2Loading ??= import('ssh2').then((mod) => (mod as Ssh2 & { default?: Ssh2 }).default ?? mod);
  return ssh2Loading;
}

export type SshAuthMethod = 'privkey' | 'agent';

export interface SshTransportOptions {
  host: string;
  /** Default 22. */
  port?: number;
  /** Default: the local user name, as `ssh` does. */
  username?: string;
  /** The daemon's unix socket on the remote host. Default `/var/run/libvirt/libvirt-sock`. */
  socketPath?: string;
  /** Private key contents (OpenSSH or PEM). */
  privateKey?: string | Buffer;
  /** Private key file (libvirt's `keyfile=`). */
  privateKeyPath?: string;
  passphrase?: string | Buffer;
  /** ssh-agent socket; default `SSH_AUTH_SOCK`; false never asks an agent. */
  agent?: string | false;
  /**
   * Which methods to try, in order (libvirt's `sshauth=`). Default: the given key, then the agent, then (only when no
   * key was given) ~/.ssh/id_ed25519, id_ecdsa, id_rsa as `ssh` would.
   */
  authMethods?: readonly SshAuthMethod[];
  /** known_hosts contents; when given, no file is read. */
  knownHosts?: string | Buffer;
  /** known_hosts file (libvirt's `known_hosts=`). Default ~/.ssh/known_hosts plus /etc/ssh/ssh_known_hosts. */
  knownHostsPath?: string;
  /** Default 10 s; 0 waits forever. `connect({ timeoutMs })` overrides it per call. */
  connectTimeoutMs?: number;
}

const GLOBAL_KNOWN_HOSTS = '/etc/ssh/ssh_known_hosts';
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Signature algorithms that prove possession of each known_hosts key type, strongest first. */
const ALGORITHMS_FOR_KEY_TYPE: Readonly<Record<string, readonly ServerHostKeyAlgorithm[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};
const DEFAULT_HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Ask for the key types known_hosts already holds first, as OpenSSH does; otherwise a host known by its RSA key
 * would offer ed25519 and be refused as unknown.
 */
export function hostKeyAlgorithms(knownTypes: readonly string[]): ServerHostKeyAlgorithm[] {
  const list: ServerHostKeyAlgorithm[] = [];
  for (const type of knownTypes) for (const algo of ALGORITHMS_FOR_KEY_TYPE[type] ?? []) if (!list.includes(algo)) list.push(algo);
  for (const algo of DEFAULT_HOST_KEY_ALGORITHMS) if (!list.includes(algo)) list.push(algo);
  return list;
}

interface LoadedKey {
  source: string;
  key: Buffer;
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * The channel to the remote unix socket, with ordinary Node stream semantics: ssh2's Channel.destroy() only sends
 * CLOSE and never reports errors, while the RPC layer expects destroy(err), `destroyed` and 'close' like a socket.
 * It owns the SSH client: when the channel goes, the connection goes.
 */
class SshChannelStream extends Duplex {
  private channelClosed = false;
  /** A write waiting for the channel's window to reopen; ssh2 drops it silently if the channel closes meanwhile. */
  private pendingWrite: ((error?: Error) => void) | undefined;

  constructor(
    private readonly channel: ClientChannel,
    private readonly client: SshClient,
    private readonly target: string,
  ) {
    // The daemon never half-closes; once it stops sending, we are done writing too (like a net.Socket by default).
    super({ allowHalfOpen: false });
    channel.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) channel.pause();
    });
    channel.on('end', () => this.push(null));
    channel.on('drain', () => this.settleWrite());
    channel.on('close', () => {
      this.channelClosed = true;
      this.settleWrite(this.closedError());
      // Our channel was the client's only one: the SSH connection has no further use.
      client.end();
    });
    channel.on('error', (err: Error) => this.destroy(this.failure(err)));
    client.on('error', (err: Error) => this.destroy(this.failure(err)));
  }

  private settleWrite(error?: Error): void {
    const callback = this.pendingWrite;
    this.pendingWrite = undefined;
    callback?.(error);
  }

  private closedError(): TransportError {
    return new TransportError(`cannot write to libvirt at ${this.target}: SSH channel closed`, {
      target: this.target,
      code: 'EPIPE',
    });
  }

  private failure(err: Error): TransportError {
    return new TransportError(`connection to libvirt at ${this.target} failed: ${err.message}`, {
      target: this.target,
      code: errnoCode(err),
      cause: err,
    });
  }

  override _read(): void {
    this.channel.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.channelClosed) {
      callback(this.closedError());
      return;
    }
    if (this.channel.write(chunk)) callback();
    else this.pendingWrite = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.channelClosed) this.channel.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.settleWrite(error ?? this.closedError());
    if (!this.channelClosed) this.channel.close();
    this.client.end();
    callback(error);
  }
}

/**
 * libvirt over SSH without spawning `ssh`: one SSH connection per connect(), whose single channel is a
 * direct-streamlocal forward to the daemon's unix socket on the remote host (OpenSSH's `ssh -W /path` equivalent).
 * The host key is always checked against known_hosts; unknown or changed keys are refused, never trusted.
 */
export class SshTransport implements Transport {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly socketPath: string;
  readonly description: string;
  private readonly options: SshTransportOptions;
  private readonly timeoutMs: number;

  constructor(options: SshTransportOptions) {
    this.options = options;
    this.host = options.host;
    this.port = options.port ?? DEFAULT_SSH_PORT;
    this.username = options.username ?? userInfo().username;
    this.socketPath = options.socketPath ?? DEFAULT_SOCKET_PATH;
    this.timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.description = `ssh:${this.username}@${hostPort(this.host, this.port)}`;
  }

  private async loadKnownHosts(): Promise<{ entries: KnownHostEntry[]; source: string }> {
    const { knownHosts, knownHostsPath } = this.options;
    if (knownHosts !== undefined) return { entries: parseKnownHosts(knownHosts.toString()), source: 'the given known_hosts' };
    const paths = knownHostsPath !== undefined ? [knownHostsPath] : [join(homedir(), '.ssh', 'known_hosts'), GLOBAL_KNOWN_HOSTS];
    const entries: KnownHostEntry[] = [];
    const described: string[] = [];
    for (const path of paths) {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        // A missing file just means no host is known yet; the unknown-host error then names the path to fill.
        if (errnoCode(err) === 'ENOENT') {
          described.push(`${path} (which does not exist)`);
          continue;
        }
        throw new TransportError(`cannot read known_hosts ${path} for ${this.description}: ${(err as Error).message}`, {
          target: this.description,
          code: errnoCode(err),
          cause: err,
        });
      }
      described.push(path);
      entries.push(...parseKnownHosts(text));
    }
    return { entries, source: described.join(' or ') };
  }

  private parseKey(utils: Ssh2['utils'], source: string, data: Buffer): Buffer {
    const parsed = utils.parseKey(data, this.options.passphrase);
    const problem = parsed instanceof Error ? parsed.message : parsed.isPrivateKey() ? undefined : 'not a private key';
    if (problem !== undefined) {
      throw new TransportError(`cannot use SSH private key ${source} for ${this.description}: ${problem}`, {
        target: this.description,
        code: 'SSH_BAD_KEY',
      });
    }
    return data;
  }

  private async loadKeys(): Promise<{ keys: LoadedKey[]; usedDefaults: boolean }> {
    const { utils } = await loadSsh2();
    const { privateKey, privateKeyPath } = this.options;
    const keys: LoadedKey[] = [];
    if (privateKey !== undefined) {
      const data = Buffer.isBuffer(privateKey) ? privateKey : Buffer.from(privateKey);
      keys.push({ source: 'the given private key', key: this.parseKey(utils, '(given)', data) });
    }
    if (privateKeyPath !== undefined) {
      let data: Buffer;
      try {
        data = await readFile(privateKeyPath);
      } catch (err) {
        throw new TransportError(
          `cannot read SSH private key ${privateKeyPath} for ${this.description}: ${(err as Error).message}`,
          { target: this.description, code: errnoCode(err), cause: err },
        );
      }
      keys.push({ source: privateKeyPath, key: this.parseKey(utils, privateKeyPath, data) });
    }
    if (keys.length > 0) return { keys, usedDefaults: false };
    for (const name of DEFAULT_IDENTITIES) {
      const path = join(homedir(), '.ssh', name);
      const data = await readFile(path).catch(() => undefined);
      if (data === undefined) continue;
      // ssh would prompt for an encrypted default identity; we cannot, so it is skipped rather than fatal.
      const parsed = utils.parseKey(data, this.options.passphrase);
      if (!(parsed instanceof Error) && parsed.isPrivateKey()) keys.push({ source: path, key: data });
    }
    return { keys, usedDefaults: true };
  }

  async connect(options: ConnectOptions = {}): Promise<Duplex> {
    const target = this.description;
    const { host, port, username, socketPath } = this;
    const [{ entries, source }, { keys, usedDefaults }, { Client }] = await Promise.all([
      this.loadKnownHosts(),
      this.loadKeys(),
      loadSsh2(),
    ]);

    const agentPath = this.options.agent === false ? undefined : (this.options.agent ?? process.env['SSH_AUTH_SOCK']);
    // A key the caller named is what they meant to use; among defaults, the agent goes first as with `ssh`.
    const order = this.options.authMethods ?? (usedDefaults ? ['agent', 'privkey'] : ['privkey', 'agent']);
    const auth: (PublicKeyAuthMethod | AgentAuthMethod)[] = [];
    const tried: string[] = [];
    for (const method of order) {
      if (method === 'privkey') {
        for (const k of keys) {
          auth.push({ type: 'publickey', username, key: k.key, passphrase: this.options.passphrase });
          tried.push(`key ${k.source}`);
        }
      } else if (method === 'agent' && agentPath !== undefined && agentPath !== '') {
        auth.push({ type: 'agent', username, agent: agentPath });
        tried.push(`ssh-agent ${agentPath}`);
      }
    }
    if (auth.length === 0) {
      throw new TransportError(
        `cannot connect to libvirt at ${target}: no SSH credentials (give keyfile= or a private key, ` +
          'or run an ssh-agent and set SSH_AUTH_SOCK)',
        { target, code: 'SSH_NO_CREDENTIALS' },
      );
    }

    return boundedConnect(target, options.timeoutMs ?? this.timeoutMs, options.signal, () => {
      const client = new Client();
      let hostKeyError: TransportError | undefined;
      // Errors after the attempt settled belong to the stream (or nobody); never let them crash the process.
      client.on('error', () => {});

      const result = new Promise<Duplex>((resolve, reject) => {
        const onError = (err: Error & { level?: string }): void => {
          cleanup();
          reject(hostKeyError ?? this.describeError(err, tried));
        };
        const onClose = (): void => {
          cleanup();
          reject(
            hostKeyError ??
              new TransportError(`cannot connect to libvirt at ${target}: SSH connection closed during setup`, {
                target,
                code: 'ECONNRESET',
              }),
          );
        };
        const onReady = (): void => {
          client.openssh_forwardOutStreamLocal(socketPath, (err, channel) => {
            cleanup();
            if (err) {
              client.end();
              reject(
                new TransportError(
                  `cannot connect to libvirt at ${target}: the SSH server could not open ${socketPath}: ${err.message} ` +
                    `(is libvirtd running on ${host}? sshd there needs AllowStreamLocalForwarding yes, and neither ` +
                    `AllowTcpForwarding no nor DisableForwarding yes, which refuse these channels too)`,
                  { target, code: 'SSH_CHANNEL_OPEN_FAILED', cause: err },
                ),
              );
              return;
            }
            resolve(new SshChannelStream(channel, client, target));
          });
        };
        const cleanup = (): void => {
          client.off('error', onError);
          client.off('close', onClose);
          client.off('ready', onReady);
        };
        client.on('error', onError);
        client.on('close', onClose);
        client.on('ready', onReady);
      });

      const config: ConnectConfig = {
        host,
        port,
        username,
        authHandler: auth,
        // Our own deadline covers the whole attempt (TCP, handshake, auth, channel); ssh2's would race it.
        readyTimeout: 0,
        algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(entries, host, port)) },
        hostVerifier: (key: Buffer): boolean => {
          hostKeyError = verifyHostKey(entries, { target, host, port, key, source });
          return hostKeyError === undefined;
        },
      };
      try {
        client.connect(config);
      } catch (err) {
        // ssh2 validates the config synchronously; surface that as this attempt's failure.
        return { result: Promise.reject(this.describeError(err as Error, tried)), cancel: () => client.destroy() };
      }
      return { result, cancel: () => client.destroy() };
    });
  }

  private describeError(err: Error & { level?: string }, tried: readonly string[]): TransportError {
    const target = this.description;
    if (err.level === 'client-authentication') {
      return new TransportError(
        `cannot connect to libvirt at ${target}: SSH authentication failed for user ${this.username} ` +
          `(tried ${tried.join(', ')})`,
        { target, code: 'SSH_AUTH_FAILED', cause: err },
      );
    }
    return connectError(target, err, { ECONNREFUSED: 'is sshd running there?' });
  }
}
