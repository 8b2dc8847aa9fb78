import { ProblemType, roleAtLeast } from '@vireo/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, HttpProblem, unauthenticated } from '../errors/http-problem.js';
import { isMutation } from './auth-declaration.js';
import type { AuthService } from './auth-service.js';
import { sessionCookieName } from './cookies.js';
import { originAllowed } from './origin.js';
import type { Principal } from './principal.js';
import { safeEqual } from './secrets.js';

export const CSRF_HEADER = 'x-csrf-token';

export interface AuthHookOptions {
  auth: AuthService;
  insecureHttp: boolean;
  publicOrigin: string | null;
}

function isUpgrade(request: FastifyRequest): boolean {
  return request.headers.upgrade?.toLowerCase() === 'websocket';
}

/**
 * Resolves the caller: a bearer token when an Authorization header is present (the cookie is then ignored),
 * else the session cookie. A bearer header that is not a valid token is refused outright rather than falling
 * back to the cookie, so a script never acts with a browser's session by mistake.
 */
function resolvePrincipal(request: FastifyRequest, auth: AuthService, cookieName: string): Principal | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = m?.[1] ? auth.fromToken(m[1]) : null;
    if (!principal) throw unauthenticated('the API token is invalid, expired or revoked');
    return principal;
  }
  const cookie = request.cookies[cookieName];
  return cookie ? auth.fromSession(cookie) : null;
}

/**
 * The one gate in front of every route, run at onRequest (before the body is parsed or validated, so an
 * anonymous caller learns nothing about a route's input): Origin check on changes and WebSocket upgrades,
 * authentication, the forced password change, CSRF for cookie-authenticated changes, then the route's role.
 */
export function installAuthHook(app: FastifyInstance, options: AuthHookOptions): void {
  const cookieName = sessionCookieName(options.insecureHttp);
  app.decorateRequest('principal', null);
  app.decorateRequest('auditTarget', null);
  app.decorateRequest('stillAuthorized', null);

  app.addHook('onRequest', (request, _reply, done) => {
    try {
      gate(request, options, cookieName);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}

function gate(request: FastifyRequest, options: AuthHookOptions, cookieName: string): void {
  const mutation = isMutation(request.method);
  if ((mutation || isUpgrade(request)) && !originAllowed(request, options.publicOrigin, options.insecureHttp ? 'http' : 'https')) {
    throw forbidden(`requests from origin ${request.headers.origin ?? '(none)'} are not accepted`, ProblemType.origin);
  }
  // The not-found handler is the only "route" without a declaration; it reveals nothing.
  if (request.is404) return;
  const declaration = request.routeOptions.config.auth;
  if (declaration === undefined) {
    // Unreachable: start-up refuses such routes. Failing closed all the same.
    throw new HttpProblem(500, 'Internal Server Error', { detail: 'route without an access rule' });
  }
  if ('public' in declaration) return;

  const principal = resolvePrincipal(request, options.auth, cookieName);
  if (!principal) throw unauthenticated();
  request.principal = principal;
  // Long-lived requests (WebSockets) ask again later: a sign-out, revoked token or lowered role ends them.
  request.stillAuthorized = () => {
    try {
      const now = resolvePrincipal(request, options.auth, cookieName);
      return now !== null && now.user.name === principal.user.name && roleAtLeast(now.user.role, declaration.role);
    } catch {
      return false;
    }
  };

  if (principal.user.mustChangePassword && !declaration.allowDuringPasswordChange) {
    throw forbidden('change your password first (POST /api/v1/session/password)', ProblemType.passwordChangeRequired);
  }
  if (mutation && principal.method === 'session') {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, principal.session.csrfToken)) {
      throw forbidden(`missing or wrong ${CSRF_HEADER} header (it is returned at sign-in and by GET /api/v1/session)`, ProblemType.csrf);
    }
  }
  if (!roleAtLeast(principal.user.role, declaration.role)) {
    throw forbidden(`this needs the ${declaration.role} role; ${principal.user.name} is ${principal.user.role}`);
  }
}
