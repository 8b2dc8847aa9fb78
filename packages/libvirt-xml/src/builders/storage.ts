/** Storage pool and volume definitions. Sizes are written in bytes, the unit libvirt reports them in. */
import type { Document, Element } from '@xmldom/xmldom';
import { serializeXml } from '../dom/parse.js';
import { absolutePath, integer, objectName, oneOf, requireString, uuid as checkUuid } from './checks.js';
import { SpecError } from './errors.js';
import { sizeToBytes, type SizeInput } from './units.js';
import { el, indent, newDocument } from './xml.js';

export const FS_FORMATS = ['auto', 'ext2', 'ext3', 'ext4', 'ufs', 'iso9660', 'udf', 'gfs', 'gfs2', 'vfat', 'hfs+', 'xfs', 'ocfs2', 'vmfs'] as const;
export type FsFormat = (typeof FS_FORMATS)[number];
export const DISK_LABELS = ['dos', 'gpt', 'dvh', 'mac', 'bsd', 'pc98', 'sun', 'lvm2', 'unknown'] as const;
export type DiskLabel = (typeof DISK_LABELS)[number];
export const POOL_TYPES = ['dir', 'fs', 'netfs', 'logical', 'zfs', 'iscsi', 'disk'] as const;
export type PoolType = (typeof POOL_TYPES)[number];
export const VOLUME_FORMATS = ['qcow2', 'raw'] as const;
export type VolumeFormat = (typeof VOLUME_FORMATS)[number];

export interface Permissions {
  /** Octal: '0755' or 0o755. */
  mode?: string | number;
  owner?: number;
  group?: number;
  /** SELinux label. */
  label?: string;
}

interface PoolCommon {
  name: string;
  uuid?: string;
}

export type StoragePoolSpec =
  | (PoolCommon & { type: 'dir'; path: string; permissions?: Permissions })
  /** A block device with a file system, mounted on path. */
  | (PoolCommon & { type: 'fs'; device: string; format?: FsFormat; path: string; permissions?: Permissions })
  /** An NFS export mounted on path. */
  | (PoolCommon & { type: 'netfs'; host: string; dir: string; format?: 'nfs' | 'auto'; protocolVersion?: number; path: string; permissions?: Permissions })
  /** An LVM volume group (vg default the pool name); devices are the PVs to build it from. */
  | (PoolCommon & { type: 'logical'; vg?: string; devices?: string[]; path?: string })
  /** A ZFS pool (zpool default the pool name); devices are the vdevs to build it from. */
  | (PoolCommon & { type: 'zfs'; zpool?: string; devices?: string[] })
  /** An iSCSI target's LUNs, seen under path (default /dev/disk/by-path). */
  | (PoolCommon & { type: 'iscsi'; host: string; port?: number; iqn: string; initiator?: string; path?: string })
  /** A whole disk whose partitions are the volumes. */
  | (PoolCommon & { type: 'disk'; device: string; format?: DiskLabel; path?: string });

export interface StorageVolumeSpec {
  name: string;
  /** A bare number or bigint is bytes; `{ value, unit }` or '20GiB' carry a unit. */
  capacity: SizeInput;
  /** What to allocate up front (0 for a sparse file); default libvirt's choice. */
  allocation?: SizeInput;
  /** Default qcow2. */
  format?: VolumeFormat;
  /** A qcow2 overlay on this image (copy-on-write clone). */
  backingStore?: { path: string; format: VolumeFormat };
  permissions?: Permissions;
}

const ISCSI_IQN = /^iqn\.[0-9]{4}-(0[1-9]|1[0-2])\.[a-zA-Z0-9.-]+(:.+)?$/;

function hostName(value: unknown, field: string): string {
  const s = requireString(value, field);
  if (!/^[a-zA-Z0-9.:-]+$/.test(s)) throw new SpecError(field, `'${s}' is not a host name or IP address`);
  return s;
}

function addPermissions(parent: Element, p: Permissions | undefined, field: string): void {
  if (!p) return;
  const perms = el(parent, 'permissions');
  if (p.mode !== undefined) {
    const mode = typeof p.mode === 'number' ? integer(p.mode, `${field}.mode`, 0, 0o7777).toString(8).padStart(4, '0') : p.mode;
    if (!/^[0-7]{3,4}$/.test(mode)) throw new SpecError(`${field}.mode`, `'${mode}' is not an octal mode such as '0755'`);
    el(perms, 'mode', {}, mode);
  }
  if (p.owner !== undefined) el(perms, 'owner', {}, integer(p.owner, `${field}.owner`, 0, 2 ** 32 - 2));
  if (p.group !== undefined) el(perms, 'group', {}, integer(p.group, `${field}.group`, 0, 2 ** 32 - 2));
  if (p.label !== undefined) el(perms, 'label', {}, requireString(p.label, `${field}.label`));
}

function addTarget(root: Element, path: string, permissions: Permissions | undefined): void {
  const target = el(root, 'target');
  el(target, 'path', {}, path);
  addPermissions(target, permissions, 'permissions');
}

function addDevices(source: Element, devices: unknown, field: string): void {
  if (devices === undefined) return;
  if (!Array.isArray(devices)) throw new SpecError(field, 'must be a list of device paths');
  devices.forEach((d, i) => el(source, 'device', { path: absolutePath(d, `${field}[${i}]`) }));
}

/** A new storage pool document; throws SpecError naming the first bad field. */
export function buildStoragePool(spec: StoragePoolSpec): Document {
  const type = oneOf(spec.type, POOL_TYPES, 'type');
  const { doc, root } = newDocument('pool');
  root.setAttribute('type', type);
  el(root, 'name', {}, objectName(spec.name, 'name'));
  if (spec.uuid !== undefined) el(root, 'uuid', {}, checkUuid(spec.uuid, 'uuid'));
  switch (spec.type) {
    case 'dir':
      addTarget(root, absolutePath(spec.path, 'path'), spec.permissions);
      break;
    case 'fs': {
      const source = el(root, 'source');
      el(source, 'device', { path: absolutePath(spec.device, 'device') });
      el(source, 'format', { type: oneOf(spec.format ?? 'auto', FS_FORMATS, 'format') });
      addTarget(root, absolutePath(spec.path, 'path'), spec.permissions);
      break;
    }
    case 'netfs': {
      const source = el(root, 'source');
      el(source, 'host', { name: hostName(spec.host, 'host') });
      el(source, 'dir', { path: absolutePath(spec.dir, 'dir') });
      el(source, 'format', { type: oneOf(spec.format ?? 'nfs', ['nfs', 'auto'] as const, 'format') });
      if (spec.protocolVersion !== undefined) el(source, 'protocol', { ver: integer(spec.protocolVersion, 'protocolVersion', 3, 4) });
      addTarget(root, absolutePath(spec.path, 'path'), spec.permissions);
      break;
    }
    case 'logical': {
      const vg = objectName(spec.vg ?? spec.name, spec.vg === undefined ? 'name' : 'vg');
      const source = el(root, 'source');
      el(source, 'name', {}, vg);
      addDevices(source, spec.devices, 'devices');
      el(source, 'format', { type: 'lvm2' });
      addTarget(root, spec.path === undefined ? `/dev/${vg}` : absolutePath(spec.path, 'path'), undefined);
      break;
    }
    case 'zfs': {
      const source = el(root, 'source');
      el(source, 'name', {}, objectName(spec.zpool ?? spec.name, spec.zpool === undefined ? 'name' : 'zpool'));
      addDevices(source, spec.devices, 'devices');
      break;
    }
    case 'iscsi': {
      const source = el(root, 'source');
      el(source, 'host', { name: hostName(spec.host, 'host'), port: spec.port === undefined ? undefined : integer(spec.port, 'port', 1, 65535) });
      const iqn = requireString(spec.iqn, 'iqn');
      if (!ISCSI_IQN.test(iqn)) throw new SpecError('iqn', `'${iqn}' is not an iSCSI qualified name (iqn.yyyy-mm.reversed.domain[:name])`);
      el(source, 'device', { path: iqn });
      if (spec.initiator !== undefined) {
        const initiator = requireString(spec.initiator, 'initiator');
        if (!ISCSI_IQN.test(initiator)) throw new SpecError('initiator', `'${initiator}' is not an iSCSI qualified name`);
        el(el(source, 'initiator'), 'iqn', { name: initiator });
      }
      addTarget(root, spec.path === undefined ? '/dev/disk/by-path' : absolutePath(spec.path, 'path'), undefined);
      break;
    }
    case 'disk': {
      const source = el(root, 'source');
      el(source, 'device', { path: absolutePath(spec.device, 'device') });
      el(source, 'format', { type: oneOf(spec.format ?? 'gpt', DISK_LABELS, 'format') });
      addTarget(root, spec.path === undefined ? '/dev' : absolutePath(spec.path, 'path'), undefined);
      break;
    }
  }
  indent(root);
  return doc;
}

export function buildStoragePoolXml(spec: StoragePoolSpec): string {
  return serializeXml(buildStoragePool(spec));
}

/** A new volume document for storageVolCreateXML; throws SpecError naming the first bad field. */
export function buildStorageVolume(spec: StorageVolumeSpec): Document {
  const { doc, root } = newDocument('volume');
  el(root, 'name', {}, objectName(spec.name, 'name'));
  if (spec.capacity === undefined) throw new SpecError('capacity', 'is required');
  const capacity = sizeToBytes(spec.capacity, 'capacity');
  if (capacity === 0n) throw new SpecError('capacity', 'must be more than 0');
  el(root, 'capacity', { unit: 'bytes' }, capacity);
  if (spec.allocation !== undefined) {
    const allocation = sizeToBytes(spec.allocation, 'allocation');
    if (allocation > capacity) throw new SpecError('allocation', 'must not exceed capacity');
    el(root, 'allocation', { unit: 'bytes' }, allocation);
  }
  const format = oneOf(spec.format ?? 'qcow2', VOLUME_FORMATS, 'format');
  const target = el(root, 'target');
  el(target, 'format', { type: format });
  addPermissions(target, spec.permissions, 'permissions');
  if (spec.backingStore) {
    // Only qcow2 can record a backing file; libvirt would refuse the raw case on create, this names the field.
    if (format !== 'qcow2') throw new SpecError('backingStore', 'needs format qcow2 for the new volume');
    const backing = el(root, 'backingStore');
    el(backing, 'path', {}, absolutePath(spec.backingStore.path, 'backingStore.path'));
    el(backing, 'format', { type: oneOf(spec.backingStore.format, VOLUME_FORMATS, 'backingStore.format') });
  }
  indent(root);
  return doc;
}

export function buildStorageVolumeXml(spec: StorageVolumeSpec): string {
  return serializeXml(buildStorageVolume(spec));
}
