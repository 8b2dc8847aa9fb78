// What the fuzzer aims at: every route the app registered (from its onRoute record, so routes added later are
// included unasked), each with the input schemas the OpenAPI document publishes for it.
import type { RouteEntry } from '../../../src/security/auth-declaration.js';
import { isObject, type JsonSchema } from './schema.js';

export interface ParamSpec {
  name: string;
  schema: JsonSchema | null;
  required: boolean;
}

export interface Target {
  method: string;
  /** The route pattern as Fastify holds it: `/api/v1/users/:name`. */
  pattern: string;
  auth: RouteEntry['auth'];
  websocket: boolean;
  /** One of this test's probe routes rather than the app's own. */
  probe: boolean;
  /** The pattern split on '/': static text, `:param` or `*`. */
  segments: string[];
  /** Path parameter names in order (`*` for a wildcard). */
  pathParams: string[];
  paramSchemas: ReadonlyMap<string, JsonSchema>;
  query: ParamSpec[];
  headers: ParamSpec[];
  body: JsonSchema | null;
}

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Methods whose body Fastify parses (GET and HEAD bodies are ignored). */
export const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const isMutation = (method: string) => !SAFE_METHODS.has(method);

interface Operation {
  parameters?: unknown[];
  requestBody?: unknown;
}

function operationOf(doc: unknown, pattern: string, method: string): Operation | null {
  if (!isObject(doc) || !isObject(doc['paths'])) return null;
  const key = pattern.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const item = doc['paths'][key];
  if (!isObject(item)) return null;
  // HEAD routes are Fastify's automatic twins of GET ones: same inputs.
  const op = item[(method === 'HEAD' ? 'GET' : method).toLowerCase()];
  return isObject(op) ? (op) : null;
}

function paramsOf(op: Operation | null, where: 'path' | 'query' | 'header'): ParamSpec[] {
  const out: ParamSpec[] = [];
  for (const p of op?.parameters ?? []) {
    if (!isObject(p) || p['in'] !== where || typeof p['name'] !== 'string') continue;
    out.push({
      name: where === 'header' ? p['name'].toLowerCase() : p['name'],
      schema: isObject(p['schema']) ? (p['schema']) : null,
      required: p['required'] === true,
    });
  }
  return out;
}

function bodyOf(op: Operation | null): JsonSchema | null {
  const body = op?.requestBody;
  if (!isObject(body) || !isObject(body['content'])) return null;
  const json = body['content']['application/json'];
  return isObject(json) && isObject(json['schema']) ? (json['schema']) : null;
}

export function buildCatalog(routes: readonly RouteEntry[], doc: unknown, isProbe: (pattern: string) => boolean): Target[] {
  return routes.map((r) => {
    const op = operationOf(doc, r.url, r.method);
    const segments = r.url.split('/');
    const pathParams = segments.filter((s) => s.startsWith(':') || s === '*').map((s) => (s === '*' ? '*' : s.slice(1)));
    const paramSchemas = new Map<string, JsonSchema>();
    for (const p of paramsOf(op, 'path')) if (p.schema) paramSchemas.set(p.name, p.schema);
    return {
      method: r.method,
      pattern: r.url,
      auth: r.auth,
      websocket: r.websocket,
      probe: isProbe(r.url),
      segments,
      pathParams,
      paramSchemas,
      query: paramsOf(op, 'query'),
      headers: paramsOf(op, 'header'),
      body: bodyOf(op),
    };
  });
}

/**
 * The path parameters if `decodedSegments` (a request path split on '/', each segment percent-decoded, as
 * find-my-way compares them) fits the pattern. Deliberately lenient (a parameter may be empty, any length):
 * where the router might match, the fuzzer must assume it does.
 */
export function matchSegments(target: Target, decodedSegments: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  const pattern = target.segments;
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i]!;
    if (seg === '*') {
      params['*'] = decodedSegments.slice(i).join('/');
      return params;
    }
    const got = decodedSegments[i];
    if (got === undefined) return null;
    if (seg.startsWith(':')) params[seg.slice(1)] = got;
    else if (seg !== got) return null;
  }
  return decodedSegments.length === pattern.length ? params : null;
}
