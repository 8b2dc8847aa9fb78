import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../services.js';

/** The app as route modules see it: schemas are zod, so handlers get typed input and checked output. */
export type ZodApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/**
 * One capability's routes: a plain function that declares them (each with `config.auth`) and calls services.
 * It runs in its own encapsulated plugin, so a capability may add hooks for its routes alone.
 */
export type RouteModule = (app: ZodApp, services: Services) => void;
