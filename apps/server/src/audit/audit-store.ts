import type { AuditEntry, AuditList } from '@vireo/api';
import type { Db } from '../db/database.js';

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { at: number };

interface AuditRow {
  id: number;
  at: number;
  user_name: string | null;
  auth_method: 'session' | 'token' | null;
  method: string;
  route: string;
  target: string | null;
  status: number;
  request_id: string;
  source_address: string;
}

/** The audit log: one row per change attempted through the API. Rows are only ever added. */
export class AuditStore {
  constructor(private readonly db: Db) {}

  append(e: NewAuditEntry): void {
    this.db
      .prepare(
        `INSERT INTO audit_log (at, user_name, auth_method, method, route, target, status, request_id, source_address)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.at, e.user, e.authMethod, e.method, e.route, e.target, e.status, e.requestId, e.sourceAddress);
  }

  /** Newest first, `limit` at a time; `before` pages backwards by id. */
  list(query: { limit: number; before?: number | undefined; user?: string | undefined }): AuditList {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (query.before !== undefined) {
      where.push('id < ?');
      values.push(query.before);
    }
    if (query.user !== undefined) {
      where.push('user_name = ?');
      values.push(query.user);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...values, query.limit + 1) as AuditRow[];
    const page = rows.slice(0, query.limit);
    return {
      entries: page.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        user: r.user_name,
        authMethod: r.auth_method,
        method: r.method,
        route: r.route,
        target: r.target,
        status: r.status,
        requestId: r.request_id,
        sourceAddress: r.source_address,
      })),
      nextBefore: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }
}
