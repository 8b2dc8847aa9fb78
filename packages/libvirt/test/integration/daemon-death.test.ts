import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '../../src/index.js';
import { daemonOwned, open, waitFor, LIBVIRT_SOCKET } from '../support/libvirt.js';

const pidFile = process.env['VIREO_TEST_LIBVIRTD_PIDFILE'] ?? '/run/libvirtd.pid';
const restart = process.env['VIREO_TEST_DAEMON_START'];
const skipReason = daemonOwned && restart ? '' : 'libvirtd was not started by the test script (VIREO_TEST_DAEMON_OWNED!=1)';

function daemonPid(): number {
  return Number(readFileSync(pidFile, 'utf8').trim());
}

/** Brings the daemon back whatever state the test left it in. */
function revive(): void {
  const pid = (() => {
    try {
      return daemonPid();
    } catch {
      return 0;
    }
  })();
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
  execSync(restart!, { stdio: 'inherit' });
}

describe.skipIf(skipReason !== '')(`a dying libvirtd ${skipReason ? `(skipped: ${skipReason})` : ''}`, () => {
  it('rejects a pending call within the keepalive window when the daemon hangs', async () => {
    const conn = await open(undefined, { keepalive: { intervalMs: 300, count: 3 } });
    const pid = daemonPid();
    let closedAt = 0;
    conn.on('close', () => {
      closedAt = Date.now();
    });
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const err = await conn.connectGetHostname(undefined).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect((err as Error).message).toMatch(/keepalive/);
      // 300 ms x (3 + 1) plus one timer period of slack.
      expect(elapsed).toBeLessThan(2500);
      expect(closedAt).toBeGreaterThan(0);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });

  it('rejects every pending call at once when the daemon is killed, and works again after a restart', async () => {
    const conn = await open();
    const pid = daemonPid();
    process.kill(pid, 'SIGSTOP');
    try {
      const calls = [conn.connectGetHostname(undefined), conn.connectGetVersion(undefined), conn.connectGetCapabilities(undefined)];
      const settled = Promise.allSettled(calls);
      process.kill(pid, 'SIGKILL');
      const started = Date.now();
      const results = await settled;
      expect(Date.now() - started).toBeLessThan(1000);
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionClosedError);
      }
      expect(conn.closed).toBe(true);
    } finally {
      await waitFor(() => {
        try {
          process.kill(pid, 0);
          return undefined;
        } catch {
          return true;
        }
      }, 5000, 'the killed daemon to exit').catch(() => undefined);
      revive();
    }
    await waitFor(() => (existsSync(LIBVIRT_SOCKET) ? true : undefined), 20000, 'libvirtd to come back');
    const again = await open();
    expect((await again.connectGetHostname(undefined)).hostname.length).toBeGreaterThan(0);
    await again.close();
  });
});
