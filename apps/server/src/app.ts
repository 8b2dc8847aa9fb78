import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { installAuditHook } from './audit/audit-hook.js';
import { AuditStore } from './audit/audit-store.js';
import type { Config } from './config/config.js';
import { openDatabase, type Db } from './db/database.js';
import { installErrorHandling, sendFrameworkError } from './errors/error-handler.js';
import { tooManyRequests } from './errors/http-problem.js';
import { createLive, type LiveOptions } from './hosts/live-services.js';
import { createLogger } from './logging/logger.js';
import { NetworkService } from './networks/network-service.js';
import { OsinfoService } from './osinfo/osinfo-service.js';
import { registerRoutes, ROUTE_MODULES } from './routes/index.js';
import { openApiTransform, openApiTransformObject } from './routes/openapi.js';
import type { RouteModule } from './routes/route-module.js';
import { spaRoutes } from './routes/spa.js';
import { checkRouteDeclaration, type RouteEntry } from './security/auth-declaration.js';
import { installAuthHook } from './security/auth-hook.js';
import { sessionCookieName } from './security/cookies.js';
import { AuthService } from './security/auth-service.js';
import { systemClock, type Clock } from './security/clock.js';
import { DEFAULT_THROTTLE, LoginThrottle, type LoginThrottleOptions } from './security/login-throttle.js';
import type { PamAuthenticator } from './security/pam/pam-authenticator.js';
import { PamtesterAuthenticator } from './security/pam/pamtester.js';
import { SessionStore } from './security/session-store.js';
import { TokenStore } from './security/token-store.js';
import type { Services } from './services.js';
import { StorageService } from './storage/storage-service.js';
import { SERVER_VERSION } from './version.js';
import { bootstrapAdmin, type BootstrapResult } from './users/bootstrap.js';
import { UserService } from './users/user-service.js';
import { UserStore } from './users/user-store.js';

export interface AppDeps {
  /** The certificate and key to serve; required unless `config.insecureHttp`. */
  tls?: { cert: string; key: string } | undefined;
  clock?: Clock;
  logger?: Logger;
  pam?: PamAuthenticator;
  throttle?: LoginThrottleOptions;
  /** Where once-only notices go (the generated admin password); stdout by default. */
  announce?: (line: string) => void;
  /** Route modules registered after the built-in ones (tests add probe routes this way). */
  extraRoutes?: readonly RouteModule[];
  /** Tunables of hosts, events and stats, over the intervals `config.live` sets (tests shorten them). */
  live?: Partial<LiveOptions>;
  /** The built web app to serve (apps/web/dist); nothing is served when absent or when it holds no build. */
  webRoot?: string;
}

export interface VireoApp {
  app: FastifyInstance;
  services: Services;
  /** Every route registered, as the onRoute hook saw it (the route-enumeration test walks this). */
  routes: readonly RouteEntry[];
  bootstrap: BootstrapResult;
}

// How often expired sessions are swept from the database (expiry itself is checked on every request).
const SESSION_PRUNE_INTERVAL_MS = 10 * 60_000;

/** Builds the whole server, ready to `listen` or `inject`. Opens (and migrates) the database in `config.dataDir`. */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<VireoApp> {
  if (!config.insecureHttp && !deps.tls) {
    throw new Error('buildApp: HTTPS needs a certificate (deps.tls); plain HTTP needs config.insecureHttp');
  }
  const db = openDatabase(config.dataDir);
  try {
    return await assemble(config, deps, db);
  } catch (err) {
    // A refused start (such as a route without an access rule) must not leave the database open.
    db.close();
    throw err;
  }
}

async function assemble(config: Config, deps: AppDeps, db: Db): Promise<VireoApp> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const announce = deps.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const users = new UserStore(db);
  const sessions = new SessionStore(db, clock, config.session);
  const tokens = new TokenStore(db, clock);
  const throttle = new LoginThrottle(clock, deps.throttle ?? DEFAULT_THROTTLE);
  const audit = new AuditStore(db);
  const pam = deps.pam ?? new PamtesterAuthenticator({ service: config.pam.service });
  const auth = new AuthService({ config, clock, users, sessions, tokens, throttle, pam });
  const userService = new UserService({ users, sessions, tokens, clock });
  const live = createLive(config, logger, deps.live);
  const services: Services = {
    config,
    clock,
    db,
    users,
    userService,
    sessions,
    tokens,
    throttle,
    auth,
    audit,
    ...live.services,
    storage: new StorageService(live.services.runtimes, config.media.isoDirs, logger),
    networks: new NetworkService(live.services.runtimes),
    osinfo: new OsinfoService(config.osinfoDir),
  };

  const bootstrap = await bootstrapAdmin(users, config.adminPassword, clock);
  if (bootstrap.created && bootstrap.generatedPassword !== null) {
    announce(
      `Vireo first run: created user "${bootstrap.name}" with the one-time password ${bootstrap.generatedPassword} ` +
        '(shown only now; it must be changed at first sign-in)',
    );
  } else if (bootstrap.created) {
    logger.info(`first run: created user "${bootstrap.name}" with the password from VIREO_ADMIN_PASSWORD`);
  }

  const app = Fastify({
    loggerInstance: logger,
    ...(config.insecureHttp ? {} : { https: deps.tls }),
    // Our own ids only: a client-chosen id could forge or collide with log lines.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // Errors raised while routing (bad percent-escapes, over-long path parameters) get problem+json too.
    frameworkErrors: sendFrameworkError,
    // HTTPS and plain instances differ only in their raw server type; routes and plugins never touch it.
  }) as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(...checkRouteDeclaration(route));
  });

  installErrorHandling(app);
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    frameguard: { action: 'deny' },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.insecureHttp ? {} : { upgradeInsecureRequests: [] }),
      },
    },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      tooManyRequests(context.ttl / 1000, `at most ${context.max} sign-in attempts per minute from one address`),
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Vireo API', version: SERVER_VERSION, description: 'KVM/libvirt hosts over HTTP. Errors are application/problem+json.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(config.insecureHttp), description: 'plus the x-csrf-token header on changes' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: openApiTransform,
    transformObject: openApiTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  installAuthHook(app, { auth, insecureHttp: config.insecureHttp, publicOrigin: config.publicOrigin });
  installAuditHook(app, audit, clock);

  const spa = deps.webRoot === undefined ? null : spaRoutes(deps.webRoot);
  if (deps.webRoot !== undefined && spa === null) logger.warn(`no web app build in ${deps.webRoot}: serving the API only`);
  await registerRoutes(app, services, [...ROUTE_MODULES, ...(deps.extraRoutes ?? []), ...(spa ? [spa] : [])]);

  const prune = setInterval(() => sessions.prune(), SESSION_PRUNE_INTERVAL_MS);
  prune.unref();
  app.addHook('onClose', (_instance, done) => {
    clearInterval(prune);
    db.close();
    done();
  });

  // Events sockets close, stats ticks stop, running tasks finish and libvirt connections close with the server.
  app.addHook('onClose', () => live.close());

  try {
    await app.ready();
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  // Only a server that started connects to libvirt, so a refused start leaves no connection or timer behind.
  live.start();
  return { app, services, routes, bootstrap };
}
