/**
 * Targeted edits of storage pool and volume documents (a pool or volume definition, or a creation document a
 * builder made), in place like the domain edits.
 */
import type { Document } from '@xmldom/xmldom';
import { setAttr, setText } from '../dom/nav.js';
import { rootElement } from '../dom/parse.js';
import { EditError } from './errors.js';
import { checkName, ensureOrdered } from './util.js';

const POOL_ORDER = ['name', 'uuid', 'capacity', 'allocation', 'available', 'features', 'source', 'target'] as const;
const VOLUME_ORDER = ['name', 'key', 'source', 'capacity', 'allocation', 'physical', 'target', 'backingStore'] as const;

/** Sets a pool's `<name>` (see checkName for what libvirt refuses). */
export function setPoolName(doc: Document, name: string): void {
  checkName('name', name);
  setText(ensureOrdered(rootElement(doc, 'pool'), 'name', POOL_ORDER), name);
}

/** Sets a volume's `<name>`; it becomes a file name in directory pools, so '/' is refused. */
export function setVolumeName(doc: Document, name: string): void {
  checkName('name', name);
  setText(ensureOrdered(rootElement(doc, 'volume'), 'name', VOLUME_ORDER), name);
}

/**
 * Sets a volume's `<capacity>` in bytes (unit becomes bytes). Bigint because volumes pass 2^53 bytes (8 PiB) only
 * in theory, but libvirt reports 64-bit sizes and a round trip must not lose precision.
 */
export function setVolumeCapacity(doc: Document, bytes: bigint | number): void {
  const value = typeof bytes === 'number' ? (Number.isSafeInteger(bytes) ? BigInt(bytes) : -1n) : bytes;
  if (value < 0n || value > 0xffff_ffff_ffff_ffffn) {
    throw new EditError('capacity', `must be a whole number of bytes from 0 to 2^64-1, got ${String(bytes)}`);
  }
  const el = ensureOrdered(rootElement(doc, 'volume'), 'capacity', VOLUME_ORDER);
  setAttr(el, 'unit', 'bytes');
  setText(el, value.toString());
}
