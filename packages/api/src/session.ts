import { z } from 'zod';
import { RoleSchema } from './roles.js';
import { PasswordSchema, RealmSchema } from './users.js';

/** Sign-in. Without `realm` a local user of that name is tried, otherwise PAM (system accounts). */
export const LoginRequestSchema = z.object({
  // Not UserNameSchema: a malformed name must fail like a wrong password, not as a validation error.
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
  realm: RealmSchema.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** The interface languages (BCP 47 tags as the web app uses them). */
export const LanguageSchema = z.enum(['en', 'zh-CN']);
export type LanguageTag = z.infer<typeof LanguageSchema>;

export const SessionUserSchema = z.object({
  name: z.string(),
  role: RoleSchema,
  realm: RealmSchema,
  mustChangePassword: z.boolean().describe('when true, only password change and sign-out are allowed'),
  language: LanguageSchema.nullable().describe('the interface language the user chose; null until they choose one'),
});

export const LanguageRequestSchema = z.object({ language: LanguageSchema });
export type LanguageRequest = z.infer<typeof LanguageRequestSchema>;
export type SessionUser = z.infer<typeof SessionUserSchema>;

export const LoginResponseSchema = z.object({
  user: SessionUserSchema,
  csrfToken: z.string().describe('send as the x-csrf-token header on every cookie-authenticated change'),
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** Who is calling. `csrfToken` and the expiry times are present for cookie sessions only. */
export const WhoAmISchema = z.object({
  user: SessionUserSchema,
  authMethod: z.enum(['session', 'token']),
  csrfToken: z.string().optional(),
  idleExpiresAt: z.iso.datetime().optional(),
  expiresAt: z.iso.datetime().optional(),
});
export type WhoAmI = z.infer<typeof WhoAmISchema>;

export const PasswordChangeRequestSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: PasswordSchema,
});
export type PasswordChangeRequest = z.infer<typeof PasswordChangeRequestSchema>;
