/** Flag and state values of libvirt's public API that callers of this package need (include/libvirt/*.h). */

/** virDomainState, with the lower-case names virsh and `vireo-virsh list --json` print. */
export const DomainState = {
  NOSTATE: 0,
  RUNNING: 1,
  BLOCKED: 2,
  PAUSED: 3,
  SHUTDOWN: 4,
  SHUTOFF: 5,
  CRASHED: 6,
  PMSUSPENDED: 7,
} as const;

export const DOMAIN_STATE_NAMES: Readonly<Record<number, string>> = {
  0: 'nostate',
  1: 'running',
  2: 'blocked',
  3: 'paused',
  4: 'shutdown',
  5: 'shutoff',
  6: 'crashed',
  7: 'pmsuspended',
};

export function domainStateName(state: number): string {
  return DOMAIN_STATE_NAMES[state] ?? `unknown(${state})`;
}

/** virConnectListAllDomainsFlags */
export const ListDomainsFlags = {
  ACTIVE: 1,
  INACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  RUNNING: 16,
  PAUSED: 32,
  SHUTOFF: 64,
  OTHER: 128,
  MANAGEDSAVE: 256,
  NO_MANAGEDSAVE: 512,
  AUTOSTART: 1024,
  NO_AUTOSTART: 2048,
  HAS_SNAPSHOT: 4096,
  NO_SNAPSHOT: 8192,
  HAS_CHECKPOINT: 16384,
  NO_CHECKPOINT: 32768,
} as const;

/** virDomainXMLFlags */
export const DomainXMLFlags = { SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;

/** virDomainCreateFlags */
export const DomainCreateFlags = { PAUSED: 1, AUTODESTROY: 2, BYPASS_CACHE: 4, FORCE_BOOT: 8, VALIDATE: 16 } as const;

/** virDomainDefineFlags */
export const DomainDefineFlags = { VALIDATE: 1 } as const;

/** virDomainUndefineFlagsValues */
export const DomainUndefineFlags = {
  MANAGED_SAVE: 1,
  SNAPSHOTS_METADATA: 2,
  NVRAM: 4,
  KEEP_NVRAM: 8,
  CHECKPOINTS_METADATA: 16,
  TPM: 32,
  KEEP_TPM: 64,
} as const;

/** virDomainModificationImpact / virDomainDeviceModifyFlags */
export const DomainModificationImpact = { CURRENT: 0, LIVE: 1, CONFIG: 2, FORCE: 4 } as const;

/** virDomainConsoleFlags */
export const DomainConsoleFlags = { FORCE: 1, SAFE: 2 } as const;

/** virDomainStatsTypes */
export const DomainStatsTypes = {
  STATE: 1,
  CPU_TOTAL: 2,
  BALLOON: 4,
  VCPU: 8,
  INTERFACE: 16,
  BLOCK: 32,
  PERF: 64,
  IOTHREAD: 128,
  MEMORY: 256,
  DIRTYRATE: 512,
  VM: 1024,
} as const;

/** virConnectGetAllDomainStatsFlags */
export const GetAllDomainStatsFlags = {
  ACTIVE: 1,
  INACTIVE: 2,
  PERSISTENT: 4,
  TRANSIENT: 8,
  RUNNING: 16,
  PAUSED: 32,
  SHUTOFF: 64,
  OTHER: 128,
  NOWAIT: 1 << 29,
  BACKING: 1 << 30,
  ENFORCE_STATS: 0x80000000,
} as const;

/** virConnectListAllNodeDeviceFlags (only the capabilities Vireo filters on). */
export const ListNodeDevicesFlags = {
  SYSTEM: 1,
  PCI_DEV: 2,
  USB_DEV: 4,
  USB_INTERFACE: 8,
  NET: 16,
  SCSI_HOST: 32,
  SCSI_TARGET: 64,
  SCSI: 128,
  STORAGE: 256,
  MDEV_TYPES: 8192,
  MDEV: 16384,
  VDPA: 1 << 17,
} as const;

/** virStorageVolCreateFlags / virStoragePoolBuildFlags used by Vireo. */
export const StorageVolCreateFlags = { PREALLOC_METADATA: 1, REFLINK: 2, VALIDATE: 4 } as const;

/** Keys of virDomainSendKey's codeset argument. */
export const KeycodeSet = { LINUX: 0, XT: 1, ATSET1: 2, ATSET2: 3, ATSET3: 4, OSX: 5, XT_KBD: 6, USB: 7, WIN32: 8, QNUM: 9 } as const;
