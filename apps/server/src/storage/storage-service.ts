import {
  DEFAULT_POOL,
  ProblemType,
  type InstallMedia,
  type InstallMediaList,
  type StoragePool,
  type StoragePoolList,
  type StorageVolume,
  type StorageVolumeList,
  type VolumeCreateRequest,
} from '@vireo/api';
import { DomainXMLFlags, isNotFound, uuidToString, type LibvirtConnection } from '@vireo/libvirt';
import { buildStoragePoolXml, buildStorageVolumeXml, readDomain, readStoragePool, readStorageVolume, SpecError } from '@vireo/libvirt-xml';
import type { FastifyBaseLogger } from 'fastify';
import { mapLimited } from '../domains/domain-reader.js';
import { conflict, HttpProblem, notFound } from '../errors/http-problem.js';
import type { HostRuntimes } from '../hosts/host-runtime.js';

type PoolRef = Awaited<ReturnType<LibvirtConnection['storagePoolLookupByName']>>['pool'];
type VolRef = Awaited<ReturnType<LibvirtConnection['storageVolLookupByName']>>['vol'];

// libvirt's virStoragePoolState: RUNNING and DEGRADED pools serve volumes.
const POOL_RUNNING = 2;
const POOL_DEGRADED = 3;
// Per-object reads of a listing: enough to keep the shared connection's call slots busy, not more.
const READ_CONCURRENCY = 4;

/** Install media by file name: CD images to boot, disk images to import. */
const ISO_EXTENSIONS = ['.iso'];
const DISK_IMAGE_EXTENSIONS = ['.qcow2', '.img', '.raw'];

function hasExtension(name: string, extensions: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return extensions.some((e) => lower.endsWith(e));
}

function volumeFormat(format: string | undefined, name: string): StorageVolume['format'] {
  if (format === 'qcow2' || format === 'raw' || format === 'iso') return format;
  // A dir pool that could not probe the file says nothing; the name is the next best hint.
  if (format === undefined && hasExtension(name, ISO_EXTENSIONS)) return 'iso';
  return 'unknown';
}

function fieldProblem(field: string, reason: string, detail: string): HttpProblem {
  return new HttpProblem(400, 'Bad Request', { type: ProblemType.validation, detail, errors: [{ field, reason }] });
}

/**
 * Storage pools and volumes of a host, and the install media the create wizard offers: ISO and disk-image volumes
 * of active pools plus files in the operator's configured directories (read through host access, never a path
 * from a request).
 */
export class StorageService {
  constructor(
    private readonly runtimes: HostRuntimes,
    private readonly isoDirs: readonly string[],
    private readonly log: FastifyBaseLogger,
  ) {}

  private conn(hostId: string): LibvirtConnection {
    return this.runtimes.get(hostId).host.connection();
  }

  async listPools(hostId: string): Promise<StoragePoolList> {
    const conn = this.conn(hostId);
    const { pools } = await conn.connectListAllStoragePools({ need_results: 1, flags: 0 });
    const rows = await mapLimited(pools, READ_CONCURRENCY, (pool) => readPool(conn, pool).catch(skipVanished));
    return { pools: rows.filter((p): p is StoragePool => p !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  }

  /**
   * The `default` dir pool at /var/lib/libvirt/images, made as virt-manager makes it when a host has no pool:
   * defined, built (the directory made), started and set to autostart. A step that fails undoes the ones before.
   */
  async createDefaultPool(hostId: string): Promise<StoragePool> {
    const conn = this.conn(hostId);
    const existing = await lookupPool(conn, DEFAULT_POOL.name);
    if (existing) throw conflict(`host ${hostId} already has a storage pool named ${DEFAULT_POOL.name}`);
    const { pools } = await conn.connectListAllStoragePools({ need_results: 1, flags: 0 });
    for (const p of pools) {
      const view = readStoragePool((await conn.storagePoolGetXMLDesc({ pool: p, flags: 0 })).xml);
      if (view.target?.path === DEFAULT_POOL.path) throw conflict(`storage pool ${p.name} on host ${hostId} already uses ${DEFAULT_POOL.path}`);
    }
    const xml = buildStoragePoolXml({ type: 'dir', name: DEFAULT_POOL.name, path: DEFAULT_POOL.path });
    const { pool } = await conn.storagePoolDefineXML({ xml, flags: 0 });
    let started = false;
    try {
      await conn.storagePoolBuild({ pool, flags: 0 });
      await conn.storagePoolCreate({ pool, flags: 0 });
      started = true;
      await conn.storagePoolSetAutostart({ pool, autostart: 1 });
      return await readPool(conn, pool);
    } catch (err) {
      if (started) await conn.storagePoolDestroy({ pool }).catch((e: unknown) => this.log.error({ err: e, host: hostId }, 'could not stop the default pool again'));
      await conn
        .storagePoolUndefine({ pool })
        .catch((e: unknown) => this.log.error({ err: e, host: hostId }, 'could not undefine the default pool whose creation failed'));
      throw err;
    }
  }

  async listVolumes(hostId: string, poolName: string): Promise<StorageVolumeList> {
    const conn = this.conn(hostId);
    const pool = await requirePool(conn, poolName, hostId);
    const [volumes, users] = await Promise.all([readVolumes(conn, pool), diskUsers(conn)]);
    for (const v of volumes) {
      v.usedBy = [...new Set([...(users.byPath.get(v.path) ?? []), ...(users.byVolume.get(`${v.pool}\0${v.name}`) ?? [])])].sort();
    }
    return { pool: pool.name, volumes };
  }

  async createVolume(hostId: string, poolName: string, request: VolumeCreateRequest): Promise<StorageVolume> {
    const runtime = this.runtimes.get(hostId);
    const conn = runtime.host.connection();
    const pool = await requirePool(conn, poolName, hostId);
    let xml: string;
    try {
      // Sparse (allocation 0), as virt-manager makes new disks: a raw volume is not written out in full.
      xml = buildStorageVolumeXml({ name: request.name, capacity: request.capacity, allocation: 0, format: request.format ?? 'qcow2' });
    } catch (err) {
      if (err instanceof SpecError) throw fieldProblem(`body.${err.field}`, err.reason, err.message);
      throw err;
    }
    if (await lookupVolume(conn, pool, request.name)) throw conflict(`storage pool ${poolName} on host ${hostId} already has a volume named ${request.name}`);
    // Allocation may take a while on some pool types: a connection of its own keeps the shared one free.
    const { vol } = await runtime.host.connections.withDedicated((c) => c.storageVolCreateXML({ pool, xml, flags: 0 }));
    const [volume] = await readVolumes(conn, pool, [vol]);
    return volume!;
  }

  async installMedia(hostId: string): Promise<InstallMediaList> {
    const runtime = this.runtimes.get(hostId);
    const conn = runtime.host.connection();
    const { pools } = await conn.connectListAllStoragePools({ need_results: 1, flags: 0 });
    const media: InstallMedia[] = [];
    const seen = new Set<string>();
    for (const pool of pools) {
      let volumes: StorageVolume[];
      try {
        const { state } = await conn.storagePoolGetInfo({ pool });
        if (state !== POOL_RUNNING && state !== POOL_DEGRADED) continue;
        volumes = await readVolumes(conn, pool);
      } catch (err) {
        // A pool stopped or undefined while we read it has nothing to offer.
        if (isNotFound(err)) continue;
        throw err;
      }
      for (const v of volumes) {
        const item = mediaOfVolume(v);
        if (item && !seen.has(item.path)) {
          seen.add(item.path);
          media.push(item);
        }
      }
    }
    for (const dir of this.isoDirs) {
      let files;
      try {
        files = await runtime.host.access.listFiles(dir, [...ISO_EXTENSIONS, ...DISK_IMAGE_EXTENSIONS]);
      } catch (err) {
        // One unreadable directory (a stale mount) must not hide the rest.
        this.log.warn({ err, host: hostId, dir }, 'could not list an ISO directory');
        continue;
      }
      for (const f of files) {
        if (seen.has(f.path)) continue;
        const kind = f.format === 'iso' || hasExtension(f.name, ISO_EXTENSIONS) ? 'iso' : 'disk-image';
        seen.add(f.path);
        media.push({
          name: f.name,
          source: { type: 'file', path: f.path },
          path: f.path,
          sizeBytes: f.sizeBytes,
          virtualSizeBytes: f.virtualSizeBytes,
          kind,
          format: kind === 'iso' ? 'iso' : f.format === 'qcow2' ? 'qcow2' : 'raw',
          origin: dir,
        });
      }
    }
    media.sort((a, b) => (a.kind !== b.kind ? (a.kind === 'iso' ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { media, directories: [...this.isoDirs] };
  }
}

function mediaOfVolume(v: StorageVolume): InstallMedia | null {
  const common = { name: v.name, source: { type: 'volume' as const, pool: v.pool, volume: v.name }, path: v.path, origin: v.pool };
  if (v.type !== 'file' && v.type !== 'block') return null;
  if (v.format === 'iso' || hasExtension(v.name, ISO_EXTENSIONS)) {
    return { ...common, sizeBytes: v.allocationBytes, virtualSizeBytes: v.capacityBytes, kind: 'iso', format: 'iso' };
  }
  // Any qcow2 volume is an image; a raw one only by its name (raw is what libvirt calls any file it cannot place).
  if (v.format === 'qcow2' || (v.format === 'raw' && hasExtension(v.name, DISK_IMAGE_EXTENSIONS))) {
    return { ...common, sizeBytes: v.allocationBytes, virtualSizeBytes: v.capacityBytes, kind: 'disk-image', format: v.format };
  }
  return null;
}

function skipVanished(err: unknown): null {
  if (isNotFound(err)) return null;
  throw err;
}

async function lookupPool(conn: LibvirtConnection, name: string): Promise<PoolRef | null> {
  try {
    return (await conn.storagePoolLookupByName({ name })).pool;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

async function requirePool(conn: LibvirtConnection, name: string, hostId: string): Promise<PoolRef> {
  const pool = await lookupPool(conn, name);
  if (!pool) throw notFound(`no storage pool ${name} on host ${hostId}`);
  return pool;
}

async function lookupVolume(conn: LibvirtConnection, pool: PoolRef, name: string): Promise<VolRef | null> {
  try {
    return (await conn.storageVolLookupByName({ pool, name })).vol;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

async function readPool(conn: LibvirtConnection, pool: PoolRef): Promise<StoragePool> {
  const [info, autostart, persistent, desc] = await Promise.all([
    conn.storagePoolGetInfo({ pool }),
    conn.storagePoolGetAutostart({ pool }),
    conn.storagePoolIsPersistent({ pool }),
    conn.storagePoolGetXMLDesc({ pool, flags: 0 }),
  ]);
  const view = readStoragePool(desc.xml);
  const active = info.state === POOL_RUNNING || info.state === POOL_DEGRADED;
  return {
    name: pool.name,
    uuid: uuidToString(pool.uuid),
    type: view.type ?? 'unknown',
    active,
    autostart: autostart.autostart !== 0,
    persistent: persistent.persistent !== 0,
    path: view.target?.path ?? null,
    capacityBytes: active ? Number(info.capacity) : 0,
    allocationBytes: active ? Number(info.allocation) : 0,
    availableBytes: active ? Number(info.available) : 0,
  };
}

/** The volumes of a pool (all of them, or the ones given) from their XML: one call each. */
async function readVolumes(conn: LibvirtConnection, pool: PoolRef, only?: readonly VolRef[]): Promise<StorageVolume[]> {
  const vols = only ?? (await conn.storagePoolListAllVolumes({ pool, need_results: 1, flags: 0 })).vols;
  const rows = await mapLimited(vols, READ_CONCURRENCY, async (vol): Promise<StorageVolume | null> => {
    let xml: string;
    try {
      ({ xml } = await conn.storageVolGetXMLDesc({ vol, flags: 0 }));
    } catch (err) {
      return skipVanished(err);
    }
    const view = readStorageVolume(xml);
    return {
      name: vol.name,
      key: vol.key,
      path: view.target?.path ?? vol.key,
      pool: pool.name,
      type: view.type ?? 'file',
      format: volumeFormat(view.target?.format, vol.name),
      capacityBytes: view.capacityBytes ?? 0,
      allocationBytes: view.allocationBytes ?? 0,
      usedBy: [],
    };
  });
  return rows.filter((r): r is StorageVolume => r !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Which domains' definitions reference which disk sources: by path (file, block) and by pool volume. Read from the
 * inactive definitions, once per request; a domain undefined meanwhile is skipped.
 */
async function diskUsers(conn: LibvirtConnection): Promise<{ byPath: Map<string, string[]>; byVolume: Map<string, string[]> }> {
  const byPath = new Map<string, string[]>();
  const byVolume = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, name: string): void => {
    const list = map.get(key);
    if (list) list.push(name);
    else map.set(key, [name]);
  };
  const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
  await mapLimited(domains, READ_CONCURRENCY, async (dom) => {
    let xml: string;
    try {
      ({ xml } = await conn.domainGetXMLDesc({ dom, flags: DomainXMLFlags.INACTIVE }));
    } catch (err) {
      skipVanished(err);
      return;
    }
    for (const disk of readDomain(xml).devices.disks) {
      const s = disk.source;
      if (!s) continue;
      if (s.file) add(byPath, s.file, dom.name);
      if (s.dev) add(byPath, s.dev, dom.name);
      if (s.pool && s.volume) add(byVolume, `${s.pool}\0${s.volume}`, dom.name);
    }
  });
  return { byPath, byVolume };
}
