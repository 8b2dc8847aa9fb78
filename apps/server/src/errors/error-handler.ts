import { ProblemType, type FieldError, type Problem } from '@vireo/api';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, ResponseSerializationError } from 'fastify-type-provider-zod';
import { HttpProblem } from './http-problem.js';
import { mapLibvirtError } from './libvirt-status.js';

const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

function instanceOf(request: FastifyRequest): string {
  const path = request.url.split('?', 1)[0] ?? '/';
  return path.length > 512 ? `${path.slice(0, 512)}...` : path;
}

function problem(request: FastifyRequest, fields: Omit<Problem, 'instance' | 'requestId'>): Problem {
  return { ...fields, instance: instanceOf(request), requestId: request.id };
}

function sendProblem(reply: FastifyReply, body: Problem, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  return reply.code(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** `body.username`, `params.name`, `querystring.limit`: where the bad input is, in terms the caller sent. */
function fieldErrors(error: FastifyError & { validation: { instancePath: string; message?: string }[] }): FieldError[] {
  const context = error.validationContext ?? 'body';
  return error.validation.map((v) => ({
    field: [context, ...v.instancePath.split('/').filter((p) => p !== '')].join('.'),
    reason: v.message ?? 'is invalid',
  }));
}

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as Partial<FastifyError>).statusCode === 'number';
}

/**
 * The one error mapper: every error and every unknown route becomes problem+json with the request id.
 * What reaches a client is chosen here: a 500 never carries the error's message or stack, which go to the log.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(request, { type: ProblemType.blank, title: 'Not Found', status: 404, detail: `no route ${request.method} ${instanceOf(request)}` }),
    ),
  );

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof HttpProblem) {
      if (err.status >= 500) request.log.error({ err }, 'request failed');
      const body = problem(request, { type: err.type, title: err.title, status: err.status });
      if (err.detail !== undefined) body.detail = err.detail;
      if (err.errors !== undefined) body.errors = err.errors;
      return sendProblem(reply, body, err.headers);
    }

    if (hasZodFastifySchemaValidationErrors(err)) {
      return sendProblem(
        reply,
        problem(request, {
          type: ProblemType.validation,
          title: 'Bad Request',
          status: 400,
          detail: 'the request does not match the API schema',
          errors: fieldErrors(err),
        }),
      );
    }

    const libvirt = mapLibvirtError(err);
    if (libvirt) {
      request.log[libvirt.status >= 500 ? 'error' : 'info']({ err }, 'libvirt call failed');
      const body = problem(request, {
        type: libvirt.status === 503 ? ProblemType.libvirtUnavailable : ProblemType.libvirt,
        title: libvirt.title,
        status: libvirt.status,
      });
      if (libvirt.libvirt) {
        body.libvirt = libvirt.libvirt;
        body.detail = libvirt.libvirt.message;
      }
      return sendProblem(reply, body, libvirt.status === 503 ? { 'retry-after': '5' } : {});
    }

    // Fastify's own client errors (malformed JSON, unsupported media type, body too large, rate limit, ...) carry
    // a 4xx status and a message written for the client. Server errors never show theirs.
    if (isFastifyError(err) && err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 && !(err instanceof ResponseSerializationError)) {
      request.log.info({ err }, 'client error');
      return sendProblem(
        reply,
        problem(request, { type: ProblemType.blank, title: statusTitle(err.statusCode), status: err.statusCode, detail: err.message }),
      );
    }

    request.log.error({ err }, 'internal error');
    return sendProblem(
      reply,
      problem(request, {
        type: ProblemType.internal,
        title: 'Internal Server Error',
        status: 500,
        detail: `internal error (request id ${request.id})`,
      }),
    );
  });
}

/** Fastify's own messages for these echo the whole (possibly huge) path; ours say what is wrong with it. */
const FRAMEWORK_DETAILS: Readonly<Record<string, string>> = {
  FST_ERR_BAD_URL: 'the request path is not validly percent-encoded UTF-8',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment is longer than the 100 characters allowed',
};

/**
 * Fastify's `frameworkErrors`: errors raised while routing (a malformed percent-escape, an over-long path
 * parameter), before any hook or the error handler runs. Answered like every other error: problem+json with
 * the request id (also set as the header, which the onRequest hook never got to do).
 */
export function sendFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  const status = err.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err }, 'internal error');
    void sendProblem(
      reply,
      problem(request, { type: ProblemType.internal, title: 'Internal Server Error', status: 500, detail: `internal error (request id ${request.id})` }),
    );
    return;
  }
  request.log.info({ err }, 'client error');
  void sendProblem(
    reply,
    problem(request, { type: ProblemType.blank, title: statusTitle(status), status, detail: FRAMEWORK_DETAILS[err.code] ?? 'the request cannot be routed' }),
  );
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  411: 'Length Required',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
};

function statusTitle(status: number): string {
  return TITLES[status] ?? 'Bad Request';
}
