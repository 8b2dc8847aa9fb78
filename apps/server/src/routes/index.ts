import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditRoutes } from '../audit/routes.js';
import { consoleRoutes } from '../consoles/routes.js';
import { domainRoutes } from '../domains/routes.js';
import { eventRoutes } from '../events/routes.js';
import { hostRoutes } from '../hosts/routes.js';
import { metricsRoutes } from '../metrics/routes.js';
import { networkRoutes } from '../networks/routes.js';
import { osinfoRoutes } from '../osinfo/routes.js';
import { taskRoutes } from '../tasks/routes.js';
import { sessionRoutes } from '../security/session-routes.js';
import { tokenRoutes } from '../security/token-routes.js';
import type { Services } from '../services.js';
import { storageRoutes } from '../storage/routes.js';
import { userRoutes } from '../users/routes.js';
import { healthRoutes } from './health.js';
import type { RouteModule } from './route-module.js';

/**
 * Every route module, in one list. A capability adds its module here (hosts, domains, events, ...); each route
 * declares `config.auth` or the server refuses to start, and the route-enumeration test covers it unasked.
 */
export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  sessionRoutes,
  tokenRoutes,
  userRoutes,
  auditRoutes,
  hostRoutes,
  domainRoutes,
  storageRoutes,
  networkRoutes,
  osinfoRoutes,
  metricsRoutes,
  taskRoutes,
  eventRoutes,
  consoleRoutes,
];

/**
 * Registers each module in its own plugin. A route refused at registration (no access rule) throws inside
 * the plugin; passing that to `done` makes start-up fail with the message instead of an uncaught exception.
 */
export async function registerRoutes(app: FastifyInstance, services: Services, modules: readonly RouteModule[]): Promise<void> {
  for (const module of modules) {
    await app.register((scope, _options, done) => {
      try {
        module(scope.withTypeProvider<ZodTypeProvider>(), services);
        done();
      } catch (err) {
        done(err as Error);
      }
    });
  }
}
