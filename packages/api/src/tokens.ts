import { z } from 'zod';

export const TokenIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a token id');

/** An API token as listed: never its secret, which is shown once at creation and stored only as a hash. */
export const ApiTokenSchema = z.object({
  id: TokenIdSchema,
  name: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const ApiTokenListSchema = z.object({ tokens: z.array(ApiTokenSchema) });
export type ApiTokenList = z.infer<typeof ApiTokenListSchema>;

export const ApiTokenCreateRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** Lifetime in days; none means the token lives until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type ApiTokenCreateRequest = z.infer<typeof ApiTokenCreateRequestSchema>;

export const ApiTokenCreatedSchema = ApiTokenSchema.extend({
  token: z.string().describe('the secret, shown this once: send it as "Authorization: Bearer <token>"'),
});
export type ApiTokenCreated = z.infer<typeof ApiTokenCreatedSchema>;

export const TokenIdParamsSchema = z.object({ id: TokenIdSchema });
