// The fetch wrapper: JSON, the CSRF header on changes only, problem+json as ApiError, 401 to the handler.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiFetch, parseProblem, setCsrfToken, setUnauthorizedHandler } from '../../src/api/client.js';

const fetchMock = vi.fn<typeof fetch>();

function respond(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': contentType },
  });
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  setCsrfToken('tok-123');
});
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setUnauthorizedHandler(null);
});

function headersOf(call: number): Record<string, string> {
  return fetchMock.mock.calls[call]![1]!.headers as Record<string, string>;
}

describe('apiFetch', () => {
  it('sends same-origin credentials and no CSRF header on GET', async () => {
    fetchMock.mockResolvedValueOnce(respond(200, { ok: 1 }));
    await expect(apiFetch('/api/v1/hosts')).resolves.toEqual({ ok: 1 });
    const init = fetchMock.mock.calls[0]![1]!;
    expect(init.credentials).toBe('same-origin');
    expect(init.method).toBe('GET');
    expect(headersOf(0)['x-csrf-token']).toBeUndefined();
  });

  it('sends the CSRF token and a JSON body on changes', async () => {
    fetchMock.mockResolvedValueOnce(respond(204, undefined));
    await expect(apiFetch('/api/v1/x', { method: 'POST', body: { a: 1 } })).resolves.toBeUndefined();
    expect(headersOf(0)['x-csrf-token']).toBe('tok-123');
    expect(headersOf(0)['content-type']).toBe('application/json');
    expect(fetchMock.mock.calls[0]![1]!.body).toBe('{"a":1}');
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      fetchMock.mockResolvedValueOnce(respond(204, undefined));
      await apiFetch('/api/v1/x', { method });
    }
    expect([1, 2, 3].map((i) => headersOf(i)['x-csrf-token'])).toEqual(['tok-123', 'tok-123', 'tok-123']);
  });

  it('turns problem+json into an ApiError with status, detail, fields and libvirt error', async () => {
    fetchMock.mockResolvedValueOnce(
      respond(
        400,
        {
          type: 'urn:vireo:problem:validation',
          title: 'Bad Request',
          status: 400,
          detail: 'invalid body',
          instance: '/api/v1/x',
          requestId: 'r-1',
          errors: [{ field: 'body.name', reason: 'too long' }, { bogus: true }],
          libvirt: { code: 8, domain: 10, message: 'invalid argument' },
        },
        'application/problem+json',
      ),
    );
    const err = await apiFetch('/api/v1/x', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(400);
    expect(e.type).toBe('urn:vireo:problem:validation');
    expect(e.detail).toBe('invalid body');
    expect(e.message).toBe('invalid body');
    expect(e.fields).toEqual([{ field: 'body.name', reason: 'too long' }]);
    expect(e.requestId).toBe('r-1');
    expect(e.libvirt?.message).toBe('invalid argument');
  });

  it('copes with a body that is not a problem', () => {
    expect(parseProblem(502, 'Bad Gateway', '<html>')).toEqual({ title: 'Bad Gateway', detail: '<html>' });
    expect(parseProblem(500, '', undefined)).toEqual({ title: 'HTTP 500' });
  });

  it('calls the unauthorized handler on a 401, unless the caller handles it', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    fetchMock.mockImplementation(() => Promise.resolve(respond(401, { type: 'urn:vireo:problem:unauthenticated', title: 'Unauthorized', status: 401 })));
    await expect(apiFetch('/api/v1/hosts')).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(apiFetch('/api/v1/session', { method: 'POST', skipUnauthorizedHandler: true })).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('does not call the handler for other errors', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    fetchMock.mockImplementation(() => Promise.resolve(respond(403, { title: 'Forbidden', status: 403 })));
    await expect(apiFetch('/api/v1/users')).rejects.toMatchObject({ status: 403, title: 'Forbidden' });
    expect(handler).not.toHaveBeenCalled();
  });
});
