import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from './route-module.js';

/** Every file under `root`, as URL paths relative to it (`assets/index-abc.js`). */
function listFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    // The build's .br and .gz copies are sent in place of their originals, never asked for by name.
    else if (entry.isFile() && !/\.(?:br|gz)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/**
 * The built web app (apps/web/dist): its files as they are, and index.html for any other GET outside `/api`
 * (the SPA routes in the browser). Null when `root` holds no build, so a server without one serves only the API.
 * The file list is read once at start-up: only files of the build are ever served, whatever the path says.
 * Compressed copies made by the build go to browsers that accept them.
 */
export function spaRoutes(root: string): RouteModule | null {
  if (!existsSync(path.join(root, 'index.html'))) return null;
  const files = new Set(listFiles(root));
  return (app) => {
    // preCompressed: the build writes .br and .gz beside each asset (apps/web/scripts/precompress.mjs); a browser
    // that accepts them gets those, with Vary: Accept-Encoding.
    void app.register(fastifyStatic, { root, serve: false, decorateReply: true, preCompressed: true });
    const handler = (request: FastifyRequest, reply: FastifyReply) => {
      const pathname = decodeURIComponent(request.url.split('?', 1)[0] ?? '/');
      if (pathname === '/api' || pathname.startsWith('/api/')) return reply.callNotFound();
      const rel = pathname.replace(/^\/+/, '');
      // Each answer depends on Accept-Encoding (a compressed copy or the original): caches must key on it.
      void reply.header('vary', 'accept-encoding');
      if (rel !== 'index.html' && files.has(rel)) {
        // Vite names the bundle's files by content hash: they never change.
        const immutable = rel.startsWith('assets/');
        return reply.sendFile(rel, { immutable, maxAge: immutable ? 365 * 86400_000 : 3600_000, cacheControl: true });
      }
      // The page itself always revalidates, so a new build's asset names are picked up at once.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    };
    const config = { auth: { public: true as const } };
    app.get('/', { config, schema: { hide: true } }, handler);
    app.get('/*', { config, schema: { hide: true } }, handler);
  };
}
