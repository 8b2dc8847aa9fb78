/**
 * The schema, as an append-only list: a released migration is never edited, a change is a new entry.
 * Times are milliseconds since the epoch (INTEGER); booleans are 0/1.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions, api tokens, audit log',
    sql: `
      CREATE TABLE users (
        name TEXT PRIMARY KEY,
        realm TEXT NOT NULL CHECK (realm IN ('local', 'pam')),
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        password_hash TEXT,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- The id column holds SHA-256 of the cookie value: a copy of the database does not sign anyone in.
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE ON UPDATE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        source_address TEXT NOT NULL,
        user_agent TEXT
      );
      CREATE INDEX sessions_user ON sessions(user_name);
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE ON UPDATE CASCADE,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        expires_at INTEGER
      );
      CREATE INDEX api_tokens_user ON api_tokens(user_name);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        user_name TEXT,
        auth_method TEXT,
        method TEXT NOT NULL,
        route TEXT NOT NULL,
        target TEXT,
        status INTEGER NOT NULL,
        request_id TEXT NOT NULL,
        source_address TEXT NOT NULL
      );
      CREATE INDEX audit_log_user ON audit_log(user_name, id);
    `,
  },
  {
    version: 2,
    name: 'each user\'s interface language',
    // NULL: not chosen yet (the browser's language applies).
    sql: `ALTER TABLE users ADD COLUMN language TEXT;`,
  },
];
