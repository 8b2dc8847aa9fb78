import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { HostKeyVerificationError } from '../../../src/transport/errors.js';
import {
  checkHostKey,
  fingerprintSha256,
  hashKnownHostName,
  hostFieldMatches,
  knownHostName,
  knownKeyTypes,
  parseKnownHosts,
  sshKeyType,
  verifyHostKey,
} from '../../../src/transport/known-hosts.js';

const { utils } = ssh2;

/** A fresh public key as `type base64` (the known_hosts columns) and as the wire blob a server would offer. */
function makeKey(type: 'ed25519' | 'ecdsa' | 'rsa'): { line: string; blob: Buffer; type: string } {
  const pair =
    type === 'ecdsa'
      ? utils.generateKeyPairSync('ecdsa', { bits: 256 })
      : type === 'rsa'
        ? utils.generateKeyPairSync('rsa', { bits: 2048 })
        : utils.generateKeyPairSync('ed25519');
  const [keyType, base64] = pair.public.trim().split(/\s+/) as [string, string];
  return { line: `${keyType} ${base64}`, blob: Buffer.from(base64, 'base64'), type: keyType };
}

const ed = makeKey('ed25519');
const ed2 = makeKey('ed25519');
const ecdsa = makeKey('ecdsa');
const rsa = makeKey('rsa');

describe('known_hosts parsing', () => {
  it('reads entries with markers and comments, skips junk', () => {
    const text = [
      '# a comment',
      '',
      `host1,host2 ${ed.line} comment here`,
      `@revoked * ${ed2.line}`,
      `@cert-authority *.example ${ecdsa.line}`,
      `@bogus host ${rsa.line}`,
      'host3 ssh-ed25519 not-base64!!',
      `host4 ssh-rsa ${ed.line.split(' ')[1]}`, // type column disagrees with the key
      `[host5]:2222 ${rsa.line}`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(entries.map((e) => [e.line, e.marker, e.hosts, e.keyType])).toEqual([
      [3, undefined, 'host1,host2', 'ssh-ed25519'],
      [4, 'revoked', '*', 'ssh-ed25519'],
      [5, 'cert-authority', '*.example', 'ecdsa-sha2-nistp256'],
      [9, undefined, '[host5]:2222', 'ssh-rsa'],
    ]);
    expect(entries[0]?.key.equals(ed.blob)).toBe(true);
  });

  it('knows key types from the blob and fingerprints like ssh-keygen', () => {
    expect(sshKeyType(ed.blob)).toBe('ssh-ed25519');
    expect(sshKeyType(ecdsa.blob)).toBe('ecdsa-sha2-nistp256');
    expect(sshKeyType(rsa.blob)).toBe('ssh-rsa');
    expect(sshKeyType(Buffer.alloc(2))).toBeUndefined();
    const expected = createHash('sha256').update(ed.blob).digest('base64').replace(/=+$/, '');
    expect(fingerprintSha256(ed.blob)).toBe(`SHA256:${expected}`);
  });
});

describe('host matching', () => {
  it('uses [host]:port for ports other than 22, lower-cased', () => {
    expect(knownHostName('Host.Example', 22)).toBe('host.example');
    expect(knownHostName('host', 2222)).toBe('[host]:2222');
  });

  it('matches comma lists, wildcards and negations', () => {
    expect(hostFieldMatches('a,b,c', 'b')).toBe(true);
    expect(hostFieldMatches('a,b,c', 'd')).toBe(false);
    expect(hostFieldMatches('*.example.com', 'vm1.example.com')).toBe(true);
    expect(hostFieldMatches('vm?.example.com', 'vm1.example.com')).toBe(true);
    expect(hostFieldMatches('vm?.example.com', 'vm10.example.com')).toBe(false);
    expect(hostFieldMatches('*.example.com,!bad.example.com', 'bad.example.com')).toBe(false);
    expect(hostFieldMatches('HOST', 'host')).toBe(true);
    expect(hostFieldMatches('[host]:2222', '[host]:2222')).toBe(true);
    expect(hostFieldMatches('host', '[host]:2222')).toBe(false);
    expect(hostFieldMatches('[host]:2222', 'host')).toBe(false);
  });

  it('matches hashed |1|salt|hash entries (HMAC-SHA1)', () => {
    const hashed = hashKnownHostName('[10.0.0.5]:2222');
    expect(hashed).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/);
    expect(hostFieldMatches(hashed, '[10.0.0.5]:2222')).toBe(true);
    expect(hostFieldMatches(hashed, '10.0.0.5')).toBe(false);
    expect(hostFieldMatches('|1|garbage', '10.0.0.5')).toBe(false);
  });

  it('matches a hashed entry written by ssh-keygen -H (fixed vector)', () => {
    // `ssh-keygen -H` on a known_hosts line for "localhost".
    const field = '|1|fBstlNvsAppgyZfxbAv91WXleP4=|xQ10GX66gDK/+7CHZGkwwP4rVmU=';
    expect(hostFieldMatches(field, 'localhost')).toBe(true);
    expect(hostFieldMatches(field, 'localhost2')).toBe(false);
  });

  it('hashes like OpenSSH: HMAC-SHA1 keyed with the salt', () => {
    // printf localhost | openssl dgst -sha1 -mac HMAC -macopt hexkey:000102...13 -binary | base64
    const salt = Buffer.from([...Array(20).keys()]);
    expect(hashKnownHostName('localhost', salt)).toBe(`|1|${salt.toString('base64')}|yTQeZl5r1zdHFRqF87ovBrxckvU=`);
  });
});

describe('checkHostKey', () => {
  const entries = parseKnownHosts(
    [
      `server1,server1.example ${ed.line}`,
      `${hashKnownHostName('[server2]:2222')} ${ecdsa.line}`,
      `[server3]:2200 ${rsa.line}`,
      `server4 ${rsa.line}`,
      `server4 ${ed.line}`,
      `@revoked server5 ${ed2.line}`,
      `server5 ${ed2.line}`,
      `@cert-authority server6 ${ed.line}`,
    ].join('\n'),
  );

  it('accepts the recorded key: plain, hashed with port, bracketed port', () => {
    expect(checkHostKey(entries, 'server1', 22, ed.blob).status).toBe('match');
    expect(checkHostKey(entries, 'SERVER1.example', 22, ed.blob).status).toBe('match');
    expect(checkHostKey(entries, 'server2', 2222, ecdsa.blob).status).toBe('match');
    expect(checkHostKey(entries, 'server3', 2200, rsa.blob).status).toBe('match');
    expect(checkHostKey(entries, 'server4', 22, ed.blob).status).toBe('match');
  });

  it('reports a different key as a mismatch', () => {
    const check = checkHostKey(entries, 'server1', 22, ed2.blob);
    expect(check.status).toBe('mismatch');
    if (check.status === 'mismatch') expect(check.known.map((e) => e.line)).toEqual([1]);
  });

  it('reports unknown hosts, and known hosts on another port as unknown', () => {
    expect(checkHostKey(entries, 'nowhere', 22, ed.blob).status).toBe('unknown');
    expect(checkHostKey(entries, 'server1', 2222, ed.blob).status).toBe('unknown');
    expect(checkHostKey(entries, 'server2', 22, ecdsa.blob).status).toBe('unknown');
  });

  it('refuses revoked keys even when also listed as valid', () => {
    expect(checkHostKey(entries, 'server5', 22, ed2.blob).status).toBe('revoked');
  });

  it('does not let a @cert-authority line vouch for a plain key', () => {
    expect(checkHostKey(entries, 'server6', 22, ed.blob).status).toBe('unknown');
  });

  it('lists the key types known for a host', () => {
    expect(knownKeyTypes(entries, 'server4', 22)).toEqual(['ssh-rsa', 'ssh-ed25519']);
    expect(knownKeyTypes(entries, 'server2', 2222)).toEqual(['ecdsa-sha2-nistp256']);
    expect(knownKeyTypes(entries, 'nowhere', 22)).toEqual([]);
  });

  it('verifyHostKey builds errors naming host, port and the offered fingerprint', () => {
    const args = { target: 'ssh:root@server1:22', host: 'server1', port: 22, source: '/kh' };
    expect(verifyHostKey(entries, { ...args, key: ed.blob })).toBeUndefined();

    const mismatch = verifyHostKey(entries, { ...args, key: ed2.blob });
    expect(mismatch).toBeInstanceOf(HostKeyVerificationError);
    expect(mismatch?.problem).toBe('mismatch');
    expect(mismatch?.code).toBe('HOST_KEY_MISMATCH');
    expect(mismatch?.message).toContain('server1 port 22');
    expect(mismatch?.message).toContain(fingerprintSha256(ed2.blob));
    expect(mismatch?.message).toContain('line 1');

    const unknown = verifyHostKey(entries, { ...args, host: 'newhost', port: 2022, key: rsa.blob });
    expect(unknown?.problem).toBe('unknown');
    expect(unknown?.message).toContain('newhost port 2022');
    expect(unknown?.message).toContain(`ssh-rsa key ${fingerprintSha256(rsa.blob)}`);
    expect(unknown?.message).toContain('/kh');
    expect(unknown?.fingerprint).toBe(fingerprintSha256(rsa.blob));
  });
});
