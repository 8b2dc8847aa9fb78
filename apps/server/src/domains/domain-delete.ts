import type { Task } from '@vireo/api';
import { DomainState, DomainUndefineFlags, isNotFound, type LibvirtConnection } from '@vireo/libvirt';
import { readDomain, type DomainView } from '@vireo/libvirt-xml';
import { badRequest, conflict } from '../errors/http-problem.js';
import { readDefinition, resolveDomain, type DomainContext, type ResolvedDomain } from './domain-context.js';

type Volume = Awaited<ReturnType<LibvirtConnection['storageVolLookupByPath']>>['vol'];

/** The paths of the domain's disks: files and block devices as written, pool volumes resolved to their paths. */
async function diskPaths(conn: LibvirtConnection, view: DomainView): Promise<Set<string>> {
  const paths = new Set<string>();
  for (const disk of view.devices.disks) {
    const source = disk.source;
    if (!source) continue;
    if (source.file) paths.add(source.file);
    if (source.dev) paths.add(source.dev);
    if (source.pool && source.volume) {
      try {
        const { pool } = await conn.storagePoolLookupByName({ name: source.pool });
        const { vol } = await conn.storageVolLookupByName({ pool, name: source.volume });
        paths.add((await conn.storageVolGetPath({ vol })).name);
      } catch (err) {
        // A volume that is already gone cannot be asked for; any other failure stops the delete before it starts.
        if (!isNotFound(err)) throw err;
      }
    }
  }
  return paths;
}

/**
 * Undefine flags the definition needs: libvirt refuses to undefine a domain with a managed save image, snapshot
 * metadata or (for UEFI) an NVRAM file unless told what to do with them, and here they all go with the domain.
 */
async function undefineFlags(d: ResolvedDomain, view: DomainView): Promise<number> {
  const [managedSave, snapshots] = await Promise.all([
    d.conn.domainHasManagedSaveImage({ dom: d.dom, flags: 0 }),
    d.conn.domainSnapshotNum({ dom: d.dom, flags: 0 }),
  ]);
  let flags = 0;
  if (managedSave.result !== 0) flags |= DomainUndefineFlags.MANAGED_SAVE;
  if (snapshots.num > 0) flags |= DomainUndefineFlags.SNAPSHOTS_METADATA;
  if (view.firmware === 'uefi' || view.os.nvram) flags |= DomainUndefineFlags.NVRAM;
  return flags;
}

/**
 * Deletes (undefines) a shut-off domain and exactly the volumes listed, looked up by path. Every listed path must be
 * one of the domain's disks and a volume of a pool; that is checked before anything is changed. Without volumes the
 * delete is done when this resolves (null); with volumes it is a task.
 */
export async function deleteDomain(ctx: DomainContext, hostId: string, uuid: string, volumePaths: readonly string[]): Promise<Task | null> {
  const d = await resolveDomain(ctx, hostId, uuid);
  const { state } = await d.conn.domainGetState({ dom: d.dom, flags: 0 });
  // A running domain would only lose its persistent definition, and its disks are in use.
  if (state !== DomainState.SHUTOFF) throw conflict(`${d.dom.name} on host ${hostId} is running: shut it down or destroy it first`);
  const view = readDomain(await readDefinition(d.conn, d.dom));
  const requested = [...new Set(volumePaths)];
  const volumes: { path: string; vol: Volume }[] = [];
  if (requested.length > 0) {
    const disks = await diskPaths(d.conn, view);
    for (const path of requested) {
      if (!disks.has(path)) throw badRequest(`${path} is not a disk of ${d.dom.name}; only its own disks can be deleted with it`);
      try {
        volumes.push({ path, vol: (await d.conn.storageVolLookupByPath({ path })).vol });
      } catch (err) {
        if (isNotFound(err)) throw badRequest(`${path} is not a volume of any storage pool on host ${hostId}, so it cannot be deleted here`);
        throw err;
      }
    }
  }
  const flags = await undefineFlags(d, view);

  if (volumes.length === 0) {
    await d.conn.domainUndefineFlags({ dom: d.dom, flags });
    await d.runtime.tracker.refresh(d.uuid, 'delete');
    return null;
  }
  return ctx.tasks.start('domain.delete', hostId, d.uuid, async (progress) => {
    const steps = volumes.length + 1;
    progress.progress(0, `undefining ${d.dom.name}`);
    await d.conn.domainUndefineFlags({ dom: d.dom, flags });
    await d.runtime.tracker.refresh(d.uuid, 'delete');
    for (const [i, v] of volumes.entries()) {
      progress.progress((i + 1) / steps, `deleting ${v.path}`);
      // Deleting a large volume can take a while (wiping is off, but some pool types are slow): own connection.
      await d.runtime.host.connections.withDedicated((c) => c.storageVolDelete({ vol: v.vol, flags: 0 }));
    }
    return { uuid: d.uuid, deletedVolumes: String(volumes.length) };
  });
}
