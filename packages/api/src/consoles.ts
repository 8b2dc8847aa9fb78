import { z } from 'zod';

export const ConsoleTypeSchema = z.enum(['vnc', 'spice', 'serial']);
export type ConsoleType = z.infer<typeof ConsoleTypeSchema>;

export const ConsoleTicketRequestSchema = z.object({
  type: ConsoleTypeSchema,
  force: z
    .boolean()
    .default(false)
    .describe('serial only: take the console over when another client holds it (libvirt\'s force flag)'),
});
export type ConsoleTicketRequest = z.input<typeof ConsoleTicketRequestSchema>;

/**
 * A short-lived pass to one console session of one domain, bound to the session that asked for it. It opens
 * `GET /api/v1/consoles/:ticket` (a WebSocket carrying the console's raw bytes in binary frames): once for VNC and
 * serial, once per channel for SPICE while the session lasts. Unused, it expires after 30 s.
 */
export const ConsoleTicketSchema = z.object({
  ticket: z.string(),
  type: ConsoleTypeSchema,
  path: z.string().describe('the WebSocket path to open, e.g. /api/v1/consoles/<ticket>'),
  expiresAt: z.iso.datetime().describe('when the ticket lapses unless a socket has opened it'),
  password: z
    .string()
    .nullable()
    .describe('SPICE only: the password the in-browser client must send; VNC passwords never leave the server'),
});
export type ConsoleTicket = z.infer<typeof ConsoleTicketSchema>;

export const ConsoleTicketParamsSchema = z.object({ ticket: z.string().min(16).max(128) });

/** What a domain offers, for the console page to decide what to show before asking for a ticket. */
export const ConsoleInfoSchema = z.object({
  state: z.string(),
  graphics: z.array(
    z.object({
      type: z.string().describe('vnc, spice, ...'),
      listen: z.string().nullable().describe('the address it listens on; null for a unix socket'),
      socket: z.string().nullable(),
      port: z.number().int().nullable().describe('the live port; null when shut off or a socket'),
      tlsPort: z.number().int().nullable(),
      passwordSet: z.boolean(),
      localOnly: z.boolean().describe('reachable only from the host itself (loopback or a socket)'),
    }),
  ),
  serial: z.boolean().describe('the domain has a serial console'),
});
export type ConsoleInfo = z.infer<typeof ConsoleInfoSchema>;

/** Close codes of a console WebSocket besides the standard ones. */
export const ConsoleCloseCode = {
  /** The VM stopped, rebooted away its display, or the console endpoint closed. */
  ended: 4000,
  /** The VM has no console of that type, or it is not running. */
  unavailable: 4001,
  /** The serial console is held by another client; retry with force to take it over. */
  busy: 4002,
  /** The ticket is unknown, spent, expired or not this session's. */
  badTicket: 4003,
} as const;
