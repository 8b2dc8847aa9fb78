import { z } from 'zod';

/** Vireo's roles, weakest first: each role can do everything the ones before it can. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;

export const RoleSchema = z.enum(ROLES).describe('viewer: read only; operator: VM lifecycle and consoles; admin: everything');
export type Role = z.infer<typeof RoleSchema>;

/** True when `held` grants at least what `required` does. */
export function roleAtLeast(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}
