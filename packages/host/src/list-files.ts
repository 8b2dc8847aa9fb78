/** Files of one directory, for install media in configured directories: never recursive, never out of the directory. */
import { open, opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface ListedFile {
  name: string;
  /** Absolute path inside the directory (as listed, not the symlink's target). */
  path: string;
  sizeBytes: number;
  /** What the file's first bytes say: an ISO 9660 image, a qcow2 image, or anything else (raw). */
  format: 'iso' | 'qcow2' | 'raw';
  /** The disk size a qcow2 image presents to a guest (its header's size); the file size otherwise. */
  virtualSizeBytes: number;
}

const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);
// ISO 9660: the first volume descriptor is at sector 16 (byte 32768); its identifier "CD001" follows the type byte.
const ISO_MAGIC_OFFSET = 32769;
const ISO_MAGIC = Buffer.from('CD001', 'latin1');

/** Reads the few header bytes that tell an ISO and a qcow2 image from a raw one. */
export async function probeImage(file: string, sizeBytes: number): Promise<Pick<ListedFile, 'format' | 'virtualSizeBytes'>> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(32);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead >= 32 && head.subarray(0, 4).equals(QCOW2_MAGIC)) {
      return { format: 'qcow2', virtualSizeBytes: Number(head.readBigUInt64BE(24)) };
    }
    if (sizeBytes >= ISO_MAGIC_OFFSET + ISO_MAGIC.length) {
      const magic = Buffer.alloc(ISO_MAGIC.length);
      await fh.read(magic, 0, magic.length, ISO_MAGIC_OFFSET);
      if (magic.equals(ISO_MAGIC)) return { format: 'iso', virtualSizeBytes: sizeBytes };
    }
    return { format: 'raw', virtualSizeBytes: sizeBytes };
  } finally {
    await fh.close();
  }
}

/**
 * Regular files directly in `dir` whose names end in one of `extensions` (case-insensitive, with the dot:
 * `.iso`). A symlink is followed only when its target stays inside `dir`; one pointing out of it (or dangling)
 * is left out, so a configured directory can never be used to reveal another one. A missing directory lists as
 * empty: it may be a mount that is not there now.
 */
export async function listFiles(dir: string, extensions: readonly string[]): Promise<ListedFile[]> {
  if (!path.isAbsolute(dir)) throw new Error(`listFiles: ${dir} is not an absolute path`);
  let root: string;
  try {
    root = await realpath(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot list ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const wanted = extensions.map((e) => e.toLowerCase());
  const out: ListedFile[] = [];
  const handle = await opendir(root);
  for await (const entry of handle) {
    const lower = entry.name.toLowerCase();
    if (!wanted.some((e) => lower.endsWith(e))) continue;
    const full = path.join(root, entry.name);
    if (entry.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(full);
      } catch {
        continue;
      }
      if (path.dirname(target) !== root && !target.startsWith(root + path.sep)) continue;
    } else if (!entry.isFile()) {
      continue;
    }
    try {
      const st = await stat(full);
      if (!st.isFile()) continue;
      out.push({ name: entry.name, path: path.join(dir, entry.name), sizeBytes: st.size, ...(await probeImage(full, st.size)) });
    } catch {
      // Gone (or unreadable) between the listing and the read: not offered.
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
