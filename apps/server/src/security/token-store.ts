import type { ApiToken } from '@vireo/api';
import type { Db } from '../db/database.js';
import type { Clock } from './clock.js';
import { randomSecret, safeEqual, secretHash } from './secrets.js';

// A token reads `vireo_<id>_<secret>`: the id finds the row, only the secret's hash is stored.
const TOKEN_PATTERN = /^vireo_([A-Za-z0-9-]{16})_([A-Za-z0-9_-]{43})$/;

interface TokenRow {
  id: string;
  user_name: string;
  name: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
}

function toApi(row: TokenRow): ApiToken {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return { id: row.id, name: row.name, createdAt: iso(row.created_at) ?? '', lastUsedAt: iso(row.last_used_at), expiresAt: iso(row.expires_at) };
}

/** API tokens for `Authorization: Bearer`: per user, shown once, stored hashed, revocable. */
export class TokenStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  create(userName: string, name: string, expiresInDays?: number): { token: string; info: ApiToken } {
    // base64url of 12 bytes is 16 characters; '_' is avoided in the id because it separates the parts.
    const id = randomSecret(12).replaceAll('_', '-');
    const secret = randomSecret();
    const now = this.clock.now();
    const expiresAt = expiresInDays === undefined ? null : now + expiresInDays * 86_400_000;
    const row: TokenRow = { id, user_name: userName, name, secret_hash: secretHash(secret), created_at: now, last_used_at: null, expires_at: expiresAt };
    this.db
      .prepare('INSERT INTO api_tokens (id, user_name, name, secret_hash, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, row.user_name, row.name, row.secret_hash, row.created_at, row.last_used_at, row.expires_at);
    return { token: `vireo_${id}_${secret}`, info: toApi(row) };
  }

  /** The owner of a presented token, or null for a malformed, unknown, revoked or expired one. */
  resolve(token: string): { id: string; userName: string } | null {
    const m = TOKEN_PATTERN.exec(token);
    if (!m?.[1] || !m[2]) return null;
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(m[1]) as TokenRow | undefined;
    if (!row || !safeEqual(row.secret_hash, secretHash(m[2]))) return null;
    const now = this.clock.now();
    if (row.expires_at !== null && now >= row.expires_at) return null;
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
    return { id: row.id, userName: row.user_name };
  }

  list(userName: string): ApiToken[] {
    return (this.db.prepare('SELECT * FROM api_tokens WHERE user_name = ? ORDER BY created_at, id').all(userName) as TokenRow[]).map(toApi);
  }

  revoke(userName: string, id: string): boolean {
    return this.db.prepare('DELETE FROM api_tokens WHERE id = ? AND user_name = ?').run(id, userName).changes > 0;
  }

  revokeAllOf(userName: string): number {
    return this.db.prepare('DELETE FROM api_tokens WHERE user_name = ?').run(userName).changes;
  }
}
