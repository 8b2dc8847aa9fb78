// Probe routes added to the fuzzed app (through buildApp's extraRoutes): they carry the contract's own domain
// schemas and the access rules real routes use, and record every request that reaches their handler. A change
// request the fuzzer claimed would stop before the handler (bad origin, no CSRF, unparsable or invalid body...)
// but that got here is a fuzzer bug: its guarantee that no fuzz request really changes anything is checked here.
import {
  AutostartRequestSchema,
  DomainActionParamsSchema,
  DomainCreateRequestSchema,
  DomainDeleteRequestSchema,
  DomainParamsSchema,
  DomainPatchRequestSchema,
  DomainXmlRequestSchema,
  HostParamsSchema,
  IfMatchHeadersSchema,
  LoginRequestSchema,
  UserUpdateRequestSchema,
} from '@vireo/api';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpProblem } from '../../../src/errors/http-problem.js';
import type { RouteModule } from '../../../src/routes/route-module.js';
import { registerSocketRoute } from '../../../src/security/websocket.js';

export const PROBE_PREFIX = '/api/v1/fuzz-probe/';
export const FUZZ_ID_HEADER = 'x-vireo-fuzz-n';

export interface ProbeHit {
  n: number;
  method: string;
  route: string;
}

export function probeRoutes(hits: ProbeHit[]): RouteModule {
  return (app) => {
    const record = (request: FastifyRequest): never => {
      hits.push({ n: Number(request.headers[FUZZ_ID_HEADER] ?? -1), method: request.method, route: request.routeOptions.url ?? '' });
      throw new HttpProblem(404, 'Not Found', { detail: 'probe: reached the handler, which has nothing here' });
    };
    const operator = { auth: { role: 'operator' as const } };
    const tags = ['fuzz-probe'];
    const domain = `${PROBE_PREFIX}hosts/:host/domains/:uuid`;

    app.post(`${PROBE_PREFIX}hosts/:host/domains`, { config: operator, schema: { tags, params: HostParamsSchema, body: DomainCreateRequestSchema } }, record);
    app.patch(domain, { config: operator, schema: { tags, params: DomainParamsSchema, headers: IfMatchHeadersSchema, body: DomainPatchRequestSchema } }, record);
    app.put(`${domain}/xml`, { config: operator, schema: { tags, params: DomainParamsSchema, headers: IfMatchHeadersSchema, body: DomainXmlRequestSchema } }, record);
    app.delete(domain, { config: operator, schema: { tags, params: DomainParamsSchema, body: DomainDeleteRequestSchema } }, record);
    app.post(`${domain}/actions/:action`, { config: operator, schema: { tags, params: DomainActionParamsSchema } }, record);
    app.put(`${domain}/autostart`, { config: operator, schema: { tags, params: DomainParamsSchema, body: AutostartRequestSchema } }, record);
    app.get(domain, { config: { auth: { role: 'viewer' } }, schema: { tags, params: DomainParamsSchema, querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).optional() }) } }, record);
    // No schema at all, like a route that reads nothing but its path.
    app.delete(`${PROBE_PREFIX}things/:id`, { config: { auth: { role: 'admin' } } }, record);
    // A public change (like sign-in) and a change a viewer may make to their own account.
    app.post(`${PROBE_PREFIX}public`, { config: { auth: { public: true } }, schema: { tags, body: LoginRequestSchema } }, record);
    app.patch(`${PROBE_PREFIX}self/:id`, { config: { auth: { role: 'viewer', selfService: true } }, schema: { tags, body: UserUpdateRequestSchema } }, record);
    registerSocketRoute(app, { url: `${PROBE_PREFIX}socket`, role: 'viewer', handler: (socket) => socket.close(1000, 'probe') });
  };
}
