import type { Db } from '../db/database.js';
import type { Clock } from './clock.js';
import { randomSecret, secretHash } from './secrets.js';

export interface SessionRecord {
  idHash: string;
  userName: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionTimeouts {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

interface SessionRow {
  id_hash: string;
  user_name: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

/**
 * Server-side sessions: the cookie holds a random id, the table holds its hash, so deleting a row signs that
 * browser out at once. A session ends after `idleTimeoutMs` unused or `absoluteTimeoutMs` after sign-in.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly timeouts: SessionTimeouts,
  ) {}

  /** Creates a session; the returned `id` goes into the cookie and is not kept anywhere. */
  create(userName: string, sourceAddress: string, userAgent: string | undefined): { id: string; session: SessionRecord } {
    const id = randomSecret();
    const now = this.clock.now();
    const session: SessionRecord = { idHash: secretHash(id), userName, csrfToken: randomSecret(), createdAt: now, lastSeenAt: now };
    this.db
      .prepare(
        `INSERT INTO sessions (id_hash, user_name, csrf_token, created_at, last_seen_at, source_address, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(session.idHash, userName, session.csrfToken, now, now, sourceAddress, userAgent?.slice(0, 512) ?? null);
    return { id, session };
  }

  /** The live session for a cookie value, touched as used now; an expired one is deleted and null returned. */
  resolve(id: string): SessionRecord | null {
    const idHash = secretHash(id);
    const row = this.db.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
    if (!row) return null;
    const now = this.clock.now();
    if (now - row.last_seen_at >= this.timeouts.idleTimeoutMs || now - row.created_at >= this.timeouts.absoluteTimeoutMs) {
      this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
      return null;
    }
    this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(now, idHash);
    return {
      idHash,
      userName: row.user_name,
      csrfToken: row.csrf_token,
      createdAt: row.created_at,
      lastSeenAt: now,
    };
  }

  idleExpiry(s: SessionRecord): number {
    return Math.min(s.lastSeenAt + this.timeouts.idleTimeoutMs, this.absoluteExpiry(s));
  }

  absoluteExpiry(s: SessionRecord): number {
    return s.createdAt + this.timeouts.absoluteTimeoutMs;
  }

  revoke(idHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  /** Signs a user out everywhere (but `except`, the session that asked, when given). */
  revokeAllOf(userName: string, except?: string): number {
    return this.db
      .prepare('DELETE FROM sessions WHERE user_name = ? AND id_hash IS NOT ?')
      .run(userName, except ?? null).changes;
  }

  /** Deletes expired sessions; run now and then so abandoned ones do not pile up. */
  prune(): number {
    const now = this.clock.now();
    return this.db
      .prepare('DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?')
      .run(now - this.timeouts.idleTimeoutMs, now - this.timeouts.absoluteTimeoutMs).changes;
  }
}
