import type { Clock } from '../security/clock.js';
import { generatePassword, hashPassword } from './passwords.js';
import type { UserStore } from './user-store.js';

export type BootstrapResult =
  | { created: false }
  | { created: true; name: string; generatedPassword: string | null };

/**
 * First run: with no user at all, create `admin`. With VIREO_ADMIN_PASSWORD it is that password, as chosen by
 * the operator; otherwise a generated one-time password that must be changed at first sign-in. The generated
 * password exists only in the returned value: the caller prints it once, nothing stores it.
 */
export async function bootstrapAdmin(users: UserStore, adminPassword: string | null, clock: Clock): Promise<BootstrapResult> {
  if (users.count() > 0) return { created: false };
  const generated = adminPassword === null ? generatePassword() : null;
  const passwordHash = await hashPassword(adminPassword ?? generated ?? '');
  // Re-checked after the slow hash: two servers started on one data dir must not both create it.
  const created = users.transaction(() => {
    if (users.count() > 0) return false;
    users.insert(
      { name: 'admin', realm: 'local', role: 'admin', passwordHash, mustChangePassword: generated !== null, disabled: false },
      clock.now(),
    );
    return true;
  });
  return created ? { created: true, name: 'admin', generatedPassword: generated } : { created: false };
}
