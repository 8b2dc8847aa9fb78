import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainCreateFlags, LibvirtConnection } from '../../src/index.js';
import { daemonAvailable, dirPoolXml, open, rawVolumeXml, removeDomain, tinyDomainXml, uniqueName, waitFor } from '../support/libvirt.js';

describe.skipIf(!daemonAvailable)('streams against the real libvirtd', () => {
  let conn: LibvirtConnection;
  const domains: string[] = [];

  beforeAll(async () => {
    conn = await open();
  });

  afterAll(async () => {
    for (const name of domains) await removeDomain(conn, name);
    await conn.close();
  });

  it("shows SeaBIOS's banner on the serial console of a diskless VM", async () => {
    const name = uniqueName('console');
    const { dom } = await conn.domainDefineXMLFlags({ xml: tinyDomainXml(name), flags: 0 });
    domains.push(name);
    // Start paused and attach first, so the first banner cannot be printed before anyone listens.
    await conn.domainCreateWithFlags({ dom, flags: DomainCreateFlags.PAUSED });
    const consoleConn = await open();
    try {
      const { stream } = await consoleConn.domainOpenConsole({ dom, dev_name: null, flags: 0 });
      let text = '';
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
      });
      await conn.domainResume({ dom });
      // The banner may arrive split across chunks: wait for all of it.
      const banner = await waitFor(() => /SeaBIOS \(version [^)]+\)/.exec(text)?.[0], 30000, 'the SeaBIOS banner on the serial console');
      expect(banner).toMatch(/^SeaBIOS \(version /);
      // Typing into the console goes the other way; SeaBIOS ignores it but the daemon must accept it.
      await new Promise<void>((resolve, reject) => stream.write(Buffer.from('\r'), (err) => (err ? reject(err) : resolve())));
      stream.destroy();
    } finally {
      await consoleConn.close();
      await conn.domainDestroy({ dom }).catch(() => undefined);
    }
  });

  describe('volume upload and download', () => {
    let dir: string;
    let poolName: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'vireo-pool-'));
      poolName = uniqueName('pool');
    });

    afterAll(async () => {
      const pool = await conn.storagePoolLookupByName({ name: poolName }).catch(() => undefined);
      if (pool) {
        await conn.storagePoolDestroy({ pool: pool.pool }).catch(() => undefined);
        await conn.storagePoolUndefine({ pool: pool.pool }).catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('uploads then downloads 64 MiB with equal checksums and bounded client memory', async () => {
      const size = 64 * 1024 * 1024;
      const { pool } = await conn.storagePoolCreateXML({ xml: dirPoolXml(poolName, dir), flags: 0 });
      const { vol } = await conn.storageVolCreateXML({
        pool,
        xml: rawVolumeXml('data.raw', size),
        flags: 0,
      });

      // Random data made as it is sent, never held whole in memory.
      const chunkSize = 1024 * 1024;
      function* chunks(): Generator<Buffer> {
        for (let i = 0; i < size / chunkSize; i++) yield randomBytes(chunkSize);
      }
      // Live memory, not garbage: with --expose-gc (set for this project in vitest.config.ts) every sample collects
      // first, so what remains is what the client holds.
      const gc = (globalThis as { gc?: () => void }).gc;
      let peak = 0;
      let samples = 0;
      const live = (): number => {
        gc?.();
        const m = process.memoryUsage();
        return m.heapUsed + m.arrayBuffers;
      };
      const sample = (): void => {
        if (++samples % 4 === 0) peak = Math.max(peak, live());
      };
      const baseline = live();

      const sent = createHash('sha256');
      const streamConn = await open();
      try {
        const up = await streamConn.storageVolUpload({ vol, offset: 0n, length: BigInt(size), flags: 0 });
        await pipeline(
          Readable.from(
            (function* () {
              for (const c of chunks()) {
                sent.update(c);
                sample();
                yield c;
              }
            })(),
          ),
          up.stream,
        );

        const got = createHash('sha256');
        let received = 0;
        const down = await streamConn.storageVolDownload({ vol, offset: 0n, length: BigInt(size), flags: 0 });
        await pipeline(
          down.stream,
          new Writable({
            write(chunk: Buffer, _enc, cb) {
              got.update(chunk);
              received += chunk.length;
              if (received % (1024 * 1024) < chunk.length) sample();
              cb();
            },
          }),
        );
        expect(received).toBe(size);
        expect(got.digest('hex')).toBe(sent.digest('hex'));
      } finally {
        await streamConn.close();
      }
      // The whole volume is 64 MiB: a client that buffered it would grow by at least that much.
      expect(gc, 'run with --expose-gc to measure live memory').toBeTypeOf('function');
      expect(peak - baseline).toBeLessThan(16 * 1024 * 1024);
      await conn.storageVolDelete({ vol, flags: 0 });
    });
  });
});
