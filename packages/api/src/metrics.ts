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
export const HOST_SERIES = ['cpuPercent', 'memoryUsedBytes', 'memoryTotalBytes'] as const;
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
