import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostConnections } from '../../src/index.js';
import { daemonAvailable, dirPoolXml, LIBVIRT_URI, rawVolumeXml, uniqueName, waitFor } from '../support/libvirt.js';

describe.skipIf(!daemonAvailable)('HostConnections: shared calls, dedicated streams', () => {
  const host = new HostConnections(LIBVIRT_URI);
  const dir = mkdtempSync(join(tmpdir(), 'vireo-hostconn-'));
  const poolName = uniqueName('hc-pool');

  beforeAll(async () => {
    const conn = await host.shared();
    await conn.storagePoolCreateXML({
      xml: dirPoolXml(poolName, dir),
      flags: 0,
    });
  });

  afterAll(async () => {
    const conn = await host.shared();
    const found = await conn.storagePoolLookupByName({ name: poolName }).catch(() => undefined);
    if (found) await conn.storagePoolDestroy({ pool: found.pool }).catch(() => undefined);
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every concurrent caller the same shared connection, and a new one after it closed', async () => {
    const [a, b, c] = await Promise.all([host.shared(), host.shared(), host.shared()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    const d = await host.dedicated();
    expect(d).not.toBe(a);
    expect(host.dedicatedCount).toBe(1);
    await d.close();
    expect(host.dedicatedCount).toBe(0);
  });

  it('keeps answering shared calls while a stalled download holds its own connection', async () => {
    const shared = await host.shared();
    const { pool } = await shared.storagePoolLookupByName({ name: poolName });
    const size = 32 * 1024 * 1024;
    const { vol } = await shared.storageVolCreateXML({
      pool,
      xml: rawVolumeXml('big.raw', size),
      flags: 0,
    });
    await host.withDedicated(async (conn) => {
      const { stream } = await conn.storageVolDownload({ vol, offset: 0n, length: BigInt(size), flags: 0 });
      // Nobody reads: the stream's buffer fills and its socket is paused.
      await waitFor(
        () => (stream.readableLength >= stream.readableHighWaterMark ? true : undefined),
        10000,
        "the download's buffer to fill",
      );
      // Twenty calls on the shared connection, well past libvirtd's five-per-client limit, all complete.
      const results = await Promise.all(Array.from({ length: 20 }, () => shared.connectGetHostname(undefined, { timeoutMs: 5000 })));
      expect(new Set(results.map((r) => r.hostname)).size).toBe(1);
      stream.destroy();
    });
    await shared.storageVolDelete({ vol, flags: 0 });
  });

  it('refuses new connections after close', async () => {
    const other = new HostConnections(LIBVIRT_URI);
    await other.shared();
    await other.close();
    await expect(other.shared()).rejects.toThrow(/closed/);
    await expect(other.dedicated()).rejects.toThrow(/closed/);
  });
});
