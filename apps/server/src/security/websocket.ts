import type { WebSocket } from '@fastify/websocket';
import type { Role } from '@vireo/api';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../errors/http-problem.js';
import type { ZodApp } from '../routes/route-module.js';
import type { Principal } from './principal.js';

export interface SocketRouteOptions {
  url: string;
  /** The least role allowed to open the socket (viewer for events, operator for consoles). */
  role: Role;
  summary?: string;
  handler: (socket: WebSocket, request: FastifyRequest, principal: Principal) => void | Promise<void>;
  /** How often an open socket re-checks its credential (default 5 s). */
  revalidateMs?: number;
}

const REVALIDATE_MS = 5000;

// Policy violation: the close code for a socket that should not be open.
const CLOSE_POLICY = 1008;

const upgradeRequired = () =>
  new HttpProblem(426, 'Upgrade Required', { detail: 'this is a WebSocket endpoint: open it with an Upgrade: websocket request', headers: { upgrade: 'websocket' } });

/**
 * Registers a WebSocket route behind the same gate as every other route: the auth hook refuses the upgrade
 * (with an HTTP 401/403, before any WebSocket handshake) when the Origin is foreign, nobody is signed in,
 * or the role is short. Browsers cannot set headers on a WebSocket, so a session cookie is the usual
 * credential; an `Authorization: Bearer` header works for scripts.
 */
export function registerSocketRoute(app: ZodApp, options: SocketRouteOptions): void {
  app.get(
    options.url,
    {
      websocket: true,
      config: { auth: { role: options.role } },
      schema: { tags: ['websocket'], ...(options.summary !== undefined && { summary: options.summary }) },
      // A plain HTTP request (no upgrade) would get @fastify/websocket's bare, empty 404: refuse it like any error.
      preHandler: (request, _reply, done) => done(request.ws ? undefined : upgradeRequired()),
    },
    async (socket, request) => {
      // The hook guarantees a principal; checked again so a misregistered route closes rather than serves.
      const principal = request.principal;
      if (!principal) {
        socket.close(CLOSE_POLICY, 'unauthenticated');
        return;
      }
      // A socket outlives the request that opened it: when its session ends or its token is revoked, it closes.
      const timer = setInterval(() => {
        if (request.stillAuthorized?.() !== true) socket.close(CLOSE_POLICY, 'signed out or access revoked');
      }, options.revalidateMs ?? REVALIDATE_MS);
      timer.unref();
      socket.once('close', () => clearInterval(timer));
      await options.handler(socket, request, principal);
    },
  );
}
