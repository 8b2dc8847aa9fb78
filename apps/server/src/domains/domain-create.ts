import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CloudInit, DomainCreateRequest, DomainDetail, DomainPreview, DomainPreviewRequest, Role, Task } from '@vireo/api';
import { DomainDefineFlags, DomainUndefineFlags, isNotFound, uuidToString, type LibvirtConnection } from '@vireo/libvirt';
import {
  buildDomain,
  buildStorageVolumeXml,
  diskVolumes,
  serializeXml,
  sizeToBytes,
  SpecError,
  type DomainSpec,
  type NewDiskVolume,
} from '@vireo/libvirt-xml';
import { ProblemType } from '@vireo/api';
import { conflict, HttpProblem } from '../errors/http-problem.js';
import type { HostRuntime } from '../hosts/host-runtime.js';
import type { DomainContext } from './domain-context.js';
import type { DomainRef } from './domain-reader.js';
import type { DomainService } from './domain-service.js';

type Yaml = typeof import('yaml');
let yamlLoading: Promise<Yaml> | undefined;

/** The YAML library, loaded by the first create with cloud-init: a server that never makes a seed does not hold it. */
function loadYaml(): Promise<Yaml> {
  yamlLoading ??= import('yaml');
  return yamlLoading;
}

export type CreateOutcome = { kind: 'created'; detail: DomainDetail } | { kind: 'task'; task: Task };

function specProblem(err: SpecError): HttpProblem {
  return fieldProblem(`body.spec.${err.field}`, err.reason, err.message);
}

function fieldProblem(field: string, reason: string, detail = `${field} ${reason}`): HttpProblem {
  return new HttpProblem(400, 'Bad Request', { type: ProblemType.validation, detail, errors: [{ field, reason }] });
}

/** The NoCloud seed of a create: its files and where its volume goes. */
interface SeedPlan {
  pool: string;
  name: string;
  files: { name: string; content: string }[];
}

/** A YAML document's first error as a field problem, with the line it is on. */
function checkYaml(yaml: Yaml, text: string, field: string): void {
  const doc = yaml.parseDocument(text);
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    // The message's first line, without the position yaml appends (given as the line here).
    const message = (err.message.split('\n', 1)[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw fieldProblem(field, `is not valid YAML${line === undefined ? '' : ` (line ${line})`}: ${message}`);
  }
}

/** cloud-init's local-hostname: a domain name may hold characters a host name may not. */
function hostnameOf(cloudInit: CloudInit, domainName: string): string {
  if (cloudInit.hostname !== undefined) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(cloudInit.hostname)) {
      throw fieldProblem('body.cloudInit.hostname', 'must be a host name: letters, digits and hyphens, dot-separated labels');
    }
    return cloudInit.hostname;
  }
  const derived = domainName.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return derived === '' ? 'localhost' : derived;
}

/**
 * Checks the cloud-init input and plans its seed: user-data must be YAML starting with `#cloud-config` (what
 * cloud-init requires to read it as cloud-config), network-config YAML too. meta-data is written by us (YAML made
 * by the library, never pasted together): the instance id is the domain's UUID, so a new VM is a new instance.
 */
function planSeed(yaml: Yaml, spec: DomainSpec, cloudInit: CloudInit, volumes: readonly NewDiskVolume[], instanceId: string): SeedPlan {
  if (!/^#cloud-config[ \t]*(\r?\n|$)/.test(cloudInit.userData)) {
    throw fieldProblem('body.cloudInit.userData', 'must start with the line #cloud-config');
  }
  checkYaml(yaml, cloudInit.userData, 'body.cloudInit.userData');
  if (cloudInit.networkConfig !== undefined) checkYaml(yaml, cloudInit.networkConfig, 'body.cloudInit.networkConfig');
  if (spec.cloudInitSeed !== undefined) throw fieldProblem('body.spec.cloudInitSeed', 'must not be given with cloudInit (the server makes the seed)');
  const files = [
    { name: 'user-data', content: cloudInit.userData },
    { name: 'meta-data', content: yaml.stringify({ 'instance-id': instanceId, 'local-hostname': hostnameOf(cloudInit, spec.name) }) },
  ];
  if (cloudInit.networkConfig !== undefined) files.push({ name: 'network-config', content: cloudInit.networkConfig });
  return { pool: cloudInit.pool ?? volumes[0]?.pool ?? 'default', name: `${spec.name}-cidata.iso`, files };
}

interface Plan {
  spec: DomainSpec;
  xml: string;
  volumes: NewDiskVolume[];
  seed: SeedPlan | null;
}

/** The spec as it will be defined (with the seed CD-ROM when there is cloud-init), its XML, and what to create. */
async function plan(request: DomainPreviewRequest, instanceId: string | undefined): Promise<Plan> {
  let spec = request.spec as DomainSpec;
  const yaml = request.cloudInit ? await loadYaml() : undefined;
  try {
    const volumes = diskVolumes(spec);
    let seed: SeedPlan | null = null;
    if (request.cloudInit && yaml) {
      // The seed's instance id is the domain's UUID: fixed here when the spec leaves it to libvirt.
      if (instanceId !== undefined && spec.uuid === undefined) spec = { ...spec, uuid: instanceId };
      seed = planSeed(yaml, spec, request.cloudInit, volumes, spec.uuid ?? 'iid-preview');
      spec = { ...spec, cloudInitSeed: { type: 'volume', pool: seed.pool, volume: seed.name } };
    }
    return { spec, xml: serializeXml(buildDomain(spec)), volumes, seed };
  } catch (err) {
    if (err instanceof SpecError) throw specProblem(err);
    throw err;
  }
}

/** The XML a create would define, for the wizard's summary; nothing is defined or created. */
export async function previewDomain(request: DomainPreviewRequest): Promise<DomainPreview> {
  return { xml: (await plan(request, undefined)).xml };
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
  const { spec, xml, volumes, seed } = await plan(request, randomUUID());
  await refuseExisting(conn, spec.name, hostId);
  if (seed) await refuseExistingVolume(conn, seed, hostId);
  const start = request.start ?? false;

  if (volumes.length === 0 && !seed) {
    const uuid = await defineAndStart(conn, xml, start);
    await runtime.tracker.refresh(uuid, 'create');
    return { kind: 'created', detail: await domains.detail(hostId, uuid, role) };
  }

  const task = ctx.tasks.start('domain.create', hostId, spec.name, async (progress) => {
    const created: CreatedVolume[] = [];
    let defined: DomainRef | undefined;
    const made = volumes.length + (seed ? 1 : 0);
    const steps = made + (start ? 2 : 1);
    try {
      for (const [i, v] of volumes.entries()) {
        progress.progress(i / steps, v.cloneFrom ? `copying ${v.cloneFrom.volume} to ${v.name} in pool ${v.pool}` : `creating volume ${v.name} in pool ${v.pool}`);
        await createVolume(conn, runtime, v, created);
      }
      if (seed) {
        progress.progress(volumes.length / steps, `building the cloud-init seed ${seed.name} in pool ${seed.pool}`);
        await createSeed(conn, runtime, seed, created);
      }
      progress.progress(made / steps, `defining ${spec.name}`);
      const { dom } = await conn.domainDefineXMLFlags({ xml, flags: DomainDefineFlags.VALIDATE });
      defined = dom;
      if (start) {
        progress.progress((made + 1) / steps, `starting ${spec.name}`);
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

/**
 * One new disk volume: empty, or a copy of another volume (a cloud image) grown to the asked size when that is
 * larger. A connection of its own keeps the shared one free while libvirt allocates or copies. The volume goes on
 * `created` as soon as it exists, so a failure after (the resize) still removes it.
 */
async function createVolume(conn: LibvirtConnection, runtime: HostRuntime, v: NewDiskVolume, created: CreatedVolume[]): Promise<void> {
  const { pool } = await conn.storagePoolLookupByName({ name: v.pool });
  const xml = buildStorageVolumeXml({ name: v.name, capacity: v.capacity, format: v.format });
  if (!v.cloneFrom) {
    const { vol } = await runtime.host.connections.withDedicated((c) => c.storageVolCreateXML({ pool, xml, flags: 0 }));
    created.push({ pool: v.pool, name: vol.name, key: vol.key });
    return;
  }
  const { pool: fromPool } = await conn.storagePoolLookupByName({ name: v.cloneFrom.pool });
  const { vol: from } = await conn.storageVolLookupByName({ pool: fromPool, name: v.cloneFrom.volume });
  const { vol } = await runtime.host.connections.withDedicated((c) => c.storageVolCreateXMLFrom({ pool, xml, clonevol: from, flags: 0 }));
  created.push({ pool: v.pool, name: vol.name, key: vol.key });
  const want = sizeToBytes(v.capacity, 'capacity');
  const { capacity } = await conn.storageVolGetInfo({ vol });
  if (capacity < want) await runtime.host.connections.withDedicated((c) => c.storageVolResize({ vol, capacity: want, flags: 0 }));
}

/** Builds the seed image on the host (xorriso), then makes a raw volume of it and uploads the bytes. */
async function createSeed(conn: LibvirtConnection, runtime: HostRuntime, seed: SeedPlan, created: CreatedVolume[]): Promise<void> {
  const image = await runtime.host.access.buildSeedIso(seed.files);
  const { pool } = await conn.storagePoolLookupByName({ name: seed.pool });
  await runtime.host.connections.withDedicated(async (c) => {
    const { vol } = await c.storageVolCreateXML({ pool, xml: buildStorageVolumeXml({ name: seed.name, capacity: image.length, format: 'raw' }), flags: 0 });
    created.push({ pool: seed.pool, name: vol.name, key: vol.key });
    const up = await c.storageVolUpload({ vol, offset: 0n, length: BigInt(image.length), flags: 0 });
    await pipeline(Readable.from([image]), up.stream);
  });
}

async function refuseExistingVolume(conn: LibvirtConnection, seed: SeedPlan, hostId: string): Promise<void> {
  let pool;
  try {
    ({ pool } = await conn.storagePoolLookupByName({ name: seed.pool }));
  } catch (err) {
    if (isNotFound(err)) throw fieldProblem('body.cloudInit.pool', `host ${hostId} has no storage pool ${seed.pool}`);
    throw err;
  }
  try {
    await conn.storageVolLookupByName({ pool, name: seed.name });
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  throw conflict(`storage pool ${seed.pool} on host ${hostId} already has a volume ${seed.name} (the cloud-init seed of a domain of that name)`);
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
