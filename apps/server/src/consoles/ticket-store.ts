import { randomBytes } from 'node:crypto';
import type { ConsoleType } from '@vireo/api';
import type { Clock } from '../security/clock.js';

/** Unused, a ticket lapses this long after it was issued. */
export const TICKET_TTL_MS = 30_000;

export interface ConsoleTicketGrant {
  ticket: string;
  /** The credential that asked (a session id or an API token id): only it may open the ticket. */
  owner: string;
  host: string;
  uuid: string;
  type: ConsoleType;
  force: boolean;
  expiresAt: number;
}

interface Entry {
  grant: ConsoleTicketGrant;
  /** Sockets open on it now. */
  open: number;
  /** Once a socket has opened it: the console session has begun, and ends when its last socket closes. */
  used: boolean;
}

/**
 * Console tickets. A ticket belongs to one console session: VNC and serial open it once, SPICE once per channel while
 * its first socket lives. When its last socket closes it is spent; unused, it lapses after TICKET_TTL_MS. Tickets
 * are kept in memory only: a server restart ends every console anyway.
 */
export class TicketStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  issue(grant: Omit<ConsoleTicketGrant, 'ticket' | 'expiresAt'>): ConsoleTicketGrant {
    this.prune();
    const full: ConsoleTicketGrant = { ...grant, ticket: randomBytes(24).toString('base64url'), expiresAt: this.clock.now() + TICKET_TTL_MS };
    this.entries.set(full.ticket, { grant: full, open: 0, used: false });
    return full;
  }

  /**
   * Claims a ticket for one socket: the grant, or why not. `release` must be called when that socket closes.
   * A ticket of another session is refused as if unknown, so tickets cannot be probed across sessions.
   */
  claim(ticket: string, owner: string): { grant: ConsoleTicketGrant; release: () => void } | { refused: string } {
    const entry = this.entries.get(ticket);
    // A session that ended (its last socket closed) took its ticket with it: unknown from then on.
    if (!entry || entry.grant.owner !== owner) return { refused: 'unknown console ticket' };
    // SPICE's further channels may follow the first for as long as the session lasts.
    if (entry.grant.type !== 'spice' && entry.used) return { refused: 'console ticket already used' };
    if (!entry.used && this.clock.now() > entry.grant.expiresAt) {
      this.entries.delete(ticket);
      return { refused: 'console ticket expired' };
    }
    entry.used = true;
    entry.open += 1;
    let released = false;
    return {
      grant: entry.grant,
      release: () => {
        if (released) return;
        released = true;
        entry.open -= 1;
        if (entry.open === 0) this.entries.delete(ticket);
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (!e.used && now > e.grant.expiresAt) this.entries.delete(k);
  }
}
