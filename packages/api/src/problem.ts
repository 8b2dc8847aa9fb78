import { z } from 'zod';

/** One invalid input: where it is (`body.username`, `params.name`) and what is wrong with it. */
export const FieldErrorSchema = z.object({
  field: z.string(),
  reason: z.string(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** libvirt's own error, kept as libvirt reported it (virErrorNumber, virErrorDomain, message). */
export const LibvirtProblemSchema = z.object({
  code: z.number().int(),
  domain: z.number().int(),
  message: z.string(),
});

/**
 * Every error response (RFC 9457 problem details, `application/problem+json`). `requestId` matches the
 * `x-request-id` header and the server's log; a 500 says no more than "internal error" and the request id.
 */
export const ProblemSchema = z.object({
  type: z.string().describe('a URI naming the kind of problem; about:blank when the status says it all'),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().describe('the request path'),
  requestId: z.string(),
  errors: z.array(FieldErrorSchema).optional(),
  libvirt: LibvirtProblemSchema.optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** Problem types Vireo names; clients branch on these rather than on the title. */
export const ProblemType = {
  blank: 'about:blank',
  validation: 'urn:vireo:problem:validation',
  unauthenticated: 'urn:vireo:problem:unauthenticated',
  forbidden: 'urn:vireo:problem:forbidden',
  passwordChangeRequired: 'urn:vireo:problem:password-change-required',
  csrf: 'urn:vireo:problem:csrf',
  origin: 'urn:vireo:problem:origin',
  rateLimited: 'urn:vireo:problem:rate-limited',
  libvirt: 'urn:vireo:problem:libvirt',
  libvirtUnavailable: 'urn:vireo:problem:libvirt-unavailable',
  conflict: 'urn:vireo:problem:conflict',
  internal: 'urn:vireo:problem:internal',
} as const;
