import { z } from 'zod';
import { HostIdSchema } from './hosts.js';
import { ProblemSchema } from './problem.js';

/** libvirt's UUID form; the dashes are optional as for virsh. */
export const DomainUuidSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/, 'a UUID');

export const DomainParamsSchema = z.object({ host: HostIdSchema, uuid: DomainUuidSchema });
export type DomainParams = z.infer<typeof DomainParamsSchema>;

/** virDomainState as virsh names it. */
export const DomainStateSchema = z.enum(['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended']);
export type DomainStateName = z.infer<typeof DomainStateSchema>;

/** One row of the VM list, served from the server's per-host state (kept current by events and the stats tick). */
export const DomainSummarySchema = z.object({
  uuid: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  /** The running domain's id; null when shut off. */
  id: z.number().int().nullable(),
  state: DomainStateSchema,
  stateReason: z.string().describe('the state reason, e.g. user, booted, destroyed, unknown'),
  vcpus: z.number().int().describe('vCPUs online (current)'),
  maxVcpus: z.number().int(),
  memoryKiB: z.number().describe('memory the guest has now (current balloon size)'),
  maxMemoryKiB: z.number(),
  autostart: z.boolean(),
  persistent: z.boolean(),
  graphics: z.string().nullable().describe('type of the first graphics device (vnc, spice, ...), null without one'),
  cpuPercent: z.number().nullable().describe('guest CPU use over the last stats tick, 100 = all its vCPUs busy'),
  memoryUsedKiB: z.number().nullable().describe('guest-reported use when the balloon driver reports it, else QEMU RSS'),
  addresses: z
    .array(z.string())
    .describe('guest IP addresses when known (leases of libvirt networks, else the ARP table); empty when unknown or shut off'),
});
export type DomainSummary = z.infer<typeof DomainSummarySchema>;

export const DomainListSchema = z.object({
  host: HostIdSchema,
  seq: z.number().int().describe('the events sequence number this list is current to; connect with ?since= it'),
  domains: z.array(DomainSummarySchema),
});
export type DomainList = z.infer<typeof DomainListSchema>;

export const DomainDetailSchema = z.object({
  summary: DomainSummarySchema,
  etag: z.string().describe('revision of the inactive definition; send it as If-Match on changes'),
  xml: z.string().describe('the inactive definition; for viewers with secrets (graphics passwords) removed'),
  redacted: z.array(z.string()).describe('XPath-like places where secrets were removed (viewers only)'),
  view: z.record(z.string(), z.unknown()).describe('readDomain view of the inactive definition (DomainView)'),
  live: z.record(z.string(), z.unknown()).nullable().describe('readDomain view of the running configuration; null when shut off'),
});
export type DomainDetail = z.infer<typeof DomainDetailSchema>;

// ------------------------------------------------------------------ create

const SizeUnitSchema = z.enum(['B', 'bytes', 'K', 'KiB', 'M', 'MiB', 'G', 'GiB', 'T', 'TiB', 'P', 'PiB', 'E', 'EiB', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB']);
/** A size with its unit: `{ value: 2, unit: 'GiB' }` or `'2GiB'`. */
export const ExplicitSizeSchema = z.union([z.object({ value: z.number().nonnegative(), unit: SizeUnitSchema }), z.string().max(64)]);
/** A size: bytes as a bare number, or with a unit. */
export const SizeInputSchema = z.union([z.number().int().nonnegative(), ExplicitSizeSchema]);

const NameSchema = z.string().min(1).max(200);
const PathSchema = z.string().min(1).max(4096).regex(/^\//, 'an absolute path');
const MediaSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), path: PathSchema }),
  z.object({ type: z.literal('volume'), pool: NameSchema, volume: NameSchema }),
]);
const DiskSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), path: PathSchema }),
  z.object({ type: z.literal('block'), dev: PathSchema }),
  z.object({ type: z.literal('volume'), pool: NameSchema, volume: NameSchema }),
]);
const BootOrderSchema = z.number().int().min(1).max(1000);

/** The create-VM spec of @vireo/libvirt-xml's `buildDomain` (DomainSpec), as JSON. */
export const DomainSpecSchema = z.object({
  name: NameSchema,
  title: z.string().max(1000).optional(),
  description: z.string().max(100_000).optional(),
  uuid: DomainUuidSchema.optional(),
  type: z.enum(['kvm', 'qemu']).optional(),
  arch: z.string().max(64).optional(),
  machine: z.string().max(128).optional(),
  osinfo: z.string().max(1000).optional(),
  memory: ExplicitSizeSchema,
  currentMemory: ExplicitSizeSchema.optional(),
  vcpus: z.number().int().min(1).max(4096),
  topology: z
    .object({ sockets: z.number().int().min(1), dies: z.number().int().min(1).optional(), cores: z.number().int().min(1), threads: z.number().int().min(1) })
    .optional(),
  cpu: z.object({ mode: z.enum(['host-passthrough', 'host-model', 'maximum', 'custom']).optional(), model: z.string().max(128).optional() }).optional(),
  firmware: z.enum(['bios', 'uefi']).optional(),
  secureBoot: z.boolean().optional(),
  enrolledKeys: z.boolean().optional(),
  features: z.object({ acpi: z.boolean().optional(), apic: z.boolean().optional(), smm: z.boolean().optional(), hyperv: z.boolean().optional() }).optional(),
  clock: z.enum(['utc', 'localtime']).optional(),
  onPoweroff: z.enum(['destroy', 'restart']).optional(),
  onReboot: z.enum(['destroy', 'restart']).optional(),
  onCrash: z.enum(['destroy', 'restart', 'preserve', 'coredump-destroy', 'coredump-restart']).optional(),
  disks: z
    .array(
      z.object({
        source: DiskSourceSchema,
        create: z.boolean().optional().describe('create the volume (pool sources only) before defining; needs size'),
        size: SizeInputSchema.optional(),
        format: z.enum(['qcow2', 'raw']).optional(),
        bus: z.enum(['virtio', 'sata', 'scsi']).optional(),
        cache: z.enum(['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe']).optional(),
        discard: z.enum(['unmap', 'ignore']).optional(),
        readonly: z.boolean().optional(),
        serial: z.string().max(64).optional(),
        bootOrder: BootOrderSchema.optional(),
        cloneFrom: z
          .object({ pool: NameSchema, volume: NameSchema })
          .optional()
          .describe('with create: make the new volume a copy of this one (a cloud image), grown to size when larger'),
      }),
    )
    .max(64)
    .optional(),
  cdroms: z
    .array(z.object({ source: MediaSourceSchema.optional(), bus: z.enum(['sata', 'ide', 'scsi']).optional(), bootOrder: BootOrderSchema.optional() }))
    .max(8)
    .optional(),
  cloudInitSeed: MediaSourceSchema.optional(),
  interfaces: z
    .array(
      z.object({
        source: z.discriminatedUnion('type', [
          z.object({ type: z.literal('network'), network: NameSchema, portgroup: NameSchema.optional() }),
          z.object({ type: z.literal('bridge'), bridge: NameSchema }),
          z.object({ type: z.literal('direct'), dev: NameSchema, mode: z.enum(['bridge', 'vepa', 'private', 'passthrough']).optional() }),
        ]),
        model: z.enum(['virtio', 'e1000e', 'e1000', 'rtl8139']).optional(),
        mac: z.string().max(17).optional(),
        bootOrder: BootOrderSchema.optional(),
      }),
    )
    .max(32)
    .optional(),
  pxe: z.boolean().optional(),
  graphics: z
    .discriminatedUnion('type', [
      z.object({
        type: z.enum(['vnc', 'spice']),
        listen: z.string().max(64).optional(),
        port: z.number().int().min(1).max(65535).optional(),
        password: z.string().max(64).optional(),
      }),
      z.object({ type: z.literal('none') }),
    ])
    .optional(),
  video: z.enum(['virtio', 'qxl', 'vga', 'bochs', 'ramfb', 'none']).optional(),
  tablet: z.boolean().optional(),
  serialConsole: z.boolean().optional(),
  guestAgent: z.boolean().optional(),
  memballoon: z.union([z.literal(false), z.object({ statsPeriod: z.number().int().min(0).max(86400).optional() })]).optional(),
  rng: z.boolean().optional(),
  tpm: z.boolean().optional(),
  controllers: z
    .array(
      z.object({
        type: z.enum(['usb', 'scsi', 'sata', 'ide', 'virtio-serial', 'pci']),
        model: z.string().max(64).optional(),
        index: z.number().int().min(0).max(255).optional(),
        ports: z.number().int().min(1).max(255).optional(),
      }),
    )
    .max(64)
    .optional(),
});
export type DomainSpecInput = z.infer<typeof DomainSpecSchema>;

/** A NoCloud seed the server builds (xorriso) into a volume of the VM and attaches as a CD-ROM. */
export const CloudInitSchema = z.object({
  pool: NameSchema.optional().describe('pool of the seed volume; default: the first new disk\'s pool'),
  userData: z.string().min(1).max(256 * 1024).describe('user-data: YAML starting with #cloud-config'),
  hostname: z.string().max(253).optional().describe('local-hostname of meta-data; default: the domain name'),
  networkConfig: z.string().max(64 * 1024).optional().describe('network-config (version 2 YAML)'),
});
export type CloudInit = z.infer<typeof CloudInitSchema>;

export const DomainCreateRequestSchema = z.object({
  spec: DomainSpecSchema,
  start: z.boolean().default(false).describe('start the domain once defined'),
  cloudInit: CloudInitSchema.optional().describe('build a cloud-init seed for the VM (removed again if the create fails)'),
});

/** The body of a preview: the spec (and cloud-init, whose seed CD-ROM then shows in the XML), as for a create. */
export const DomainPreviewRequestSchema = DomainCreateRequestSchema.pick({ spec: true, cloudInit: true });
export type DomainPreviewRequest = z.input<typeof DomainPreviewRequestSchema>;

/** What the wizard shows before creating: the domain XML the spec builds, not defined. */
export const DomainPreviewSchema = z.object({ xml: z.string() });
export type DomainPreview = z.infer<typeof DomainPreviewSchema>;
export type DomainCreateRequest = z.input<typeof DomainCreateRequestSchema>;

// ------------------------------------------------------------------ edits

const DeviceIdentitySchema = z.union([
  z.object({ kind: z.literal('disk'), target: z.string().min(1).max(32) }),
  z.object({ kind: z.literal('interface'), mac: z.string().min(1).max(17) }),
  z.object({ alias: z.string().min(1).max(128) }),
]);

/** One typed edit of the inactive definition; the operations of a PATCH apply in order, then one redefine. */
export const DomainEditSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('name'), name: NameSchema.describe('renames; the domain must be shut off') }),
  z.object({ op: z.literal('title'), title: z.string().max(1000).describe('empty removes it') }),
  z.object({ op: z.literal('description'), description: z.string().max(100_000).describe('empty removes it') }),
  z.object({
    op: z.literal('memory'),
    kib: z.number().int().min(1).describe('maximum memory in KiB'),
    current: z.boolean().optional().describe('also set the boot-time (current) memory to it'),
  }),
  z.object({ op: z.literal('currentMemory'), kib: z.number().int().min(1) }),
  z.object({
    op: z.literal('vcpus'),
    max: z.number().int().min(1).max(4096),
    current: z.number().int().min(1).max(4096).nullable().optional(),
    placement: z.enum(['static', 'auto']).optional(),
    topology: z
      .object({
        sockets: z.number().int().min(1),
        dies: z.number().int().min(1).optional(),
        clusters: z.number().int().min(1).optional(),
        cores: z.number().int().min(1),
        threads: z.number().int().min(1),
      })
      .optional(),
  }),
  z.object({
    op: z.literal('cpuMode'),
    mode: z.enum(['host-passthrough', 'host-model', 'custom', 'maximum']),
    model: z.string().min(1).max(128).optional(),
    fallback: z.enum(['allow', 'forbid']).optional(),
    dropFeatures: z.boolean().optional(),
  }),
  z.object({
    op: z.literal('bootOrder'),
    order: z.union([z.array(z.enum(['hd', 'cdrom', 'fd', 'network'])).max(4), z.array(DeviceIdentitySchema).min(1).max(64)]),
  }),
  z.object({
    op: z.literal('firmware'),
    kind: z.enum(['bios', 'uefi']),
    secureBoot: z.boolean().optional(),
    autoselect: z.boolean().optional(),
  }),
  z.object({
    op: z.literal('graphicsType'),
    type: z.literal('vnc').describe('switch a SPICE display to VNC (SPICE channels, USB redirection and QXL go)'),
  }),
  z.object({
    op: z.literal('graphicsListen'),
    address: z.string().min(1).max(255).describe('the address the first VNC/SPICE display listens on, e.g. 0.0.0.0'),
  }),
  z.object({
    op: z.literal('lifecycle'),
    event: z.enum(['on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure']),
    action: z.string().min(1).max(32),
  }),
]);
export type DomainEdit = z.infer<typeof DomainEditSchema>;

export const DomainPatchRequestSchema = z.object({ operations: z.array(DomainEditSchema).min(1).max(100) });
export type DomainPatchRequest = z.infer<typeof DomainPatchRequestSchema>;

export const DomainXmlRequestSchema = z.object({ xml: z.string().min(1).max(4 * 1024 * 1024) });
export type DomainXmlRequest = z.infer<typeof DomainXmlRequestSchema>;

/** Revision headers of definition changes: If-Match carries the ETag the change was based on. */
export const IfMatchHeadersSchema = z.object({ 'if-match': z.string().max(256).optional() });

/** The body of a DELETE is optional (null when absent): without one, no volume is deleted. */
export const DomainDeleteRequestSchema = z
  .object({
    volumes: z
      .array(PathSchema)
      .max(64)
      .default([])
      .describe('paths of the domain\'s disk volumes to delete with it; none by default'),
  })
  .nullable();
export type DomainDeleteRequest = z.input<typeof DomainDeleteRequestSchema>;

export const DOMAIN_ACTIONS = ['start', 'shutdown', 'reboot', 'reset', 'destroy', 'suspend', 'resume', 'nmi', 'managedsave'] as const;
export const DomainActionSchema = z.enum(DOMAIN_ACTIONS);
export type DomainAction = z.infer<typeof DomainActionSchema>;
export const DomainActionParamsSchema = DomainParamsSchema.extend({ action: DomainActionSchema });

export const AutostartRequestSchema = z.object({ enabled: z.boolean() });
export type AutostartRequest = z.infer<typeof AutostartRequestSchema>;

/** 409 on a change based on an old revision: the problem plus the definition as it is now. */
export const DomainConflictSchema = ProblemSchema.extend({
  current: z.object({ etag: z.string(), xml: z.string(), redacted: z.array(z.string()) }),
});
export type DomainConflict = z.infer<typeof DomainConflictSchema>;
