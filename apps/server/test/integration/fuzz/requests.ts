// The request generator: for each route, a draft that is valid as far as the fuzzer can make it (real host,
// the test's own domain, existing users, a body sampled from the route's schema), then one or more defects
// planted in it. Every defect is a `Mutator`; the systematic pass applies each once, the random pass combines
// a few. A change request is sent only once `claimsOf` finds a reason it must be refused (see claims.ts).
import { BODY_METHODS, isMutation, SAFE_METHODS, type Target } from './catalog.js';
import { BOGUS_ETAGS, claimsOf, type Sent, type Stage, UNSUPPORTED_TYPES, type World } from './claims.js';
import { FUZZ_ID_HEADER } from './probes.js';
import type { Rng } from './prng.js';
import { isObject, type JsonSchema, type JsonType, type PathSegment, type SchemaContext, VALUES_BY_TYPE } from './schema.js';

export type Who = 'admin' | 'admin-token' | 'viewer' | 'anonymous';

export interface Credentials {
  cookieName: string;
  admin: { cookie: string; csrf: string };
  viewer: { cookie: string; csrf: string };
  adminToken: string;
}

export interface GenContext {
  rng: Rng;
  schemas: SchemaContext;
  world: World;
  creds: Credentials;
  /** Values that exist, per path parameter name (host: local, uuid: the test domain, name: users...). */
  existing: Readonly<Record<string, readonly string[]>>;
  /** Methods registered per route pattern. */
  methodsByPattern: ReadonlyMap<string, ReadonlySet<string>>;
  /** The test domain's current ETag and inactive XML, when the app serves them: changes based on the real revision. */
  current: { etag: string; xml: string } | null;
}

export interface FuzzRequest extends Sent {
  n: number;
  who: Who;
  target: Target;
  /** What was planted, for failure reports. */
  what: string;
  stages: ReadonlySet<Stage>;
}

/** JSON text spliced in verbatim where a value would be (NaN, 1e400, deep nesting...). */
class RawJson {
  constructor(readonly text: string) {}
}

type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; payload: string | Buffer } | { kind: 'none' };

interface Draft {
  target: Target;
  method: string;
  who: Who;
  params: Record<string, { value: string; raw: boolean }>;
  query: string;
  headers: Record<string, string>;
  body: Body;
  what: string[];
}

export interface Mutator {
  name: string;
  /** Always sent by the systematic pass (a body field's wrong type or absence, a query parameter's), never sampled away. */
  essential?: boolean;
  apply(d: Draft, ctx: GenContext): void;
}

// ------------------------------------------------------------------ nasty values

export const HUGE = 'x'.repeat(1024 * 1024);

const XML_META = [
  'vireo-fuzz-<x>&amp;</name>',
  'vireo-fuzz-]]><!--',
  '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/shadow">]><domain>&x;</domain>',
  'vireo-fuzz-"\'<>&',
  'vireo-fuzz-&lt;&#0;&#x110000;',
  "</name></domain><domain type='kvm'><name>vireo-fuzz-injected",
  'vireo-fuzz-${7*7}{{7*7}}',
  'vireo-fuzz-%s%n%x',
  "vireo-fuzz-'; DROP TABLE users; --",
];
const TRAVERSAL = ['../../../../etc/passwd', 'vireo-fuzz/../../../etc/shadow', '..', '.', '..\\..\\windows\\win.ini', '/dev/zero', '/proc/self/environ', '....//....//etc', 'vireo-fuzz/./../x'];
const NUL = ['vireo-fuzz-\u0000', '\u0000', 'vireo-fuzz-a\u0000b.qcow2', '\u0000\u0000\u0000'];
const NON_UTF8 = [
  '\ud800',
  'vireo-fuzz-\udfff\ud800',
  '\ufeffvireo-fuzz',
  '\u00c0\u00af',
  'vireo-fuzz-\u202e\u0041',
  '\uffff\ufffe',
  'vireo-fuzz-\u{1F600}',
  '\uff56\uff49\uff52\uff45\uff4f',
  'vireo-fuzz-\u0301\u0301\u0301',
  '\u001b[31mvireo-fuzz',
  'vireo-fuzz\r\nX-Injected: 1',
  '\t\v\f',
];
const NASTY_GROUPS: Readonly<Record<string, readonly string[]>> = { xml: XML_META, traversal: TRAVERSAL, nul: NUL, 'non-utf8': NON_UTF8 };
const LONG = ['x'.repeat(101), 'x'.repeat(4097), 'x'.repeat(65_537)];

const BAD_PARAM_VALUES = [
  '',
  ' ',
  'nope',
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  'null',
  'undefined',
  '0',
  '-1',
  '1e999',
  'NaN',
  '[]',
  '{}',
  'true',
  ...XML_META,
  ...TRAVERSAL,
  ...NUL,
  ...NON_UTF8,
  'x'.repeat(65),
  ...LONG,
];
/** Put in the path as they are, not percent-encoded: malformed escapes, dot segments, separators. */
const RAW_PATH_JUNK = ['..', '../..', '..%2f..%2f', '%2e%2e', '%2e%2e%2f%2e%2e', '%', '%zz', '%ff%fe', '%E0%A4%A', '%ED%A0%80', '%00', 'a b', 'a\\b', '?x=1', '#frag', ';x=1', '//', 'a%2fb', 'x'.repeat(100_000)];

const BAD_QUERY_VALUES = ['abc', 'NaN', '-1', '0', '1e999', '', '1.5', 'true', '[]', '%00', '%ff', '-0', '9007199254740993', '0x10', '%201', '1,2', 'x'.repeat(100_000)];
const QUERY_JUNK = [
  '__proto__[polluted]=1',
  'constructor[prototype][polluted]=1',
  '__proto__=1',
  'a[]=1&a[]=2',
  Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&'),
  '&&&==&',
  `x=${'y'.repeat(100_000)}`,
  '%zz=%zz',
  'limit=1&limit=2',
];

const BAD_ORIGINS = ['https://evil.example', 'null', 'not a url', 'https://localhost:80.evil.example', 'http://localhost:80', 'https://vireo.test', 'file:///etc/passwd', ''];
const IF_MATCH_JUNK = ['*', 'W/"x"', 'no-quotes', '"unterminated', '"a", "b"', '', 'x'.repeat(300), '"\u00ff"'];
const MISC_HEADERS: readonly Record<string, string>[] = [
  { accept: 'application/xml' },
  { accept: '*/*;q=abc, text/html;level=' },
  { 'x-request-id': 'vireo-fuzz-spoofed-request-id' },
  { 'user-agent': 'x'.repeat(8192) },
  { 'x-forwarded-for': '999.999.999.999, ::ffff:junk, <script>' },
  { 'x-forwarded-proto': 'gopher' },
  { 'x-forwarded-host': 'evil.example' },
  { 'accept-encoding': 'gzip;q=NaN, br, *;q=-1' },
  { range: 'bytes=-1-' },
  { 'if-none-match': '*' },
  { 'if-modified-since': 'yesterday' },
  { 'accept-version': '99.0.0' },
  { 'accept-language': '\u0000'.repeat(10) },
  { connection: 'Upgrade', upgrade: 'websocket' },
  { 'sec-websocket-version': '999', 'sec-websocket-key': '!!' },
  { 'x-http-method-override': 'DELETE' },
  { 'content-language': '\u00ff\u00fe' },
];

/** Ways to break a real definition so that it is no longer well-formed XML. */
const MALFORMED_XML: readonly [string, (xml: string, ctx: GenContext) => string][] = [
  ['XML truncated', (xml, c) => xml.slice(0, c.rng.int(1, Math.max(1, xml.length - 12)))],
  ['XML with a mismatched end tag', (xml) => xml.replace('</name>', '</nmae>')],
  ['XML with a raw & in the name', (xml) => xml.replace('</name>', '&vireo-fuzz</name>')],
  ['XML with an undefined entity', (xml) => xml.replace('</name>', '&vireofuzz;</name>')],
  ['XML with an external entity', (xml) => `<?xml version="1.0"?><!DOCTYPE domain [<!ENTITY x SYSTEM "file:///etc/shadow">]>${xml.replace('</name>', '&x;</name>')}`],
  ['XML with two roots', (xml) => `${xml}${xml}`],
  ['XML with a NUL', (xml) => xml.replace('</name>', '\u0000</name>')],
  ['not XML', () => 'vireo-fuzz: this is not XML'],
  ['JSON, not XML', (xml) => JSON.stringify({ xml })],
];

const WEIRD_METHODS = ['PROPFIND', 'TRACE', 'SEARCH'];
const STANDARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

// ------------------------------------------------------------------ drafts

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function stringify(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(stringify).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}:${stringify(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate has no UTF-8 form: send the bytes a careless encoder would (CESU-8), not valid UTF-8.
    return '%ED%A0%80';
  }
}

function existingValue(ctx: GenContext, name: string, schema: JsonSchema | undefined): string | null {
  const values = ctx.existing[name];
  if (values && values.length > 0) return ctx.rng.pick(values);
  if (name === '*') return 'index.html';
  const resolved = schema ? ctx.schemas.resolve(schema) : null;
  if (resolved?.enum && resolved.enum.length > 0) return String(ctx.rng.pick(resolved.enum));
  return null;
}

/** A value the schema accepts (where it can) but that names nothing that exists. */
function unknownValue(ctx: GenContext, name: string, schema: JsonSchema | undefined): string {
  if (name === 'host') return ctx.rng.pick(['nope', 'vireo-fuzz-host', 'remote1']);
  if (/uuid/i.test(name)) return ctx.rng.uuid();
  if (schema) {
    const v = ctx.schemas.sample(schema, ctx.rng);
    if (typeof v === 'string' && ctx.schemas.check(v, schema) === 'valid' && v.includes('fuzz')) return v;
  }
  return `vireo-fuzz-${ctx.rng.hex(8)}`;
}

function newDraft(target: Target, who: Who, ctx: GenContext): Draft {
  const params: Draft['params'] = {};
  for (const name of target.pathParams) {
    const schema = target.paramSchemas.get(name);
    params[name] = { value: existingValue(ctx, name, schema) ?? unknownValue(ctx, name, schema), raw: false };
  }
  const d: Draft = { target, method: target.method, who, params, query: '', headers: {}, body: { kind: 'none' }, what: [] };
  setWho(d, who, ctx);
  if (BODY_METHODS.has(target.method) && target.body) {
    d.body = { kind: 'json', value: ctx.schemas.sample(target.body, ctx.rng) };
    d.headers['content-type'] = 'application/json';
  }
  return d;
}

function setWho(d: Draft, who: Who, ctx: GenContext): void {
  delete d.headers['cookie'];
  delete d.headers['x-csrf-token'];
  delete d.headers['authorization'];
  d.who = who;
  const { creds } = ctx;
  if (who === 'admin' || who === 'viewer') {
    const s = creds[who];
    d.headers['cookie'] = `${creds.cookieName}=${s.cookie}`;
    if (isMutation(d.method)) d.headers['x-csrf-token'] = s.csrf;
  } else if (who === 'admin-token') {
    d.headers['authorization'] = `Bearer ${creds.adminToken}`;
  }
}

function buildUrl(d: Draft): string {
  const path = d.target.segments
    .map((seg) => {
      if (seg === '*') {
        const p = d.params['*']!;
        return p.raw ? p.value : p.value.split('/').map(encodeSegment).join('/');
      }
      if (!seg.startsWith(':')) return seg;
      const p = d.params[seg.slice(1)]!;
      return p.raw ? p.value : encodeSegment(p.value);
    })
    .join('/');
  return d.query === '' ? path : `${path}?${d.query}`;
}

function payloadOf(body: Body): string | Buffer | undefined {
  if (body.kind === 'none') return undefined;
  if (body.kind === 'raw') return body.payload;
  return stringify(body.value);
}

function toSent(d: Draft): Sent {
  return { method: d.method, url: buildUrl(d), headers: d.headers, payload: payloadOf(d.body) };
}

// ------------------------------------------------------------------ blockers

/** Ways to make sure a change request is refused; `semantic` ones still take it through the service. */
const BLOCKERS: readonly { name: string; weight: number; applies(d: Draft): boolean; apply(d: Draft, ctx: GenContext): void }[] = [
  {
    name: 'unknown path parameter',
    weight: 4,
    applies: (d) => d.target.pathParams.some((p) => p !== '*'),
    apply(d, ctx) {
      const name = ctx.rng.pick(d.target.pathParams.filter((p) => p !== '*'));
      d.params[name] = { value: unknownValue(ctx, name, d.target.paramSchemas.get(name)), raw: false };
    },
  },
  {
    name: 'stale If-Match',
    weight: 3,
    applies: (d) => d.target.headers.some((h) => h.name === 'if-match'),
    apply(d, ctx) {
      d.headers['if-match'] = ctx.rng.pick(BOGUS_ETAGS);
    },
  },
  {
    name: 'no CSRF token',
    weight: 1,
    applies: (d) => (d.who === 'admin' || d.who === 'viewer') && !('public' in d.target.auth),
    apply(d) {
      delete d.headers['x-csrf-token'];
    },
  },
  {
    name: 'foreign Origin',
    weight: 1,
    applies: () => true,
    apply(d, ctx) {
      d.headers['origin'] = ctx.rng.pick(BAD_ORIGINS);
      delete d.headers['host'];
      delete d.headers['x-forwarded-proto'];
      delete d.headers['x-forwarded-host'];
    },
  },
  {
    name: 'truncated JSON',
    weight: 1,
    applies: (d) => BODY_METHODS.has(d.method),
    apply(d, ctx) {
      const text = d.body.kind === 'json' ? stringify(d.body.value) : '{"vireo-fuzz":';
      d.body = { kind: 'raw', payload: text.slice(0, Math.max(1, ctx.rng.int(1, text.length - 1))) };
      d.headers['content-type'] = 'application/json';
    },
  },
  {
    name: 'unsupported content type',
    weight: 1,
    applies: (d) => BODY_METHODS.has(d.method),
    apply(d, ctx) {
      d.headers['content-type'] = ctx.rng.pick(UNSUPPORTED_TYPES);
      if (d.body.kind === 'none') d.body = { kind: 'raw', payload: 'vireo-fuzz' };
    },
  },
];

/**
 * Finishes a draft: a change request without a reason to be refused gets one more blocker (repeatedly, if the
 * first did not take), so the fuzzer never really changes anything.
 */
export function finish(d: Draft, n: number, ctx: GenContext): FuzzRequest {
  d.headers[FUZZ_ID_HEADER] = String(n);
  for (let attempt = 0; ; attempt++) {
    const sent = toSent(d);
    const { stages } = claimsOf(sent, ctx.world);
    if (!isMutation(d.method) || stages.size > 0) {
      return { ...sent, n, who: d.who, target: d.target, what: d.what.join('; '), stages };
    }
    if (attempt > 10) throw new Error(`fuzzer: cannot make ${d.method} ${sent.url} (${d.what.join('; ')}) certain to be refused`);
    const usable = BLOCKERS.filter((b) => b.applies(d));
    const weighted = usable.flatMap((b) => Array<typeof b>(b.weight).fill(b));
    const blocker = ctx.rng.pick(weighted);
    blocker.apply(d, ctx);
    d.what.push(`+ ${blocker.name}`);
  }
}

// ------------------------------------------------------------------ mutators

function plantAt(ctx: GenContext, body: JsonSchema, path: PathSegment[], plant: { value: unknown } | 'omit'): unknown {
  return ctx.schemas.sample(body, ctx.rng, path, plant);
}

const show = (path: PathSegment[]) => ['body', ...path.map(String)].join('.');

function jsonBody(d: Draft, value: unknown): void {
  d.body = { kind: 'json', value };
  d.headers['content-type'] = 'application/json';
}

function rawBody(d: Draft, payload: string | Buffer, contentType: string | null): void {
  d.body = { kind: 'raw', payload };
  if (contentType === null) delete d.headers['content-type'];
  else d.headers['content-type'] = contentType;
}

function deepArray(depth: number): RawJson {
  return new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}
function deepObject(depth: number): RawJson {
  return new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** Values of the right JSON type but outside what the field allows (or at its edges). */
function edgeValues(ctx: GenContext, schema: JsonSchema): unknown[] {
  const s = ctx.schemas.resolve(schema);
  if (!s) return [];
  const out: unknown[] = [];
  if (s.enum || 'const' in s) out.push('vireo-fuzz-not-an-option');
  const types = ctx.schemas.typesOf(s) ?? new Set<JsonType>();
  if (types.has('string')) {
    if (s.maxLength !== undefined && s.maxLength < 200_000) out.push('x'.repeat(s.maxLength + 1));
    if (s.minLength !== undefined && s.minLength > 0) out.push('x'.repeat(s.minLength - 1));
    if (s.pattern !== undefined) out.push(ctx.rng.pick([...XML_META, ...TRAVERSAL]));
  }
  if (types.has('integer') || types.has('number')) {
    if (s.minimum !== undefined) out.push(s.minimum - 1);
    if (s.maximum !== undefined) out.push(s.maximum + 1);
    if (!types.has('number')) out.push(1.5);
    out.push(new RawJson('1e400'), new RawJson('-1e400'), new RawJson('9007199254740993'), -1, 1e308, new RawJson('-0'));
  }
  if (types.has('array')) {
    const items = (Array.isArray(s.items) ? s.items[0] : s.items) ?? {};
    if (s.maxItems !== undefined && s.maxItems <= 200) out.push(Array.from({ length: s.maxItems + 1 }, () => ctx.schemas.sample(items, ctx.rng)));
    if (s.minItems !== undefined && s.minItems > 0) out.push([]);
  }
  return out;
}

function wrongTypes(ctx: GenContext, schema: JsonSchema): { type: JsonType; value: unknown }[] {
  const allowed = ctx.schemas.typesOf(schema);
  if (allowed === null) return [];
  const out: { type: JsonType; value: unknown }[] = [];
  for (const type of Object.keys(VALUES_BY_TYPE) as JsonType[]) {
    if (allowed.has(type) || (type === 'integer' && allowed.has('number'))) continue;
    out.push({ type, value: ctx.rng.pick(VALUES_BY_TYPE[type]) });
  }
  return out;
}

function bodyMutators(t: Target, ctx: GenContext): Mutator[] {
  const out: Mutator[] = [];
  const body = t.body;
  if (!BODY_METHODS.has(t.method)) return out;
  if (body) {
    for (const field of ctx.schemas.fieldPaths(body)) {
      const where = show(field.path);
      for (const wrong of wrongTypes(ctx, field.schema)) {
        out.push({ name: `${where}: ${wrong.type} instead`, essential: true, apply: (d) => jsonBody(d, plantAt(ctx, body, field.path, { value: wrong.value })) });
      }
      if (field.required) out.push({ name: `${where}: missing`, essential: true, apply: (d) => jsonBody(d, plantAt(ctx, body, field.path, 'omit')) });
      for (const edge of edgeValues(ctx, field.schema)) {
        const label = edge instanceof RawJson ? edge.text : typeof edge === 'string' ? `string(${edge.length})` : stringify(edge).slice(0, 40);
        out.push({ name: `${where}: out of range ${label}`, apply: (d) => jsonBody(d, plantAt(ctx, body, field.path, { value: edge })) });
      }
      const types = ctx.schemas.typesOf(field.schema);
      if (types?.has('string') && field.path.at(-1) === 'xml') {
        // The real definition, broken: the service's XML parsing and validation, not just the schema's.
        for (const [label, breakIt] of MALFORMED_XML) {
          out.push({
            name: `${where}: ${label}`,
            apply: (d, c) => {
              if (c.current) d.headers['if-match'] = c.current.etag;
              jsonBody(d, plantAt(c, body, field.path, { value: breakIt(c.current?.xml ?? '<domain/>', c) }));
            },
          });
        }
      }
      if (types?.has('string')) {
        for (const [group, values] of Object.entries(NASTY_GROUPS)) {
          out.push({ name: `${where}: ${group} text`, apply: (d, c) => jsonBody(d, plantAt(c, body, field.path, { value: c.rng.pick(values) })) });
        }
      }
    }
    const firstString = ctx.schemas.fieldPaths(body).find((f) => ctx.schemas.typesOf(f.schema)?.has('string'));
    if (firstString) {
      out.push({ name: `${show(firstString.path)}: 1 MiB string`, apply: (d) => jsonBody(d, plantAt(ctx, body, firstString.path, { value: HUGE })) });
      out.push({ name: `${show(firstString.path)}: 64 KiB string`, apply: (d) => jsonBody(d, plantAt(ctx, body, firstString.path, { value: LONG[2] })) });
    }
  }
  const sampled = (c: GenContext) => (body ? c.schemas.sample(body, c.rng) : { 'vireo-fuzz': 1 });
  const withExtra = (c: GenContext, key: string, value: unknown) => {
    const base = sampled(c);
    const obj: Record<string, unknown> = isObject(base) ? base : {};
    setOwn(obj, key, value);
    return obj;
  };
  const whole: [string, (d: Draft, c: GenContext) => void][] = [
    ['body: null', (d) => rawBody(d, 'null', 'application/json')],
    ['body: array', (d) => jsonBody(d, [])],
    ['body: string', (d) => jsonBody(d, 'vireo-fuzz')],
    ['body: number', (d) => jsonBody(d, 42)],
    ['body: boolean', (d) => jsonBody(d, true)],
    ['body: 100k-deep array', (d) => jsonBody(d, deepArray(100_000))],
    ['body: 20k-deep object', (d) => jsonBody(d, deepObject(20_000))],
    ['body: extra field', (d, c) => jsonBody(d, withExtra(c, `vireo-fuzz-${c.rng.hex(4)}`, 'extra'))],
    ['body: extra 5k-deep field', (d, c) => jsonBody(d, withExtra(c, 'vireo-fuzz-deep', deepObject(5000)))],
    ['body: 2000 extra fields', (d) => jsonBody(d, Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`vireo-fuzz-${i}`, i])))],
    ['body: __proto__', (d, c) => jsonBody(d, withExtra(c, '__proto__', { polluted: true, isAdmin: true }))],
    ['body: constructor.prototype', (d, c) => jsonBody(d, withExtra(c, 'constructor', { prototype: { polluted: true } }))],
    ['body: truncated JSON', (d, c) => {
      const text = stringify(sampled(c));
      rawBody(d, text.slice(0, c.rng.int(1, Math.max(1, text.length - 1))), 'application/json');
    }],
    ['body: empty, JSON content type', (d) => rawBody(d, '', 'application/json')],
    ['body: empty, no content type', (d) => rawBody(d, '', null)],
    ['body: JSON without content type', (d, c) => rawBody(d, stringify(sampled(c)), null)],
    ['body: JSON as text/plain', (d, c) => rawBody(d, stringify(sampled(c)), 'text/plain')],
    ['body: XML with an external entity', (d) => rawBody(d, XML_META[2]!, 'application/xml')],
    ['body: JSON as UTF-16', (d, c) => rawBody(d, Buffer.from(stringify(sampled(c)), 'utf16le'), 'application/json; charset=utf-16')],
    ['body: charset=latin1', (d, c) => rawBody(d, stringify(sampled(c)), 'application/json; charset=latin1')],
    ['body: content type junk', (d, c) => rawBody(d, stringify(sampled(c)), c.rng.pick(['application/json\u0000', ';;;', 'application/', '*/*', 'application/json, text/plain', 'APPLICATION/JSON', 'application/json; charset="']))],
    ['body: invalid UTF-8 bytes', (d) => rawBody(d, Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x7d]), 'application/json')],
    ['body: BOM', (d, c) => rawBody(d, `\ufeff${stringify(sampled(c))}`, 'application/json')],
    ['body: NaN/Infinity', (d) => rawBody(d, '{"vireo-fuzz": NaN, "b": Infinity, "c": -Infinity}', 'application/json')],
    ['body: trailing comma and comments', (d) => rawBody(d, '{"a": 1, /* c */ "b": [1,2,],}', 'application/json')],
    ['body: single quotes', (d) => rawBody(d, "{'name': 'vireo-fuzz'}", 'application/json')],
    ['body: duplicate keys', (d, c) => {
      const text = stringify(sampled(c));
      rawBody(d, text.length > 2 && text.endsWith('}') ? `${text.slice(0, -1)},"name":null,"name":"vireo-fuzz-dup"}` : text, 'application/json');
    }],
    ['body: 1 MiB + 1', (d) => rawBody(d, `{"vireo-fuzz":"${HUGE}"}`, 'application/json')],
  ];
  for (const [name, apply] of whole) out.push({ name, apply });
  for (const ct of UNSUPPORTED_TYPES) out.push({ name: `body: content type ${ct}`, apply: (d, c) => rawBody(d, stringify(sampled(c)), ct) });
  return out;
}

function pathMutators(t: Target): Mutator[] {
  const out: Mutator[] = [];
  for (const name of t.pathParams) {
    for (const value of BAD_PARAM_VALUES) {
      out.push({ name: `params.${name} = ${JSON.stringify(value.slice(0, 24))}${value.length > 24 ? `...(${value.length})` : ''}`, apply: (d) => (d.params[name] = { value, raw: false }) });
    }
    for (const value of RAW_PATH_JUNK) {
      out.push({ name: `params.${name} raw ${JSON.stringify(value.slice(0, 24))}`, apply: (d) => (d.params[name] = { value, raw: true }) });
    }
    out.push({ name: `params.${name}: unknown`, apply: (d, c) => (d.params[name] = { value: unknownValue(c, name, t.paramSchemas.get(name)), raw: false }) });
    if (/uuid/i.test(name)) {
      out.push({ name: `params.${name}: bad UUID`, apply: (d, c) => {
        const u = c.rng.uuid();
        d.params[name] = { value: c.rng.pick([`{${u}}`, `${u}0`, u.slice(0, -1), u.replace(/-/g, '--'), u.toUpperCase().replace('A', 'G'), `urn:uuid:${u}`]), raw: false };
      } });
    }
  }
  return out;
}

function queryMutators(t: Target): Mutator[] {
  const out: Mutator[] = [];
  for (const q of t.query) {
    for (const value of BAD_QUERY_VALUES) {
      out.push({ name: `query.${q.name} = ${JSON.stringify(value.slice(0, 16))}`, essential: true, apply: (d) => (d.query = `${encodeURIComponent(q.name)}=${value}`) });
    }
    out.push({ name: `query.${q.name} repeated`, essential: true, apply: (d) => (d.query = `${q.name}=1&${q.name}=2&${q.name}=`) });
  }
  for (const junk of QUERY_JUNK) out.push({ name: `query junk ${junk.slice(0, 32)}`, apply: (d) => (d.query = junk) });
  return out;
}

function headerMutators(): Mutator[] {
  const out: Mutator[] = [];
  out.push({
    name: 'If-Match: the current ETag',
    apply: (d, c) => {
      if (c.current) d.headers['if-match'] = c.current.etag;
    },
  });
  for (const value of [...IF_MATCH_JUNK, ...BOGUS_ETAGS]) out.push({ name: `If-Match ${JSON.stringify(value.slice(0, 20))}`, apply: (d) => (d.headers['if-match'] = value) });
  for (const extra of MISC_HEADERS) out.push({ name: `header ${Object.keys(extra).join('+')}`, apply: (d) => Object.assign(d.headers, extra) });
  for (const origin of BAD_ORIGINS) out.push({ name: `Origin ${JSON.stringify(origin)}`, apply: (d) => (d.headers['origin'] = origin) });
  out.push({ name: 'Origin: same site', apply: (d) => (d.headers['origin'] = 'https://localhost:80') });
  out.push({ name: 'no CSRF token', apply: (d) => delete d.headers['x-csrf-token'] });
  out.push({ name: 'wrong CSRF token', apply: (d, c) => (d.headers['x-csrf-token'] = c.rng.hex(43)) });
  out.push({ name: "the other user's CSRF token", apply: (d, c) => (d.headers['x-csrf-token'] = d.who === 'viewer' ? c.creds.admin.csrf : c.creds.viewer.csrf) });
  out.push({ name: 'CSRF token 64 KiB', apply: (d) => (d.headers['x-csrf-token'] = LONG[2]!) });
  return out;
}

function authMutators(): Mutator[] {
  const out: Mutator[] = [
    { name: 'anonymous', apply: (d, c) => setWho(d, 'anonymous', c) },
    { name: 'viewer', apply: (d, c) => setWho(d, 'viewer', c) },
    { name: 'API token', apply: (d, c) => setWho(d, 'admin-token', c) },
  ];
  const junkAuth = ['Bearer', 'Bearer ', 'Bearer vireo-fuzz-not-a-token', 'Basic YWRtaW46YWRtaW4=', 'Bearer a b', `Bearer ${'x'.repeat(10_000)}`, 'Negotiate \u0000'];
  for (const value of junkAuth) out.push({ name: `Authorization ${JSON.stringify(value.slice(0, 24))}`, apply: (d) => (d.headers['authorization'] = value) });
  const junkCookies = (name: string) => [`${name}=vireo-fuzz-garbage`, `${name}=`, `${name}="\u0000"`, `${name}=${'x'.repeat(10_000)}`, `${name}=%zz`, 'vireo_session=x; other=1', `${'a=b; '.repeat(500)}`];
  out.push({ name: 'cookie junk', apply: (d, c) => (d.headers['cookie'] = c.rng.pick(junkCookies(c.creds.cookieName))) });
  out.push({ name: 'cookie junk appended', apply: (d, c) => (d.headers['cookie'] = `${d.headers['cookie'] ?? ''}; ${c.rng.pick(junkCookies(c.creds.cookieName))}`) });
  return out;
}

function methodMutators(t: Target, ctx: GenContext): Mutator[] {
  const registered = ctx.methodsByPattern.get(t.pattern) ?? new Set<string>();
  return [...STANDARD_METHODS, ...WEIRD_METHODS]
    .filter((m) => !registered.has(m))
    .map((m) => ({
      name: `method ${m}`,
      apply: (d: Draft, c: GenContext) => {
        d.method = m;
        setWho(d, d.who, c);
      },
    }));
}

export function mutatorsFor(t: Target, ctx: GenContext): Mutator[] {
  return [...bodyMutators(t, ctx), ...pathMutators(t), ...queryMutators(t), ...headerMutators(), ...authMutators(), ...methodMutators(t, ctx)];
}

// ------------------------------------------------------------------ plans

function pickWho(rng: Rng): Who {
  const r = rng.float();
  return r < 0.6 ? 'admin' : r < 0.75 ? 'admin-token' : r < 0.875 ? 'viewer' : 'anonymous';
}

/** A request with every defect of one mutator, as an admin (session or token). */
export function systematic(t: Target, m: Mutator, n: number, ctx: GenContext): FuzzRequest {
  const d = newDraft(t, ctx.rng.chance(0.25) ? 'admin-token' : 'admin', ctx);
  m.apply(d, ctx);
  d.what.push(m.name);
  return finish(d, n, ctx);
}

/** A request combining one to three random defects, from a random principal. */
export function randomized(t: Target, mutators: readonly Mutator[], n: number, ctx: GenContext): FuzzRequest {
  const d = newDraft(t, pickWho(ctx.rng), ctx);
  const count = ctx.rng.int(1, 3);
  for (let i = 0; i < count; i++) {
    const m = ctx.rng.pick(mutators);
    m.apply(d, ctx);
    d.what.push(m.name);
  }
  if (d.who !== 'anonymous') d.what.unshift(`as ${d.who}`);
  return finish(d, n, ctx);
}

/** A request that only names things that do not exist (or is a read): it goes all the way to the service. */
export function deepReach(t: Target, n: number, ctx: GenContext): FuzzRequest {
  const d = newDraft(t, ctx.rng.chance(0.5) ? 'admin-token' : 'admin', ctx);
  d.what.push(SAFE_METHODS.has(t.method) ? 'valid read' : 'valid change of something that does not exist');
  return finish(d, n, ctx);
}
