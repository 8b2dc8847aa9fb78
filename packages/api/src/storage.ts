import { z } from 'zod';
import { HostParamsSchema } from './hosts.js';

/** A pool or volume name as libvirt accepts it in a path segment: no slash, not `.` or `..`. */
export const StorageNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\0]+$/, 'no "/"')
  .refine((s) => s !== '.' && s !== '..', 'not "." or ".."');

export const PoolParamsSchema = HostParamsSchema.extend({ pool: StorageNameSchema });
export type PoolParams = z.infer<typeof PoolParamsSchema>;

export const StoragePoolSchema = z.object({
  name: z.string(),
  uuid: z.string(),
  type: z.string().describe('pool type: dir, fs, logical, iscsi, ...'),
  active: z.boolean(),
  autostart: z.boolean(),
  persistent: z.boolean(),
  path: z.string().nullable().describe('the target path (directory or device prefix) when the pool has one'),
  capacityBytes: z.number().describe('0 when the pool is inactive'),
  allocationBytes: z.number(),
  availableBytes: z.number(),
});
export type StoragePool = z.infer<typeof StoragePoolSchema>;

export const StoragePoolListSchema = z.object({
  pools: z.array(StoragePoolSchema),
});
export type StoragePoolList = z.infer<typeof StoragePoolListSchema>;

/** The `default` pool the wizard makes when a host has none, as virt-manager does. */
export const DEFAULT_POOL = { name: 'default', path: '/var/lib/libvirt/images' } as const;

export const VolumeFormatSchema = z.enum(['qcow2', 'raw', 'iso', 'unknown']);

export const StorageVolumeSchema = z.object({
  name: z.string(),
  key: z.string(),
  path: z.string(),
  pool: z.string(),
  type: z.string().describe('file, block, dir, network, ...'),
  format: VolumeFormatSchema.describe('from the volume XML target format; iso for CD images'),
  capacityBytes: z.number(),
  allocationBytes: z.number(),
  usedBy: z.array(z.string()).describe('names of domains whose definition references this volume'),
});
export type StorageVolume = z.infer<typeof StorageVolumeSchema>;

export const StorageVolumeListSchema = z.object({
  pool: z.string(),
  volumes: z.array(StorageVolumeSchema),
});
export type StorageVolumeList = z.infer<typeof StorageVolumeListSchema>;

export const VolumeCreateRequestSchema = z.object({
  name: StorageNameSchema,
  capacity: z.number().int().min(1).describe('bytes'),
  format: z.enum(['qcow2', 'raw']).default('qcow2'),
});
export type VolumeCreateRequest = z.input<typeof VolumeCreateRequestSchema>;

// ------------------------------------------------------------------ install media

/** Where a boot image is: a volume in a pool, or a file in one of the server's configured ISO directories. */
export const MediaLocationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('volume'), pool: z.string(), volume: z.string() }),
  z.object({ type: z.literal('file'), path: z.string() }),
]);
export type MediaLocation = z.infer<typeof MediaLocationSchema>;

export const InstallMediaSchema = z.object({
  name: z.string().describe('file name'),
  source: MediaLocationSchema,
  path: z.string().describe('absolute path on the host'),
  sizeBytes: z.number().describe('bytes the file or volume takes on the host'),
  virtualSizeBytes: z.number().describe('the disk size a guest sees (a qcow2 image\'s virtual size); sizeBytes otherwise'),
  kind: z.enum(['iso', 'disk-image']).describe('iso: CD image to boot from; disk-image: qcow2/raw image to import'),
  format: z.enum(['iso', 'qcow2', 'raw']),
  origin: z.string().describe('the pool name, or the configured directory the file is in'),
});
export type InstallMedia = z.infer<typeof InstallMediaSchema>;

export const InstallMediaListSchema = z.object({
  media: z.array(InstallMediaSchema),
  directories: z.array(z.string()).describe('the configured ISO directories searched besides the pools (VIREO_ISO_DIRS)'),
});
export type InstallMediaList = z.infer<typeof InstallMediaListSchema>;
