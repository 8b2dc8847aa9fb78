import type { FieldError, Problem } from '@vireo/api';

/** A failed API call: the server's problem+json (status, title, detail, field errors, libvirt's error) when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fields: FieldError[];
  readonly requestId: string | undefined;
  readonly libvirt: Problem['libvirt'];

  constructor(status: number, problem: Partial<Problem>) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.type = problem.type ?? 'about:blank';
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail;
    this.fields = problem.errors ?? [];
    this.requestId = problem.requestId;
    this.libvirt = problem.libvirt;
  }
}

/** Turns a response body into problem fields; anything that is not a problem object becomes a bare title. */
export function parseProblem(status: number, statusText: string, body: unknown): Partial<Problem> {
  if (body !== null && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    const problem: Partial<Problem> = {};
    if (typeof o['type'] === 'string') problem.type = o['type'];
    if (typeof o['title'] === 'string') problem.title = o['title'];
    if (typeof o['detail'] === 'string') problem.detail = o['detail'];
    if (typeof o['requestId'] === 'string') problem.requestId = o['requestId'];
    if (Array.isArray(o['errors'])) {
      problem.errors = (o['errors'] as unknown[]).filter(
        (e): e is FieldError =>
          e !== null && typeof e === 'object' && typeof (e as FieldError).field === 'string' && typeof (e as FieldError).reason === 'string',
      );
    }
    if (o['libvirt'] !== null && typeof o['libvirt'] === 'object') problem.libvirt = o['libvirt'] as Problem['libvirt'];
    if (problem.title !== undefined || problem.detail !== undefined) return problem;
  }
  if (typeof body === 'string' && body.length > 0 && body.length < 500) return { title: statusText || `HTTP ${status}`, detail: body };
  return { title: statusText || `HTTP ${status}` };
}

type UnauthorizedHandler = (error: ApiError) => void;

let csrfToken: string | null = null;
let onUnauthorized: UnauthorizedHandler | null = null;

/** The session's CSRF token, sent as `x-csrf-token` on every change (set at sign-in and by GET /session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Called for any 401 (except from the sign-in call itself): the app sends the user to sign-in. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Leave a 401 to the caller (sign-in: a wrong password is not an expired session). */
  skipUnauthorizedHandler?: boolean;
}

/**
 * The one fetch wrapper: same-origin credentials, JSON in and out, the CSRF header on changes, problem+json
 * errors as `ApiError`. Resolves to the parsed JSON body, or `undefined` for an empty one (204).
 */
export async function apiFetch<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  if (options.signal) init.signal = options.signal;

  const response = await fetch(path, init);
  const text = await response.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, parseProblem(response.status, response.statusText, body));
    if (response.status === 401 && !options.skipUnauthorizedHandler) onUnauthorized?.(error);
    throw error;
  }
  return body as T;
}
