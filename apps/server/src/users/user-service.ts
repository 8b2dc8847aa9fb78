import type { UserCreateRequest, UserUpdateRequest } from '@vireo/api';
import { badRequest, conflict, notFound, unauthenticated } from '../errors/http-problem.js';
import type { Clock } from '../security/clock.js';
import type { SessionStore } from '../security/session-store.js';
import type { TokenStore } from '../security/token-store.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { UserRecord, UserStore } from './user-store.js';

/** Account management: what the users API and the password-change route do, with the rules that guard it. */
export class UserService {
  constructor(
    private readonly deps: { users: UserStore; sessions: SessionStore; tokens: TokenStore; clock: Clock },
  ) {}

  list(): UserRecord[] {
    return this.deps.users.list();
  }

  async create(req: Required<Pick<UserCreateRequest, 'name' | 'role' | 'password'>> & { mustChangePassword: boolean }): Promise<UserRecord> {
    const passwordHash = await hashPassword(req.password);
    const { users, clock } = this.deps;
    return users.transaction(() => {
      if (users.get(req.name)) throw conflict(`user ${req.name} exists`);
      return users.insert(
        { name: req.name, realm: 'local', role: req.role, passwordHash, mustChangePassword: req.mustChangePassword, disabled: false },
        clock.now(),
      );
    });
  }

  async update(name: string, req: UserUpdateRequest): Promise<UserRecord> {
    const passwordHash = req.password === undefined ? undefined : await hashPassword(req.password);
    const { users, sessions, tokens, clock } = this.deps;
    return users.transaction(() => {
      const user = users.get(name);
      if (!user) throw notFound(`no user ${name}`);
      if (passwordHash !== undefined && user.realm !== 'local') {
        throw badRequest(`${name} signs in through PAM; change the password on the host`);
      }
      const losesAdmin = user.role === 'admin' && !user.disabled && ((req.role !== undefined && req.role !== 'admin') || req.disabled === true);
      if (losesAdmin) this.keepOneAdmin(name);
      const updated = users.update(
        name,
        {
          ...(req.role !== undefined && { role: req.role }),
          ...(passwordHash !== undefined && { passwordHash }),
          ...(req.mustChangePassword !== undefined && { mustChangePassword: req.mustChangePassword }),
          ...(req.disabled !== undefined && { disabled: req.disabled }),
        },
        clock.now(),
      );
      // A reset password or a disabled account must not stay signed in anywhere.
      if (passwordHash !== undefined || req.disabled === true) sessions.revokeAllOf(name);
      if (req.disabled === true) tokens.revokeAllOf(name);
      return updated ?? user;
    });
  }

  delete(name: string): void {
    const { users } = this.deps;
    users.transaction(() => {
      const user = users.get(name);
      if (!user) throw notFound(`no user ${name}`);
      if (user.role === 'admin' && !user.disabled) this.keepOneAdmin(name);
      // Sessions and tokens go with the row (ON DELETE CASCADE).
      users.delete(name);
    });
  }

  /** A signed-in local user changes their own password; their other sessions end, this one stays. */
  async changeOwnPassword(user: UserRecord, current: string, next: string, keepSession: string | undefined): Promise<UserRecord> {
    if (user.realm !== 'local') throw badRequest('this account signs in through PAM; change the password on the host');
    if (!(await verifyPassword(user.passwordHash, current))) throw unauthenticated('the current password is wrong');
    if (current === next) throw badRequest('the new password must differ from the current one');
    const passwordHash = await hashPassword(next);
    const { users, sessions, clock } = this.deps;
    const updated = users.update(user.name, { passwordHash, mustChangePassword: false }, clock.now());
    sessions.revokeAllOf(user.name, keepSession);
    return updated ?? user;
  }

  private keepOneAdmin(name: string): void {
    if (this.deps.users.countActiveAdmins() <= 1) {
      throw conflict(`${name} is the last active admin; make another admin first`);
    }
  }
}

