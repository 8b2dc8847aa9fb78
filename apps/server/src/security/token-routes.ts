import { ApiTokenCreatedSchema, ApiTokenCreateRequestSchema, ApiTokenListSchema, TokenIdParamsSchema } from '@vireo/api';
import { z } from 'zod';
import { notFound } from '../errors/http-problem.js';
import type { RouteModule } from '../routes/route-module.js';

/** Each user's own API tokens. A viewer may hold tokens too: they can do no more than the viewer can. */
export const tokenRoutes: RouteModule = (app, services) => {
  const { tokens } = services;

  app.get(
    '/api/v1/tokens',
    {
      config: { auth: { role: 'viewer' } },
      schema: { tags: ['tokens'], summary: 'Your API tokens (never their secrets)', response: { 200: ApiTokenListSchema } },
    },
    (request) => ({ tokens: tokens.list(request.principal!.user.name) }),
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { auth: { role: 'viewer', selfService: true } },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; its secret is in this response only',
        body: ApiTokenCreateRequestSchema,
        response: { 201: ApiTokenCreatedSchema },
      },
    },
    async (request, reply) => {
      const { token, info } = tokens.create(request.principal!.user.name, request.body.name, request.body.expiresInDays);
      request.auditTarget = `token=${info.id}`;
      return reply.code(201).send({ ...info, token });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { auth: { role: 'viewer', selfService: true } },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of your API tokens',
        params: TokenIdParamsSchema,
        response: { 204: z.null().describe('no content') },
      },
    },
    async (request, reply) => {
      if (!tokens.revoke(request.principal!.user.name, request.params.id)) throw notFound(`you have no token ${request.params.id}`);
      return reply.code(204).send(null);
    },
  );
};
