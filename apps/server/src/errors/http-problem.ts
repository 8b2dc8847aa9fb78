import { ProblemType, type FieldError } from '@vireo/api';

/**
 * An error meant for the client, thrown by routes, services and hooks: its title and detail are shown as they
 * are, so they must never carry secrets or internals. Anything else thrown becomes a bare 500.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  /** Headers the response must carry, such as Retry-After. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    title: string,
    options: {
      detail?: string;
      type?: string;
      errors?: FieldError[];
      headers?: Record<string, string>;
    } = {},
  ) {
    super(options.detail ? `${title}: ${options.detail}` : title);
    this.status = status;
    this.title = title;
    this.type = options.type ?? ProblemType.blank;
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export const unauthenticated = (detail = 'sign in, or send an API token as "Authorization: Bearer <token>"') =>
  new HttpProblem(401, 'Unauthorized', { type: ProblemType.unauthenticated, detail });

export const forbidden = (detail: string, type: string = ProblemType.forbidden) =>
  new HttpProblem(403, 'Forbidden', { type, detail });

export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', { detail });

export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', { type: ProblemType.conflict, detail });

export const badRequest = (detail: string) => new HttpProblem(400, 'Bad Request', { detail });

export const tooManyRequests = (retryAfterSeconds: number, detail: string) =>
  new HttpProblem(429, 'Too Many Requests', {
    type: ProblemType.rateLimited,
    detail,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
