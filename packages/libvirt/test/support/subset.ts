/**
 * The checks every transport must pass against the real daemon: calls, errors, events and streams. Registered as
 * vitest cases by each transport's suite, so unix, TCP, TLS and SSH are held to the same bar.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ErrorCode, LibvirtError, uuidToString, type DomainEvent, type LibvirtConnection } from '../../src/index.js';
import { dirPoolXml, rawVolumeXml, removeDomain, tinyDomainXml, uniqueName, virsh, waitFor } from './libvirt.js';

export function transportSubset(connect: () => Promise<LibvirtConnection>): void {
  let conn: LibvirtConnection;
  const dir = mkdtempSync(join(tmpdir(), 'vireo-subset-'));
  const poolName = uniqueName('subset-pool');
  const domName = uniqueName('subset');

  beforeAll(async () => {
    conn = await connect();
  });

  afterAll(async () => {
    await removeDomain(conn, domName);
    const found = await conn.storagePoolLookupByName({ name: poolName }).catch(() => undefined);
    if (found) await conn.storagePoolDestroy({ pool: found.pool }).catch(() => undefined);
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the same domains as virsh and returns the same XML', async () => {
    await conn.domainDefineXMLFlags({ xml: tinyDomainXml(domName), flags: 0 });
    const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
    const theirs = (await virsh(['list', '--all', '--uuid'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
    expect(domains.map((d) => uuidToString(d.uuid)).sort()).toEqual(theirs);
    const { dom } = await conn.domainLookupByName({ name: domName });
    expect((await conn.domainGetXMLDesc({ dom, flags: 0 })).xml.trimEnd()).toBe((await virsh(['dumpxml', domName])).trimEnd());
  });

  it("reports libvirt's error code for a missing domain", async () => {
    const err = await conn.domainLookupByName({ name: uniqueName('missing') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(ErrorCode.NO_DOMAIN);
  });

  it('delivers lifecycle events', async () => {
    const seen: number[] = [];
    const sub = await conn.subscribeDomainEvents(
      (ev: DomainEvent) => {
        if (ev.name === 'lifecycle' && ev.body.msg.dom.name === domName) seen.push(ev.body.msg.event);
      },
      { events: ['lifecycle'] },
    );
    const { dom } = await conn.domainLookupByName({ name: domName });
    await conn.domainUndefine({ dom });
    await conn.domainDefineXMLFlags({ xml: tinyDomainXml(domName), flags: 0 });
    await waitFor(() => (seen.length >= 2 ? true : undefined), 10000, 'undefined and defined events');
    expect(seen).toEqual([1, 0]);
    await sub.unsubscribe();
  });

  it('carries a volume upload and download stream', async () => {
    const { pool } = await conn.storagePoolCreateXML({
      xml: dirPoolXml(poolName, dir),
      flags: 0,
    });
    const size = 4 * 1024 * 1024;
    const { vol } = await conn.storageVolCreateXML({
      pool,
      xml: rawVolumeXml('v.raw', size),
      flags: 0,
    });
    const data = randomBytes(size);
    const up = await conn.storageVolUpload({ vol, offset: 0n, length: BigInt(size), flags: 0 });
    await pipeline(Readable.from([data.subarray(0, size / 2), data.subarray(size / 2)]), up.stream);
    const down = await conn.storageVolDownload({ vol, offset: 0n, length: BigInt(size), flags: 0 });
    const parts: Buffer[] = [];
    for await (const chunk of down.stream) parts.push(chunk as Buffer);
    const got = Buffer.concat(parts);
    expect(got.length).toBe(size);
    expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    await conn.storageVolDelete({ vol, flags: 0 });
  });
}
