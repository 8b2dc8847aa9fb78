import {
  AutostartRequestSchema,
  DomainActionParamsSchema,
  DomainConflictSchema,
  DomainCreateRequestSchema,
  DomainDeleteRequestSchema,
  DomainDetailSchema,
  DomainListSchema,
  DomainParamsSchema,
  DomainPatchRequestSchema,
  DomainPreviewRequestSchema,
  DomainPreviewSchema,
  DomainSummarySchema,
  DomainXmlRequestSchema,
  HostParamsSchema,
  TaskAcceptedSchema,
  type Role,
} from '@vireo/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteModule } from '../routes/route-module.js';
import { previewDomain } from './domain-create.js';
import { DefinitionConflict } from './revision.js';

const TAGS = ['domains'];
const VIEWER = { auth: { role: 'viewer' as const } };
/** Lifecycle and autostart: operators (VM lifecycle and consoles). */
const OPERATOR = { auth: { role: 'operator' as const } };
/** Creating, editing and deleting definitions: admins (they choose host resources: disks, networks, devices). */
const ADMIN = { auth: { role: 'admin' as const } };
const NO_CONTENT = z.null().describe('no content');
const IF_MATCH = z.looseObject({ 'if-match': z.string().max(256).optional().describe('the ETag of the definition the change is based on') });

function roleOf(request: FastifyRequest): Role {
  // The auth hook sets the principal on every non-public route before a handler runs.
  return request.principal?.user.role ?? 'viewer';
}

function ifMatchOf(request: FastifyRequest): string | undefined {
  const v = request.headers['if-match'];
  return typeof v === 'string' ? v : undefined;
}

/** A stale revision: the problem plus the current definition, so the client can show what changed. */
function sendConflict(err: DefinitionConflict, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(409)
    .header('etag', err.current.etag)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: err.type,
      title: err.title,
      status: 409,
      detail: err.detail,
      instance: request.url.split('?', 1)[0] ?? '/',
      requestId: request.id,
      current: err.current,
    });
}

export const domainRoutes: RouteModule = (app, { domains, runtimes }) => {
  // Only for this module's routes: a revision conflict carries the current definition; every other error goes on
  // to the server's one mapper.
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof DefinitionConflict) return sendConflict(err, request, reply);
    throw err;
  });

  app.get(
    '/api/v1/hosts/:host/domains',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'Every domain of the host, from the server\'s event-kept state (no libvirt call per request)',
        params: HostParamsSchema,
        response: { 200: DomainListSchema },
      },
    },
    (request) => domains.list(request.params.host),
  );

  app.post(
    '/api/v1/hosts/:host/domains',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: 'Create a domain from a spec; a task (202) when it creates disk volumes',
        params: HostParamsSchema,
        body: DomainCreateRequestSchema,
        response: { 201: DomainDetailSchema, 202: TaskAcceptedSchema },
      },
    },
    async (request, reply) => {
      request.auditTarget = `host=${request.params.host},name=${request.body.spec.name}`;
      const outcome = await domains.create(request.params.host, request.body, roleOf(request));
      if (outcome.kind === 'task') return reply.code(202).send({ task: outcome.task });
      return reply.code(201).header('etag', outcome.detail.etag).send(outcome.detail);
    },
  );

  app.post(
    '/api/v1/hosts/:host/domains/preview',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: 'The domain XML a create with this spec would define (400 with the field when the spec is bad); nothing is defined',
        params: HostParamsSchema,
        body: DomainPreviewRequestSchema,
        response: { 200: DomainPreviewSchema },
      },
    },
    (request) => {
      runtimes.get(request.params.host); // an unknown host is 404, as for a create
      return previewDomain(request.body);
    },
  );

  app.get(
    '/api/v1/hosts/:host/domains/:uuid',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'A domain: its row, parsed views and the inactive definition with its ETag (viewers get no secrets)',
        params: DomainParamsSchema,
        response: { 200: DomainDetailSchema },
      },
    },
    async (request, reply) => {
      const detail = await domains.detail(request.params.host, request.params.uuid, roleOf(request));
      return reply.header('etag', detail.etag).send(detail);
    },
  );

  app.patch(
    '/api/v1/hosts/:host/domains/:uuid',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: 'Typed edits of the definition, guarded by If-Match (428 without, 409 with the current one when stale)',
        params: DomainParamsSchema,
        headers: IF_MATCH,
        body: DomainPatchRequestSchema,
        response: { 200: DomainDetailSchema, 409: DomainConflictSchema },
      },
    },
    async (request, reply) => {
      const { host, uuid } = request.params;
      const detail = await domains.edit(host, uuid, ifMatchOf(request), request.body.operations, roleOf(request));
      return reply.header('etag', detail.etag).send(detail);
    },
  );

  app.put(
    '/api/v1/hosts/:host/domains/:uuid/xml',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: 'Replace the definition: schema-checked (422 with the line), then defined with libvirt\'s VALIDATE flag',
        params: DomainParamsSchema,
        headers: IF_MATCH,
        body: DomainXmlRequestSchema,
        response: { 200: DomainDetailSchema, 409: DomainConflictSchema },
      },
    },
    async (request, reply) => {
      const { host, uuid } = request.params;
      const detail = await domains.replaceXml(host, uuid, ifMatchOf(request), request.body.xml, roleOf(request));
      return reply.header('etag', detail.etag).send(detail);
    },
  );

  app.delete(
    '/api/v1/hosts/:host/domains/:uuid',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        summary: 'Delete a shut-off domain and only the listed volumes (none by default); a task (202) when volumes go too',
        params: DomainParamsSchema,
        body: DomainDeleteRequestSchema,
        response: { 202: TaskAcceptedSchema, 204: NO_CONTENT },
      },
    },
    async (request, reply) => {
      const { host, uuid } = request.params;
      const task = await domains.delete(host, uuid, request.body?.volumes ?? []);
      if (task) return reply.code(202).send({ task });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/hosts/:host/domains/:uuid/actions/:action',
    {
      config: OPERATOR,
      schema: {
        tags: TAGS,
        summary: 'Lifecycle action: start, shutdown, reboot, reset, destroy, suspend, resume, nmi, managedsave (a task)',
        params: DomainActionParamsSchema,
        response: { 202: TaskAcceptedSchema, 204: NO_CONTENT },
      },
    },
    async (request, reply) => {
      const { host, uuid, action } = request.params;
      const task = await domains.action(host, uuid, action);
      if (task) return reply.code(202).send({ task });
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/hosts/:host/domains/:uuid/autostart',
    {
      config: OPERATOR,
      schema: {
        tags: TAGS,
        summary: 'Start the domain when the host boots, or not',
        params: DomainParamsSchema,
        body: AutostartRequestSchema,
        response: { 200: DomainSummarySchema },
      },
    },
    (request) => domains.setAutostart(request.params.host, request.params.uuid, request.body.enabled),
  );
};
