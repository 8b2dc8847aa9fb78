import { isIPv6 } from 'node:net';

export type TransportKind = 'unix' | 'tcp' | 'tls' | 'ssh';

export const DEFAULT_SOCKET_PATH = '/var/run/libvirt/libvirt-sock';
export const DEFAULT_TCP_PORT = 16509;
export const DEFAULT_TLS_PORT = 16514;
export const DEFAULT_SSH_PORT = 22;

/** A libvirt connection URI, `driver[+transport]://[user@][host][:port]/path[?query]`, taken apart. */
export interface LibvirtUri {
  /** The URI as given. */
  readonly uri: string;
  /** `qemu`, `test`, `lxc`, ... (`remote` lets the daemon pick). */
  readonly driver: string;
  readonly transport: TransportKind;
  /** Decoded `user@` part; undefined when absent (SSH then logs in as the local user, as ssh would). */
  readonly user: string | undefined;
  /** Decoded host without IPv6 brackets; `localhost` for tcp/tls/ssh without a host (libvirt's default); undefined for unix. */
  readonly host: string | undefined;
  /** Effective port (given or the transport's default); undefined for unix. */
  readonly port: number | undefined;
  /** Decoded path, e.g. `/system` or `/abs/path/file.xml`. */
  readonly path: string;
  /** Every query parameter, decoded, names as written; when a name repeats, the last value wins (as in libvirt). */
  readonly params: ReadonlyMap<string, string>;
  /** What to send in CONNECT_OPEN: `driver:///path` with transport, host, user, port and client-only params removed. */
  readonly localUri: string;
  /** unix: the local socket; ssh: the socket on the remote host. `socket=` or the default. Undefined for tcp/tls. */
  readonly socketPath: string | undefined;
  /** `keyfile=`: SSH private key file. */
  readonly keyFile: string | undefined;
  /** `known_hosts=`: SSH known_hosts file. */
  readonly knownHostsPath: string | undefined;
  /** `pkipath=`: directory holding cacert.pem, clientcert.pem and clientkey.pem. */
  readonly pkiPath: string | undefined;
  /** `no_verify=1`: skip checking the TLS server's certificate (libvirt semantics). */
  readonly noVerify: boolean;
  /** `sshauth=`: ordered SSH auth methods, e.g. `['agent', 'privkey']`. */
  readonly sshAuth: readonly string[] | undefined;
}

/**
 * Parameters libvirt's remote driver consumes itself (remote_driver.c, compared case-insensitively); they never reach
 * the daemon's CONNECT_OPEN.
 */
const CLIENT_ONLY_PARAMS = new Set([
  'name',
  'command',
  'socket',
  'auth',
  'authfile',
  'sshauth',
  'netcat',
  'keyfile',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'tls_priority',
  'mode',
  'proxy',
  'no_sanity',
  'no_verify',
  'no_tty',
]);

const BOOLEAN_PARAMS = new Set(['no_sanity', 'no_verify', 'no_tty']);

const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const DRIVER_RE = /^[A-Za-z][A-Za-z0-9._-]*$/;
const REG_NAME_RE = /^[A-Za-z0-9._~%!$&'()*+,;=-]+$/;
const EXPECTED_FORM = 'expected driver[+transport]://[user@][host][:port]/path[?query]';

function fail(uri: string, problem: string): never {
  throw new Error(`invalid libvirt URI '${uri}': ${problem}`);
}

/** Spaces and control characters are never valid in a URI, and would smuggle odd bytes into CONNECT_OPEN. */
function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

function decode(uri: string, what: string, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(uri, `bad percent-encoding in ${what} '${text}'`);
  }
}

function transportFrom(uri: string, name: string | undefined, host: string | undefined): TransportKind {
  if (name === undefined) return host === undefined ? 'unix' : 'tls';
  switch (name.toLowerCase()) {
    case 'unix':
    case 'tcp':
    case 'tls':
    case 'ssh':
      return name.toLowerCase() as TransportKind;
    // libvirt's in-process SSH transports; ours is in-process too, so they mean the same thing here.
    case 'libssh':
    case 'libssh2':
      return 'ssh';
    case 'ext':
      return fail(uri, "transport 'ext' (run an external command) is not supported; use unix, tcp, tls or ssh");
    default:
      return fail(uri, `unknown transport '${name}' (expected unix, tcp, tls or ssh)`);
  }
}

interface Authority {
  user: string | undefined;
  host: string | undefined;
  port: number | undefined;
}

function parseAuthority(uri: string, authority: string): Authority {
  let user: string | undefined;
  let hostPort = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const rawUser = authority.slice(0, at);
    hostPort = authority.slice(at + 1);
    if (rawUser.includes(':')) fail(uri, 'passwords in the URI are not supported; use SSH keys or an agent');
    if (rawUser === '') fail(uri, "empty user name before '@'");
    user = decode(uri, 'user', rawUser);
  }

  let rawHost: string;
  let rawPort: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) fail(uri, "unterminated '[' in host");
    rawHost = hostPort.slice(1, close);
    if (!isIPv6(rawHost)) fail(uri, `'${rawHost}' in brackets is not an IPv6 address`);
    const after = hostPort.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) fail(uri, `unexpected '${after}' after ']'`);
      rawPort = after.slice(1);
    }
  } else {
    const colon = hostPort.indexOf(':');
    rawHost = colon < 0 ? hostPort : hostPort.slice(0, colon);
    rawPort = colon < 0 ? undefined : hostPort.slice(colon + 1);
    if (rawHost !== '' && !REG_NAME_RE.test(rawHost)) fail(uri, `invalid host '${rawHost}'`);
  }

  let port: number | undefined;
  if (rawPort !== undefined) {
    if (!/^\d{1,5}$/.test(rawPort)) fail(uri, `invalid port '${rawPort}'`);
    port = Number(rawPort);
    if (port < 1 || port > 65535) fail(uri, `port ${port} out of range 1-65535`);
  }
  const host = rawHost === '' ? undefined : decode(uri, 'host', rawHost);
  if (host === undefined && (user !== undefined || port !== undefined)) fail(uri, 'a user or port needs a host');
  return { user, host, port };
}

/** Parses a libvirt connection URI the way libvirt's remote driver reads it. Throws an Error naming the URI and the problem. */
export function parseLibvirtUri(uri: string): LibvirtUri {
  if (typeof uri !== 'string' || uri === '') throw new Error('invalid libvirt URI: empty string');
  if (hasSpaceOrControl(uri)) fail(uri, 'contains whitespace or control characters (percent-encode them)');

  const colon = uri.indexOf(':');
  if (colon <= 0) fail(uri, `missing scheme; ${EXPECTED_FORM}`);
  const scheme = uri.slice(0, colon);
  if (!SCHEME_RE.test(scheme)) fail(uri, `invalid scheme '${scheme}'`);
  const rest = uri.slice(colon + 1);
  if (!rest.startsWith('//')) fail(uri, `missing '//' after '${scheme}:'; ${EXPECTED_FORM}`);

  const plus = scheme.split('+');
  if (plus.length > 2) fail(uri, `scheme '${scheme}' has more than one '+'`);
  const [driver, transportName] = plus as [string, string | undefined];
  if (!DRIVER_RE.test(driver)) fail(uri, `invalid driver name '${driver}'`);
  if (transportName === '') fail(uri, "empty transport after '+'");

  // Split the remainder by RFC 3986's delimiters: authority ends at the first '/', '?' or '#'.
  const afterSlashes = rest.slice(2);
  const authEnd = afterSlashes.search(/[/?#]/);
  const authority = authEnd < 0 ? afterSlashes : afterSlashes.slice(0, authEnd);
  const tail = authEnd < 0 ? '' : afterSlashes.slice(authEnd);
  const hashAt = tail.indexOf('#');
  const beforeFragment = hashAt < 0 ? tail : tail.slice(0, hashAt);
  const rawFragment = hashAt < 0 ? undefined : tail.slice(hashAt + 1);
  const queryAt = beforeFragment.indexOf('?');
  const rawPath = queryAt < 0 ? beforeFragment : beforeFragment.slice(0, queryAt);
  const rawQuery = queryAt < 0 ? '' : beforeFragment.slice(queryAt + 1);

  const auth = parseAuthority(uri, authority);
  const transport = transportFrom(uri, transportName, auth.host);
  const path = decode(uri, 'path', rawPath);

  // Query: '&' or ';' separated, as libvirt's virURIParseParams splits it.
  const params = new Map<string, string>();
  const lower = new Map<string, string>();
  const kept: string[] = [];
  for (const segment of rawQuery.split(/[&;]/)) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const name = decode(uri, 'query parameter name', eq < 0 ? segment : segment.slice(0, eq));
    const value = eq < 0 ? '' : decode(uri, `query parameter '${name}'`, segment.slice(eq + 1));
    if (name === '') fail(uri, `query parameter without a name: '${segment}'`);
    params.set(name, value);
    const key = name.toLowerCase();
    lower.set(key, value);
    if (!CLIENT_ONLY_PARAMS.has(key)) kept.push(segment);
  }

  for (const key of BOOLEAN_PARAMS) {
    const value = lower.get(key);
    if (value !== undefined && !/^[+-]?\d+$/.test(value)) fail(uri, `${key} must be an integer (0 or 1), got '${value}'`);
  }

  if (transport === 'unix') {
    if (auth.host !== undefined) fail(uri, `the unix transport connects to a local socket and takes no host ('${auth.host}')`);
  }
  const socketParam = lower.get('socket');
  if (socketParam !== undefined) {
    if (transport === 'tcp' || transport === 'tls') fail(uri, `socket= applies to unix and ssh transports, not ${transport}`);
    if (!socketParam.startsWith('/')) fail(uri, `socket= must be an absolute path, got '${socketParam}'`);
  }

  let host = auth.host;
  let port = auth.port;
  if (transport !== 'unix') {
    // libvirt's remote driver connects to localhost when a network transport names no host.
    host ??= 'localhost';
    port ??= transport === 'tcp' ? DEFAULT_TCP_PORT : transport === 'tls' ? DEFAULT_TLS_PORT : DEFAULT_SSH_PORT;
  }

  let localUri: string;
  const explicitName = lower.get('name');
  if (explicitName !== undefined) {
    localUri = explicitName;
  } else if (driver === 'remote') {
    // An empty name lets the daemon probe its default driver, as libvirt does for remote:// URIs.
    localUri = '';
  } else {
    localUri =
      `${driver}://${rawPath}` +
      (kept.length > 0 ? `?${kept.join('&')}` : '') +
      (rawFragment !== undefined ? `#${rawFragment}` : '');
  }

  const sshAuthParam = lower.get('sshauth');
  const noVerify = lower.get('no_verify');
  return {
    uri,
    driver,
    transport,
    user: auth.user,
    host,
    port,
    path,
    params,
    localUri,
    socketPath: transport === 'unix' || transport === 'ssh' ? (socketParam ?? DEFAULT_SOCKET_PATH) : undefined,
    keyFile: lower.get('keyfile'),
    knownHostsPath: lower.get('known_hosts'),
    pkiPath: lower.get('pkipath'),
    noVerify: noVerify !== undefined && Number(noVerify) !== 0,
    sshAuth:
      sshAuthParam === undefined
        ? undefined
        : sshAuthParam
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter((s) => s !== ''),
  };
}
