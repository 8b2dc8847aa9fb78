import { z } from 'zod';
import { DomainSummarySchema } from './domains.js';
import { HostHealthSchema, HostIdSchema, HostListItemSchema, NodeCpuStatsSchema, NodeMemoryStatsSchema } from './hosts.js';
import { HostIoRatesSchema } from './metrics.js';
import { TaskSchema } from './tasks.js';

/**
 * Messages of the `GET /api/v1/events` WebSocket (JSON text frames).
 *
 * Sequence numbers: every delta (a change of state) takes the next `seq`, and the server keeps the latest deltas in
 * a ring. `snapshot`, `resync`, `stats` and `heartbeat` carry the seq of the last delta sent before them and are
 * never replayed. A client remembers the highest seq it applied and reconnects with `?since=<seq>`: it gets the
 * deltas it missed when the ring still holds them, else a `resync` (a fresh snapshot) to replace its state.
 */
export const EventsQuerySchema = z.object({
  since: z.coerce.number().int().min(0).optional().describe('the last seq applied; replays the deltas after it'),
  epoch: z.string().max(64).optional().describe('the epoch of the snapshot that seq belongs to'),
});

export const HostStateSchema = HostListItemSchema.extend({
  domains: z.array(DomainSummarySchema).describe('the last known list while the host is not connected (see health)'),
});
export type HostState = z.infer<typeof HostStateSchema>;

const base = { seq: z.number().int() };

/** `epoch` names this server process: seq numbers restart with it, so a `since` is only valid with its epoch. */
export const SnapshotMessageSchema = z.object({ ...base, type: z.literal('snapshot'), epoch: z.string(), hosts: z.array(HostStateSchema) });
/** Replaces the client's whole state: sent when a `since` is too old, and when libvirtd came back on a host. */
export const ResyncMessageSchema = z.object({
  ...base,
  type: z.literal('resync'),
  epoch: z.string(),
  reason: z.enum(['since-too-old', 'host-reconnected']),
  hosts: z.array(HostStateSchema),
});

export const DomainUpdatedMessageSchema = z.object({
  ...base,
  type: z.literal('domain.updated'),
  host: HostIdSchema,
  domain: DomainSummarySchema,
  /** The libvirt event behind the change (e.g. `lifecycle SUSPENDED PAUSED`), when there was one. */
  cause: z.string().optional(),
});
export const DomainRemovedMessageSchema = z.object({
  ...base,
  type: z.literal('domain.removed'),
  host: HostIdSchema,
  uuid: z.string(),
  name: z.string(),
});
/** Device hot-plug events; the definition may have changed, so a detail page refetches. */
export const DomainDeviceMessageSchema = z.object({
  ...base,
  type: z.literal('domain.device'),
  host: HostIdSchema,
  uuid: z.string(),
  name: z.string(),
  event: z.enum(['added', 'removed', 'removal-failed']),
  alias: z.string(),
});

export const NETWORK_EVENT_TYPES = ['network.defined', 'network.undefined', 'network.started', 'network.stopped', 'network.metadata'] as const;
export const NetworkMessageSchema = z.object({
  ...base,
  type: z.enum(NETWORK_EVENT_TYPES),
  host: HostIdSchema,
  name: z.string(),
  uuid: z.string(),
});

export const POOL_EVENT_TYPES = [
  'pool.defined',
  'pool.undefined',
  'pool.started',
  'pool.stopped',
  'pool.created',
  'pool.deleted',
  'pool.refreshed',
] as const;
export const PoolMessageSchema = z.object({
  ...base,
  type: z.enum(POOL_EVENT_TYPES),
  host: HostIdSchema,
  name: z.string(),
  uuid: z.string(),
});

export const TaskMessageSchema = z.object({ ...base, type: z.literal('task'), host: HostIdSchema, task: TaskSchema });
export const HostHealthMessageSchema = z.object({ ...base, type: z.literal('host.health'), host: HostIdSchema, health: HostHealthSchema });

export const DomainStatsSampleSchema = z.object({
  uuid: z.string(),
  cpuPercent: z.number().nullable(),
  memoryUsedKiB: z.number().nullable(),
  diskReadBytesPerSec: z.number().nullable(),
  diskWriteBytesPerSec: z.number().nullable(),
  netRxBytesPerSec: z.number().nullable(),
  netTxBytesPerSec: z.number().nullable(),
});
export type DomainStatsSample = z.infer<typeof DomainStatsSampleSchema>;

/** One stats tick of a host: every running domain's rates from one get-all-domain-stats call. */
export const StatsMessageSchema = z.object({
  ...base,
  type: z.literal('stats'),
  host: HostIdSchema,
  at: z.number().describe('ms since the epoch'),
  intervalMs: z.number().int(),
  node: z
    .object({ cpu: NodeCpuStatsSchema.nullable(), memory: NodeMemoryStatsSchema, io: HostIoRatesSchema.optional().describe("the host's own network and disk rates") })
    .nullable(),
  domains: z.array(DomainStatsSampleSchema),
});

export const HeartbeatMessageSchema = z.object({ ...base, type: z.literal('heartbeat'), at: z.number() });

export const EventMessageSchema = z.discriminatedUnion('type', [
  SnapshotMessageSchema,
  ResyncMessageSchema,
  DomainUpdatedMessageSchema,
  DomainRemovedMessageSchema,
  DomainDeviceMessageSchema,
  NetworkMessageSchema,
  PoolMessageSchema,
  TaskMessageSchema,
  HostHealthMessageSchema,
  StatsMessageSchema,
  HeartbeatMessageSchema,
]);
export type EventMessage = z.infer<typeof EventMessageSchema>;
export type SnapshotMessage = z.infer<typeof SnapshotMessageSchema>;
export type ResyncMessage = z.infer<typeof ResyncMessageSchema>;
export type StatsMessage = z.infer<typeof StatsMessageSchema>;
export type HeartbeatMessage = z.infer<typeof HeartbeatMessageSchema>;

/** Messages that change state: numbered, kept in the replay ring. */
export type DeltaMessage = Exclude<EventMessage, SnapshotMessage | ResyncMessage | StatsMessage | HeartbeatMessage>;
/** A delta before the hub numbers it. */
export type DeltaBody = DeltaMessage extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;
