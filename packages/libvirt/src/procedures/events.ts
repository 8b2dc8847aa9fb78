/**
 * Asynchronous messages of libvirt's remote program: the events the daemon pushes (MESSAGE packets, serial 0) after
 * a `connect*EventRegisterAny` / `connectDomainEventCallbackRegisterAny` call, and the close-callback message.
 * Layouts follow src/remote/remote_protocol.x (callback-ID style only: every body starts with `callbackID`, except
 * the connection-closed message). Also the event-ID tables and the lifecycle enums from libvirt's public headers.
 */
import { array, hyper, int, struct, uhyper, uint, type Codec, type Infer } from '../xdr/index.js';
import { message } from './types.js';
import {
  REMOTE_DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX,
  REMOTE_DOMAIN_EVENT_TUNABLE_MAX,
  REMOTE_DOMAIN_JOB_STATS_MAX,
  nonnullDomain,
  nonnullNetwork,
  nonnullNodeDevice,
  nonnullSecret,
  nonnullStoragePool,
  nonnullString,
  remoteString,
  typedParam,
} from './remote-types.js';

const callbackID = int;
const dom = nonnullDomain;
const devAlias = nonnullString;

/** The inner `remote_domain_event_*_msg` of the older events, wrapped as `{ callbackID, msg }` on the wire. */
const withMsg = <F extends Record<string, Codec<unknown>>>(fields: F) => struct({ callbackID, msg: struct(fields) });
/** PM wakeup/suspend put a `reason` between the callback ID and the inner message. */
const withReasonMsg = () => struct({ callbackID, reason: int, msg: struct({ dom }) });

export const domainEventGraphicsAddress = struct({ family: int, node: nonnullString, service: nonnullString });
export const domainEventGraphicsIdentity = struct({ type: nonnullString, name: nonnullString });

export const remoteMessages = {
  // ---------------------------------------------------------------- domain events (callback style)
  domainEventCallbackLifecycle: message(318, withMsg({ dom, event: int, detail: int })),
  domainEventCallbackReboot: message(319, withMsg({ dom })),
  domainEventCallbackRTCChange: message(320, withMsg({ dom, offset: hyper })),
  domainEventCallbackWatchdog: message(321, withMsg({ dom, action: int })),
  domainEventCallbackIOError: message(
    322,
    withMsg({ dom, srcPath: nonnullString, devAlias, action: int }),
  ),
  domainEventCallbackGraphics: message(
    323,
    withMsg({
      dom,
      phase: int,
      local: domainEventGraphicsAddress,
      remote: domainEventGraphicsAddress,
      authScheme: nonnullString,
      subject: array(domainEventGraphicsIdentity, REMOTE_DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX),
    }),
  ),
  domainEventCallbackIOErrorReason: message(
    324,
    withMsg({ dom, srcPath: nonnullString, devAlias, action: int, reason: nonnullString }),
  ),
  domainEventCallbackControlError: message(325, withMsg({ dom })),
  domainEventCallbackBlockJob: message(326, withMsg({ dom, path: nonnullString, type: int, status: int })),
  domainEventCallbackDiskChange: message(
    327,
    withMsg({ dom, oldSrcPath: remoteString, newSrcPath: remoteString, devAlias, reason: int }),
  ),
  domainEventCallbackTrayChange: message(328, withMsg({ dom, devAlias, reason: int })),
  domainEventCallbackPMWakeup: message(329, withReasonMsg()),
  domainEventCallbackPMSuspend: message(330, withReasonMsg()),
  domainEventCallbackBalloonChange: message(331, withMsg({ dom, actual: uhyper })),
  domainEventCallbackPMSuspendDisk: message(332, withReasonMsg()),
  domainEventCallbackDeviceRemoved: message(333, withMsg({ dom, devAlias })),
  domainEventBlockJob2: message(
    339,
    struct({ callbackID, dom, dst: nonnullString, type: int, status: int }),
  ),
  domainEventCallbackTunable: message(
    346,
    struct({ callbackID, dom, params: array(typedParam, REMOTE_DOMAIN_EVENT_TUNABLE_MAX) }),
  ),
  domainEventCallbackAgentLifecycle: message(348, struct({ callbackID, dom, state: int, reason: int })),
  domainEventCallbackDeviceAdded: message(354, struct({ callbackID, dom, devAlias })),
  domainEventCallbackMigrationIteration: message(359, struct({ callbackID, dom, iteration: int })),
  domainEventCallbackJobCompleted: message(
    363,
    struct({ callbackID, dom, params: array(typedParam, REMOTE_DOMAIN_JOB_STATS_MAX) }),
  ),
  domainEventCallbackDeviceRemovalFailed: message(367, struct({ callbackID, dom, devAlias })),
  domainEventCallbackMetadataChange: message(
    379,
    struct({ callbackID, dom, type: int, nsuri: remoteString }),
  ),
  domainEventBlockThreshold: message(
    385,
    struct({ callbackID, dom, dev: nonnullString, path: remoteString, threshold: uhyper, excess: uhyper }),
  ),
  domainEventMemoryFailure: message(
    423,
    struct({ callbackID, dom, recipient: int, action: int, flags: uint }),
  ),
  domainEventMemoryDeviceSizeChange: message(
    438,
    struct({ callbackID, dom, alias: nonnullString, size: uhyper }),
  ),
  // libvirt 11.2+. Not present in the copy of remote_protocol.x we could read: number from the project's protocol
  // notes, layout from the C callback (dom, alias, oldMAC, newMAC) in the .x's usual callback-ID form.
  domainEventNICMACChange: message(
    453,
    struct({ callbackID, dom, alias: nonnullString, oldMAC: nonnullString, newMAC: nonnullString }),
  ),

  // ---------------------------------------------------------------- other objects
  networkEventLifecycle: message(315, struct({ callbackID, net: nonnullNetwork, event: int, detail: int })),
  networkEventCallbackMetadataChange: message(
    446,
    struct({ callbackID, net: nonnullNetwork, type: int, nsuri: remoteString }),
  ),
  storagePoolEventLifecycle: message(
    370,
    struct({ callbackID, pool: nonnullStoragePool, event: int, detail: int }),
  ),
  storagePoolEventRefresh: message(373, struct({ callbackID, pool: nonnullStoragePool })),
  nodeDeviceEventLifecycle: message(
    376,
    struct({ callbackID, dev: nonnullNodeDevice, event: int, detail: int }),
  ),
  nodeDeviceEventUpdate: message(377, struct({ callbackID, dev: nonnullNodeDevice })),
  secretEventLifecycle: message(382, struct({ callbackID, secret: nonnullSecret, event: int, detail: int })),
  secretEventValueChanged: message(383, struct({ callbackID, secret: nonnullSecret })),

  // ---------------------------------------------------------------- connection
  connectEventConnectionClosed: message(362, struct({ reason: int })),
} as const;

export type RemoteMessages = typeof remoteMessages;
export type RemoteMessageName = keyof RemoteMessages;

/** Reverse index: message procedure number -> key of `remoteMessages`. */
export const remoteMessageNames: ReadonlyMap<number, RemoteMessageName> = new Map(
  (Object.keys(remoteMessages) as RemoteMessageName[]).map((k) => [remoteMessages[k].number, k]),
);

type EventIdEntry<M extends string = RemoteMessageName> = {
  readonly name: string;
  readonly message: M;
  /**
   * First libvirt release (major*1e6 + minor*1e3 + micro, as connectGetLibVersion answers) that accepts this ID in
   * callback-style registration (which itself appeared in 1.2.1).
   */
  readonly since: number;
};

/**
 * VIR_DOMAIN_EVENT_ID_* -> event name and the message the daemon sends for it. A daemon older than `since` rejects
 * the registration of that ID ("unsupported event ID"), so subscribe-all callers should skip or tolerate those.
 */
export const DOMAIN_EVENT_IDS = {
  0: { name: 'lifecycle', message: 'domainEventCallbackLifecycle', since: 1002001 },
  1: { name: 'reboot', message: 'domainEventCallbackReboot', since: 1002001 },
  2: { name: 'rtcChange', message: 'domainEventCallbackRTCChange', since: 1002001 },
  3: { name: 'watchdog', message: 'domainEventCallbackWatchdog', since: 1002001 },
  4: { name: 'ioError', message: 'domainEventCallbackIOError', since: 1002001 },
  5: { name: 'graphics', message: 'domainEventCallbackGraphics', since: 1002001 },
  6: { name: 'ioErrorReason', message: 'domainEventCallbackIOErrorReason', since: 1002001 },
  7: { name: 'controlError', message: 'domainEventCallbackControlError', since: 1002001 },
  8: { name: 'blockJob', message: 'domainEventCallbackBlockJob', since: 1002001 },
  9: { name: 'diskChange', message: 'domainEventCallbackDiskChange', since: 1002001 },
  10: { name: 'trayChange', message: 'domainEventCallbackTrayChange', since: 1002001 },
  11: { name: 'pmWakeup', message: 'domainEventCallbackPMWakeup', since: 1002001 },
  12: { name: 'pmSuspend', message: 'domainEventCallbackPMSuspend', since: 1002001 },
  13: { name: 'balloonChange', message: 'domainEventCallbackBalloonChange', since: 1002001 },
  14: { name: 'pmSuspendDisk', message: 'domainEventCallbackPMSuspendDisk', since: 1002001 },
  15: { name: 'deviceRemoved', message: 'domainEventCallbackDeviceRemoved', since: 1002001 },
  16: { name: 'blockJob2', message: 'domainEventBlockJob2', since: 1002006 },
  17: { name: 'tunable', message: 'domainEventCallbackTunable', since: 1002009 },
  18: { name: 'agentLifecycle', message: 'domainEventCallbackAgentLifecycle', since: 1002011 },
  19: { name: 'deviceAdded', message: 'domainEventCallbackDeviceAdded', since: 1002015 },
  20: { name: 'migrationIteration', message: 'domainEventCallbackMigrationIteration', since: 1003002 },
  21: { name: 'jobCompleted', message: 'domainEventCallbackJobCompleted', since: 1003003 },
  22: { name: 'deviceRemovalFailed', message: 'domainEventCallbackDeviceRemovalFailed', since: 1003004 },
  23: { name: 'metadataChange', message: 'domainEventCallbackMetadataChange', since: 3000000 },
  24: { name: 'blockThreshold', message: 'domainEventBlockThreshold', since: 3002000 },
  25: { name: 'memoryFailure', message: 'domainEventMemoryFailure', since: 6009000 },
  26: { name: 'memoryDeviceSizeChange', message: 'domainEventMemoryDeviceSizeChange', since: 7009000 },
  27: { name: 'nicMacChange', message: 'domainEventNICMACChange', since: 11002000 },
} as const satisfies Record<number, EventIdEntry>;

/** VIR_NETWORK_EVENT_ID_* */
export const NETWORK_EVENT_IDS = {
  0: { name: 'lifecycle', message: 'networkEventLifecycle', since: 1002001 },
  1: { name: 'metadataChange', message: 'networkEventCallbackMetadataChange', since: 9008000 },
} as const satisfies Record<number, EventIdEntry>;

/** VIR_STORAGE_POOL_EVENT_ID_* */
export const STORAGE_POOL_EVENT_IDS = {
  0: { name: 'lifecycle', message: 'storagePoolEventLifecycle', since: 2000000 },
  1: { name: 'refresh', message: 'storagePoolEventRefresh', since: 2000000 },
} as const satisfies Record<number, EventIdEntry>;

/** VIR_NODE_DEVICE_EVENT_ID_* */
export const NODE_DEVICE_EVENT_IDS = {
  0: { name: 'lifecycle', message: 'nodeDeviceEventLifecycle', since: 2002000 },
  1: { name: 'update', message: 'nodeDeviceEventUpdate', since: 2002000 },
} as const satisfies Record<number, EventIdEntry>;

/** VIR_SECRET_EVENT_ID_* */
export const SECRET_EVENT_IDS = {
  0: { name: 'lifecycle', message: 'secretEventLifecycle', since: 3000000 },
  1: { name: 'valueChanged', message: 'secretEventValueChanged', since: 3000000 },
} as const satisfies Record<number, EventIdEntry>;

// ---------------------------------------------------------------- lifecycle enums

/** virDomainEventType: the `event` of a domain lifecycle message. */
export const DomainEventType = {
  DEFINED: 0,
  UNDEFINED: 1,
  STARTED: 2,
  SUSPENDED: 3,
  RESUMED: 4,
  STOPPED: 5,
  SHUTDOWN: 6,
  PMSUSPENDED: 7,
  CRASHED: 8,
} as const;

/** virDomainEvent*DetailType: the `detail` of a domain lifecycle message, per event type. */
export const DomainEventDetail = {
  DEFINED: { ADDED: 0, UPDATED: 1, RENAMED: 2, FROM_SNAPSHOT: 3 },
  UNDEFINED: { REMOVED: 0, RENAMED: 1 },
  STARTED: { BOOTED: 0, MIGRATED: 1, RESTORED: 2, FROM_SNAPSHOT: 3, WAKEUP: 4 },
  SUSPENDED: {
    PAUSED: 0,
    MIGRATED: 1,
    IOERROR: 2,
    WATCHDOG: 3,
    RESTORED: 4,
    FROM_SNAPSHOT: 5,
    API_ERROR: 6,
    POSTCOPY: 7,
    POSTCOPY_FAILED: 8,
  },
  RESUMED: { UNPAUSED: 0, MIGRATED: 1, FROM_SNAPSHOT: 2, POSTCOPY: 3, POSTCOPY_FAILED: 4 },
  STOPPED: { SHUTDOWN: 0, DESTROYED: 1, CRASHED: 2, MIGRATED: 3, SAVED: 4, FAILED: 5, FROM_SNAPSHOT: 6 },
  SHUTDOWN: { FINISHED: 0, GUEST: 1, HOST: 2 },
  PMSUSPENDED: { MEMORY: 0, DISK: 1 },
  CRASHED: { PANICKED: 0, CRASHLOADED: 1 },
} as const satisfies { [K in keyof typeof DomainEventType]: Record<string, number> };

export type DomainEventTypeName = keyof typeof DomainEventType;

/** Name of a domain lifecycle event (`STARTED`), or undefined for a value newer than this table. */
export function domainEventTypeName(event: number): DomainEventTypeName | undefined {
  return reverseLookup(DomainEventType, event);
}

/** Name of a lifecycle detail (`BOOTED` for STARTED/0), or undefined when unknown. */
export function domainEventDetailName(event: number, detail: number): string | undefined {
  const type = domainEventTypeName(event);
  return type === undefined ? undefined : reverseLookup(DomainEventDetail[type], detail);
}

/** virNetworkEventLifecycleType */
export const NetworkEventType = { DEFINED: 0, UNDEFINED: 1, STARTED: 2, STOPPED: 3 } as const;

/** virStoragePoolEventLifecycleType */
export const StoragePoolEventType = {
  DEFINED: 0,
  UNDEFINED: 1,
  STARTED: 2,
  STOPPED: 3,
  CREATED: 4,
  DELETED: 5,
} as const;

/** virNodeDeviceEventLifecycleType */
export const NodeDeviceEventType = { CREATED: 0, DELETED: 1, DEFINED: 2, UNDEFINED: 3 } as const;

/** virSecretEventLifecycleType */
export const SecretEventType = { DEFINED: 0, UNDEFINED: 1 } as const;

/** virConnectCloseReason: the `reason` of connectEventConnectionClosed. */
export const ConnectCloseReason = { ERROR: 0, EOF: 1, KEEPALIVE: 2, CLIENT: 3 } as const;

// ---------------------------------------------------------------- enums of the other domain events

/** virDomainEventWatchdogAction */
export const DomainEventWatchdogAction = {
  NONE: 0,
  PAUSE: 1,
  RESET: 2,
  POWEROFF: 3,
  SHUTDOWN: 4,
  DEBUG: 5,
  INJECTNMI: 6,
} as const;

/** virDomainEventIOErrorAction */
export const DomainEventIOErrorAction = { NONE: 0, PAUSE: 1, REPORT: 2 } as const;

/** virDomainEventGraphicsPhase and virDomainEventGraphicsAddressType */
export const DomainEventGraphicsPhase = { CONNECT: 0, INITIALIZE: 1, DISCONNECT: 2 } as const;
export const DomainEventGraphicsAddressType = { IPV4: 0, IPV6: 1, UNIX: 2 } as const;

/** virDomainBlockJobType and virConnectDomainEventBlockJobStatus */
export const DomainBlockJobType = { UNKNOWN: 0, PULL: 1, COPY: 2, COMMIT: 3, ACTIVE_COMMIT: 4, BACKUP: 5 } as const;
export const DomainBlockJobStatus = { COMPLETED: 0, FAILED: 1, CANCELED: 2, READY: 3 } as const;

/** virConnectDomainEventDiskChangeReason and virDomainEventTrayChangeReason */
export const DomainEventDiskChangeReason = { MISSING_ON_START: 0, DROP_MISSING_ON_START: 1 } as const;
export const DomainEventTrayChangeReason = { OPEN: 0, CLOSE: 1 } as const;

/** virConnectDomainEventAgentLifecycleState / Reason */
export const DomainEventAgentLifecycleState = { CONNECTED: 1, DISCONNECTED: 2 } as const;
export const DomainEventAgentLifecycleReason = { UNKNOWN: 0, DOMAIN_STARTED: 1, CHANNEL: 2 } as const;

/** virDomainMemoryFailureRecipientType / ActionType */
export const DomainEventMemoryFailureRecipient = { HYPERVISOR: 0, GUEST: 1 } as const;
export const DomainEventMemoryFailureAction = { IGNORE: 0, INJECT: 1, FATAL: 2, RESET: 3 } as const;

function reverseLookup<T extends Record<string, number>>(table: T, value: number): (keyof T & string) | undefined {
  for (const [k, v] of Object.entries(table)) if (v === value) return k;
  return undefined;
}

export type DomainLifecycleMessage = Infer<(typeof remoteMessages)['domainEventCallbackLifecycle']['body']>;
