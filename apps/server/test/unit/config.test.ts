import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configErrorOf } from '../helpers/config-error.js';
import { tmpDir } from '../helpers/harness.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8443,
      host: '0.0.0.0',
      dataDir: '/var/lib/vireo',
      libvirtUri: 'qemu:///system',
      tls: null,
      insecureHttp: false,
      adminPassword: null,
      publicOrigin: null,
      trustedProxies: [],
      session: { idleTimeoutMs: 1_800_000, absoluteTimeoutMs: 43_200_000 },
      pam: { adminGroups: ['sudo'], operatorGroups: ['libvirt'] },
      live: { statsIntervalMs: 5000, heartbeatMs: 15_000 },
    });
  });

  it('reads every variable it documents', () => {
    const dir = tmpDir();
    const cert = path.join(dir, 'c.pem');
    const key = path.join(dir, 'k.pem');
    writeFileSync(cert, 'x');
    writeFileSync(key, 'x');
    const c = loadConfig({
      VIREO_PORT: '9443',
      VIREO_HOST: '127.0.0.1',
      VIREO_DATA_DIR: dir,
      VIREO_LIBVIRT_URI: 'qemu+ssh://root@h/system',
      VIREO_TLS_CERT: cert,
      VIREO_TLS_KEY: key,
      VIREO_ADMIN_PASSWORD: 'a long enough password',
      VIREO_INSECURE_HTTP: '1',
      VIREO_PUBLIC_URL: 'https://vireo.example.org/some/path',
      VIREO_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,::1',
      VIREO_SESSION_IDLE_TIMEOUT: '600',
      VIREO_SESSION_ABSOLUTE_TIMEOUT: '3600',
      VIREO_PAM_ADMIN_GROUPS: 'wheel,sudo',
      VIREO_STATS_INTERVAL_MS: '2000',
      VIREO_EVENTS_HEARTBEAT_MS: '30000',
    });
    expect(c).toMatchObject({
      port: 9443,
      host: '127.0.0.1',
      dataDir: dir,
      libvirtUri: 'qemu+ssh://root@h/system',
      tls: { certFile: cert, keyFile: key },
      adminPassword: 'a long enough password',
      insecureHttp: true,
      publicOrigin: 'https://vireo.example.org',
      trustedProxies: ['10.0.0.1', '192.168.0.0/16', '::1'],
      session: { idleTimeoutMs: 600_000, absoluteTimeoutMs: 3_600_000 },
      pam: { adminGroups: ['wheel', 'sudo'] },
      live: { statsIntervalMs: 2000, heartbeatMs: 30_000 },
    });
  });

  // Each bad value: the error names the variable first and fits on one line.
  const bad: [string, Record<string, string>, RegExp][] = [
    ['VIREO_PORT', { VIREO_PORT: 'https' }, /port number/],
    ['VIREO_PORT', { VIREO_PORT: '70000' }, /0-65535/],
    ['VIREO_PORT', { VIREO_PORT: '1.5' }, /whole number/],
    ['VIREO_DATA_DIR', { VIREO_DATA_DIR: 'relative/dir' }, /absolute path/],
    ['VIREO_LIBVIRT_URI', { VIREO_LIBVIRT_URI: 'system' }, /libvirt URI/],
    ['VIREO_ADMIN_PASSWORD', { VIREO_ADMIN_PASSWORD: 'short' }, /at least 12 characters/],
    ['VIREO_INSECURE_HTTP', { VIREO_INSECURE_HTTP: 'maybe' }, /1 or 0/],
    ['VIREO_INSECURE_HTTP', { VIREO_INSECURE_HTTP: '1' }, /only on a loopback address.*0\.0\.0\.0/],
    ['VIREO_PUBLIC_URL', { VIREO_PUBLIC_URL: 'vireo.example.org' }, /http\(s\) URL/],
    ['VIREO_PUBLIC_URL', { VIREO_PUBLIC_URL: 'ftp://vireo.example.org' }, /http\(s\) URL/],
    ['VIREO_TRUSTED_PROXIES', { VIREO_TRUSTED_PROXIES: '10.0.0.1,proxy.local' }, /IP addresses or CIDR/],
    ['VIREO_TRUSTED_PROXIES', { VIREO_TRUSTED_PROXIES: '10.0.0.0/33' }, /IP addresses or CIDR/],
    ['VIREO_TLS_KEY', { VIREO_TLS_CERT: '/etc/hostname' }, /together/],
    ['VIREO_TLS_CERT', { VIREO_TLS_CERT: '/nonexistent/c.pem', VIREO_TLS_KEY: '/etc/hostname' }, /cannot read \/nonexistent\/c\.pem: ENOENT/],
    ['VIREO_SESSION_IDLE_TIMEOUT', { VIREO_SESSION_IDLE_TIMEOUT: '5' }, /at least 60 seconds/],
    ['VIREO_SESSION_IDLE_TIMEOUT', { VIREO_SESSION_IDLE_TIMEOUT: '7200', VIREO_SESSION_ABSOLUTE_TIMEOUT: '3600' }, /must not exceed/],
    ['VIREO_STATS_INTERVAL_MS', { VIREO_STATS_INTERVAL_MS: '5s' }, /number of milliseconds/],
    ['VIREO_STATS_INTERVAL_MS', { VIREO_STATS_INTERVAL_MS: '499' }, /at least 500 ms/],
    ['VIREO_STATS_INTERVAL_MS', { VIREO_STATS_INTERVAL_MS: '1500.5' }, /whole number of milliseconds/],
    ['VIREO_EVENTS_HEARTBEAT_MS', { VIREO_EVENTS_HEARTBEAT_MS: '999' }, /at least 1000 ms/],
    ['VIREO_EVENTS_HEARTBEAT_MS', { VIREO_EVENTS_HEARTBEAT_MS: '-1' }, /at least 1000 ms/],
    ['VIREO_EVENTS_HEARTBEAT_MS', { VIREO_EVENTS_HEARTBEAT_MS: '86400000' }, /at most 3600000 ms/],
    ['VIREO_LOG_LEVEL', { VIREO_LOG_LEVEL: 'loud' }, /one of fatal/],
    ['VIREO_CONFIG', { VIREO_CONFIG: '/nonexistent/vireo.json' }, /cannot read/],
  ];
  it.each(bad)('refuses a bad %s with one line naming it', (variable, env, reason) => {
    const err = configErrorOf(env);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).toMatch(reason);
    expect(err.message).not.toContain('\n');
  });

  it('never echoes a rejected admin password', () => {
    expect(configErrorOf({ VIREO_ADMIN_PASSWORD: 'hunter2' }).message).not.toContain('hunter2');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ VIREO_PORT: '', VIREO_TLS_CERT: '' }).port).toBe(8443);
  });

  it('takes settings from the VIREO_CONFIG file, with the environment winning', () => {
    const file = path.join(tmpDir(), 'vireo.json');
    writeFileSync(file, JSON.stringify({ VIREO_PORT: 9000, VIREO_HOST: '127.0.0.1', VIREO_INSECURE_HTTP: true }));
    const c = loadConfig({ VIREO_CONFIG: file, VIREO_PORT: '9001' });
    expect(c).toMatchObject({ port: 9001, host: '127.0.0.1', insecureHttp: true });
  });

  it('names the file and the key for a bad config file', () => {
    const dir = tmpDir();
    const typo = path.join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ VIREO_PROT: 1 }));
    expect(configErrorOf({ VIREO_CONFIG: typo }).message).toBe(`VIREO_CONFIG: ${typo}: unknown setting "VIREO_PROT"`);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"VIREO_PORT": ');
    expect(configErrorOf({ VIREO_CONFIG: broken }).message).toMatch(/^VIREO_CONFIG: .*broken\.json is not valid JSON/);
    const badValue = path.join(dir, 'bad-value.json');
    writeFileSync(badValue, JSON.stringify({ VIREO_PORT: 'x' }));
    expect(configErrorOf({ VIREO_CONFIG: badValue }).variable).toBe('VIREO_PORT');
  });
});
