import type { LanguageTag, Realm, Role, User } from '@vireo/api';
import type { Db } from '../db/database.js';

/** A user as stored, password hash included: never serialise this, use `toApiUser`. */
export interface UserRecord {
  name: string;
  realm: Realm;
  role: Role;
  passwordHash: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  /** The interface language the user chose, null until they choose. */
  language: LanguageTag | null;
  createdAt: number;
  updatedAt: number;
}

interface UserRow {
  name: string;
  realm: Realm;
  role: Role;
  password_hash: string | null;
  must_change_password: number;
  disabled: number;
  language: string | null;
  created_at: number;
  updated_at: number;
}

function fromRow(row: UserRow): UserRecord {
  return {
    name: row.name,
    realm: row.realm,
    role: row.role,
    passwordHash: row.password_hash,
    mustChangePassword: row.must_change_password === 1,
    disabled: row.disabled === 1,
    language: row.language === 'en' || row.language === 'zh-CN' ? row.language : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toApiUser(u: UserRecord): User {
  return {
    name: u.name,
    realm: u.realm,
    role: u.role,
    mustChangePassword: u.mustChangePassword,
    disabled: u.disabled,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  };
}

export interface UserChanges {
  role?: Role;
  passwordHash?: string;
  mustChangePassword?: boolean;
  disabled?: boolean;
  language?: LanguageTag;
}

/** The users table. PAM users get a row too (no password hash) so sessions, tokens and audit can name them. */
export class UserStore {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  get(name: string): UserRecord | null {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return row ? fromRow(row) : null;
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(fromRow);
  }

  /** Admins that can still sign in: the last one may not be demoted, disabled or deleted. */
  countActiveAdmins(): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }
    ).n;
  }

  insert(user: Omit<UserRecord, 'createdAt' | 'updatedAt' | 'language'>, now: number): UserRecord {
    this.db
      .prepare(
        `INSERT INTO users (name, realm, role, password_hash, must_change_password, disabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(user.name, user.realm, user.role, user.passwordHash, user.mustChangePassword ? 1 : 0, user.disabled ? 1 : 0, now, now);
    return { ...user, language: null, createdAt: now, updatedAt: now };
  }

  update(name: string, changes: UserChanges, now: number): UserRecord | null {
    const sets: string[] = ['updated_at = ?'];
    const values: (string | number)[] = [now];
    if (changes.role !== undefined) {
      sets.push('role = ?');
      values.push(changes.role);
    }
    if (changes.passwordHash !== undefined) {
      sets.push('password_hash = ?');
      values.push(changes.passwordHash);
    }
    if (changes.mustChangePassword !== undefined) {
      sets.push('must_change_password = ?');
      values.push(changes.mustChangePassword ? 1 : 0);
    }
    if (changes.disabled !== undefined) {
      sets.push('disabled = ?');
      values.push(changes.disabled ? 1 : 0);
    }
    if (changes.language !== undefined) {
      sets.push('language = ?');
      values.push(changes.language);
    }
    this.db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE name = ?`).run(...values, name);
    return this.get(name);
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM users WHERE name = ?').run(name).changes > 0;
  }

  /** Runs `fn` in one transaction, so checks such as "not the last admin" and the change cannot interleave. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
