import { z } from 'zod';

/** One change attempted through the API, whatever its outcome. */
export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  user: z.string().nullable().describe('who was signed in; null when nobody was (a failed sign-in, a refused request)'),
  authMethod: z.enum(['session', 'token']).nullable(),
  method: z.string(),
  route: z.string().describe('the route pattern, e.g. /api/v1/users/:name'),
  target: z.string().nullable().describe('what it acted on, e.g. name=alice'),
  status: z.number().int(),
  requestId: z.string(),
  sourceAddress: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Entries with an id below this one: pass the previous page's `nextBefore`. */
  before: z.coerce.number().int().min(1).optional(),
  user: z.string().max(256).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditListSchema = z.object({
  entries: z.array(AuditEntrySchema),
  nextBefore: z.number().int().nullable(),
});
export type AuditList = z.infer<typeof AuditListSchema>;
