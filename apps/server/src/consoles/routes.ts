import {
  ConsoleCloseCode,
  ConsoleInfoSchema,
  ConsoleTicketRequestSchema,
  ConsoleTicketSchema,
  DomainParamsSchema,
} from '@vireo/api';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { RouteModule } from '../routes/route-module.js';
import type { Principal } from '../security/principal.js';
import { registerSocketRoute } from '../security/websocket.js';
import { bridge, EarlyMessages } from './bridge.js';
import { ByteQueue } from './byte-queue.js';
import { ConsoleBusy, ConsoleService, ConsoleUnavailable, type OpenedConsole } from './console-service.js';
import { acceptClientWithoutAuth, authenticateToServer, RfbError } from './rfb-auth.js';
import type { ConsoleTicketGrant } from './ticket-store.js';

const TAGS = ['consoles'];
const VIEWER = { auth: { role: 'viewer' as const } };
const OPERATOR = { auth: { role: 'operator' as const } };

/** Whose a ticket is: the session or API token that asked for it. */
function ownerOf(principal: Principal): string {
  return principal.method === 'session' ? `session:${principal.session.idHash}` : `token:${principal.tokenId}`;
}

function closeReason(message: string): string {
  // A close frame's reason is at most 123 bytes.
  let s = message;
  while (Buffer.byteLength(s) > 123) s = s.slice(0, -1);
  return s;
}

/** The display went away mid-handshake (the VM stopped): the console ended, as after it. */
class DisplayEnded extends RfbError {}

/**
 * The VNC handshake when the display has a password: the proxy authenticates to the VM, then plays "no
 * authentication" to the browser. Bytes either side sent beyond the handshake are passed on by the bridge.
 */
async function vncHandshake(opened: OpenedConsole & { vncPassword: string }, early: EarlyMessages, socket: WebSocket): Promise<{ toPeer: Buffer; toBrowser: Buffer }> {
  const fromVm = new ByteQueue();
  // A copy: the display's chunks may be views of a read buffer that the next read reuses (HostAccess.connect).
  const onData = (chunk: Buffer) => fromVm.push(Buffer.from(chunk));
  // The display going away ends the handshake on both sides, also while waiting for the browser.
  const onEnd = () => {
    const err = new DisplayEnded('the display closed the connection during authentication');
    fromVm.fail(err);
    early.queue.fail(err);
  };
  opened.peer.on('data', onData);
  opened.peer.once('end', onEnd);
  opened.peer.once('error', onEnd);
  try {
    // The display keeps being read (into fromVm) while the browser's half runs: a paused socket would not see the
    // display close (the VM stopping) until the handshake was over.
    await authenticateToServer(fromVm, (b) => opened.peer.write(b), opened.vncPassword);
    await acceptClientWithoutAuth(early.queue, (b) => socket.send(b, { binary: true }));
    return { toPeer: early.take(), toBrowser: fromVm.drain() };
  } finally {
    opened.peer.off('data', onData);
    opened.peer.off('end', onEnd);
    opened.peer.off('error', onEnd);
  }
}

async function serveConsole(consoles: ConsoleService, grant: ConsoleTicketGrant, socket: WebSocket, early: EarlyMessages, log: FastifyBaseLogger): Promise<void> {
  let opened: OpenedConsole;
  try {
    opened = await consoles.open(grant);
  } catch (err) {
    early.take();
    if (err instanceof ConsoleBusy) socket.close(ConsoleCloseCode.busy, closeReason(err.message));
    else if (err instanceof ConsoleUnavailable) socket.close(ConsoleCloseCode.unavailable, closeReason(err.message));
    else {
      log.error({ err, host: grant.host, domain: grant.uuid, console: grant.type }, 'could not open a console');
      socket.close(1011, 'internal error');
    }
    return;
  }
  try {
    let pending: { toPeer: Buffer; toBrowser?: Buffer };
    if (opened.vncPassword !== undefined) {
      try {
        pending = await vncHandshake({ ...opened, vncPassword: opened.vncPassword }, early, socket);
      } catch (err) {
        early.take();
        opened.peer.destroy();
        const code = err instanceof DisplayEnded ? ConsoleCloseCode.ended : ConsoleCloseCode.unavailable;
        socket.close(code, closeReason(err instanceof Error ? err.message : String(err)));
        return;
      }
    } else {
      pending = { toPeer: early.take() };
    }
    if (socket.readyState !== socket.OPEN) {
      opened.peer.destroy();
      return;
    }
    await bridge(socket, opened.peer, pending);
  } finally {
    await opened.close().catch((err: unknown) => log.warn({ err, host: grant.host, domain: grant.uuid }, 'closing a console connection failed'));
  }
}

export const consoleRoutes: RouteModule = (app, { runtimes, clock }) => {
  const consoles = new ConsoleService(runtimes, clock);

  app.get(
    '/api/v1/hosts/:host/domains/:uuid/consoles',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'The displays (VNC, SPICE) and serial console a domain offers, with their live listen addresses and ports',
        params: DomainParamsSchema,
        response: { 200: ConsoleInfoSchema },
      },
    },
    (request) => consoles.info(request.params.host, request.params.uuid),
  );

  app.post(
    '/api/v1/hosts/:host/domains/:uuid/consoles',
    {
      config: OPERATOR,
      schema: {
        tags: TAGS,
        summary: 'A ticket for one console session (WebSocket /api/v1/consoles/:ticket), bound to this session; 409 when the domain is not running or lacks that console',
        params: DomainParamsSchema,
        body: ConsoleTicketRequestSchema,
        response: { 201: ConsoleTicketSchema },
      },
    },
    async (request, reply) => {
      // The auth hook has set the principal on every route that is not public.
      const principal = request.principal!;
      const ticket = await consoles.issue(ownerOf(principal), request.params.host, request.params.uuid, request.body);
      return reply.code(201).header('cache-control', 'no-store').send(ticket);
    },
  );

  app.get(
    '/api/v1/hosts/:host/domains/:uuid/consoles/:file',
    {
      config: OPERATOR,
      schema: {
        tags: TAGS,
        summary: 'A virt-viewer (.vv) file for remote-viewer; 409 with the reason when the display listens only on the host',
        params: DomainParamsSchema.extend({ file: z.enum(['spice.vv', 'vnc.vv']) }),
        response: { 200: z.string().describe('the .vv file (application/x-virt-viewer)') },
      },
    },
    async (request, reply) => {
      const type = request.params.file === 'spice.vv' ? 'spice' : 'vnc';
      const file = await consoles.viewerFile(request.params.host, request.params.uuid, type, request.hostname);
      return reply
        .type('application/x-virt-viewer')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .send(file.body);
    },
  );

  app.get(
    '/api/v1/hosts/:host/domains/:uuid/screenshot',
    {
      config: OPERATOR,
      schema: {
        tags: TAGS,
        summary: 'A PNG of the running domain\'s screen, scaled down to at most `width` pixels wide',
        params: DomainParamsSchema,
        querystring: z.object({ width: z.coerce.number().int().min(16).max(4096).default(320) }),
      },
    },
    async (request, reply) => {
      const png = await consoles.screenshot(request.params.host, request.params.uuid, request.query.width);
      return reply.type('image/png').header('cache-control', 'no-store').send(png);
    },
  );

  registerSocketRoute(app, {
    url: '/api/v1/consoles/:ticket',
    role: 'operator',
    summary: 'A console\'s raw bytes in binary frames both ways (VNC: RFB without authentication; serial; SPICE: one socket per channel)',
    handler: async (socket, request, principal) => {
      // Collect before anything asynchronous: a SPICE client speaks first.
      const early = new EarlyMessages(socket);
      const ticket = (request.params as { ticket?: unknown }).ticket;
      const claim = typeof ticket === 'string' ? consoles.tickets.claim(ticket, ownerOf(principal)) : { refused: 'no ticket' };
      if ('refused' in claim) {
        early.take();
        socket.close(ConsoleCloseCode.badTicket, claim.refused);
        return;
      }
      try {
        await serveConsole(consoles, claim.grant, socket, early, request.log);
      } finally {
        claim.release();
      }
    },
  });
};
