import {
  ProblemType,
  roleAtLeast,
  type DomainAction,
  type DomainCreateRequest,
  type DomainDetail,
  type DomainEdit,
  type DomainList,
  type DomainSummary,
  type Role,
  type Task,
} from '@vireo/api';
import { DomainDefineFlags, type LibvirtConnection } from '@vireo/libvirt';
import {
  parseXml,
  readDomain,
  redactSecrets,
  SchemaValidatorError,
  serializeXml,
  validateXml,
  XmlParseError,
} from '@vireo/libvirt-xml';
import { badRequest, conflict, HttpProblem } from '../errors/http-problem.js';
import { readDefinition, resolveDomain, type DomainContext, type ResolvedDomain } from './domain-context.js';
import { runAction } from './domain-actions.js';
import { createDomain, type CreateOutcome } from './domain-create.js';
import { deleteDomain } from './domain-delete.js';
import { applyEdits } from './domain-edits.js';
import { readSummary, type DomainRef } from './domain-reader.js';
import { DefinitionConflict, parseIfMatch, revisionRequired, type CurrentDefinition } from './revision.js';

/**
 * Reading and changing domain definitions. The list comes from the host's tracked state; everything else asks
 * libvirt. Changes are made on the INACTIVE|SECURE document and redefined, guarded by the revision the client read.
 */
export class DomainService {
  constructor(
    private readonly ctx: DomainContext,
    /** The events hub's current seq, so a client can list and then subscribe with `since`. */
    private readonly seq: () => number,
  ) {}

  /** The list as tracked: no libvirt call. 503 while the host is not connected (the rows may be stale then). */
  list(hostId: string): DomainList {
    const runtime = this.ctx.runtimes.get(hostId);
    runtime.host.connection();
    return { host: hostId, seq: this.seq(), domains: runtime.tracker.store.list() };
  }

  async detail(hostId: string, uuid: string, role: Role): Promise<DomainDetail> {
    const d = await resolveDomain(this.ctx, hostId, uuid);
    return this.detailOf(d, role);
  }

  private async detailOf(d: ResolvedDomain, role: Role, known?: string): Promise<DomainDetail> {
    const definition = known ?? (await readDefinition(d.conn, d.dom));
    const summary = await this.summaryOf(d);
    const active = summary.state !== 'shutoff' && summary.state !== 'nostate';
    // A domain that stops between the state read and this one has no live configuration any more: null, as if shut off.
    const live = active ? await d.conn.domainGetXMLDesc({ dom: d.dom, flags: 0 }).then((r) => readDomain(r.xml), () => null) : null;
    const current = this.current(definition, role);
    return {
      summary,
      etag: current.etag,
      xml: current.xml,
      redacted: current.redacted,
      view: readDomain(definition) as unknown as Record<string, unknown>,
      live: live as unknown as Record<string, unknown> | null,
    };
  }

  /** The definition as this role may see it: viewers never get secrets (graphics passwords, disk cookies). */
  private current(definition: string, role: Role): CurrentDefinition {
    const etag = this.ctx.revisions.etag(definition);
    if (roleAtLeast(role, 'operator')) return { etag, xml: definition, redacted: [] };
    const { doc, redacted } = redactSecrets(parseXml(definition, 'domain definition'));
    return { etag, xml: redacted.length > 0 ? serializeXml(doc) : definition, redacted };
  }

  private async summaryOf(d: ResolvedDomain): Promise<DomainSummary> {
    return d.runtime.tracker.store.get(d.uuid) ?? (await readSummary(d.conn, d.dom));
  }

  /** Checks the client's revision against the definition now; returns the definition. */
  private async guard(d: ResolvedDomain, ifMatch: string | undefined, what: string, role: Role): Promise<string> {
    const tag = parseIfMatch(ifMatch);
    if (tag === undefined) throw revisionRequired(what);
    const definition = await readDefinition(d.conn, d.dom);
    const etag = this.ctx.revisions.etag(definition);
    if (tag !== etag) {
      throw new DefinitionConflict(
        `the definition of ${d.dom.name} on host ${d.runtime.host.id} changed since revision ${tag} was read; the current one is attached`,
        this.current(definition, role),
      );
    }
    return definition;
  }

  /** Applies typed edits to the definition and redefines it (one define for all operations). */
  async edit(hostId: string, uuid: string, ifMatch: string | undefined, operations: readonly DomainEdit[], role: Role): Promise<DomainDetail> {
    let d = await resolveDomain(this.ctx, hostId, uuid);
    const definition = await this.guard(d, ifMatch, 'PATCH', role);
    const doc = parseXml(definition, 'domain definition');
    const { rename } = applyEdits(doc, operations);
    const edited = serializeXml(doc);
    if (rename !== undefined && rename !== d.dom.name) {
      const summary = await this.summaryOf(d);
      if (summary.state !== 'shutoff') throw conflict(`${d.dom.name} must be shut off to be renamed (it is ${summary.state})`);
    }
    if (edited !== definition) await this.define(d.conn, edited, d);
    if (rename !== undefined && rename !== d.dom.name) {
      await d.conn.domainRename({ dom: d.dom, new_name: rename, flags: 0 });
      d = { ...d, dom: { ...d.dom, name: rename } };
    }
    await d.runtime.tracker.refresh(d.uuid, 'edit');
    return this.detailOf(d, role);
  }

  /** Replaces the whole definition: schema-checked, then libvirt-validated on define. */
  async replaceXml(hostId: string, uuid: string, ifMatch: string | undefined, xml: string, role: Role): Promise<DomainDetail> {
    const d = await resolveDomain(this.ctx, hostId, uuid);
    await this.guard(d, ifMatch, 'PUT of the XML', role);
    await checkSchema(xml, this.ctx);
    let view;
    try {
      view = readDomain(xml);
    } catch (err) {
      if (err instanceof XmlParseError) throw badRequest(err.message);
      throw badRequest(`not a domain definition: ${(err as Error).message}`);
    }
    if (view.uuid === undefined) throw badRequest(`the definition must keep <uuid>${d.uuid}</uuid>`);
    if (view.uuid.toLowerCase() !== d.uuid) throw badRequest(`the definition's uuid ${view.uuid} is not this domain's (${d.uuid})`);
    if (view.name !== d.dom.name) throw badRequest(`the definition renames ${d.dom.name} to ${view.name ?? '(none)'}; rename with PATCH {op: "name"}`);
    await this.define(d.conn, xml, d);
    await d.runtime.tracker.refresh(d.uuid, 'replace');
    return this.detailOf(d, role);
  }

  private async define(conn: LibvirtConnection, xml: string, d: { dom: DomainRef }): Promise<void> {
    const { dom } = await conn.domainDefineXMLFlags({ xml, flags: DomainDefineFlags.VALIDATE });
    if (Buffer.compare(dom.uuid, d.dom.uuid) !== 0) {
      // Unreachable with the checks above; if libvirt ever made a new domain of it, say so rather than report success.
      throw new HttpProblem(500, 'Internal Server Error', { detail: `defining ${d.dom.name} created another domain (${dom.name})` });
    }
  }

  create(hostId: string, request: DomainCreateRequest, role: Role): Promise<CreateOutcome> {
    return createDomain(this.ctx, this, hostId, request, role);
  }

  /** Null when done at once; a task when volumes are deleted too. */
  delete(hostId: string, uuid: string, volumes: readonly string[]): Promise<Task | null> {
    return deleteDomain(this.ctx, hostId, uuid, volumes);
  }

  /** Null when done at once; a task for a managed save. */
  action(hostId: string, uuid: string, action: DomainAction): Promise<Task | null> {
    return runAction(this.ctx, hostId, uuid, action);
  }

  async setAutostart(hostId: string, uuid: string, enabled: boolean): Promise<DomainSummary> {
    const d = await resolveDomain(this.ctx, hostId, uuid);
    await d.conn.domainSetAutostart({ dom: d.dom, autostart: enabled ? 1 : 0 });
    await d.runtime.tracker.refresh(d.uuid, 'autostart');
    return this.summaryOf(d);
  }
}

/**
 * libvirt's RelaxNG schema check (virt-xml-validate) with the validator's line numbers, as 422. Without the tool the
 * check is skipped (logged): libvirt's own VALIDATE flag on define still refuses what the schema refuses.
 */
export async function checkSchema(xml: string, ctx: Pick<DomainContext, 'log'>): Promise<void> {
  let result;
  try {
    result = await validateXml(xml, 'domain');
  } catch (err) {
    if (err instanceof SchemaValidatorError) {
      ctx.log.warn({ err }, 'schema validation skipped; libvirt validates on define');
      return;
    }
    throw err;
  }
  if (result.valid) return;
  const errors = result.errors.map((e) => ({
    field: 'body.xml',
    reason: `${e.line !== undefined ? `line ${e.line}: ` : ''}${e.element !== undefined ? `element ${e.element}: ` : ''}${e.message}`,
  }));
  throw new HttpProblem(422, 'Unprocessable Content', {
    type: ProblemType.validation,
    detail: `the domain XML does not match libvirt's schema: ${errors[0]?.reason ?? 'invalid'}`,
    errors,
  });
}
