import type { DomainCreateRequest, DomainDetail, Role, Task } from '@vireo/api';
import { DomainDefineFlags, DomainUndefineFlags, isNotFound, uuidToString, type LibvirtConnection } from '@vireo/libvirt';
import { buildDomain, buildStorageVolumeXml, diskVolumes, serializeXml, SpecError, type DomainSpec } from '@vireo/libvirt-xml';
import { ProblemType } from '@vireo/api';
import { conflict, HttpProblem } from '../errors/http-problem.js';
import type { DomainContext } from './domain-context.js';
import type { DomainRef } from './domain-reader.js';
import type { DomainService } from './domain-service.js';

export type CreateOutcome = { kind: 'created'; detail: DomainDetail } | { kind: 'task'; task: Task };

function specProblem(err: SpecError): HttpProblem {
  return new HttpProblem(400, 'Bad Request', {
    type: ProblemType.validation,
    detail: err.message,
    errors: [{ field: `body.spec.${err.field}`, reason: err.reason }],
  });
}

interface CreatedVolume {
  pool: string;
  name: string;
  key: string;
}

/**
 * Creates a domain from the wizard's spec with the XML layer's builder, defined with libvirt's VALIDATE flag. When
 * the spec asks for new disk volumes, the whole thing is a task: volumes first (removed again if anything after
 * them fails), then the define, then the start if asked.
 */
export async function createDomain(ctx: DomainContext, domains: DomainService, hostId: string, request: DomainCreateRequest, role: Role): Promise<CreateOutcome> {
  const runtime = ctx.runtimes.get(hostId);
  const conn = runtime.host.connection();
  const spec = request.spec as DomainSpec;
  let xml: string;
  let volumes: ReturnType<typeof diskVolumes>;
  try {
    xml = serializeXml(buildDomain(spec));
    volumes = diskVolumes(spec);
  } catch (err) {
    if (err instanceof SpecError) throw specProblem(err);
    throw err;
  }
  await refuseExisting(conn, spec.name, hostId);
  const start = request.start ?? false;

  if (volumes.length === 0) {
    const uuid = await defineAndStart(conn, xml, start);
    await runtime.tracker.refresh(uuid, 'create');
    return { kind: 'created', detail: await domains.detail(hostId, uuid, role) };
  }

  const task = ctx.tasks.start('domain.create', hostId, spec.name, async (progress) => {
    const created: CreatedVolume[] = [];
    let defined: DomainRef | undefined;
    const steps = volumes.length + (start ? 2 : 1);
    try {
      for (const [i, v] of volumes.entries()) {
        progress.progress(i / steps, `creating volume ${v.name} in pool ${v.pool}`);
        const { pool } = await conn.storagePoolLookupByName({ name: v.pool });
        // A volume may take a while to allocate: a connection of its own keeps the shared one free.
        const { vol } = await runtime.host.connections.withDedicated((c) =>
          c.storageVolCreateXML({ pool, xml: buildStorageVolumeXml({ name: v.name, capacity: v.capacity, format: v.format }), flags: 0 }),
        );
        created.push({ pool: v.pool, name: vol.name, key: vol.key });
      }
      progress.progress(volumes.length / steps, `defining ${spec.name}`);
      const { dom } = await conn.domainDefineXMLFlags({ xml, flags: DomainDefineFlags.VALIDATE });
      defined = dom;
      if (start) {
        progress.progress((volumes.length + 1) / steps, `starting ${spec.name}`);
        await conn.domainCreateWithFlags({ dom, flags: 0 });
      }
      const uuid = uuidToString(dom.uuid);
      await runtime.tracker.refresh(uuid, 'create');
      return { uuid };
    } catch (err) {
      // All or nothing: a wizard that failed leaves no half-made VM or orphaned disk behind.
      if (defined) {
        await conn
          .domainUndefineFlags({ dom: defined, flags: DomainUndefineFlags.NVRAM })
          .catch((e: unknown) => ctx.log.error({ err: e, domain: spec.name }, 'could not undefine a domain whose creation failed'));
      }
      await removeVolumes(conn, created, ctx);
      throw err;
    }
  });
  return { kind: 'task', task };
}

async function refuseExisting(conn: LibvirtConnection, name: string, hostId: string): Promise<void> {
  try {
    await conn.domainLookupByName({ name });
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  throw conflict(`host ${hostId} already has a domain named ${name}`);
}

/** Defines, and starts when asked; a domain that fails to start is undefined again, as a failed create. */
async function defineAndStart(conn: LibvirtConnection, xml: string, start: boolean): Promise<string> {
  const { dom } = await conn.domainDefineXMLFlags({ xml, flags: DomainDefineFlags.VALIDATE });
  if (start) {
    try {
      await conn.domainCreateWithFlags({ dom, flags: 0 });
    } catch (err) {
      await conn.domainUndefineFlags({ dom, flags: DomainUndefineFlags.NVRAM }).catch(() => undefined);
      throw err;
    }
  }
  return uuidToString(dom.uuid);
}

async function removeVolumes(conn: LibvirtConnection, created: readonly CreatedVolume[], ctx: DomainContext): Promise<void> {
  for (const v of created) {
    try {
      const { vol } = await conn.storageVolLookupByKey({ key: v.key });
      await conn.storageVolDelete({ vol, flags: 0 });
    } catch (err) {
      ctx.log.error({ err, pool: v.pool, volume: v.name }, 'could not remove a volume made for a domain that failed to be created');
    }
  }
}
