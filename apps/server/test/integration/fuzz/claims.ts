// Why a fuzz request cannot change anything, worked out from the request as sent (not from how it was made):
// the stage of the server that must refuse it. A change request (POST, PUT, PATCH, DELETE) is only ever sent
// with at least one such claim, so the fuzzer never asks for a real change by accident; the probe routes check
// the claims (a handler reached by a request claimed to stop before it is a fuzzer bug).
//
// Every rule errs towards claiming nothing: where the server could read the request in two ways, a stage is
// claimed only if it stops the request under both.
import { roleAtLeast, type Role } from '@vireo/api';
import { parseXml } from '@vireo/libvirt-xml';
import { BODY_METHODS, isMutation, matchSegments, type Target } from './catalog.js';
import { isObject, type JsonSchema, type SchemaContext } from './schema.js';
import { originOf } from '../../../src/security/origin.js';

/** In the order the server applies them. 'semantic' is the service refusing an unknown target or a stale revision. */
export const STAGES = ['routing', 'origin', 'auth', 'csrf', 'role', 'parse', 'schema', 'semantic'] as const;
export type Stage = (typeof STAGES)[number];
export const PRE_HANDLER: ReadonlySet<Stage> = new Set(['routing', 'origin', 'auth', 'csrf', 'role', 'parse', 'schema']);

/** Content types no parser is registered for (Fastify has JSON and text/plain): 415 before any handler. */
export const UNSUPPORTED_TYPES: readonly string[] = [
  'application/x-vireo-fuzz',
  'text/x-vireo-fuzz',
  'multipart/form-data; boundary=vireo-fuzz',
  'application/x-www-form-urlencoded',
];

/** Quoted entity tags no definition ever has: a change carrying one as If-Match must get 409/412. */
export const BOGUS_ETAGS: readonly string[] = ['"vireo-fuzz-stale"', '"0"', 'W/"vireo-fuzz-weak"', '"00000000000000000000000000000000"'];

/** The fastify-level limit on one path parameter (find-my-way's maxParamLength default). */
const MAX_PARAM_LENGTH = 100;

export interface World {
  targets: readonly Target[];
  schemas: SchemaContext;
  cookieName: string;
  /** Session cookie value -> who it signs in. */
  sessions: ReadonlyMap<string, { role: Role; csrf: string }>;
  /** API token -> who it signs in. */
  tokens: ReadonlyMap<string, { role: Role }>;
  /** `https://<host>`: the origin Fastify sees for an injected request without a Host header. */
  selfOrigin: string;
  /** Names and ids that exist (users, hosts, libvirt objects, tokens), normalised by `normalise`. */
  known: ReadonlySet<string>;
}

export interface Sent {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  payload: string | Buffer | undefined;
}

export interface Claims {
  stages: Set<Stage>;
  /** The routes the request may reach (empty: none). */
  matched: Target[];
}

/** How identifiers are compared against what exists: case, dashes and punctuation ignored (UUIDs with or without dashes). */
export function normalise(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The path as light-my-request hands it to Fastify (WHATWG URL parsing: dot segments resolved, `\` read as `/`). */
export function effectivePath(url: string): string | null {
  try {
    return new URL(url.startsWith('//') ? `http://localhost${url}` : url, 'http://localhost').pathname;
  } catch {
    return null;
  }
}

/** Every value the request carries for the cookie (the server uses the first; we cannot be sure which). */
function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      out.push(value.includes('%') ? decodeURIComponent(value) : value);
    } catch {
      out.push(value);
    }
  }
  return out;
}

/** What Fastify's JSON parser (secure-json-parse) does with a body: the value, or 'error' for a 400. */
export function parseJsonLikeFastify(text: string): { value: unknown } | 'error' {
  const stripped = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (stripped === '') return 'error';
  let value: unknown;
  try {
    value = JSON.parse(stripped);
  } catch {
    return 'error';
  }
  // __proto__ keys and constructor.prototype are refused (onProtoPoisoning / onConstructorPoisoning: 'error').
  if (/__proto__|constructor|\\u00/.test(stripped)) {
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const node = stack.pop();
      if (Array.isArray(node)) for (const item of node as unknown[]) stack.push(item);
      else if (isObject(node)) {
        if (Object.hasOwn(node, '__proto__')) return 'error';
        const ctor = Object.hasOwn(node, 'constructor') ? node['constructor'] : undefined;
        if (isObject(ctor) && Object.hasOwn(ctor, 'prototype')) return 'error';
        for (const key of Object.keys(node)) stack.push(node[key]);
      }
    }
  }
  return { value };
}

function wellFormed(xml: string): boolean {
  try {
    parseXml(xml);
    return true;
  } catch {
    return false;
  }
}

function textOf(payload: string | Buffer | undefined): string {
  if (payload === undefined) return '';
  return typeof payload === 'string' ? payload : payload.toString('utf8');
}

/** The string-typed schema of a path or header parameter, whose verdict on a raw string is sound (no coercion). */
function stringSchema(schemas: SchemaContext, schema: JsonSchema | null | undefined): JsonSchema | null {
  if (!schema) return null;
  const types = schemas.typesOf(schema);
  return types !== null && types.size === 1 && types.has('string') ? schema : null;
}

function claimsFor(target: Target, params: Record<string, string>, req: Sent, world: World): Set<Stage> {
  const stages = new Set<Stage>();
  const h = req.headers;
  const mutation = isMutation(req.method);

  // Origin, as the auth hook checks it on every change (sign-in included), even before the route's rule.
  if (mutation && h['origin'] !== undefined && h['host'] === undefined && h['x-forwarded-proto'] === undefined && h['x-forwarded-host'] === undefined) {
    if (originOf(h['origin']) !== world.selfOrigin) stages.add('origin');
  }

  if (!('public' in target.auth)) {
    const required = target.auth.role;
    let principals: { role: Role; csrf: string | null }[];
    if (h['authorization'] !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(h['authorization']);
      const token = m?.[1] !== undefined ? world.tokens.get(m[1]) : undefined;
      principals = token ? [{ role: token.role, csrf: null }] : [];
    } else {
      principals = cookieValues(h['cookie'], world.cookieName).flatMap((v) => {
        const s = world.sessions.get(v);
        return s ? [{ role: s.role, csrf: s.csrf }] : [];
      });
    }
    if (principals.length === 0) stages.add('auth');
    else {
      if (mutation && principals.every((p) => p.csrf !== null && h['x-csrf-token'] !== p.csrf)) stages.add('csrf');
      if (principals.every((p) => !roleAtLeast(p.role, required))) stages.add('role');
    }
  }

  // The body, as the content-type parsers leave it: `undefined` when unknown.
  let body: { value: unknown } | undefined;
  // (Fastify parses no body of an OPTIONS request that has none, whatever its content type says.)
  if (BODY_METHODS.has(req.method) && !(req.method === 'OPTIONS' && req.payload === undefined)) {
    const ct = h['content-type'];
    const text = textOf(req.payload);
    if (ct === undefined) {
      // No content type and no body: the handler runs with no body, which Fastify validates as null.
      if (text === '') body = { value: null };
    } else {
      const essence = ct.split(';', 1)[0]!.trim().toLowerCase();
      if (UNSUPPORTED_TYPES.some((u) => u.split(';', 1)[0] === essence)) stages.add('parse');
      else if (essence === 'application/json') {
        const parsed = parseJsonLikeFastify(text);
        if (parsed === 'error') stages.add('parse');
        else body = parsed;
      } else if (essence === 'text/plain') body = { value: text };
    }
  }

  if (target.body && body !== undefined && world.schemas.check(body.value ?? null, target.body) === 'invalid') stages.add('schema');
  for (const name of target.pathParams) {
    const schema = stringSchema(world.schemas, target.paramSchemas.get(name));
    const value = params[name];
    if (schema && value !== undefined && world.schemas.check(value, schema) === 'invalid') stages.add('schema');
  }
  for (const header of target.headers) {
    const schema = stringSchema(world.schemas, header.schema);
    const value = h[header.name];
    if (schema && (value === undefined ? header.required : world.schemas.check(value, schema) === 'invalid')) stages.add('schema');
  }

  // The service's own refusals: an id or name that does not exist, a revision that never was.
  for (const name of target.pathParams) {
    const value = params[name];
    if (name !== '*' && value !== undefined && normalise(value) !== '' && !world.known.has(normalise(value))) stages.add('semantic');
  }
  // A document that is not even well-formed (by the XML layer the server parses with) defines nothing.
  if (body !== undefined && isObject(body.value) && typeof body.value['xml'] === 'string' && !wellFormed(body.value['xml'])) stages.add('semantic');
  const ifMatch = h['if-match'];
  if (ifMatch !== undefined && target.headers.some((x) => x.name === 'if-match') && BOGUS_ETAGS.includes(ifMatch)) stages.add('semantic');
  return stages;
}

export function claimsOf(req: Sent, world: World): Claims {
  const path = effectivePath(req.url);
  if (path === null) return { stages: new Set(['routing']), matched: [] };
  let segments: string[];
  try {
    segments = path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return { stages: new Set(['routing']), matched: [] };
  }
  const matched: { target: Target; params: Record<string, string> }[] = [];
  for (const target of world.targets) {
    if (target.method !== req.method) continue;
    const params = matchSegments(target, segments);
    if (!params) continue;
    if (target.pathParams.some((p) => p !== '*' && (params[p] ?? '').length > MAX_PARAM_LENGTH)) continue;
    matched.push({ target, params });
  }
  if (matched.length === 0) return { stages: new Set(['routing']), matched: [] };
  // Claimed only what holds whichever of the matching routes the router picks.
  const each = matched.map((m) => claimsFor(m.target, m.params, req, world));
  const stages = new Set(STAGES.filter((stage) => each.every((s) => s.has(stage))));
  return { stages, matched: matched.map((m) => m.target) };
}
