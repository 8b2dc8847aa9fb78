import type { SessionUser } from '@vireo/api';
import type { UserRecord } from '../users/user-store.js';
import type { SessionRecord } from './session-store.js';

/** Who a request acts for, and how they proved it. */
export type Principal =
  | { method: 'session'; user: UserRecord; session: SessionRecord }
  | { method: 'token'; user: UserRecord; tokenId: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook; null on public routes called anonymously. */
    principal: Principal | null;
    /** What a change acted on, for the audit log, when the route params do not say it (e.g. a sign-in's name). */
    auditTarget: string | null;
    /** Set with the principal: whether the same credential still grants this route now (for WebSockets). */
    stillAuthorized: (() => boolean) | null;
  }
}

export function toSessionUser(u: UserRecord): SessionUser {
  return { name: u.name, role: u.role, realm: u.realm, mustChangePassword: u.mustChangePassword, language: u.language };
}
