import { UserCreateRequestSchema, UserListSchema, UserNameParamsSchema, UserSchema, UserUpdateRequestSchema } from '@vireo/api';
import { z } from 'zod';
import { notFound } from '../errors/http-problem.js';
import { toApiUser } from './user-store.js';
import type { RouteModule } from '../routes/route-module.js';

const ADMIN = { auth: { role: 'admin' as const } };

export const userRoutes: RouteModule = (app, services) => {
  const { userService, users } = services;

  app.get(
    '/api/v1/users',
    { config: ADMIN, schema: { tags: ['users'], summary: 'All users, local and PAM', response: { 200: UserListSchema } } },
    () => ({ users: userService.list().map(toApiUser) }),
  );

  app.get(
    '/api/v1/users/:name',
    { config: ADMIN, schema: { tags: ['users'], summary: 'One user', params: UserNameParamsSchema, response: { 200: UserSchema } } },
    (request) => {
      const user = users.get(request.params.name);
      if (!user) throw notFound(`no user ${request.params.name}`);
      return toApiUser(user);
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: ADMIN,
      schema: { tags: ['users'], summary: 'Create a local user', body: UserCreateRequestSchema, response: { 201: UserSchema } },
    },
    async (request, reply) => {
      request.auditTarget = `name=${request.body.name}`;
      const user = await userService.create(request.body);
      return reply.code(201).send(toApiUser(user));
    },
  );

  app.patch(
    '/api/v1/users/:name',
    {
      config: ADMIN,
      schema: {
        tags: ['users'],
        summary: 'Change role, password, forced password change or disabled state',
        params: UserNameParamsSchema,
        body: UserUpdateRequestSchema,
        response: { 200: UserSchema },
      },
    },
    async (request) => toApiUser(await userService.update(request.params.name, request.body)),
  );

  app.delete(
    '/api/v1/users/:name',
    {
      config: ADMIN,
      schema: {
        tags: ['users'],
        summary: 'Delete a user with their sessions and tokens',
        params: UserNameParamsSchema,
        response: { 204: z.null().describe('no content') },
      },
    },
    async (request, reply) => {
      userService.delete(request.params.name);
      return reply.code(204).send(null);
    },
  );
};
