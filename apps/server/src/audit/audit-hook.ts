import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isMutation } from '../security/auth-declaration.js';
import type { Clock } from '../security/clock.js';
import type { AuditStore } from './audit-store.js';

/** `name=alice,id=42` from the route params: what the change was aimed at. */
function targetOf(request: FastifyRequest): string | null {
  if (request.auditTarget !== null) return request.auditTarget;
  const params = request.params;
  if (typeof params !== 'object' || params === null) return null;
  const parts = Object.entries(params as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(',').slice(0, 512) : null;
}

/**
 * Records every change (any method but GET/HEAD/OPTIONS) once its response is sent, whatever the outcome:
 * refused and failed attempts are what an audit is for. Bodies are never recorded (they hold passwords).
 */
export function installAuditHook(app: FastifyInstance, audit: AuditStore, clock: Clock): void {
  app.addHook('onResponse', (request, reply, done) => {
    done();
    if (!isMutation(request.method)) return;
    const principal = request.principal;
    try {
      audit.append({
        at: clock.now(),
        user: principal?.user.name ?? null,
        authMethod: principal?.method ?? null,
        method: request.method,
        route: request.is404 ? '(no route)' : request.routeOptions.url ?? '(no route)',
        target: targetOf(request),
        status: reply.statusCode,
        requestId: request.id,
        sourceAddress: request.ip,
      });
    } catch (err) {
      // The response is already sent; losing an audit row must at least be loud.
      request.log.error({ err }, 'could not write the audit log');
    }
  });
}
