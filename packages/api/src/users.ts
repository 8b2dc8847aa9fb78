import { z } from 'zod';
import { RoleSchema } from './roles.js';

/** Minimum length of a local password; the first-run admin password is held to it too. */
export const PASSWORD_MIN_LENGTH = 12;
/** Passwords are hashed with argon2id; beyond this they only cost CPU. */
export const PASSWORD_MAX_LENGTH = 1024;

export const PasswordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

/** Local and PAM account names: letters, digits, `_ . -`, not starting with `-` (they reach pamtester's argv). */
export const UserNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-", not starting with "." or "-"');

export const RealmSchema = z.enum(['local', 'pam']);
export type Realm = z.infer<typeof RealmSchema>;

export const UserSchema = z.object({
  name: UserNameSchema,
  realm: RealmSchema,
  role: RoleSchema,
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type User = z.infer<typeof UserSchema>;

export const UserListSchema = z.object({ users: z.array(UserSchema) });
export type UserList = z.infer<typeof UserListSchema>;

/** Creates a local user. `mustChangePassword` defaults to true: an admin-chosen password is a one-time one. */
export const UserCreateRequestSchema = z.object({
  name: UserNameSchema,
  role: RoleSchema,
  password: PasswordSchema,
  mustChangePassword: z.boolean().default(true),
});
export type UserCreateRequest = z.input<typeof UserCreateRequestSchema>;

export const UserUpdateRequestSchema = z
  .object({
    role: RoleSchema.optional(),
    password: PasswordSchema.optional(),
    mustChangePassword: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });
export type UserUpdateRequest = z.infer<typeof UserUpdateRequestSchema>;

export const UserNameParamsSchema = z.object({ name: UserNameSchema });
