import { LanguageRequestSchema, LoginRequestSchema, LoginResponseSchema, PasswordChangeRequestSchema, WhoAmISchema } from '@vireo/api';
import { z } from 'zod';
import { badRequest } from '../errors/http-problem.js';
import { sessionCookieName, sessionCookieOptions } from './cookies.js';
import { toSessionUser } from './principal.js';
import type { RouteModule } from '../routes/route-module.js';

const NoContent = z.null().describe('no content');

export const sessionRoutes: RouteModule = (app, services) => {
  const { config, auth, sessions, userService, users, clock } = services;
  const cookieName = sessionCookieName(config.insecureHttp);

  app.post(
    '/api/v1/session',
    {
      config: {
        auth: { public: true },
        // Per source address, before any password is checked; failures also back off per address and per name.
        rateLimit: { max: config.login.attemptsPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['session'],
        summary: 'Sign in: sets the session cookie and returns the CSRF token',
        body: LoginRequestSchema,
        response: { 200: LoginResponseSchema },
      },
    },
    async (request, reply) => {
      const { username, password, realm } = request.body;
      request.auditTarget = `user=${username.slice(0, 256)}`;
      const { sessionId, session, user } = await auth.login({
        username,
        password,
        realm,
        sourceAddress: request.ip,
        userAgent: request.headers['user-agent'],
      });
      // A successful sign-in replaces whatever session this browser had; a failed one leaves it signed in.
      const previous = request.cookies[cookieName];
      if (previous) {
        const old = auth.fromSession(previous);
        if (old?.method === 'session') sessions.revoke(old.session.idHash);
      }
      request.principal = { method: 'session', user, session };
      reply.setCookie(cookieName, sessionId, sessionCookieOptions(config.insecureHttp, sessions.timeouts.absoluteTimeoutMs));
      return { user: toSessionUser(user), csrfToken: session.csrfToken };
    },
  );

  app.get(
    '/api/v1/session',
    {
      config: { auth: { role: 'viewer', allowDuringPasswordChange: true } },
      schema: { tags: ['session'], summary: 'Who am I', response: { 200: WhoAmISchema } },
    },
    (request) => {
      const p = request.principal!;
      if (p.method === 'token') return { user: toSessionUser(p.user), authMethod: 'token' as const };
      return {
        user: toSessionUser(p.user),
        authMethod: 'session' as const,
        csrfToken: p.session.csrfToken,
        idleExpiresAt: new Date(sessions.idleExpiry(p.session)).toISOString(),
        expiresAt: new Date(sessions.absoluteExpiry(p.session)).toISOString(),
      };
    },
  );

  app.delete(
    '/api/v1/session',
    {
      config: { auth: { role: 'viewer', selfService: true, allowDuringPasswordChange: true } },
      schema: { tags: ['session'], summary: 'Sign out (ends this session on the server)', response: { 204: NoContent } },
    },
    async (request, reply) => {
      const p = request.principal!;
      if (p.method !== 'session') throw badRequest('this request uses an API token; revoke it with DELETE /api/v1/tokens/:id');
      sessions.revoke(p.session.idHash);
      reply.clearCookie(cookieName, sessionCookieOptions(config.insecureHttp, 0));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/session/password',
    {
      config: { auth: { role: 'viewer', selfService: true, allowDuringPasswordChange: true } },
      schema: {
        tags: ['session'],
        summary: "Change the signed-in local user's password (ends their other sessions)",
        body: PasswordChangeRequestSchema,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      await userService.changeOwnPassword(
        p.user,
        request.body.currentPassword,
        request.body.newPassword,
        p.method === 'session' ? p.session.idHash : undefined,
      );
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/session/language',
    {
      config: { auth: { role: 'viewer', selfService: true, allowDuringPasswordChange: true } },
      schema: {
        tags: ['session'],
        summary: "Remember the signed-in user's interface language (applied wherever they sign in)",
        body: LanguageRequestSchema,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      users.update(request.principal!.user.name, { language: request.body.language }, clock.now());
      return reply.code(204).send(null);
    },
  );
};
