import { z } from 'zod';

/** A host's id in every path (`/api/v1/hosts/:host/...`): `local` for the machine the server runs on. */
export const HostIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-"');

export const HostParamsSchema = z.object({ host: HostIdSchema });
export type HostParams = z.infer<typeof HostParamsSchema>;

/**
 * connected: the shared libvirt connection is open. reconnecting: it was lost (or is being opened) and the server is
 * retrying with backoff. down: retries keep failing; the server still retries at its longest interval.
 */
export const HostHealthStateSchema = z.enum(['connected', 'reconnecting', 'down']);
export type HostHealthState = z.infer<typeof HostHealthStateSchema>;

export const HostHealthSchema = z.object({
  state: HostHealthStateSchema,
  since: z.iso.datetime().describe('when the host entered this state'),
  lastError: z.string().nullable().describe('why the last connection ended or the last attempt failed'),
  attempts: z.number().int().describe('failed connection attempts since the host was last connected'),
});
export type HostHealth = z.infer<typeof HostHealthSchema>;

export const HostListItemSchema = z.object({
  id: HostIdSchema,
  uri: z.string().describe('the libvirt URI, without its query string'),
  health: HostHealthSchema,
});
export type HostListItem = z.infer<typeof HostListItemSchema>;

export const HostListSchema = z.object({ hosts: z.array(HostListItemSchema) });
export type HostList = z.infer<typeof HostListSchema>;

export const HostSummarySchema = HostListItemSchema.extend({
  hostname: z.string(),
  arch: z.string().nullable(),
  cpu: z.object({
    model: z.string(),
    count: z.number().int().describe('logical CPUs'),
    mhz: z.number().int(),
    sockets: z.number().int(),
    cores: z.number().int().describe('per socket'),
    threads: z.number().int().describe('per core'),
    numaNodes: z.number().int(),
  }),
  memory: z.object({ totalBytes: z.number(), freeBytes: z.number() }),
  libvirtVersion: z.string().describe('the daemon\'s libvirt, e.g. 9.0.0'),
  hypervisor: z.object({ type: z.string().describe('e.g. QEMU'), version: z.string() }),
  kvm: z.object({
    available: z.boolean(),
    detail: z.string().describe('why KVM is or is not available, from the host capabilities'),
  }),
  uptimeSeconds: z.number().nullable(),
  loadAverage: z.tuple([z.number(), z.number(), z.number()]).nullable().describe('1, 5 and 15 minutes'),
});
export type HostSummary = z.infer<typeof HostSummarySchema>;

/** Host CPU use over the last stats interval, from nodeGetCPUStats deltas; percentages of all CPUs together. */
export const NodeCpuStatsSchema = z.object({
  percent: z.number(),
  userPercent: z.number(),
  kernelPercent: z.number(),
  iowaitPercent: z.number(),
});
export type NodeCpuStats = z.infer<typeof NodeCpuStatsSchema>;

/** Host memory from nodeGetMemoryStats; `usedBytes` leaves out free memory, buffers and page cache. */
export const NodeMemoryStatsSchema = z.object({
  totalBytes: z.number(),
  freeBytes: z.number(),
  buffersBytes: z.number(),
  cachedBytes: z.number(),
  usedBytes: z.number(),
});
export type NodeMemoryStats = z.infer<typeof NodeMemoryStatsSchema>;

export const NodeStatsSchema = z.object({
  host: HostIdSchema,
  at: z.iso.datetime().describe('when the sample was taken (the last stats tick)'),
  intervalMs: z.number().int(),
  cpu: NodeCpuStatsSchema.nullable().describe('null until two samples exist'),
  memory: NodeMemoryStatsSchema,
});
export type NodeStats = z.infer<typeof NodeStatsSchema>;

/** libvirt's view documents are large and evolve with libvirt: published as objects, typed in @vireo/libvirt-xml. */
export const CapabilitiesSchema = z.record(z.string(), z.unknown()).describe('readCapabilities view (CapabilitiesView)');
export const DomainCapabilitiesSchema = z
  .record(z.string(), z.unknown())
  .describe('readDomainCapabilities view (DomainCapabilitiesView)');

export const DomainCapabilitiesQuerySchema = z.object({
  arch: z.string().max(64).regex(/^[A-Za-z0-9_]+$/).optional(),
  machine: z.string().max(128).regex(/^[A-Za-z0-9_.-]+$/).optional(),
  virttype: z.enum(['kvm', 'qemu']).optional(),
  emulator: z.string().max(4096).regex(/^\/[^\0]*$/, 'an absolute path').optional(),
});
export type DomainCapabilitiesQuery = z.infer<typeof DomainCapabilitiesQuerySchema>;
