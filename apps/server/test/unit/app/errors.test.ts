import { ConnectionClosedError, ErrorCode, LibvirtError } from '@vireo/libvirt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodApp } from '../../../src/routes/route-module.js';
import { makeRemoteError } from '../../../../../packages/libvirt/test/support/mock-daemon.js';
import { ADMIN_PASSWORD, login, startHarness, type Harness } from '../../helpers/harness.js';

function libvirtError(code: number, message: string): LibvirtError {
  return new LibvirtError(makeRemoteError({ code, domain: 10, message }), 'domainCreate', 'qemu:///system');
}

const SECRET = 'secret detail /etc/shadow';

/** Routes that fail on purpose, declared like real ones. */
function probeRoutes(r: ZodApp): void {
  const open = { auth: { public: true as const } };
  r.get('/api/v1/test/libvirt/:code', { config: open, schema: { params: z.object({ code: z.coerce.number().int() }) } }, (request) => {
    throw libvirtError(request.params.code, `libvirt says ${request.params.code}`);
  });
  r.get('/api/v1/test/closed', { config: open }, () => {
    throw new ConnectionClosedError('connection to qemu:///system closed');
  });
  r.get('/api/v1/test/boom', { config: open }, () => {
    throw new Error(SECRET);
  });
  r.get('/api/v1/test/bad-output', { config: open, schema: { response: { 200: z.object({ n: z.number() }) } } }, () =>
    // Deliberately breaks the route's own response schema.
    JSON.parse(`{"n": "${SECRET}"}`) as { n: number },
  );
  r.post(
    '/api/v1/test/echo',
    { config: open, schema: { body: z.object({ count: z.number().int(), name: z.string().max(3) }), querystring: z.object({ q: z.enum(['a', 'b']).optional() }) } },
    (request) => request.body,
  );
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ deps: { extraRoutes: [probeRoutes] } });
});
afterAll(async () => {
  await h.close();
});

describe('the error mapper', () => {
  it('maps validation errors to 400 with each field and reason', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/test/echo?q=c', payload: { count: 1, name: 'abc' } });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ type: string; errors: { field: string; reason: string }[] }>();
    expect(body.type).toBe('urn:vireo:problem:validation');
    expect(body.errors).toEqual([{ field: 'querystring.q', reason: expect.stringMatching(/"a"\|"b"/) as unknown }]);

    const bodyOnly = await h.app.inject({ method: 'POST', url: '/api/v1/test/echo', payload: { count: 1.5, name: 'long' } });
    expect(bodyOnly.json<{ errors: { field: string }[] }>().errors.map((e) => e.field).sort()).toEqual(['body.count', 'body.name']);
  });

  it('maps malformed JSON and a wrong media type to 4xx problems', async () => {
    const truncated = await h.app.inject({ method: 'POST', url: '/api/v1/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"count": 1' });
    expect(truncated.statusCode).toBe(400);
    expect(truncated.headers['content-type']).toContain('application/problem+json');
    const xml = await h.app.inject({ method: 'POST', url: '/api/v1/test/echo', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no route GET /api/v1/nope',
      instance: '/api/v1/nope',
      requestId: res.headers['x-request-id'],
    });
  });

  it.each([
    [ErrorCode.NO_DOMAIN, 404],
    [ErrorCode.NO_NETWORK, 404],
    [ErrorCode.OPERATION_INVALID, 409],
    [ErrorCode.DOM_EXIST, 409],
    [ErrorCode.XML_ERROR, 400],
    [ErrorCode.OPERATION_UNSUPPORTED, 501],
    [ErrorCode.OPERATION_TIMEOUT, 504],
    [ErrorCode.INTERNAL_ERROR, 500],
  ])('maps libvirt error code %i to %i with libvirt\'s code and message', async (code, status) => {
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/test/libvirt/${code}` });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ status, detail: `libvirt says ${code}`, libvirt: { code, domain: 10, message: `libvirt says ${code}` } });
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('maps a closed libvirt connection to 503 with Retry-After', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/test/closed' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ type: 'urn:vireo:problem:libvirt-unavailable', title: 'libvirt unavailable' });
  });

  it.each([
    ['/api/v1/test/boom', SECRET],
    ['/api/v1/test/bad-output', "Response doesn't match the schema"],
  ])('says only "internal error" and the request id in a 500 (%s), and logs the rest', async (url, logged) => {
    {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(500);
      const requestId = String(res.headers['x-request-id']);
      expect(res.json()).toEqual({
        type: 'urn:vireo:problem:internal',
        title: 'Internal Server Error',
        status: 500,
        detail: `internal error (request id ${requestId})`,
        instance: url,
        requestId,
      });
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain('stack');
      const lines = h.logs.filter((l) => l.requestId === requestId && l.msg === 'internal error');
      expect(lines).toHaveLength(1);
      expect(JSON.stringify(lines[0])).toContain(logged);
    }
  });
});

describe('request ids and headers', () => {
  it('puts a fresh request id on every response and in the log, ignoring one sent by the client', async () => {
    const a = await h.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'forged' } });
    const b = await h.app.inject({ method: 'GET', url: '/api/v1/health' });
    const ida = String(a.headers['x-request-id']);
    expect(ida).toMatch(/^[0-9a-f-]{36}$/);
    expect(ida).not.toBe(String(b.headers['x-request-id']));
    expect(h.logs.some((l) => l.requestId === ida && l.msg === 'request completed')).toBe(true);
  });

  it('sends security headers and a strict CSP', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('never logs credentials', async () => {
    await h.app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { cookie: '__Host-vireo_session=topsecretcookie', authorization: 'Bearer topsecrettoken' },
    });
    const text = JSON.stringify(h.logs);
    expect(text).not.toContain('topsecretcookie');
    expect(text).not.toContain('topsecrettoken');
  });
});

describe('API documentation', () => {
  it('publishes OpenAPI at /api/docs/json with the routes and their schemas', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/session', '/api/v1/users/{name}', '/api/v1/tokens', '/api/v1/audit']));
    expect(JSON.stringify(doc.paths['/api/v1/session']?.post?.requestBody)).toContain('username');
    const ui = await h.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('documents an optional body as optional (DELETE domain), and a needed one as required', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, Record<string, Record<string, unknown> & { requestBody?: { required?: boolean } }>>;
    }>();
    const del = doc.paths['/api/v1/hosts/{host}/domains/{uuid}']?.delete;
    expect(del?.requestBody?.required).toBe(false);
    expect(JSON.stringify(del?.requestBody)).toContain('volumes');
    // The internal mark that carried the flag does not reach the published document.
    expect(Object.keys(del ?? {}).filter((k) => k.startsWith('x-'))).toEqual([]);
    expect(doc.paths['/api/v1/session']?.post?.requestBody?.required).toBe(true);
    expect(doc.paths['/api/v1/hosts/{host}/domains/{uuid}/xml']?.put?.requestBody?.required).toBe(true);
  });

  it('validates DELETE domain without a body (the handler is reached) and refuses a malformed one', async () => {
    const admin = await login(h.app, 'admin', ADMIN_PASSWORD);
    const url = '/api/v1/hosts/nohost/domains/00000000-0000-4000-8000-000000000001';
    // No such host: a 404 from the handler, not a 400 from validation, shows the absent body passed.
    const bare = await h.app.inject({ method: 'DELETE', url, headers: admin.headers });
    expect(bare.statusCode, bare.body).toBe(404);
    const nullBody = await h.app.inject({ method: 'DELETE', url, headers: { ...admin.headers, 'content-type': 'application/json' }, payload: 'null' });
    expect(nullBody.statusCode, nullBody.body).toBe(404);
    const bad = await h.app.inject({ method: 'DELETE', url, headers: admin.headers, payload: { volumes: 'all' } });
    expect(bad.statusCode, bad.body).toBe(400);
  });
});
