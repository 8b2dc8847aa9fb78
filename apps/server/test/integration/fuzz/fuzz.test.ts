// THE fuzz test (issue 4, section 8): at least 10,000 generated bad requests across every route the app
// registers (enumerated at run time from its onRoute record, with input schemas from the OpenAPI document,
// so routes added later are fuzzed unasked), as an admin (session + CSRF, or API token), a viewer and nobody.
// Asserts: no 5xx; every error is problem+json with the request id and no stack trace or server path; every
// change request refused; libvirt exactly as before (and nothing named like a fuzz input created); the app's
// users, tokens and sessions intact; no prototype polluted.
//
// A change request is only ever sent with a reason the server must refuse it (claims.ts): a bad origin, no
// CSRF token, an unparsable or schema-invalid body, an unknown host or UUID, a stale If-Match, malformed XML...
// Probe routes carrying the contract's domain schemas (probes.ts) check those reasons hold: a probe handler
// reached by a request claimed to stop before it fails the test. A tiny defined (never started) domain gives
// the domain routes a real UUID, and its current ETag lets XML replacements get as far as the XML parser.
//
// Deterministic: VIREO_FUZZ_SEED picks the seed (printed); VIREO_FUZZ_REQUESTS the total (default 12,000);
// VIREO_FUZZ_REPORT=<file> writes every finding there.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDomainXml, mib } from '@vireo/libvirt-xml';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../../src/security/cookies.js';
import { addUser, ADMIN_PASSWORD, login, startHarness, tmpDir, type Harness, type SignedIn } from '../../helpers/harness.js';
import { daemonAvailable, domainType, LIBVIRT_URI, uniqueName, virsh } from '../../../../../packages/libvirt/test/support/libvirt.js';
import { buildCatalog, isMutation, type Target } from './catalog.js';
import { normalise, PRE_HANDLER, type Stage, type World } from './claims.js';
import { differences, FUZZ_PREFIX, OTHER_SUITES, snapshot, type LibvirtSnapshot } from './libvirt-state.js';
import { PROBE_PREFIX, probeRoutes, type ProbeHit } from './probes.js';
import { Rng } from './prng.js';
import { deepReach, mutatorsFor, randomized, systematic, type FuzzRequest, type GenContext, type Mutator } from './requests.js';
import { isObject, SchemaContext } from './schema.js';

const SEED = Number(process.env['VIREO_FUZZ_SEED'] ?? 0x5eed_4f22);
const TOTAL = Math.max(10_000, Number(process.env['VIREO_FUZZ_REQUESTS'] ?? 12_000));
/**
 * Systematic requests per route: every body field's wrong types and absence always, other defects up to this
 * many in all (but at least SYSTEMATIC_OTHERS_MIN of them): a big create schema has more than that; the rest
 * are sampled.
 */
const SYSTEMATIC_CAP = 700;
const SYSTEMATIC_OTHERS_MIN = 250;
/** Requests per route that name only things that do not exist (or read), so they reach the service. */
const DEEP_PER_ROUTE = 12;
/** Random combinations per route, at least. */
const RANDOM_MIN_PER_ROUTE = 40;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
/** What a leaked stack trace or server file path looks like; fuzz inputs never contain these. */
const LEAKS: readonly RegExp[] = [/\n\s*at \S/, / {4}at \S/, /node_modules/, /node:internal/, /\.(?:ts|js|mjs|cjs):\d+/, new RegExp(REPO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))];

/** The test libvirtd's pid (when scripts/libvirt-daemons.sh started it), to tell a restart during the run. */
function daemonPid(): string | null {
  const file = process.env['VIREO_TEST_LIBVIRTD_PIDFILE'];
  try {
    return file ? readFileSync(file, 'utf8').trim() : null;
  } catch {
    return null;
  }
}

interface Finding {
  n: number;
  route: string;
  request: string;
  response: string;
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}...(${text.length} chars)` : text);

function describeRequest(req: FuzzRequest): string {
  const headers = Object.entries(req.headers)
    .filter(([k]) => k !== 'cookie' && k !== 'authorization' && k !== 'x-csrf-token')
    .map(([k, v]) => `${k}: ${clip(v, 80)}`)
    .join(' | ');
  const payload = req.payload === undefined ? '' : clip(typeof req.payload === 'string' ? req.payload : `<${req.payload.length} bytes>`, 200);
  return `#${req.n} ${req.method} ${clip(req.url, 200)} as ${req.who} [${req.what}] claims=${[...req.stages].join(',') || 'none'} headers{${headers}} body=${JSON.stringify(payload)}`;
}

const skipReason = daemonAvailable ? '' : ' (skipped: no libvirtd; start one with scripts/libvirt-daemons.sh start --test)';

describe.skipIf(!daemonAvailable)(`fuzz: generated bad requests across every registered route${skipReason}`, () => {
  const hits: ProbeHit[] = [];
  let h: Harness;
  let admin: SignedIn;
  let viewer: SignedIn;
  let adminToken: { id: string; token: string };
  let doc: unknown;
  let before: LibvirtSnapshot;
  let usersBefore: string;
  let current: GenContext['current'] = null;
  const domain = { name: uniqueName('fuzz'), uuid: '' };

  // Results of the run, asserted by the tests below it.
  const sent = new Map<number, { stages: ReadonlySet<Stage>; line: string }>();
  const coverage = new Map<string, number>();
  const statuses = new Map<number, number>();
  const fiveHundreds: Finding[] = [];
  const badErrors: Finding[] = [];
  const acceptedChanges: Finding[] = [];
  const notSent: Finding[] = [];
  /** Per route and status, how many and a first example (for VIREO_FUZZ_REPORT). */
  const byRouteStatus = new Map<string, { count: number; example: string }>();
  let total = 0;
  let ms = 0;
  let ran = false;

  beforeAll(async () => {
    // A tiny diskless domain, defined not started: a real UUID for domain routes' partially valid input.
    const xmlFile = path.join(tmpDir('vireo-fuzz-'), 'domain.xml');
    writeFileSync(
      xmlFile,
      buildDomainXml({ name: domain.name, type: domainType(), machine: 'pc', memory: mib(32), vcpus: 1, graphics: { type: 'none' }, serialConsole: false, guestAgent: false, memballoon: false, rng: false }),
    );
    await virsh(['define', xmlFile]);
    domain.uuid = (await virsh(['domuuid', domain.name])).trim();
    before = await snapshot(LIBVIRT_URI);

    h = await startHarness({
      config: { libvirtUri: LIBVIRT_URI, login: { attemptsPerMinute: 1_000_000 } },
      deps: { extraRoutes: [probeRoutes(hits)] },
    });
    admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    viewer = await login(h.app, 'vera', await addUser(h, 'vera', 'viewer'));
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin.headers, payload: { name: 'fuzz-admin' } });
    expect(created.statusCode).toBe(201);
    adminToken = created.json<{ id: string; token: string }>();
    const docRes = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(docRes.statusCode).toBe(200);
    doc = docRes.json<unknown>();
    usersBefore = (await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: admin.headers })).body;
    // The domain's current revision, where the app serves it, so changes can be based on it (and fail later).
    const detail = await h.app.inject({ method: 'GET', url: `/api/v1/hosts/local/domains/${domain.uuid}`, headers: admin.headers });
    const body = detail.statusCode === 200 ? detail.json<unknown>() : null;
    if (isObject(body) && typeof body['etag'] === 'string' && typeof body['xml'] === 'string') current = { etag: body['etag'], xml: body['xml'] };
  });

  afterAll(async () => {
    // VIREO_FUZZ_REPORT=<file>: every finding, not just the first few the assertions show.
    const reportFile = process.env['VIREO_FUZZ_REPORT'];
    if (reportFile) writeFileSync(reportFile, JSON.stringify({ seed: SEED, total, ms, fiveHundreds, badErrors, acceptedChanges, notSent, probeHits: hits.length, byRouteStatus: Object.fromEntries(byRouteStatus) }, null, 1));
    await h?.close();
    // The test's own domain, then anything a fuzz request created (a test above fails if so).
    await virsh(['undefine', domain.name]).catch(() => '');
    const after = await snapshot(LIBVIRT_URI).catch(() => null);
    for (const [uuid, d] of after?.domains ?? []) {
      if (d.name.startsWith(FUZZ_PREFIX)) {
        await virsh(['destroy', uuid]).catch(() => '');
        await virsh(['undefine', '--nvram', uuid]).catch(() => virsh(['undefine', uuid]).catch(() => ''));
      }
    }
    for (const name of after?.networks.keys() ?? []) {
      if (name.startsWith(FUZZ_PREFIX)) {
        await virsh(['net-destroy', name]).catch(() => '');
        await virsh(['net-undefine', name]).catch(() => '');
      }
    }
    for (const name of after?.pools.keys() ?? []) {
      if (name.startsWith(FUZZ_PREFIX)) {
        await virsh(['pool-destroy', name]).catch(() => '');
        await virsh(['pool-undefine', name]).catch(() => '');
      }
    }
  });

  function check(req: FuzzRequest, res: LightMyRequestResponse): void {
    const status = res.statusCode;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const rs = `${req.target.method} ${req.target.pattern} -> ${status}`;
    const seen = byRouteStatus.get(rs);
    if (seen) seen.count++;
    else byRouteStatus.set(rs, { count: 1, example: `${describeRequest(req)} => ${clip(res.body, 200)}` });
    const finding = () => ({ n: req.n, route: `${req.method} ${req.target.pattern}`, request: describeRequest(req), response: `${status} ${String(res.headers['content-type'])} ${clip(res.body, 400)}` });
    if (status >= 500) fiveHundreds.push(finding());
    if (isMutation(req.method) && status < 400) acceptedChanges.push(finding());
    if (status < 400) return;
    const requestId = res.headers['x-request-id'];
    const problems: string[] = [];
    if (typeof requestId !== 'string' || requestId === '' || requestId.includes('fuzz')) problems.push(`x-request-id ${String(requestId)}`);
    if (req.method !== 'HEAD') {
      if (!String(res.headers['content-type']).startsWith('application/problem+json')) problems.push('not problem+json');
      let body: unknown = null;
      try {
        body = JSON.parse(res.body);
      } catch {
        problems.push('body is not JSON');
      }
      if (body !== null) {
        if (!isObject(body)) problems.push('body is not an object');
        else {
          if (body['requestId'] !== requestId) problems.push(`requestId ${String(body['requestId'])} != header`);
          if (body['status'] !== status) problems.push(`status field ${String(body['status'])}`);
          if (typeof body['type'] !== 'string' || typeof body['title'] !== 'string') problems.push('no type/title');
        }
      }
      const leak = LEAKS.find((re) => re.test(res.body));
      if (leak) problems.push(`leaks ${String(leak)}`);
    }
    if (problems.length > 0) badErrors.push({ ...finding(), response: `${problems.join(', ')}: ${finding().response}` });
  }

  it(`sends at least ${TOTAL} generated bad requests to every route, none answered with a 5xx`, async () => {
    const rng = new Rng(SEED);
    console.log(`fuzz: seed ${SEED} (set VIREO_FUZZ_SEED to replay another), ${TOTAL} requests wanted`);
    const schemas = new SchemaContext(doc);
    const targets: Target[] = buildCatalog(h.routes, doc, (p) => p.startsWith(PROBE_PREFIX));
    const methodsByPattern = new Map<string, Set<string>>();
    for (const t of targets) methodsByPattern.set(t.pattern, (methodsByPattern.get(t.pattern) ?? new Set()).add(t.method));

    const known = new Set<string>(['local', 'admin', 'vera', adminToken.id, domain.uuid, domain.name].map(normalise));
    for (const [uuid, d] of before.domains) known.add(normalise(uuid)).add(normalise(d.name));
    for (const name of [...before.networks.keys(), ...before.pools.keys()]) known.add(normalise(name));
    for (const t of targets) {
      for (const s of t.paramSchemas.values()) for (const e of schemas.resolve(s)?.enum ?? []) known.add(normalise(String(e)));
    }
    const world: World = {
      targets,
      schemas,
      cookieName: sessionCookieName(false),
      sessions: new Map([
        [admin.cookie.split('=').slice(1).join('='), { role: 'admin', csrf: admin.csrf }],
        [viewer.cookie.split('=').slice(1).join('='), { role: 'viewer', csrf: viewer.csrf }],
      ]),
      tokens: new Map([[adminToken.token, { role: 'admin' }]]),
      selfOrigin: 'https://localhost:80',
      known,
    };
    const ctx: GenContext = {
      rng,
      schemas,
      world,
      creds: {
        cookieName: world.cookieName,
        admin: { cookie: admin.cookie.split('=').slice(1).join('='), csrf: admin.csrf },
        viewer: { cookie: viewer.cookie.split('=').slice(1).join('='), csrf: viewer.csrf },
        adminToken: adminToken.token,
      },
      existing: { host: ['local'], uuid: [domain.uuid], name: ['admin', 'vera', domain.name], id: [adminToken.id] },
      methodsByPattern,
      current,
    };
    console.log(`fuzz: ${current ? 'changes can carry the test domain\'s current ETag' : 'no domain detail route: no current ETag'}`);

    const send = async (req: FuzzRequest) => {
      total++;
      const key = `${req.target.method} ${req.target.pattern}`;
      coverage.set(key, (coverage.get(key) ?? 0) + 1);
      sent.set(req.n, { stages: req.stages, line: describeRequest(req) });
      let res: LightMyRequestResponse;
      try {
        res = await h.app.inject({ method: req.method, url: req.url, headers: req.headers, ...(req.payload === undefined ? {} : { payload: req.payload }) });
      } catch (err) {
        notSent.push({ n: req.n, route: key, request: describeRequest(req), response: `inject threw: ${String(err)}` });
        return;
      }
      check(req, res);
    };

    const pidBefore = daemonPid();
    const started = performance.now();
    let n = 0;
    const mutators = new Map<Target, Mutator[]>();
    for (const t of targets) {
      const all = mutatorsFor(t, ctx);
      mutators.set(t, all);
      // Every wrong type and missing field of every body field; of the other defects, a sample without
      // replacement when there are more than the cap (deterministic through the seed).
      const chosen = all.filter((m) => m.essential === true);
      const pool = all.filter((m) => m.essential !== true);
      const quota = Math.max(SYSTEMATIC_CAP - chosen.length, SYSTEMATIC_OTHERS_MIN);
      for (let i = 0; pool.length > 0 && i < quota; i++) chosen.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
      for (const m of chosen) await send(systematic(t, m, n++, ctx));
      for (let i = 0; i < DEEP_PER_ROUTE; i++) await send(deepReach(t, n++, ctx));
      for (let i = 0; i < RANDOM_MIN_PER_ROUTE; i++) await send(randomized(t, all, n++, ctx));
    }
    while (n < TOTAL) {
      const t = rng.pick(targets);
      await send(randomized(t, mutators.get(t)!, n++, ctx));
    }
    ms = performance.now() - started;
    ran = true;
    const pidAfter = daemonPid();
    // Another suite killing the shared libvirtd mid-run makes 503s right; say so rather than leave it a puzzle.
    const restarted = pidBefore !== pidAfter ? ` (libvirtd was restarted during the run, pid ${pidBefore} -> ${pidAfter}: by another suite?)` : '';

    const real = targets.filter((t) => !t.probe);
    console.log(
      `fuzz: ${total} requests in ${(ms / 1000).toFixed(1)} s over ${real.length} routes (+${targets.length - real.length} probe routes); ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; ${hits.length} reached a probe's handler; seed ${SEED}`,
    );
    console.log(`fuzz: per route ${JSON.stringify(Object.fromEntries(coverage))}`);
    expect(total).toBeGreaterThanOrEqual(10_000);
    for (const t of targets) expect(coverage.get(`${t.method} ${t.pattern}`) ?? 0, `${t.method} ${t.pattern}`).toBeGreaterThan(0);
    expect(notSent.slice(0, 20), 'requests inject refused to send').toEqual([]);
    expect(fiveHundreds.slice(0, 20), `${fiveHundreds.length} responses with status >= 500 (seed ${SEED})${restarted}`).toEqual([]);
  }, 180_000);

  it('answers every error with problem+json carrying the request id, with no stack trace or server path', () => {
    expect(ran).toBe(true);
    // One example per kind of defect and route, so a systematic bug reads as one line, not hundreds.
    const kinds = new Map<string, { count: number; example: Finding }>();
    for (const f of badErrors) {
      const key = `${f.response.split(':', 1)[0]} <- ${f.route}`;
      const k = kinds.get(key);
      if (k) k.count++;
      else kinds.set(key, { count: 1, example: f });
    }
    expect(
      [...kinds].map(([key, k]) => ({ kind: `${key} (${k.count}x)`, example: k.example })).slice(0, 30),
      `${badErrors.length} malformed error responses (seed ${SEED})`,
    ).toEqual([]);
  });

  it('refuses every change request (each was sent only with a reason it must be refused)', () => {
    expect(ran).toBe(true);
    expect(acceptedChanges.slice(0, 20), `${acceptedChanges.length} changes accepted (seed ${SEED})`).toEqual([]);
  });

  it('reaches handlers only with requests that pass every check before them (the fuzzer holds its promise)', () => {
    expect(ran).toBe(true);
    const broken = hits.filter((hit) => [...(sent.get(hit.n)?.stages ?? [])].some((s) => PRE_HANDLER.has(s)) || !sent.has(hit.n));
    expect(broken.map((hit) => `${hit.method} ${hit.route}: ${sent.get(hit.n)?.line ?? `unknown request ${hit.n}`}`).slice(0, 20)).toEqual([]);
    // And the partially valid requests do get through to the handlers that take parameters.
    const reached = new Set(hits.map((hit) => `${hit.method} ${hit.route}`));
    const expected = [...coverage.keys()].filter((k) => k.includes(PROBE_PREFIX) && k.includes('/:') && !k.startsWith('HEAD') && !k.includes('socket'));
    expect(expected.filter((k) => !reached.has(k))).toEqual([]);
  });

  it("leaves libvirt's state as it was: every object unchanged, nothing named like a fuzz input created", async () => {
    expect(ran).toBe(true);
    const after = await snapshot(LIBVIRT_URI);
    // Other suites may define and remove their own objects meanwhile: of those, only ours matters.
    const diff = differences(before, after, (name) => name === domain.name || !OTHER_SUITES.some((prefix) => name.startsWith(prefix)));
    expect(diff).toEqual([]);
    expect(after.domains.get(domain.uuid)).toEqual(before.domains.get(domain.uuid));
  });

  it("leaves the app's users, sessions and tokens as they were, and no prototype polluted", async () => {
    expect(ran).toBe(true);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: admin.headers })).body).toBe(usersBefore);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: viewer.cookie } })).statusCode).toBe(200);
    const tokens = await h.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { authorization: `Bearer ${adminToken.token}` } });
    expect(tokens.statusCode).toBe(200);
    expect(tokens.json<{ tokens: { id: string }[] }>().tokens.map((t) => t.id)).toEqual([adminToken.id]);
    const probe: Record<string, unknown> = {};
    expect([probe['polluted'], probe['isAdmin']]).toEqual([undefined, undefined]);
  });
});
