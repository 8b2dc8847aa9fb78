/** Read views of storage `<pool>` and `<volume>` documents; every size is in bytes. */
import type { Document, Element } from '@xmldom/xmldom';
import { at, attr, child, children, childText } from '../dom/nav.js';
import { loadRoot, uintAttr, yes } from './common.js';
import { elementBytes, parseSigned } from './units.js';

export interface PermissionsView {
  /** Octal, as written (e.g. 0700). */
  mode?: string;
  owner?: number;
  group?: number;
  label?: string;
}

export interface StoragePoolSourceView {
  hosts: { name?: string; port?: number }[];
  devices: { path?: string; partSeparator?: boolean }[];
  dir?: string;
  /** SCSI host adapter: scsi_host by name or parent address, or fc_host by WWNN/WWPN. */
  adapter?: { type?: string; name?: string; parent?: string; wwnn?: string; wwpn?: string; managed?: boolean };
  /** Source name: RBD/Gluster pool, LVM volume group, ZFS pool, vstorage cluster. */
  name?: string;
  format?: string;
  protocolVersion?: string;
  /** Who the pool logs in as; the CHAP password or secret never appears in a view. */
  auth?: { type?: string; username?: string };
  vendor?: string;
  product?: string;
  initiatorIqn?: string;
}

export interface StoragePoolView {
  /** dir, fs, netfs, logical, disk, iscsi, iscsi-direct, scsi, mpath, rbd, gluster, zfs, vstorage. */
  type?: string;
  name?: string;
  uuid?: string;
  capacityBytes?: number;
  allocationBytes?: number;
  availableBytes?: number;
  source?: StoragePoolSourceView;
  target?: { path?: string; permissions?: PermissionsView };
}

export interface StorageVolumeView {
  /** file, block, dir, network, netdir, ploop. */
  type?: string;
  name?: string;
  key?: string;
  capacityBytes?: number;
  allocationBytes?: number;
  /** Host-side size (e.g. of a qcow2 file), when libvirt reports it. */
  physicalBytes?: number;
  target?: {
    path?: string;
    /** raw, qcow2, iso, dir, luks, none, ... */
    format?: string;
    permissions?: PermissionsView;
    /** luks or qcow when the image is encrypted. */
    encryption?: string;
    compat?: string;
  };
  backingStore?: { path?: string; format?: string };
}

export function readPermissions(el: Element | undefined): PermissionsView | undefined {
  if (!el) return undefined;
  return {
    mode: childText(el, 'mode'),
    owner: parseSigned(childText(el, 'owner')),
    group: parseSigned(childText(el, 'group')),
    label: childText(el, 'label'),
  };
}

function readPoolSource(el: Element | undefined): StoragePoolSourceView | undefined {
  if (!el) return undefined;
  const adapter = child(el, 'adapter');
  const auth = child(el, 'auth');
  return {
    hosts: children(el, 'host').map((h) => ({ name: attr(h, 'name'), port: uintAttr(h, 'port') })),
    devices: children(el, 'device').map((d) => ({ path: attr(d, 'path'), partSeparator: yes(d, 'part_separator') })),
    dir: attr(child(el, 'dir'), 'path'),
    adapter: adapter
      ? {
          type: attr(adapter, 'type'),
          name: attr(adapter, 'name'),
          parent: attr(adapter, 'parent'),
          wwnn: attr(adapter, 'wwnn'),
          wwpn: attr(adapter, 'wwpn'),
          managed: yes(adapter, 'managed'),
        }
      : undefined,
    name: childText(el, 'name'),
    format: attr(child(el, 'format'), 'type'),
    protocolVersion: attr(child(el, 'protocol'), 'ver'),
    // Older iSCSI definitions spell the user `login` (next to a plain-text `passwd`, which is never read).
    auth: auth ? { type: attr(auth, 'type'), username: attr(auth, 'username') ?? attr(auth, 'login') } : undefined,
    vendor: attr(child(el, 'vendor'), 'name'),
    product: attr(child(el, 'product'), 'name'),
    initiatorIqn: attr(at(el, 'initiator/iqn'), 'name'),
  };
}

/** Reads a storage pool document (pool-dumpxml or a definition) into a plain view. */
export function readStoragePool(input: Document | string): StoragePoolView {
  const root = loadRoot(input, 'pool', 'storage pool');
  const target = child(root, 'target');
  return {
    type: attr(root, 'type'),
    name: childText(root, 'name'),
    uuid: childText(root, 'uuid'),
    capacityBytes: elementBytes(child(root, 'capacity')),
    allocationBytes: elementBytes(child(root, 'allocation')),
    availableBytes: elementBytes(child(root, 'available')),
    source: readPoolSource(child(root, 'source')),
    target: target
      ? { path: childText(target, 'path'), permissions: readPermissions(child(target, 'permissions')) }
      : undefined,
  };
}

/** Reads a storage volume document (vol-dumpxml or a definition) into a plain view. */
export function readStorageVolume(input: Document | string): StorageVolumeView {
  const root = loadRoot(input, 'volume', 'storage volume');
  const target = child(root, 'target');
  const backing = child(root, 'backingStore');
  return {
    type: attr(root, 'type'),
    name: childText(root, 'name'),
    key: childText(root, 'key'),
    capacityBytes: elementBytes(child(root, 'capacity')),
    allocationBytes: elementBytes(child(root, 'allocation')),
    physicalBytes: elementBytes(child(root, 'physical')),
    target: target
      ? {
          path: childText(target, 'path'),
          format: attr(child(target, 'format'), 'type'),
          permissions: readPermissions(child(target, 'permissions')),
          encryption: attr(child(target, 'encryption'), 'format'),
          compat: childText(target, 'compat'),
        }
      : undefined,
    backingStore: backing
      ? { path: childText(backing, 'path'), format: attr(child(backing, 'format'), 'type') }
      : undefined,
  };
}
