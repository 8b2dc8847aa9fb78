import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HostKeyVerificationError } from './errors.js';

/**
 * OpenSSH known_hosts, read the way `ssh` reads it: `[@marker] patterns keytype base64-key [comment]`, where patterns
 * are a comma list of globs (`*`, `?`, `!negation`) or one hashed `|1|salt|hmac` entry, and a host on a port other
 * than 22 is looked up as `[host]:port`.
 */

export type KnownHostMarker = 'cert-authority' | 'revoked';

export interface KnownHostEntry {
  /** 1-based line number, for messages that send the user to the right line. */
  readonly line: number;
  readonly marker: KnownHostMarker | undefined;
  /** The host field as written: `host1,[host2]:2222,!bad*` or `|1|salt|hash`. */
  readonly hosts: string;
  readonly keyType: string;
  /** The public key in SSH wire format, comparable byte for byte with what the server offers. */
  readonly key: Buffer;
}

export type HostKeyCheck =
  | { readonly status: 'match'; readonly entry: KnownHostEntry }
  | { readonly status: 'unknown' }
  | { readonly status: 'mismatch'; readonly known: readonly KnownHostEntry[] }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry };

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const HASH_MAGIC = '|1|';

/** The key type named inside an SSH wire-format public key (its first string), or undefined if malformed. */
export function sshKeyType(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const len = key.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > key.length) return undefined;
  return key.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:<base64, unpadded>`, the fingerprint `ssh` and `ssh-keygen -l` show. */
export function fingerprintSha256(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The name `ssh` looks up: `host` on port 22, `[host]:port` elsewhere; lower-cased as ssh does. */
export function knownHostName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

/** A hashed host field (`ssh-keygen -H` style) for `name`, with a fresh or given 20-byte salt. */
export function hashKnownHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const mac = createHmac('sha1', salt).update(name).digest();
  return `${HASH_MAGIC}${salt.toString('base64')}|${mac.toString('base64')}`;
}

/** Parses known_hosts text. Lines ssh would ignore (comments, unknown markers, malformed keys) are skipped, not fatal. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostMarker | undefined;
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift()?.slice(1);
      if (name !== 'cert-authority' && name !== 'revoked') continue;
      marker = name;
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined || !BASE64_RE.test(base64)) continue;
    const key = Buffer.from(base64, 'base64');
    // A key whose embedded type disagrees with the type column is corrupt; ssh refuses it too.
    if (sshKeyType(key) !== keyType) continue;
    entries.push({ line: i + 1, marker, hosts, keyType, key });
  }
  return entries;
}

/** Glob match with `*` (any run) and `?` (one character), as OpenSSH's match_pattern. */
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = p++;
      starT = t;
    } else if (pc !== undefined && (pc === '?' || pc === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function hashedMatch(field: string, name: string): boolean {
  const parts = field.split('|');
  // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const [, , salt, hash] = parts as [string, string, string, string];
  if (!BASE64_RE.test(salt) || !BASE64_RE.test(hash)) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Whether a known_hosts host field covers `name` (from knownHostName). A matching `!pattern` vetoes the line. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith(HASH_MAGIC)) return hashedMatch(field, name);
  const lowerName = name.toLowerCase();
  let matched = false;
  for (const raw of field.split(',')) {
    if (raw === '') continue;
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (!globMatch(pattern, lowerName)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** Entries whose host field covers host:port. */
export function entriesForHost(entries: readonly KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const name = knownHostName(host, port);
  return entries.filter((e) => hostFieldMatches(e.hosts, name));
}

/**
 * Checks the key a server offered. @revoked wins over everything; @cert-authority lines do not vouch for plain keys
 * (we do not do host certificates), so a host known only through a CA counts as unknown.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyCheck {
  const forHost = entriesForHost(entries, host, port);
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const match = plain.find((e) => e.key.equals(key));
  if (match) return { status: 'match', entry: match };
  return plain.length === 0 ? { status: 'unknown' } : { status: 'mismatch', known: plain };
}

/** Key types known_hosts holds for host:port (plain entries only), in file order, without duplicates. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types: string[] = [];
  for (const e of entriesForHost(entries, host, port)) {
    if (e.marker === undefined && !types.includes(e.keyType)) types.push(e.keyType);
  }
  return types;
}

/**
 * Checks an offered host key and returns the error to fail the connection with, or undefined when known_hosts vouches
 * for it. `source` names where the entries came from (a path) for the message.
 */
export function verifyHostKey(
  entries: readonly KnownHostEntry[],
  args: { target: string; host: string; port: number; key: Buffer; source: string },
): HostKeyVerificationError | undefined {
  const { target, host, port, key, source } = args;
  const check = checkHostKey(entries, host, port, key);
  if (check.status === 'match') return undefined;
  const keyType = sshKeyType(key) ?? 'unknown-type';
  const fingerprint = fingerprintSha256(key);
  const offered = `${keyType} key ${fingerprint}`;
  const where = `${host} port ${port}`;
  let message: string;
  switch (check.status) {
    case 'unknown':
      message =
        `SSH host key verification failed for ${where}: the host is not in ${source}; it offered ${offered}. ` +
        `Check that fingerprint out of band, then add the host's key to known_hosts ` +
        `(\`ssh-keyscan -p ${port} ${host}\` prints it).`;
      break;
    case 'revoked':
      message =
        `SSH host key verification failed for ${where}: the offered ${offered} is marked @revoked in ${source} ` +
        `(line ${check.entry.line}).`;
      break;
    case 'mismatch': {
      const known = check.known.map((e) => `${e.keyType} ${fingerprintSha256(e.key)} (line ${e.line})`).join(', ');
      message =
        `SSH host key verification failed for ${where}: it offered ${offered}, which does not match ${source}: ` +
        `${known}. The host key changed or someone is intercepting the connection; refusing to connect.`;
      break;
    }
  }
  return new HostKeyVerificationError(message, { target, host, port, problem: check.status, keyType, fingerprint });
}
