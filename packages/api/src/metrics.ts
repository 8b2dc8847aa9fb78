import { z } from 'zod';
import { HostIdSchema } from './hosts.js';

/** A value per sample; null where there was none (the VM was not running, or no rate could be computed yet). */
const SeriesSchema = z.array(z.number().nullable());

export const MetricsQuerySchema = z.object({
  since: z.coerce.number().int().min(0).optional().describe('only samples taken after this time (ms since the epoch)'),
});
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>;

/** Up to an hour of samples, one per stats tick, oldest first; every series has one value per timestamp. */
export const MetricsSchema = z.object({
  host: HostIdSchema,
  uuid: z.string().optional(),
  intervalMs: z.number().int(),
  timestamps: z.array(z.number()).describe('ms since the epoch'),
  series: z.record(z.string(), SeriesSchema),
});
export type Metrics = z.infer<typeof MetricsSchema>;

/** Series names of host metrics. */
export const HOST_SERIES = [
  'cpuPercent',
  'memoryUsedBytes',
  'memoryTotalBytes',
  'netRxBytesPerSec',
  'netTxBytesPerSec',
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
] as const;
/** Series names of per-domain metrics. */
export const DOMAIN_SERIES = [
  'cpuPercent',
  'memoryUsedKiB',
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
  'netRxBytesPerSec',
  'netTxBytesPerSec',
] as const;
export type HostSeriesName = (typeof HOST_SERIES)[number];
export type DomainSeriesName = (typeof DOMAIN_SERIES)[number];

/**
 * The host's own network and disk throughput over the last stats tick (bytes per second); null until two samples
 * exist or when the host could not tell.
 */
export const HostIoRatesSchema = z.object({
  netRxBytesPerSec: z.number().nullable(),
  netTxBytesPerSec: z.number().nullable(),
  diskReadBytesPerSec: z.number().nullable(),
  diskWriteBytesPerSec: z.number().nullable(),
});
export type HostIoRates = z.infer<typeof HostIoRatesSchema>;

/** Most points the bulk endpoint returns per domain (an hour of 5 s ticks). */
export const MAX_BULK_POINTS = 720;

export const DomainsMetricsQuerySchema = z.object({
  series: z
    .string()
    .refine((s) => s.split(',').every((n) => (DOMAIN_SERIES as readonly string[]).includes(n)), `unknown series: the names are ${DOMAIN_SERIES.join(', ')}`)
    .optional()
    .describe(`comma-separated series names (${DOMAIN_SERIES.join(', ')}); default cpuPercent,memoryUsedKiB`),
  points: z.coerce.number().int().min(1).max(MAX_BULK_POINTS).default(60).describe('the newest ticks to return'),
});
export type DomainsMetricsQuery = z.input<typeof DomainsMetricsQuerySchema>;

/**
 * The newest `points` ticks of every domain that ran within them, for the list's sparklines: one timestamps array
 * shared by all, and per domain one array per series aligned with it (null where the domain had no sample). Values
 * are rounded to keep the body small (percentages to a tenth, bytes and KiB to a unit). Domains without a sample in the window are left out.
 */
export const DomainsMetricsSchema = z.object({
  host: HostIdSchema,
  intervalMs: z.number().int(),
  timestamps: z.array(z.number()).describe('ms since the epoch, oldest first'),
  domains: z.record(z.string().describe('domain uuid'), z.record(z.string(), SeriesSchema)),
});
export type DomainsMetrics = z.infer<typeof DomainsMetricsSchema>;
