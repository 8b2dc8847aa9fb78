import type { Realm, Role } from '@vireo/api';
import type { Config } from '../config/config.js';
import { forbidden, HttpProblem, tooManyRequests, unauthenticated } from '../errors/http-problem.js';
import { verifyPassword } from '../users/passwords.js';
import type { UserRecord, UserStore } from '../users/user-store.js';
import type { Clock } from './clock.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PamAuthenticator } from './pam/pam-authenticator.js';
import type { Principal } from './principal.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import type { TokenStore } from './token-store.js';

const INVALID_CREDENTIALS = 'invalid user name or password';

export interface LoginAttempt {
  username: string;
  password: string;
  realm: Realm | undefined;
  sourceAddress: string;
  userAgent: string | undefined;
}

/** Sign-in (local users and PAM) with throttling, and turning a cookie or bearer token into a principal. */
export class AuthService {
  constructor(
    private readonly deps: {
      config: Pick<Config, 'pam'>;
      clock: Clock;
      users: UserStore;
      sessions: SessionStore;
      tokens: TokenStore;
      throttle: LoginThrottle;
      pam: PamAuthenticator;
    },
  ) {}

  /** Checks credentials and opens a session; throws 401/403/429/503 problems. */
  async login(attempt: LoginAttempt): Promise<{ sessionId: string; session: SessionRecord; user: UserRecord }> {
    const { throttle, users, sessions } = this.deps;
    const wait = throttle.retryAfterMs(attempt.sourceAddress, attempt.username);
    if (wait > 0) {
      throw tooManyRequests(wait / 1000, 'too many failed sign-ins; try again later');
    }
    const existing = users.get(attempt.username);
    const realm: Realm = attempt.realm ?? (existing?.realm === 'local' ? 'local' : 'pam');

    let user: UserRecord | null;
    try {
      user = realm === 'local' ? await this.checkLocal(existing, attempt.password) : await this.checkPam(existing, attempt);
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 401) throttle.recordFailure(attempt.sourceAddress, attempt.username);
      throw err;
    }
    throttle.recordSuccess(user.name);
    const { id, session } = sessions.create(user.name, attempt.sourceAddress, attempt.userAgent);
    return { sessionId: id, session, user };
  }

  private async checkLocal(user: UserRecord | null, password: string): Promise<UserRecord> {
    const local = user?.realm === 'local' ? user : null;
    // Verified even for an unknown or disabled user, so the answer takes as long either way.
    const ok = await verifyPassword(local?.passwordHash ?? null, password);
    if (!ok || !local || local.disabled) throw unauthenticated(INVALID_CREDENTIALS);
    return local;
  }

  private async checkPam(existing: UserRecord | null, attempt: LoginAttempt): Promise<UserRecord> {
    // A local account's name is never handed to PAM: that would let a system account of the same name in.
    if (existing?.realm === 'local') throw unauthenticated(INVALID_CREDENTIALS);
    const result = await this.deps.pam.authenticate(attempt.username, attempt.password);
    if (!result.ok) {
      if (result.reason === 'unavailable') {
        if (attempt.realm === 'pam') {
          throw new HttpProblem(503, 'PAM unavailable', { detail: result.message });
        }
        // Realm not chosen: answer as for a wrong password, saying why system accounts cannot sign in here.
        throw unauthenticated(`${INVALID_CREDENTIALS} (system accounts cannot sign in: ${result.message})`);
      }
      throw unauthenticated(INVALID_CREDENTIALS);
    }
    const role = this.roleFromGroups(result.groups);
    if (role === null) {
      throw forbidden(
        `${attempt.username} is in none of the groups that grant a Vireo role (${[...this.deps.config.pam.adminGroups, ...this.deps.config.pam.operatorGroups].join(', ')})`,
      );
    }
    const now = this.deps.clock.now();
    if (existing === null) {
      return this.deps.users.insert(
        { name: attempt.username, realm: 'pam', role, passwordHash: null, mustChangePassword: false, disabled: false },
        now,
      );
    }
    if (existing.disabled) throw forbidden(`${attempt.username} is disabled in Vireo`);
    // Group membership decides the role at each sign-in, so removing someone from `sudo` takes effect.
    return existing.role === role ? existing : (this.deps.users.update(existing.name, { role }, now) ?? existing);
  }

  private roleFromGroups(groups: readonly string[]): Role | null {
    const { adminGroups, operatorGroups } = this.deps.config.pam;
    if (groups.some((g) => adminGroups.includes(g))) return 'admin';
    if (groups.some((g) => operatorGroups.includes(g))) return 'operator';
    return null;
  }

  /** The principal behind a session cookie value, or null if it is unknown, expired or its user is gone or disabled. */
  fromSession(cookieValue: string): Principal | null {
    const session = this.deps.sessions.resolve(cookieValue);
    if (!session) return null;
    const user = this.deps.users.get(session.userName);
    if (!user || user.disabled) {
      this.deps.sessions.revoke(session.idHash);
      return null;
    }
    return { method: 'session', user, session };
  }

  fromToken(token: string): Principal | null {
    const found = this.deps.tokens.resolve(token);
    if (!found) return null;
    const user = this.deps.users.get(found.userName);
    if (!user || user.disabled) return null;
    return { method: 'token', user, tokenId: found.id };
  }
}
