import { DomainXMLFlags, type LibvirtConnection } from '@vireo/libvirt';
import type { FastifyBaseLogger } from 'fastify';
import { notFound } from '../errors/http-problem.js';
import type { HostRuntime, HostRuntimes } from '../hosts/host-runtime.js';
import type { TaskRegistry } from '../tasks/task-registry.js';
import { lookupDomain, type DomainRef } from './domain-reader.js';
import type { RevisionSigner } from './revision.js';

/** What the domain operations share. */
export interface DomainContext {
  runtimes: HostRuntimes;
  tasks: TaskRegistry;
  revisions: RevisionSigner;
  log: FastifyBaseLogger;
}

export interface ResolvedDomain {
  runtime: HostRuntime;
  conn: LibvirtConnection;
  dom: DomainRef;
  uuid: string;
}

/** libvirt prints UUIDs lower-case with dashes; routes accept any case, dashes optional. */
export function normaliseUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The host (404 if unknown, 503 if not connected) and the domain on it (404 if none). */
export async function resolveDomain(ctx: DomainContext, hostId: string, uuid: string): Promise<ResolvedDomain> {
  const runtime = ctx.runtimes.get(hostId);
  const conn = runtime.host.connection();
  const id = normaliseUuid(uuid);
  const dom = await lookupDomain(conn, id);
  if (!dom) throw notFound(`no domain ${id} on host ${hostId}`);
  return { runtime, conn, dom, uuid: id };
}

/** The definition edits start from: inactive (the next boot's), with secrets, as libvirt formats it. */
export async function readDefinition(conn: LibvirtConnection, dom: DomainRef): Promise<string> {
  const { xml } = await conn.domainGetXMLDesc({ dom, flags: DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE });
  return xml;
}
