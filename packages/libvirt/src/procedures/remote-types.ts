/**
 * Shared types of libvirt's remote program (src/remote/remote_protocol.x), as XDR schemas.
 * Names follow the .x file without the `remote_` prefix.
 */
import {
  fixedOpaque,
  int,
  hyper,
  uhyper,
  uint,
  double,
  named,
  optional,
  string,
  struct,
  union,
  type Infer,
} from '../xdr/index.js';

export const REMOTE_STRING_MAX = 4194304;
export const REMOTE_DOMAIN_LIST_MAX = 16384;
export const REMOTE_CPUMAP_MAX = 2048;
export const REMOTE_VCPUINFO_MAX = 16384;
export const REMOTE_CPUMAPS_MAX = 8388608;
export const REMOTE_IOTHREAD_INFO_MAX = 16384;
export const REMOTE_MIGRATE_COOKIE_MAX = 4194304;
export const REMOTE_NETWORK_LIST_MAX = 16384;
export const REMOTE_NETWORK_PORT_LIST_MAX = 16384;
export const REMOTE_INTERFACE_LIST_MAX = 16384;
export const REMOTE_STORAGE_POOL_LIST_MAX = 16384;
export const REMOTE_STORAGE_VOL_LIST_MAX = 16384;
export const REMOTE_NODE_DEVICE_LIST_MAX = 65536;
export const REMOTE_NODE_DEVICE_CAPS_LIST_MAX = 65536;
export const REMOTE_NWFILTER_LIST_MAX = 16384;
export const REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX = 16;
export const REMOTE_DOMAIN_BLKIO_PARAMETERS_MAX = 16;
export const REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX = 16;
export const REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX = 32;
export const REMOTE_DOMAIN_NUMA_PARAMETERS_MAX = 16;
export const REMOTE_DOMAIN_PERF_EVENTS_MAX = 64;
export const REMOTE_DOMAIN_BLOCK_COPY_PARAMETERS_MAX = 16;
export const REMOTE_NODE_CPU_STATS_MAX = 16;
export const REMOTE_NODE_MEMORY_STATS_MAX = 16;
export const REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX = 16;
export const REMOTE_NODE_MAX_CELLS = 1024;
export const REMOTE_AUTH_SASL_DATA_MAX = 65536;
export const REMOTE_AUTH_TYPE_LIST_MAX = 20;
export const REMOTE_DOMAIN_MEMORY_STATS_MAX = 1024;
export const REMOTE_DOMAIN_SNAPSHOT_LIST_MAX = 16384;
export const REMOTE_DOMAIN_CHECKPOINT_LIST_MAX = 16384;
export const REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX = 4194304;
export const REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX = 4194304;
export const REMOTE_SECURITY_LABEL_LIST_MAX = 64;
export const REMOTE_SECRET_VALUE_MAX = 65536;
export const REMOTE_SECRET_LIST_MAX = 16384;
export const REMOTE_CPU_BASELINE_MAX = 256;
export const REMOTE_DOMAIN_SEND_KEY_MAX = 16;
export const REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX = 16;
export const REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX = 128;
export const REMOTE_DOMAIN_GET_CPU_STATS_MAX = 2048;
export const REMOTE_DOMAIN_DISK_ERRORS_MAX = 256;
export const REMOTE_NODE_MEMORY_PARAMETERS_MAX = 64;
export const REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX = 64;
export const REMOTE_DOMAIN_JOB_STATS_MAX = 64;
export const REMOTE_CONNECT_CPU_MODELS_MAX = 8192;
export const REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX = 256;
export const REMOTE_NETWORK_DHCP_LEASES_MAX = 65536;
export const REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX = 262144;
export const REMOTE_DOMAIN_EVENT_TUNABLE_MAX = 2048;
export const REMOTE_DOMAIN_FSINFO_MAX = 256;
export const REMOTE_DOMAIN_FSINFO_DISKS_MAX = 256;
export const REMOTE_DOMAIN_INTERFACE_MAX = 2048;
export const REMOTE_DOMAIN_IP_ADDR_MAX = 2048;
export const REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX = 64;
export const REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX = 64;
export const REMOTE_NODE_SEV_INFO_MAX = 64;
export const REMOTE_DOMAIN_LAUNCH_SECURITY_INFO_PARAMS_MAX = 64;
export const REMOTE_DOMAIN_LAUNCH_SECURITY_STATE_PARAMS_MAX = 64;
export const REMOTE_DOMAIN_GUEST_INFO_PARAMS_MAX = 2048;
export const REMOTE_NETWORK_PORT_PARAMETERS_MAX = 16;
export const REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX = 2048;
export const REMOTE_DOMAIN_MESSAGES_MAX = 2048;
export const REMOTE_DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX = 20;
export const VIR_UUID_BUFLEN = 16;
export const REMOTE_CONNECT_IDENTITY_PARAMS_MAX = 20;

export const nonnullString = named('remote_nonnull_string', string(REMOTE_STRING_MAX));
export const remoteString = named('remote_string', optional(nonnullString));
export const remoteUuid = named('remote_uuid', fixedOpaque(VIR_UUID_BUFLEN));

export const nonnullDomain = named('remote_nonnull_domain', struct({ name: nonnullString, uuid: remoteUuid, id: int }));
export const nonnullNetwork = named('remote_nonnull_network', struct({ name: nonnullString, uuid: remoteUuid }));
export const nonnullNetworkPort = named(
  'remote_nonnull_network_port',
  struct({ net: nonnullNetwork, uuid: remoteUuid }),
);
export const nonnullNwfilter = named('remote_nonnull_nwfilter', struct({ name: nonnullString, uuid: remoteUuid }));
export const nonnullNwfilterBinding = named(
  'remote_nonnull_nwfilter_binding',
  struct({ portdev: nonnullString, filtername: nonnullString }),
);
export const nonnullInterface = named('remote_nonnull_interface', struct({ name: nonnullString, mac: nonnullString }));
export const nonnullStoragePool = named('remote_nonnull_storage_pool', struct({ name: nonnullString, uuid: remoteUuid }));
export const nonnullStorageVol = named(
  'remote_nonnull_storage_vol',
  struct({ pool: nonnullString, name: nonnullString, key: nonnullString }),
);
export const nonnullNodeDevice = named('remote_nonnull_node_device', struct({ name: nonnullString }));
export const nonnullSecret = named(
  'remote_nonnull_secret',
  struct({ uuid: remoteUuid, usageType: int, usageID: nonnullString }),
);
export const nonnullDomainSnapshot = named(
  'remote_nonnull_domain_snapshot',
  struct({ name: nonnullString, dom: nonnullDomain }),
);
export const nonnullDomainCheckpoint = named(
  'remote_nonnull_domain_checkpoint',
  struct({ name: nonnullString, dom: nonnullDomain }),
);

export const remoteDomain = named('remote_domain', optional(nonnullDomain));
export const remoteNetwork = named('remote_network', optional(nonnullNetwork));
export const remoteStoragePool = named('remote_storage_pool', optional(nonnullStoragePool));
export const remoteStorageVol = named('remote_storage_vol', optional(nonnullStorageVol));
export const remoteNodeDevice = named('remote_node_device', optional(nonnullNodeDevice));
export const remoteSecret = named('remote_secret', optional(nonnullSecret));

/** `remote_error`: what the daemon sends with a REPLY/ERROR or STREAM/ERROR. */
export const remoteError = named(
  'remote_error',
  struct({
    code: int,
    domain: int,
    message: remoteString,
    level: int,
    dom: remoteDomain,
    str1: remoteString,
    str2: remoteString,
    str3: remoteString,
    int1: int,
    int2: int,
    net: remoteNetwork,
  }),
);
export type RemoteError = Infer<typeof remoteError>;

/** Typed parameter value types (virTypedParameterType). */
export const TypedParamType = {
  INT: 1,
  UINT: 2,
  LLONG: 3,
  ULLONG: 4,
  DOUBLE: 5,
  BOOLEAN: 6,
  STRING: 7,
} as const;

export const typedParamValue = named(
  'remote_typed_param_value',
  union({
    1: int,
    2: uint,
    3: hyper,
    4: uhyper,
    5: double,
    6: int,
    7: nonnullString,
  }),
);
export const typedParam = named('remote_typed_param', struct({ field: nonnullString, value: typedParamValue }));
export type TypedParam = Infer<typeof typedParam>;

// Appended for the procedure catalogue (values from remote_protocol.x).
export const REMOTE_DOMAIN_SAVE_PARAMS_MAX = 64;
export const REMOTE_NWFILTER_BINDING_LIST_MAX = 16384;
