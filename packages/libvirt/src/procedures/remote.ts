/**
 * The procedure catalogue of libvirt's remote program (0x20008086): for every procedure we speak, its number and
 * the schemas of its `*_args` and `*_ret` structs. Layouts follow src/remote/remote_protocol.x; field names are the
 * .x names so values read like the protocol. Procedures without args or ret use `voidCodec`.
 *
 * Local aliases below are named after the .x field they usually fill, so `struct({ dom, flags })` is exactly
 * `{ remote_nonnull_domain dom; unsigned int flags; }`. Where a field of the same name has another type (e.g. the
 * `unsigned hyper flags` of the old migration calls) it is written out.
 */
import {
  array,
  charArray,
  hyper,
  int,
  opaque,
  struct,
  uhyper,
  uint,
  voidCodec,
  type Infer,
} from '../xdr/index.js';
import { procedure } from './types.js';
import {
  REMOTE_AUTH_TYPE_LIST_MAX,
  REMOTE_CONNECT_CPU_MODELS_MAX,
  REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX,
  REMOTE_CONNECT_IDENTITY_PARAMS_MAX,
  REMOTE_CPU_BASELINE_MAX,
  REMOTE_CPUMAP_MAX,
  REMOTE_CPUMAPS_MAX,
  REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX,
  REMOTE_DOMAIN_BLKIO_PARAMETERS_MAX,
  REMOTE_DOMAIN_BLOCK_COPY_PARAMETERS_MAX,
  REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX,
  REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX,
  REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX,
  REMOTE_DOMAIN_CHECKPOINT_LIST_MAX,
  REMOTE_DOMAIN_DISK_ERRORS_MAX,
  REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX,
  REMOTE_DOMAIN_FSINFO_DISKS_MAX,
  REMOTE_DOMAIN_FSINFO_MAX,
  REMOTE_DOMAIN_GET_CPU_STATS_MAX,
  REMOTE_DOMAIN_GUEST_INFO_PARAMS_MAX,
  REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX,
  REMOTE_DOMAIN_INTERFACE_MAX,
  REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX,
  REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX,
  REMOTE_DOMAIN_IP_ADDR_MAX,
  REMOTE_DOMAIN_JOB_STATS_MAX,
  REMOTE_DOMAIN_LAUNCH_SECURITY_INFO_PARAMS_MAX,
  REMOTE_DOMAIN_LAUNCH_SECURITY_STATE_PARAMS_MAX,
  REMOTE_DOMAIN_LIST_MAX,
  REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX,
  REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX,
  REMOTE_DOMAIN_MEMORY_STATS_MAX,
  REMOTE_DOMAIN_MESSAGES_MAX,
  REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX,
  REMOTE_DOMAIN_NUMA_PARAMETERS_MAX,
  REMOTE_DOMAIN_PERF_EVENTS_MAX,
  REMOTE_DOMAIN_SAVE_PARAMS_MAX,
  REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX,
  REMOTE_DOMAIN_SEND_KEY_MAX,
  REMOTE_DOMAIN_SNAPSHOT_LIST_MAX,
  REMOTE_INTERFACE_LIST_MAX,
  REMOTE_IOTHREAD_INFO_MAX,
  REMOTE_MIGRATE_COOKIE_MAX,
  REMOTE_NETWORK_DHCP_LEASES_MAX,
  REMOTE_NETWORK_LIST_MAX,
  REMOTE_NETWORK_PORT_LIST_MAX,
  REMOTE_NETWORK_PORT_PARAMETERS_MAX,
  REMOTE_NODE_CPU_STATS_MAX,
  REMOTE_NODE_DEVICE_CAPS_LIST_MAX,
  REMOTE_NODE_DEVICE_LIST_MAX,
  REMOTE_NODE_MAX_CELLS,
  REMOTE_NODE_MEMORY_PARAMETERS_MAX,
  REMOTE_NODE_MEMORY_STATS_MAX,
  REMOTE_NODE_SEV_INFO_MAX,
  REMOTE_NWFILTER_BINDING_LIST_MAX,
  REMOTE_NWFILTER_LIST_MAX,
  REMOTE_SECRET_LIST_MAX,
  REMOTE_SECRET_VALUE_MAX,
  REMOTE_STORAGE_POOL_LIST_MAX,
  REMOTE_STORAGE_VOL_LIST_MAX,
  REMOTE_VCPUINFO_MAX,
  nonnullDomain,
  nonnullDomainCheckpoint,
  nonnullDomainSnapshot,
  nonnullInterface,
  nonnullNetwork,
  nonnullNetworkPort,
  nonnullNodeDevice,
  nonnullNwfilter,
  nonnullNwfilterBinding,
  nonnullSecret,
  nonnullStoragePool,
  nonnullStorageVol,
  nonnullString,
  remoteDomain,
  remoteNetwork,
  remoteNodeDevice,
  remoteSecret,
  remoteStoragePool,
  remoteString,
  remoteUuid,
  typedParam,
} from './remote-types.js';

// ---- field aliases (named after the .x field they fill) ----
const dom = nonnullDomain;
const net = nonnullNetwork;
const network = nonnullNetwork;
const port = nonnullNetworkPort;
const iface = nonnullInterface;
const pool = nonnullStoragePool;
const vol = nonnullStorageVol;
const dev = nonnullNodeDevice;
const secret = nonnullSecret;
const snap = nonnullDomainSnapshot;
const checkpoint = nonnullDomainCheckpoint;
const nwfilter = nonnullNwfilter;
const name = nonnullString;
const xml = nonnullString;
const xml_desc = nonnullString;
const path = nonnullString;
const uuid = remoteUuid;
const flags = uint;
const need_results = int;
const maxnames = int;
const nparams = int;
const autostart = int;
const callbackID = int;
const eventID = int;
const cookie_in = opaque(REMOTE_MIGRATE_COOKIE_MAX);
const cookie_out = opaque(REMOTE_MIGRATE_COOKIE_MAX);
const cpumap = opaque(REMOTE_CPUMAP_MAX);

const typedParams = (max: number) => array(typedParam, max);
const names = (max: number) => array(nonnullString, max);

// ---- structs shared by many procedures ----
const DomArgs = struct({ dom });
const DomFlagsArgs = struct({ dom, flags });
const DomRet = struct({ dom });
const DomXmlFlagsArgs = struct({ dom, xml, flags });
const XmlRet = struct({ xml });
const XmlFlagsArgs = struct({ xml, flags });
const NameArgs = struct({ name });
const NameFlagsArgs = struct({ name, flags });
const UuidArgs = struct({ uuid });
const FlagsArgs = struct({ flags });
const NumRet = struct({ num: int });
const MaxnamesArgs = struct({ maxnames });
const ListAllArgs = struct({ need_results, flags });
const AutostartRet = struct({ autostart });
const ActiveRet = struct({ active: int });
const PersistentRet = struct({ persistent: int });
const ResultRet = struct({ result: int });
const CallbackIdArgs = struct({ callbackID });
const CallbackIdRet = struct({ callbackID });
const NetArgs = struct({ net });
const NetRet = struct({ net });
const IfaceArgs = struct({ iface });
const IfaceFlagsArgs = struct({ iface, flags });
const IfaceRet = struct({ iface });
const PoolArgs = struct({ pool });
const PoolFlagsArgs = struct({ pool, flags });
const PoolRet = struct({ pool });
const VolArgs = struct({ vol });
const VolFlagsArgs = struct({ vol, flags });
const VolRet = struct({ vol });
const DevRet = struct({ dev });
const SecretRet = struct({ secret });
const SnapFlagsArgs = struct({ snap, flags });
const SnapRet = struct({ snap });
const CheckpointFlagsArgs = struct({ checkpoint, flags });
const CheckpointRet = struct({ checkpoint });
const NwfilterRet = struct({ nwfilter });
const NwfilterBindingRet = struct({ nwfilter: nonnullNwfilterBinding });
const PortFlagsArgs = struct({ port, flags });
const PortRet = struct({ port });
const GetParamsArgs = struct({ dom, nparams, flags });
const SetParamsArgs = (max: number) => struct({ dom, params: typedParams(max), flags });
const GetParamsRet = (max: number) => struct({ params: typedParams(max), nparams });
const FsFreezeArgs = struct({ dom, mountpoints: names(REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX), flags });
const StorageVolInfoRet = struct({ type: int, capacity: uhyper, allocation: uhyper });
const StorageVolStreamArgs = struct({ vol, offset: uhyper, length: uhyper, flags });

// ---- named .x types used in return values ----
export const nodeGetInfoRet = struct({
  model: charArray(32),
  memory: uhyper,
  cpus: int,
  mhz: int,
  nodes: int,
  sockets: int,
  cores: int,
  threads: int,
});
export const nodeStatsEntry = struct({ field: nonnullString, value: uhyper });
export const vcpuInfo = struct({ number: uint, state: int, cpu_time: uhyper, cpu: int });
export const domainGetInfoRet = struct({
  state: uint,
  maxMem: uhyper,
  memory: uhyper,
  nrVirtCpu: uint,
  cpuTime: uhyper,
});
export const domainMemoryStat = struct({ tag: int, val: uhyper });
export const domainDiskError = struct({ disk: nonnullString, error: int });
export const domainJobInfoRet = struct({
  type: int,
  timeElapsed: uhyper,
  timeRemaining: uhyper,
  dataTotal: uhyper,
  dataProcessed: uhyper,
  dataRemaining: uhyper,
  memTotal: uhyper,
  memProcessed: uhyper,
  memRemaining: uhyper,
  fileTotal: uhyper,
  fileProcessed: uhyper,
  fileRemaining: uhyper,
});
export const domainStatsRecord = struct({ dom, params: typedParams(REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX) });
export const domainFsinfo = struct({
  mountpoint: nonnullString,
  name: nonnullString,
  fstype: nonnullString,
  dev_aliases: names(REMOTE_DOMAIN_FSINFO_DISKS_MAX),
});
export const domainIpAddr = struct({ type: int, addr: nonnullString, prefix: uint });
export const domainInterface = struct({
  name: nonnullString,
  hwaddr: remoteString,
  addrs: array(domainIpAddr, REMOTE_DOMAIN_IP_ADDR_MAX),
});
export const domainIothreadInfo = struct({ iothread_id: uint, cpumap });
export const networkDhcpLease = struct({
  iface: nonnullString,
  expirytime: hyper,
  type: int,
  mac: remoteString,
  iaid: remoteString,
  ipaddr: nonnullString,
  prefix: uint,
  hostname: remoteString,
  clientid: remoteString,
});
export const storagePoolGetInfoRet = struct({
  state: uint,
  capacity: uhyper,
  allocation: uhyper,
  available: uhyper,
});

export type NodeInfo = Infer<typeof nodeGetInfoRet>;
export type DomainInfo = Infer<typeof domainGetInfoRet>;
export type DomainStatsRecord = Infer<typeof domainStatsRecord>;
export type DomainInterface = Infer<typeof domainInterface>;
export type NetworkDhcpLease = Infer<typeof networkDhcpLease>;

export const remoteProcedures = {
  // ---------------------------------------------------------------- connection, auth, host
  connectOpen: procedure(1, struct({ name: remoteString, flags }), voidCodec),
  connectClose: procedure(2, voidCodec, voidCodec),
  connectGetType: procedure(3, voidCodec, struct({ type: nonnullString })),
  connectGetVersion: procedure(4, voidCodec, struct({ hv_ver: uhyper })),
  connectGetMaxVcpus: procedure(5, struct({ type: remoteString }), struct({ max_vcpus: int })),
  nodeGetInfo: procedure(6, voidCodec, nodeGetInfoRet),
  connectGetCapabilities: procedure(7, voidCodec, struct({ capabilities: nonnullString })),
  connectGetHostname: procedure(59, voidCodec, struct({ hostname: nonnullString })),
  connectSupportsFeature: procedure(60, struct({ feature: int }), struct({ supported: int })),
  authList: procedure(66, voidCodec, struct({ types: array(int, REMOTE_AUTH_TYPE_LIST_MAX) })),
  authPolkit: procedure(70, voidCodec, struct({ complete: int })),
  nodeGetCellsFreeMemory: procedure(
    101,
    struct({ startCell: int, maxcells: int }),
    struct({ cells: array(uhyper, REMOTE_NODE_MAX_CELLS) }),
  ),
  nodeGetFreeMemory: procedure(102, voidCodec, struct({ freeMem: uhyper })),
  connectGetURI: procedure(110, voidCodec, struct({ uri: nonnullString })),
  connectDomainXMLFromNative: procedure(
    135,
    struct({ nativeFormat: nonnullString, nativeConfig: nonnullString, flags }),
    struct({ domainXml: nonnullString }),
  ),
  connectDomainXMLToNative: procedure(
    136,
    struct({ nativeFormat: nonnullString, domainXml: nonnullString, flags }),
    struct({ nativeConfig: nonnullString }),
  ),
  connectIsSecure: procedure(149, voidCodec, struct({ secure: int })),
  connectGetLibVersion: procedure(157, voidCodec, struct({ lib_ver: uhyper })),
  connectCompareCPU: procedure(158, XmlFlagsArgs, ResultRet),
  connectBaselineCPU: procedure(
    162,
    struct({ xmlCPUs: names(REMOTE_CPU_BASELINE_MAX), flags }),
    struct({ cpu: nonnullString }),
  ),
  connectGetSysinfo: procedure(203, FlagsArgs, struct({ sysinfo: nonnullString })),
  nodeGetCPUStats: procedure(
    227,
    struct({ cpuNum: int, nparams, flags }),
    struct({ params: array(nodeStatsEntry, REMOTE_NODE_CPU_STATS_MAX), nparams }),
  ),
  nodeGetMemoryStats: procedure(
    228,
    struct({ nparams, cellNum: int, flags }),
    struct({ params: array(nodeStatsEntry, REMOTE_NODE_MEMORY_STATS_MAX), nparams }),
  ),
  nodeSuspendForDuration: procedure(250, struct({ target: uint, duration: uhyper, flags }), voidCodec),
  nodeSetMemoryParameters: procedure(
    288,
    struct({ params: typedParams(REMOTE_NODE_MEMORY_PARAMETERS_MAX), flags }),
    voidCodec,
  ),
  nodeGetMemoryParameters: procedure(
    289,
    struct({ nparams, flags }),
    GetParamsRet(REMOTE_NODE_MEMORY_PARAMETERS_MAX),
  ),
  nodeGetCPUMap: procedure(
    293,
    struct({ need_map: int, need_online: int, flags }),
    struct({ cpumap, online: uint, ret: int }),
  ),
  connectGetCPUModelNames: procedure(
    312,
    struct({ arch: nonnullString, need_results, flags }),
    struct({ models: names(REMOTE_CONNECT_CPU_MODELS_MAX), ret: int }),
  ),
  nodeGetFreePages: procedure(
    340,
    struct({ pages: array(uint, REMOTE_NODE_MAX_CELLS), startCell: int, cellCount: uint, flags }),
    struct({ counts: array(uhyper, REMOTE_NODE_MAX_CELLS) }),
  ),
  connectGetDomainCapabilities: procedure(
    342,
    struct({ emulatorbin: remoteString, arch: remoteString, machine: remoteString, virttype: remoteString, flags }),
    struct({ capabilities: nonnullString }),
  ),
  connectGetAllDomainStats: procedure(
    344,
    struct({ doms: array(nonnullDomain, REMOTE_DOMAIN_LIST_MAX), stats: uint, flags }),
    struct({ retStats: array(domainStatsRecord, REMOTE_DOMAIN_LIST_MAX) }),
  ),
  nodeAllocPages: procedure(
    347,
    struct({
      pageSizes: array(uint, REMOTE_NODE_MAX_CELLS),
      pageCounts: array(uhyper, REMOTE_NODE_MAX_CELLS),
      startCell: int,
      cellCount: uint,
      flags,
    }),
    struct({ ret: int }),
  ),
  connectRegisterCloseCallback: procedure(360, voidCodec, voidCodec),
  connectUnregisterCloseCallback: procedure(361, voidCodec, voidCodec),
  connectCompareHypervisorCPU: procedure(
    393,
    struct({
      emulator: remoteString,
      arch: remoteString,
      machine: remoteString,
      virttype: remoteString,
      xmlCPU: nonnullString,
      flags,
    }),
    ResultRet,
  ),
  connectBaselineHypervisorCPU: procedure(
    394,
    struct({
      emulator: remoteString,
      arch: remoteString,
      machine: remoteString,
      virttype: remoteString,
      xmlCPUs: names(REMOTE_CPU_BASELINE_MAX),
      flags,
    }),
    struct({ cpu: nonnullString }),
  ),
  nodeGetSEVInfo: procedure(395, struct({ nparams, flags }), GetParamsRet(REMOTE_NODE_SEV_INFO_MAX)),
  connectGetStoragePoolCapabilities: procedure(403, FlagsArgs, struct({ capabilities: nonnullString })),
  connectSetIdentity: procedure(
    419,
    struct({ params: typedParams(REMOTE_CONNECT_IDENTITY_PARAMS_MAX), flags }),
    voidCodec,
  ),

  // ---------------------------------------------------------------- event registration
  connectNetworkEventRegisterAny: procedure(313, struct({ eventID, net: remoteNetwork }), CallbackIdRet),
  connectNetworkEventDeregisterAny: procedure(314, CallbackIdArgs, voidCodec),
  connectDomainEventCallbackRegisterAny: procedure(316, struct({ eventID, dom: remoteDomain }), CallbackIdRet),
  connectDomainEventCallbackDeregisterAny: procedure(317, CallbackIdArgs, voidCodec),
  connectStoragePoolEventRegisterAny: procedure(368, struct({ eventID, pool: remoteStoragePool }), CallbackIdRet),
  connectStoragePoolEventDeregisterAny: procedure(369, CallbackIdArgs, voidCodec),
  connectNodeDeviceEventRegisterAny: procedure(374, struct({ eventID, dev: remoteNodeDevice }), CallbackIdRet),
  connectNodeDeviceEventDeregisterAny: procedure(375, CallbackIdArgs, voidCodec),
  connectSecretEventRegisterAny: procedure(380, struct({ eventID, secret: remoteSecret }), CallbackIdRet),
  connectSecretEventDeregisterAny: procedure(381, CallbackIdArgs, voidCodec),

  // ---------------------------------------------------------------- domains: listing and lookup
  connectListDefinedDomains: procedure(21, MaxnamesArgs, struct({ names: names(REMOTE_DOMAIN_LIST_MAX) })),
  domainLookupByID: procedure(22, struct({ id: int }), DomRet),
  domainLookupByName: procedure(23, NameArgs, DomRet),
  domainLookupByUUID: procedure(24, UuidArgs, DomRet),
  connectNumOfDefinedDomains: procedure(25, voidCodec, NumRet),
  connectListDomains: procedure(37, struct({ maxids: int }), struct({ ids: array(int, REMOTE_DOMAIN_LIST_MAX) })),
  connectNumOfDomains: procedure(51, voidCodec, NumRet),
  connectListAllDomains: procedure(
    273,
    ListAllArgs,
    struct({ domains: array(nonnullDomain, REMOTE_DOMAIN_LIST_MAX), ret: uint }),
  ),

  // ---------------------------------------------------------------- domains: lifecycle and definition
  domainCreate: procedure(9, DomArgs, voidCodec),
  domainCreateXML: procedure(10, struct({ xml_desc, flags }), DomRet),
  domainDefineXML: procedure(11, struct({ xml }), DomRet),
  domainDestroy: procedure(12, DomArgs, voidCodec),
  domainReboot: procedure(27, DomFlagsArgs, voidCodec),
  domainResume: procedure(28, DomArgs, voidCodec),
  domainShutdown: procedure(33, DomArgs, voidCodec),
  domainSuspend: procedure(34, DomArgs, voidCodec),
  domainUndefine: procedure(35, DomArgs, voidCodec),
  domainCoreDump: procedure(53, struct({ dom, to: nonnullString, flags }), voidCodec),
  domainRestore: procedure(54, struct({ from: nonnullString }), voidCodec),
  domainSave: procedure(55, struct({ dom, to: nonnullString }), voidCodec),
  domainIsActive: procedure(150, DomArgs, ActiveRet),
  domainIsPersistent: procedure(151, DomArgs, PersistentRet),
  domainManagedSave: procedure(182, DomFlagsArgs, voidCodec),
  domainHasManagedSaveImage: procedure(183, DomFlagsArgs, ResultRet),
  domainManagedSaveRemove: procedure(184, DomFlagsArgs, voidCodec),
  domainCreateWithFlags: procedure(196, DomFlagsArgs, DomRet),
  domainIsUpdated: procedure(202, DomArgs, struct({ updated: int })),
  domainInjectNMI: procedure(210, DomFlagsArgs, voidCodec),
  domainGetState: procedure(212, DomFlagsArgs, struct({ state: int, reason: int })),
  domainUndefineFlags: procedure(231, DomFlagsArgs, voidCodec),
  domainSaveFlags: procedure(232, struct({ dom, to: nonnullString, dxml: remoteString, flags }), voidCodec),
  domainRestoreFlags: procedure(233, struct({ from: nonnullString, dxml: remoteString, flags }), voidCodec),
  domainDestroyFlags: procedure(234, DomFlagsArgs, voidCodec),
  domainSaveImageGetXMLDesc: procedure(235, struct({ file: nonnullString, flags }), XmlRet),
  domainSaveImageDefineXML: procedure(
    236,
    struct({ file: nonnullString, dxml: nonnullString, flags }),
    voidCodec,
  ),
  domainReset: procedure(245, DomFlagsArgs, voidCodec),
  domainShutdownFlags: procedure(258, DomFlagsArgs, voidCodec),
  domainPMSuspendForDuration: procedure(
    261,
    struct({ dom, target: uint, duration: uhyper, flags }),
    voidCodec,
  ),
  domainPMWakeup: procedure(267, DomFlagsArgs, voidCodec),
  domainCoreDumpWithFormat: procedure(
    334,
    struct({ dom, to: nonnullString, dumpformat: uint, flags }),
    voidCodec,
  ),
  domainDefineXMLFlags: procedure(350, XmlFlagsArgs, DomRet),
  domainRename: procedure(358, struct({ dom, new_name: remoteString, flags }), struct({ retcode: int })),
  domainManagedSaveGetXMLDesc: procedure(388, DomFlagsArgs, XmlRet),
  domainManagedSaveDefineXML: procedure(389, struct({ dom, dxml: remoteString, flags }), voidCodec),
  domainSetLifecycleAction: procedure(
    390,
    struct({ dom, type: uint, action: uint, flags }),
    voidCodec,
  ),
  domainSaveParams: procedure(440, SetParamsArgs(REMOTE_DOMAIN_SAVE_PARAMS_MAX), voidCodec),
  domainRestoreParams: procedure(
    441,
    struct({ params: typedParams(REMOTE_DOMAIN_SAVE_PARAMS_MAX), flags }),
    voidCodec,
  ),

  // ---------------------------------------------------------------- domains: configuration and state
  domainGetXMLDesc: procedure(14, DomFlagsArgs, XmlRet),
  domainGetAutostart: procedure(15, DomArgs, AutostartRet),
  domainGetInfo: procedure(16, DomArgs, domainGetInfoRet),
  domainGetMaxMemory: procedure(17, DomArgs, struct({ memory: uhyper })),
  domainGetMaxVcpus: procedure(18, DomArgs, NumRet),
  domainGetOSType: procedure(19, DomArgs, struct({ type: nonnullString })),
  domainGetVcpus: procedure(
    20,
    struct({ dom, maxinfo: int, maplen: int }),
    struct({ info: array(vcpuInfo, REMOTE_VCPUINFO_MAX), cpumaps: opaque(REMOTE_CPUMAPS_MAX) }),
  ),
  domainPinVcpu: procedure(26, struct({ dom, vcpu: uint, cpumap }), voidCodec),
  domainSetAutostart: procedure(29, struct({ dom, autostart }), voidCodec),
  domainSetMaxMemory: procedure(30, struct({ dom, memory: uhyper }), voidCodec),
  domainSetMemory: procedure(31, struct({ dom, memory: uhyper }), voidCodec),
  domainSetVcpus: procedure(32, struct({ dom, nvcpus: uint }), voidCodec),
  domainGetSchedulerType: procedure(56, DomArgs, struct({ type: nonnullString, nparams })),
  domainGetSchedulerParameters: procedure(
    57,
    struct({ dom, nparams }),
    struct({ params: typedParams(REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX) }),
  ),
  domainSetSchedulerParameters: procedure(
    58,
    struct({ dom, params: typedParams(REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX) }),
    voidCodec,
  ),
  domainSetMemoryParameters: procedure(197, SetParamsArgs(REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX), voidCodec),
  domainGetMemoryParameters: procedure(198, GetParamsArgs, GetParamsRet(REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX)),
  domainSetVcpusFlags: procedure(199, struct({ dom, nvcpus: uint, flags }), voidCodec),
  domainGetVcpusFlags: procedure(200, DomFlagsArgs, NumRet),
  domainSetMemoryFlags: procedure(204, struct({ dom, memory: uhyper, flags }), voidCodec),
  domainSetBlkioParameters: procedure(205, SetParamsArgs(REMOTE_DOMAIN_BLKIO_PARAMETERS_MAX), voidCodec),
  domainGetBlkioParameters: procedure(206, GetParamsArgs, GetParamsRet(REMOTE_DOMAIN_BLKIO_PARAMETERS_MAX)),
  domainSetSchedulerParametersFlags: procedure(
    219,
    SetParamsArgs(REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX),
    voidCodec,
  ),
  domainGetSchedulerParametersFlags: procedure(
    223,
    GetParamsArgs,
    struct({ params: typedParams(REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX) }),
  ),
  domainPinVcpuFlags: procedure(225, struct({ dom, vcpu: uint, cpumap, flags }), voidCodec),
  domainGetControlInfo: procedure(
    229,
    DomFlagsArgs,
    struct({ state: uint, details: uint, stateTime: uhyper }),
  ),
  domainGetVcpuPinInfo: procedure(
    230,
    struct({ dom, ncpumaps: int, maplen: int, flags }),
    struct({ cpumaps: opaque(REMOTE_CPUMAPS_MAX), num: int }),
  ),
  domainSetNumaParameters: procedure(254, SetParamsArgs(REMOTE_DOMAIN_NUMA_PARAMETERS_MAX), voidCodec),
  domainGetNumaParameters: procedure(255, GetParamsArgs, GetParamsRet(REMOTE_DOMAIN_NUMA_PARAMETERS_MAX)),
  domainGetCPUStats: procedure(
    262,
    struct({ dom, nparams: uint, start_cpu: int, ncpus: uint, flags }),
    GetParamsRet(REMOTE_DOMAIN_GET_CPU_STATS_MAX),
  ),
  domainGetDiskErrors: procedure(
    263,
    struct({ dom, maxerrors: uint, flags }),
    struct({ errors: array(domainDiskError, REMOTE_DOMAIN_DISK_ERRORS_MAX), nerrors: int }),
  ),
  domainSetMetadata: procedure(
    264,
    struct({ dom, type: int, metadata: remoteString, key: remoteString, uri: remoteString, flags }),
    voidCodec,
  ),
  domainGetMetadata: procedure(
    265,
    struct({ dom, type: int, uri: remoteString, flags }),
    struct({ metadata: nonnullString }),
  ),
  domainGetHostname: procedure(277, DomFlagsArgs, struct({ hostname: nonnullString })),
  domainPinEmulator: procedure(279, struct({ dom, cpumap, flags }), voidCodec),
  domainGetEmulatorPinInfo: procedure(
    280,
    struct({ dom, maplen: int, flags }),
    struct({ cpumaps: opaque(REMOTE_CPUMAPS_MAX), ret: int }),
  ),
  domainSetMemoryStatsPeriod: procedure(308, struct({ dom, period: int, flags }), voidCodec),
  domainGetTime: procedure(337, DomFlagsArgs, struct({ seconds: hyper, nseconds: uint })),
  domainSetTime: procedure(338, struct({ dom, seconds: hyper, nseconds: uint, flags }), voidCodec),
  domainGetIOThreadInfo: procedure(
    351,
    DomFlagsArgs,
    struct({ info: array(domainIothreadInfo, REMOTE_IOTHREAD_INFO_MAX), ret: uint }),
  ),
  domainPinIOThread: procedure(352, struct({ dom, iothreads_id: uint, cpumap, flags }), voidCodec),
  domainAddIOThread: procedure(355, struct({ dom, iothread_id: uint, flags }), voidCodec),
  domainDelIOThread: procedure(356, struct({ dom, iothread_id: uint, flags }), voidCodec),
  domainGetPerfEvents: procedure(
    365,
    DomFlagsArgs,
    struct({ params: typedParams(REMOTE_DOMAIN_PERF_EVENTS_MAX) }),
  ),
  domainSetPerfEvents: procedure(366, SetParamsArgs(REMOTE_DOMAIN_PERF_EVENTS_MAX), voidCodec),
  domainSetVcpu: procedure(384, struct({ dom, cpumap: nonnullString, state: int, flags }), voidCodec),
  domainSetIOThreadParams: procedure(
    402,
    struct({ dom, iothread_id: uint, params: typedParams(REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX), flags }),
    voidCodec,
  ),
  domainGetLaunchSecurityInfo: procedure(
    396,
    DomFlagsArgs,
    struct({ params: typedParams(REMOTE_DOMAIN_LAUNCH_SECURITY_INFO_PARAMS_MAX) }),
  ),
  domainSetLaunchSecurityState: procedure(
    439,
    SetParamsArgs(REMOTE_DOMAIN_LAUNCH_SECURITY_STATE_PARAMS_MAX),
    voidCodec,
  ),
  domainGetMessages: procedure(
    426,
    DomFlagsArgs,
    struct({ msgs: names(REMOTE_DOMAIN_MESSAGES_MAX) }),
  ),
  domainStartDirtyRateCalc: procedure(427, struct({ dom, seconds: int, flags }), voidCodec),
  domainGraphicsReload: procedure(448, struct({ dom, type: uint, flags }), voidCodec),

  // ---------------------------------------------------------------- domains: devices
  domainAttachDevice: procedure(8, struct({ dom, xml }), voidCodec),
  domainDetachDevice: procedure(13, struct({ dom, xml }), voidCodec),
  domainAttachDeviceFlags: procedure(160, DomXmlFlagsArgs, voidCodec),
  domainDetachDeviceFlags: procedure(161, DomXmlFlagsArgs, voidCodec),
  domainUpdateDeviceFlags: procedure(174, DomXmlFlagsArgs, voidCodec),
  domainDetachDeviceAlias: procedure(392, struct({ dom, alias: nonnullString, flags }), voidCodec),

  // ---------------------------------------------------------------- domains: statistics
  domainBlockStats: procedure(
    64,
    struct({ dom, path }),
    struct({ rd_req: hyper, rd_bytes: hyper, wr_req: hyper, wr_bytes: hyper, errs: hyper }),
  ),
  domainInterfaceStats: procedure(
    65,
    struct({ dom, device: nonnullString }),
    struct({
      rx_bytes: hyper,
      rx_packets: hyper,
      rx_errs: hyper,
      rx_drop: hyper,
      tx_bytes: hyper,
      tx_packets: hyper,
      tx_errs: hyper,
      tx_drop: hyper,
    }),
  ),
  domainBlockPeek: procedure(
    103,
    struct({ dom, path, offset: uhyper, size: uint, flags }),
    struct({ buffer: opaque(REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX) }),
  ),
  domainMemoryPeek: procedure(
    104,
    struct({ dom, offset: uhyper, size: uint, flags }),
    struct({ buffer: opaque(REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX) }),
  ),
  domainMemoryStats: procedure(
    159,
    struct({ dom, maxStats: uint, flags }),
    struct({ stats: array(domainMemoryStat, REMOTE_DOMAIN_MEMORY_STATS_MAX) }),
  ),
  domainGetBlockInfo: procedure(
    194,
    struct({ dom, path, flags }),
    struct({ allocation: uhyper, capacity: uhyper, physical: uhyper }),
  ),
  domainBlockStatsFlags: procedure(
    243,
    struct({ dom, path, nparams, flags }),
    GetParamsRet(REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX),
  ),
  domainSetInterfaceParameters: procedure(
    256,
    struct({ dom, device: nonnullString, params: typedParams(REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX), flags }),
    voidCodec,
  ),
  domainGetInterfaceParameters: procedure(
    257,
    struct({ dom, device: nonnullString, nparams, flags }),
    GetParamsRet(REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX),
  ),

  // ---------------------------------------------------------------- domains: block jobs and disks
  domainBlockJobAbort: procedure(237, struct({ dom, path, flags }), voidCodec),
  domainGetBlockJobInfo: procedure(
    238,
    struct({ dom, path, flags }),
    struct({ found: int, type: int, bandwidth: uhyper, cur: uhyper, end: uhyper }),
  ),
  domainBlockJobSetSpeed: procedure(239, struct({ dom, path, bandwidth: uhyper, flags }), voidCodec),
  domainBlockPull: procedure(240, struct({ dom, path, bandwidth: uhyper, flags }), voidCodec),
  domainBlockResize: procedure(251, struct({ dom, disk: nonnullString, size: uhyper, flags }), voidCodec),
  domainSetBlockIOTune: procedure(
    252,
    struct({ dom, disk: nonnullString, params: typedParams(REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX), flags }),
    voidCodec,
  ),
  domainGetBlockIOTune: procedure(
    253,
    struct({ dom, disk: remoteString, nparams, flags }),
    GetParamsRet(REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX),
  ),
  domainBlockRebase: procedure(
    266,
    struct({ dom, path, base: remoteString, bandwidth: uhyper, flags }),
    voidCodec,
  ),
  domainBlockCommit: procedure(
    290,
    struct({ dom, disk: nonnullString, base: remoteString, top: remoteString, bandwidth: uhyper, flags }),
    voidCodec,
  ),
  domainBlockCopy: procedure(
    345,
    struct({
      dom,
      path,
      destxml: nonnullString,
      params: typedParams(REMOTE_DOMAIN_BLOCK_COPY_PARAMETERS_MAX),
      flags,
    }),
    voidCodec,
  ),
  domainSetBlockThreshold: procedure(
    386,
    struct({ dom, dev: nonnullString, threshold: uhyper, flags }),
    voidCodec,
  ),
  domainBackupBegin: procedure(
    421,
    struct({ dom, backup_xml: nonnullString, checkpoint_xml: remoteString, flags }),
    voidCodec,
  ),
  domainBackupGetXMLDesc: procedure(422, DomFlagsArgs, XmlRet),

  // ---------------------------------------------------------------- domains: guest interaction
  domainSendKey: procedure(
    226,
    struct({
      dom,
      codeset: uint,
      holdtime: uint,
      keycodes: array(uint, REMOTE_DOMAIN_SEND_KEY_MAX),
      flags,
    }),
    voidCodec,
  ),
  domainFSTrim: procedure(
    294,
    struct({ dom, mountPoint: remoteString, minimum: uhyper, flags }),
    voidCodec,
  ),
  domainSendProcessSignal: procedure(
    295,
    struct({ dom, pid_value: hyper, signum: uint, flags }),
    voidCodec,
  ),
  domainFSFreeze: procedure(335, FsFreezeArgs, struct({ filesystems: int })),
  domainFSThaw: procedure(336, FsFreezeArgs, struct({ filesystems: int })),
  domainGetFSInfo: procedure(
    349,
    DomFlagsArgs,
    struct({ info: array(domainFsinfo, REMOTE_DOMAIN_FSINFO_MAX), ret: uint }),
  ),
  domainInterfaceAddresses: procedure(
    353,
    struct({ dom, source: uint, flags }),
    struct({ ifaces: array(domainInterface, REMOTE_DOMAIN_INTERFACE_MAX) }),
  ),
  domainSetUserPassword: procedure(
    357,
    struct({ dom, user: remoteString, password: remoteString, flags }),
    voidCodec,
  ),
  domainGetGuestVcpus: procedure(
    371,
    DomFlagsArgs,
    struct({ params: typedParams(REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX) }),
  ),
  domainSetGuestVcpus: procedure(
    372,
    struct({ dom, cpumap: nonnullString, state: int, flags }),
    voidCodec,
  ),
  domainGetGuestInfo: procedure(
    418,
    struct({ dom, types: uint, flags }),
    struct({ params: typedParams(REMOTE_DOMAIN_GUEST_INFO_PARAMS_MAX) }),
  ),
  domainAgentSetResponseTimeout: procedure(420, struct({ dom, timeout: int, flags }), ResultRet),
  domainAuthorizedSSHKeysGet: procedure(
    424,
    struct({ dom, user: nonnullString, flags }),
    struct({ keys: names(REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX) }),
  ),
  domainAuthorizedSSHKeysSet: procedure(
    425,
    struct({ dom, user: nonnullString, keys: names(REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX), flags }),
    voidCodec,
  ),

  // ---------------------------------------------------------------- domains: streams
  domainOpenConsole: procedure(201, struct({ dom, dev_name: remoteString, flags }), voidCodec, 'both'),
  domainScreenshot: procedure(211, struct({ dom, screen: uint, flags }), struct({ mime: remoteString }), 'read'),
  domainOpenChannel: procedure(296, struct({ dom, name: remoteString, flags }), voidCodec, 'both'),

  // ---------------------------------------------------------------- domains: jobs and migration
  domainGetJobInfo: procedure(163, DomArgs, domainJobInfoRet),
  domainAbortJob: procedure(164, DomArgs, voidCodec),
  domainMigrateSetMaxDowntime: procedure(166, struct({ dom, downtime: uhyper, flags }), voidCodec),
  domainMigrateSetMaxSpeed: procedure(207, struct({ dom, bandwidth: uhyper, flags }), voidCodec),
  domainMigrateBegin3: procedure(
    213,
    struct({ dom, xmlin: remoteString, flags: uhyper, dname: remoteString, resource: uhyper }),
    struct({ cookie_out, xml }),
  ),
  domainMigratePrepare3: procedure(
    214,
    struct({
      cookie_in,
      uri_in: remoteString,
      flags: uhyper,
      dname: remoteString,
      resource: uhyper,
      dom_xml: nonnullString,
    }),
    struct({ cookie_out, uri_out: remoteString }),
  ),
  domainMigratePerform3: procedure(
    216,
    struct({
      dom,
      xmlin: remoteString,
      cookie_in,
      dconnuri: remoteString,
      uri: remoteString,
      flags: uhyper,
      dname: remoteString,
      resource: uhyper,
    }),
    struct({ cookie_out }),
  ),
  domainMigrateFinish3: procedure(
    217,
    struct({
      dname: nonnullString,
      cookie_in,
      dconnuri: remoteString,
      uri: remoteString,
      flags: uhyper,
      cancelled: int,
    }),
    struct({ dom, cookie_out }),
  ),
  domainMigrateConfirm3: procedure(
    218,
    struct({ dom, cookie_in, flags: uhyper, cancelled: int }),
    voidCodec,
  ),
  domainMigrateGetMaxSpeed: procedure(242, DomFlagsArgs, struct({ bandwidth: uhyper })),
  domainGetJobStats: procedure(
    298,
    DomFlagsArgs,
    struct({ type: int, params: typedParams(REMOTE_DOMAIN_JOB_STATS_MAX) }),
  ),
  domainMigrateGetCompressionCache: procedure(299, DomFlagsArgs, struct({ cacheSize: uhyper })),
  domainMigrateSetCompressionCache: procedure(300, struct({ dom, cacheSize: uhyper, flags }), voidCodec),
  domainMigrateBegin3Params: procedure(
    302,
    struct({ dom, params: typedParams(REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX), flags }),
    struct({ cookie_out, xml }),
  ),
  domainMigratePrepare3Params: procedure(
    303,
    struct({ params: typedParams(REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX), cookie_in, flags }),
    struct({ cookie_out, uri_out: remoteString }),
  ),
  domainMigratePerform3Params: procedure(
    305,
    struct({
      dom,
      dconnuri: remoteString,
      params: typedParams(REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX),
      cookie_in,
      flags,
    }),
    struct({ cookie_out }),
  ),
  domainMigrateFinish3Params: procedure(
    306,
    struct({ params: typedParams(REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX), cookie_in, flags, cancelled: int }),
    struct({ dom, cookie_out }),
  ),
  domainMigrateConfirm3Params: procedure(
    307,
    struct({ dom, params: typedParams(REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX), cookie_in, flags, cancelled: int }),
    voidCodec,
  ),
  domainMigrateStartPostCopy: procedure(364, DomFlagsArgs, voidCodec),
  domainMigrateGetMaxDowntime: procedure(387, DomFlagsArgs, struct({ downtime: uhyper })),
  domainAbortJobFlags: procedure(442, DomFlagsArgs, voidCodec),

  // ---------------------------------------------------------------- domain snapshots
  domainSnapshotCreateXML: procedure(185, struct({ dom, xml_desc, flags }), SnapRet),
  domainSnapshotGetXMLDesc: procedure(186, SnapFlagsArgs, XmlRet),
  domainSnapshotNum: procedure(187, DomFlagsArgs, NumRet),
  domainSnapshotListNames: procedure(
    188,
    struct({ dom, maxnames, flags }),
    struct({ names: names(REMOTE_DOMAIN_SNAPSHOT_LIST_MAX) }),
  ),
  domainSnapshotLookupByName: procedure(189, struct({ dom, name, flags }), SnapRet),
  domainHasCurrentSnapshot: procedure(190, DomFlagsArgs, ResultRet),
  domainSnapshotCurrent: procedure(191, DomFlagsArgs, SnapRet),
  domainRevertToSnapshot: procedure(192, SnapFlagsArgs, voidCodec),
  domainSnapshotDelete: procedure(193, SnapFlagsArgs, voidCodec),
  domainSnapshotGetParent: procedure(244, SnapFlagsArgs, SnapRet),
  domainSnapshotNumChildren: procedure(246, SnapFlagsArgs, NumRet),
  domainSnapshotListChildrenNames: procedure(
    247,
    struct({ snap, maxnames, flags }),
    struct({ names: names(REMOTE_DOMAIN_SNAPSHOT_LIST_MAX) }),
  ),
  domainSnapshotIsCurrent: procedure(271, SnapFlagsArgs, struct({ current: int })),
  domainSnapshotHasMetadata: procedure(272, SnapFlagsArgs, struct({ metadata: int })),
  domainListAllSnapshots: procedure(
    274,
    struct({ dom, need_results, flags }),
    struct({ snapshots: array(nonnullDomainSnapshot, REMOTE_DOMAIN_SNAPSHOT_LIST_MAX), ret: int }),
  ),
  domainSnapshotListAllChildren: procedure(
    275,
    struct({ snapshot: nonnullDomainSnapshot, need_results, flags }),
    struct({ snapshots: array(nonnullDomainSnapshot, REMOTE_DOMAIN_SNAPSHOT_LIST_MAX), ret: int }),
  ),

  // ---------------------------------------------------------------- domain checkpoints
  domainCheckpointCreateXML: procedure(411, struct({ dom, xml_desc, flags }), CheckpointRet),
  domainCheckpointGetXMLDesc: procedure(412, CheckpointFlagsArgs, XmlRet),
  domainListAllCheckpoints: procedure(
    413,
    struct({ dom, need_results, flags }),
    struct({ checkpoints: array(nonnullDomainCheckpoint, REMOTE_DOMAIN_CHECKPOINT_LIST_MAX), ret: int }),
  ),
  domainCheckpointListAllChildren: procedure(
    414,
    struct({ checkpoint, need_results, flags }),
    struct({ checkpoints: array(nonnullDomainCheckpoint, REMOTE_DOMAIN_CHECKPOINT_LIST_MAX), ret: int }),
  ),
  domainCheckpointLookupByName: procedure(415, struct({ dom, name, flags }), CheckpointRet),
  domainCheckpointGetParent: procedure(416, CheckpointFlagsArgs, struct({ parent: nonnullDomainCheckpoint })),
  domainCheckpointDelete: procedure(417, CheckpointFlagsArgs, voidCodec),

  // ---------------------------------------------------------------- networks
  connectListDefinedNetworks: procedure(36, MaxnamesArgs, struct({ names: names(REMOTE_NETWORK_LIST_MAX) })),
  connectListNetworks: procedure(38, MaxnamesArgs, struct({ names: names(REMOTE_NETWORK_LIST_MAX) })),
  networkCreate: procedure(39, NetArgs, voidCodec),
  networkCreateXML: procedure(40, struct({ xml }), NetRet),
  networkDefineXML: procedure(41, struct({ xml }), NetRet),
  networkDestroy: procedure(42, NetArgs, voidCodec),
  networkGetXMLDesc: procedure(43, struct({ net, flags }), XmlRet),
  networkGetAutostart: procedure(44, NetArgs, AutostartRet),
  networkGetBridgeName: procedure(45, NetArgs, struct({ name })),
  networkLookupByName: procedure(46, NameArgs, NetRet),
  networkLookupByUUID: procedure(47, UuidArgs, NetRet),
  networkSetAutostart: procedure(48, struct({ net, autostart }), voidCodec),
  networkUndefine: procedure(49, NetArgs, voidCodec),
  connectNumOfDefinedNetworks: procedure(50, voidCodec, NumRet),
  connectNumOfNetworks: procedure(52, voidCodec, NumRet),
  networkIsActive: procedure(152, NetArgs, ActiveRet),
  networkIsPersistent: procedure(153, NetArgs, PersistentRet),
  connectListAllNetworks: procedure(
    283,
    ListAllArgs,
    struct({ nets: array(nonnullNetwork, REMOTE_NETWORK_LIST_MAX), ret: uint }),
  ),
  networkUpdate: procedure(
    291,
    struct({ net, command: uint, section: uint, parentIndex: int, xml, flags }),
    voidCodec,
  ),
  networkGetDHCPLeases: procedure(
    341,
    struct({ net, mac: remoteString, need_results, flags }),
    struct({ leases: array(networkDhcpLease, REMOTE_NETWORK_DHCP_LEASES_MAX), ret: uint }),
  ),
  networkListAllPorts: procedure(
    404,
    struct({ network, need_results, flags }),
    struct({ ports: array(nonnullNetworkPort, REMOTE_NETWORK_PORT_LIST_MAX), ret: uint }),
  ),
  networkPortLookupByUUID: procedure(405, struct({ network, uuid }), PortRet),
  networkPortCreateXML: procedure(406, struct({ network, xml, flags }), PortRet),
  networkPortGetParameters: procedure(
    407,
    struct({ port, nparams, flags }),
    GetParamsRet(REMOTE_NETWORK_PORT_PARAMETERS_MAX),
  ),
  networkPortSetParameters: procedure(
    408,
    struct({ port, params: typedParams(REMOTE_NETWORK_PORT_PARAMETERS_MAX), flags }),
    voidCodec,
  ),
  networkPortGetXMLDesc: procedure(409, PortFlagsArgs, XmlRet),
  networkPortDelete: procedure(410, PortFlagsArgs, voidCodec),
  networkDefineXMLFlags: procedure(432, XmlFlagsArgs, NetRet),
  networkCreateXMLFlags: procedure(437, XmlFlagsArgs, NetRet),
  networkSetMetadata: procedure(
    444,
    struct({ network, type: int, metadata: remoteString, key: remoteString, uri: remoteString, flags }),
    voidCodec,
  ),
  networkGetMetadata: procedure(
    445,
    struct({ network, type: int, uri: remoteString, flags }),
    struct({ metadata: nonnullString }),
  ),

  // ---------------------------------------------------------------- network filters
  nwfilterLookupByName: procedure(175, NameArgs, NwfilterRet),
  nwfilterLookupByUUID: procedure(176, UuidArgs, NwfilterRet),
  nwfilterGetXMLDesc: procedure(177, struct({ nwfilter, flags }), XmlRet),
  connectNumOfNWFilters: procedure(178, voidCodec, NumRet),
  connectListNWFilters: procedure(179, MaxnamesArgs, struct({ names: names(REMOTE_NWFILTER_LIST_MAX) })),
  nwfilterDefineXML: procedure(180, struct({ xml }), NwfilterRet),
  nwfilterUndefine: procedure(181, struct({ nwfilter }), voidCodec),
  connectListAllNWFilters: procedure(
    286,
    ListAllArgs,
    struct({ filters: array(nonnullNwfilter, REMOTE_NWFILTER_LIST_MAX), ret: uint }),
  ),
  nwfilterBindingLookupByPortDev: procedure(397, NameArgs, NwfilterBindingRet),
  nwfilterBindingGetXMLDesc: procedure(398, struct({ nwfilter: nonnullNwfilterBinding, flags }), XmlRet),
  nwfilterBindingCreateXML: procedure(399, XmlFlagsArgs, NwfilterBindingRet),
  nwfilterBindingDelete: procedure(400, struct({ nwfilter: nonnullNwfilterBinding }), voidCodec),
  connectListAllNWFilterBindings: procedure(
    401,
    ListAllArgs,
    struct({ bindings: array(nonnullNwfilterBinding, REMOTE_NWFILTER_BINDING_LIST_MAX), ret: uint }),
  ),
  nwfilterDefineXMLFlags: procedure(431, XmlFlagsArgs, NwfilterRet),

  // ---------------------------------------------------------------- host interfaces
  connectNumOfInterfaces: procedure(126, voidCodec, NumRet),
  connectListInterfaces: procedure(127, MaxnamesArgs, struct({ names: names(REMOTE_INTERFACE_LIST_MAX) })),
  interfaceLookupByName: procedure(128, NameArgs, IfaceRet),
  interfaceLookupByMACString: procedure(129, struct({ mac: nonnullString }), IfaceRet),
  interfaceGetXMLDesc: procedure(130, IfaceFlagsArgs, XmlRet),
  interfaceDefineXML: procedure(131, XmlFlagsArgs, IfaceRet),
  interfaceUndefine: procedure(132, IfaceArgs, voidCodec),
  interfaceCreate: procedure(133, IfaceFlagsArgs, voidCodec),
  interfaceDestroy: procedure(134, IfaceFlagsArgs, voidCodec),
  connectNumOfDefinedInterfaces: procedure(137, voidCodec, NumRet),
  connectListDefinedInterfaces: procedure(
    138,
    MaxnamesArgs,
    struct({ names: names(REMOTE_INTERFACE_LIST_MAX) }),
  ),
  interfaceIsActive: procedure(156, IfaceArgs, ActiveRet),
  interfaceChangeBegin: procedure(220, FlagsArgs, voidCodec),
  interfaceChangeCommit: procedure(221, FlagsArgs, voidCodec),
  interfaceChangeRollback: procedure(222, FlagsArgs, voidCodec),
  connectListAllInterfaces: procedure(
    284,
    ListAllArgs,
    struct({ ifaces: array(nonnullInterface, REMOTE_INTERFACE_LIST_MAX), ret: uint }),
  ),

  // ---------------------------------------------------------------- storage pools
  connectNumOfStoragePools: procedure(71, voidCodec, NumRet),
  connectListStoragePools: procedure(
    72,
    MaxnamesArgs,
    struct({ names: names(REMOTE_STORAGE_POOL_LIST_MAX) }),
  ),
  connectNumOfDefinedStoragePools: procedure(73, voidCodec, NumRet),
  connectListDefinedStoragePools: procedure(
    74,
    MaxnamesArgs,
    struct({ names: names(REMOTE_STORAGE_POOL_LIST_MAX) }),
  ),
  connectFindStoragePoolSources: procedure(
    75,
    struct({ type: nonnullString, srcSpec: remoteString, flags }),
    XmlRet,
  ),
  storagePoolCreateXML: procedure(76, XmlFlagsArgs, PoolRet),
  storagePoolDefineXML: procedure(77, XmlFlagsArgs, PoolRet),
  storagePoolCreate: procedure(78, PoolFlagsArgs, voidCodec),
  storagePoolBuild: procedure(79, PoolFlagsArgs, voidCodec),
  storagePoolDestroy: procedure(80, PoolArgs, voidCodec),
  storagePoolDelete: procedure(81, PoolFlagsArgs, voidCodec),
  storagePoolUndefine: procedure(82, PoolArgs, voidCodec),
  storagePoolRefresh: procedure(83, PoolFlagsArgs, voidCodec),
  storagePoolLookupByName: procedure(84, NameArgs, PoolRet),
  storagePoolLookupByUUID: procedure(85, UuidArgs, PoolRet),
  storagePoolLookupByVolume: procedure(86, VolArgs, PoolRet),
  storagePoolGetInfo: procedure(87, PoolArgs, storagePoolGetInfoRet),
  storagePoolGetXMLDesc: procedure(88, PoolFlagsArgs, XmlRet),
  storagePoolGetAutostart: procedure(89, PoolArgs, AutostartRet),
  storagePoolSetAutostart: procedure(90, struct({ pool, autostart }), voidCodec),
  storagePoolNumOfVolumes: procedure(91, PoolArgs, NumRet),
  storagePoolListVolumes: procedure(
    92,
    struct({ pool, maxnames }),
    struct({ names: names(REMOTE_STORAGE_VOL_LIST_MAX) }),
  ),
  storagePoolIsActive: procedure(154, PoolArgs, ActiveRet),
  storagePoolIsPersistent: procedure(155, PoolArgs, PersistentRet),
  connectListAllStoragePools: procedure(
    281,
    ListAllArgs,
    struct({ pools: array(nonnullStoragePool, REMOTE_STORAGE_POOL_LIST_MAX), ret: uint }),
  ),
  storagePoolListAllVolumes: procedure(
    282,
    struct({ pool, need_results, flags }),
    struct({ vols: array(nonnullStorageVol, REMOTE_STORAGE_VOL_LIST_MAX), ret: uint }),
  ),
  storagePoolLookupByTargetPath: procedure(391, struct({ path }), PoolRet),

  // ---------------------------------------------------------------- storage volumes
  storageVolCreateXML: procedure(93, struct({ pool, xml, flags }), VolRet),
  storageVolDelete: procedure(94, VolFlagsArgs, voidCodec),
  storageVolLookupByName: procedure(95, struct({ pool, name }), VolRet),
  storageVolLookupByKey: procedure(96, struct({ key: nonnullString }), VolRet),
  storageVolLookupByPath: procedure(97, struct({ path }), VolRet),
  storageVolGetInfo: procedure(98, VolArgs, StorageVolInfoRet),
  storageVolGetXMLDesc: procedure(99, VolFlagsArgs, XmlRet),
  storageVolGetPath: procedure(100, VolArgs, struct({ name })),
  storageVolCreateXMLFrom: procedure(125, struct({ pool, xml, clonevol: nonnullStorageVol, flags }), VolRet),
  storageVolWipe: procedure(165, VolFlagsArgs, voidCodec),
  storageVolUpload: procedure(208, StorageVolStreamArgs, voidCodec, 'write'),
  storageVolDownload: procedure(209, StorageVolStreamArgs, voidCodec, 'read'),
  storageVolWipePattern: procedure(259, struct({ vol, algorithm: uint, flags }), voidCodec),
  storageVolResize: procedure(260, struct({ vol, capacity: uhyper, flags }), voidCodec),
  storageVolGetInfoFlags: procedure(378, VolFlagsArgs, StorageVolInfoRet),

  // ---------------------------------------------------------------- node devices
  nodeNumOfDevices: procedure(111, struct({ cap: remoteString, flags }), NumRet),
  nodeListDevices: procedure(
    112,
    struct({ cap: remoteString, maxnames, flags }),
    struct({ names: names(REMOTE_NODE_DEVICE_LIST_MAX) }),
  ),
  nodeDeviceLookupByName: procedure(113, NameArgs, DevRet),
  nodeDeviceGetXMLDesc: procedure(114, NameFlagsArgs, XmlRet),
  nodeDeviceGetParent: procedure(115, NameArgs, struct({ parentName: remoteString })),
  nodeDeviceNumOfCaps: procedure(116, NameArgs, NumRet),
  nodeDeviceListCaps: procedure(
    117,
    struct({ name, maxnames }),
    struct({ names: names(REMOTE_NODE_DEVICE_CAPS_LIST_MAX) }),
  ),
  nodeDeviceDettach: procedure(118, NameArgs, voidCodec),
  nodeDeviceReAttach: procedure(119, NameArgs, voidCodec),
  nodeDeviceReset: procedure(120, NameArgs, voidCodec),
  nodeDeviceCreateXML: procedure(123, struct({ xml_desc, flags }), DevRet),
  nodeDeviceDestroy: procedure(124, NameArgs, voidCodec),
  connectListAllNodeDevices: procedure(
    285,
    ListAllArgs,
    struct({ devices: array(nonnullNodeDevice, REMOTE_NODE_DEVICE_LIST_MAX), ret: uint }),
  ),
  nodeDeviceLookupSCSIHostByWWN: procedure(
    297,
    struct({ wwnn: nonnullString, wwpn: nonnullString, flags }),
    DevRet,
  ),
  nodeDeviceDetachFlags: procedure(301, struct({ name, driverName: remoteString, flags }), voidCodec),
  nodeDeviceDefineXML: procedure(428, struct({ xml_desc, flags }), DevRet),
  nodeDeviceUndefine: procedure(429, NameFlagsArgs, voidCodec),
  nodeDeviceCreate: procedure(430, NameFlagsArgs, voidCodec),
  nodeDeviceGetAutostart: procedure(433, NameArgs, AutostartRet),
  nodeDeviceSetAutostart: procedure(434, struct({ name, autostart }), voidCodec),
  nodeDeviceIsPersistent: procedure(435, NameArgs, PersistentRet),
  nodeDeviceIsActive: procedure(436, NameArgs, ActiveRet),
  nodeDeviceUpdate: procedure(447, struct({ name, xml_desc, flags }), voidCodec),

  // ---------------------------------------------------------------- secrets
  connectNumOfSecrets: procedure(139, voidCodec, NumRet),
  connectListSecrets: procedure(140, struct({ maxuuids: int }), struct({ uuids: names(REMOTE_SECRET_LIST_MAX) })),
  secretLookupByUUID: procedure(141, UuidArgs, SecretRet),
  secretDefineXML: procedure(142, XmlFlagsArgs, SecretRet),
  secretGetXMLDesc: procedure(143, struct({ secret, flags }), XmlRet),
  secretSetValue: procedure(144, struct({ secret, value: opaque(REMOTE_SECRET_VALUE_MAX), flags }), voidCodec),
  secretGetValue: procedure(145, struct({ secret, flags }), struct({ value: opaque(REMOTE_SECRET_VALUE_MAX) })),
  secretUndefine: procedure(146, struct({ secret }), voidCodec),
  secretLookupByUsage: procedure(147, struct({ usageType: int, usageID: nonnullString }), SecretRet),
  connectListAllSecrets: procedure(
    287,
    ListAllArgs,
    struct({ secrets: array(nonnullSecret, REMOTE_SECRET_LIST_MAX), ret: uint }),
  ),
} as const;

export type RemoteProcedures = typeof remoteProcedures;
export type RemoteProcedureName = keyof RemoteProcedures;

/** Reverse index: procedure number -> catalogue name. */
export const remoteProcedureNames: ReadonlyMap<number, RemoteProcedureName> = new Map(
  (Object.keys(remoteProcedures) as RemoteProcedureName[]).map((k) => [remoteProcedures[k].number, k]),
);
