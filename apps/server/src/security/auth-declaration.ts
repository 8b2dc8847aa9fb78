import type { Role } from '@vireo/api';
import type { RouteOptions } from 'fastify';

/**
 * What a route requires, declared on every route as `config: { auth: ... }`. A route without one stops the
 * server at start-up, so nothing becomes public by omission.
 *
 * - `{ public: true }`: anyone (sign-in, health, API docs, the SPA's files).
 * - `{ role }`: a signed-in user holding at least `role`.
 * - `selfService`: a change a viewer may make to their own account (sign-out, own password, own tokens).
 *   Any other change must require operator or admin; start-up checks that too.
 * - `allowDuringPasswordChange`: reachable while the user must still change a one-time password.
 */
export type AuthDeclaration =
  | { public: true }
  | { role: Role; selfService?: boolean; allowDuringPasswordChange?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthDeclaration;
  }
}

/** Routes that plugins register under these prefixes are public by design: the OpenAPI document and its UI. */
export const PUBLIC_PLUGIN_PREFIXES: readonly string[] = ['/api/docs'];

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isMutation(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export interface RouteEntry {
  method: string;
  url: string;
  auth: AuthDeclaration;
  websocket: boolean;
}

/**
 * The start-up check, run by an onRoute hook for every route registered: it fills in the declaration for the
 * documented public plugin routes and throws (failing start-up) for any other route without one, or for a
 * change that a viewer could make to something other than their own account.
 */
export function checkRouteDeclaration(route: RouteOptions & { websocket?: boolean }): RouteEntry[] {
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
  route.config ??= {};
  let auth = route.config.auth;
  if (auth === undefined && PUBLIC_PLUGIN_PREFIXES.some((p) => route.url === p || route.url.startsWith(`${p}/`))) {
    auth = { public: true };
    route.config.auth = auth;
  }
  const where = `${methods.join(',')} ${route.url}`;
  if (auth === undefined) {
    throw new Error(`route ${where} declares no access rule: add config.auth ({ public: true } or { role: ... })`);
  }
  if ('role' in auth && auth.role === 'viewer' && !auth.selfService && methods.some(isMutation)) {
    throw new Error(`route ${where} lets viewers change something: require operator or admin, or mark it selfService`);
  }
  return methods.map((method) => ({ method, url: route.url, auth, websocket: route.websocket === true }));
}
