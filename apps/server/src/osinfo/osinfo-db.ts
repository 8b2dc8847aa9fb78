/**
 * Reads Debian's osinfo-db (the XML libosinfo ships under /usr/share/osinfo) into the create wizard's OS list.
 * Read-only bulk data, so fast-xml-parser (not the lossless DOM of @vireo/libvirt-xml) parses it, one file at a
 * time; only the compact result is kept.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OsVariant } from '@vireo/api';
import { XMLParser } from 'fast-xml-parser';

/** What one `<os>` says for itself, before inheritance. */
interface RawOs {
  id: string;
  shortId: string | null;
  name: string | null;
  vendor: string | null;
  family: string | null;
  distro: string | null;
  version: string | null;
  releaseDate: string | null;
  eolDate: string | null;
  releaseStatus: string | null;
  parents: string[];
  resources: RawResources;
  devices: string[];
  firmware: RawFirmware[];
  cloudImage: boolean;
}

interface RawResources {
  minRam?: number;
  minStorage?: number;
  minCpus?: number;
  recRam?: number;
  recStorage?: number;
  recCpus?: number;
}

interface RawFirmware {
  arch: string | null;
  type: string | null;
  supported: boolean;
  features: { name: string; supported: boolean }[];
}

/** The architecture the wizard builds guests for; resources of `all` apply when it has none of its own. */
const ARCH = 'x86_64';

// virtio block: legacy 1af4:1001 and modern 1af4:1042; virtio net: 1af4:1000 and 1af4:1041.
const VIRTIO_DISK_IDS = new Set(['http://pcisig.com/pci/1af4/1001', 'http://pcisig.com/pci/1af4/1042']);
const VIRTIO_NET_IDS = new Set(['http://pcisig.com/pci/1af4/1000', 'http://pcisig.com/pci/1af4/1041']);
/** A TPM 2.0 device id, as newer osinfo-db releases list it for Windows 11. */
const TPM2_ID = /tpm.*2\.0|tpm-?2(\b|$)/i;

// virt-manager's rule: without an EOL date, a release older than five years (and not rolling) is end of life. Here
// only when the database knows a successor (another OS upgrades or derives from it): the newest release of a line
// (Windows 11 in an osinfo-db of 2022) is not hidden for its age alone.
const ASSUMED_LIFETIME_MS = 5 * 365 * 24 * 3600 * 1000;

const ARRAYS = new Set(['os', 'short-id', 'name', 'vendor', 'resources', 'device', 'firmware', 'feature', 'image', 'derives-from', 'upgrades']);

function newParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // Only what the list needs is made into arrays; the bulk of each file (media, trees, variants, installer
    // scripts) is not parsed into objects at all, which halves the garbage of the first read.
    isArray: (tagName) => ARRAYS.has(tagName),
    stopNodes: ['*.media', '*.tree', '*.variant', '*.installer', '*.driver'],
  });
}

type Node = Record<string, unknown>;

function nodes(value: unknown): Node[] {
  if (Array.isArray(value)) return value.filter((v): v is Node => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null ? [value as Node] : [];
}

/** The text of an element parsed as a plain string or as `{ '#text': ..., '@_attr': ... }`. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null && '#text' in value) return textOf((value as Node)['#text']);
  return null;
}

/** The untranslated text of a repeated element (`<name>` without xml:lang). */
function untranslated(value: unknown): string | null {
  const list = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  for (const v of list) {
    if (typeof v === 'object' && v !== null && (v as Node)['@_xml:lang'] !== undefined) continue;
    const t = textOf(v);
    if (t !== null) return t;
  }
  return null;
}

function attr(node: Node, name: string): string | null {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : null;
}

function num(value: unknown): number | undefined {
  const t = textOf(value);
  if (t === null) return undefined;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function readResources(os: Node): RawResources {
  const all = nodes(os['resources']);
  // The guest architecture's own figures win over the generic ones, field by field.
  const ordered = [...all.filter((r) => attr(r, 'arch') === ARCH), ...all.filter((r) => attr(r, 'arch') === 'all')];
  const out: RawResources = {};
  for (const r of ordered) {
    const min = nodes(r['minimum'])[0];
    const rec = nodes(r['recommended'])[0];
    out.minRam ??= num(min?.['ram']);
    out.minStorage ??= num(min?.['storage']);
    out.minCpus ??= num(min?.['n-cpus']);
    out.recRam ??= num(rec?.['ram']);
    out.recStorage ??= num(rec?.['storage']);
    out.recCpus ??= num(rec?.['n-cpus']);
  }
  return out;
}

function readOs(os: Node): RawOs | null {
  const id = attr(os, 'id');
  if (!id) return null;
  const devices = nodes(os['devices']).flatMap((d) =>
    nodes(d['device']).flatMap((dev) => (attr(dev, 'supported') === 'false' ? [] : (attr(dev, 'id') ?? []))),
  );
  const firmware = nodes(os['firmware']).map(
    (f): RawFirmware => ({
      arch: attr(f, 'arch'),
      type: attr(f, 'type'),
      supported: attr(f, 'supported') !== 'false',
      features: nodes(f['feature']).flatMap((x) => {
        const name = attr(x, 'name');
        return name ? [{ name, supported: attr(x, 'supported') !== 'false' }] : [];
      }),
    }),
  );
  return {
    id,
    shortId: untranslated(os['short-id']),
    name: untranslated(os['name']),
    vendor: untranslated(os['vendor']),
    family: textOf(os['family']),
    distro: textOf(os['distro']),
    version: textOf(os['version']),
    releaseDate: textOf(os['release-date']),
    eolDate: textOf(os['eol-date']),
    releaseStatus: textOf(os['release-status']),
    parents: [...nodes(os['derives-from']), ...nodes(os['upgrades'])].flatMap((p) => attr(p, 'id') ?? []),
    resources: readResources(os),
    devices,
    firmware,
    cloudImage: nodes(os['image']).some((i) => attr(i, 'cloud-init') === 'true'),
  };
}

/** The OS definition files: os/<vendor>/*.xml. The `<os>.d/` directories beside them hold installable drivers
 *  (virtio-win for Windows), which a fresh guest does not have, so they are not read. */
async function osFiles(dir: string): Promise<string[]> {
  const root = path.join(dir, 'os');
  const vendors = await readdir(root, { withFileTypes: true });
  const files: string[] = [];
  for (const v of vendors) {
    if (!v.isDirectory()) continue;
    for (const f of await readdir(path.join(root, v.name), { withFileTypes: true })) {
      if (f.isFile() && f.name.endsWith('.xml')) files.push(path.join(root, v.name, f.name));
    }
  }
  return files.sort();
}

function isEol(os: RawOs, now: number, superseded: boolean): boolean {
  if (os.eolDate) {
    const t = Date.parse(os.eolDate);
    if (Number.isFinite(t)) return now > t;
  }
  if (os.releaseStatus === 'rolling' || !superseded) return false;
  if (os.releaseDate) {
    const t = Date.parse(os.releaseDate);
    if (Number.isFinite(t)) return now > t + ASSUMED_LIFETIME_MS;
  }
  return false;
}

/** Resolves inheritance (derives-from, then upgrades) for resources, devices and firmware; cycles are cut. */
function resolve(byId: ReadonlyMap<string, RawOs>, os: RawOs, now: number, superseded: ReadonlySet<string>): OsVariant {
  const chain: RawOs[] = [];
  const seen = new Set<string>();
  const visit = (o: RawOs): void => {
    if (seen.has(o.id)) return;
    seen.add(o.id);
    chain.push(o);
    for (const p of o.parents) {
      const parent = byId.get(p);
      if (parent) visit(parent);
    }
  };
  visit(os);
  const first = <T>(pick: (o: RawOs) => T | undefined): T | undefined => {
    for (const o of chain) {
      const v = pick(o);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const devices = new Set(chain.flatMap((o) => o.devices));
  const firmware = first((o) => (o.firmware.length > 0 ? o.firmware : undefined)) ?? [];
  const forArch = firmware.filter((f) => f.arch === null || f.arch === ARCH);
  const efiFeatures = forArch.filter((f) => f.type === 'efi' && f.supported).flatMap((f) => f.features);
  // Inherited figures can disagree (Windows 11's own minimum over Windows 10's recommendation): never recommend
  // less than the minimum.
  const atLeast = (rec: number | undefined, min: number | undefined): number | null =>
    rec === undefined ? (min ?? null) : min === undefined ? rec : Math.max(rec, min);
  const minRam = first((o) => o.resources.minRam);
  const minStorage = first((o) => o.resources.minStorage);
  const vcpus = atLeast(first((o) => o.resources.recCpus), first((o) => o.resources.minCpus));
  return {
    id: os.id,
    shortId: os.shortId ?? os.id,
    name: os.name ?? os.shortId ?? os.id,
    vendor: os.vendor,
    family: os.family,
    distro: os.distro,
    version: os.version,
    releaseDate: os.releaseDate,
    eolDate: os.eolDate,
    eol: isEol(os, now, superseded.has(os.id)),
    recommended: {
      memoryBytes: atLeast(first((o) => o.resources.recRam), minRam),
      vcpus: vcpus === null ? null : Math.round(vcpus),
      storageBytes: atLeast(first((o) => o.resources.recStorage), minStorage),
    },
    minimum: { memoryBytes: minRam ?? null, storageBytes: minStorage ?? null },
    devices: {
      virtioDisk: [...devices].some((d) => VIRTIO_DISK_IDS.has(d)),
      virtioNet: [...devices].some((d) => VIRTIO_NET_IDS.has(d)),
      tpm2: [...devices].some((d) => TPM2_ID.test(d)),
      // UEFI is needed when the database says BIOS is not supported on the guest architecture.
      uefi: forArch.some((f) => f.type === 'bios' && !f.supported),
      secureBoot: efiFeatures.some((f) => f.name === 'secure-boot' && f.supported),
    },
    cloudImage: os.cloudImage,
  };
}

export interface OsinfoDb {
  /** Newest release first; systems without a release date last, by name. */
  os: OsVariant[];
  /** e.g. "/usr/share/osinfo (version 20221203)", or why it is empty. */
  source: string;
}

/** Reads the database under `dir`; a missing database gives an empty list that says so. */
export async function loadOsinfoDb(dir: string, now = Date.now()): Promise<OsinfoDb> {
  let files: string[];
  try {
    files = await osFiles(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return { os: [], source: `${dir}: no osinfo database (${code}); install Debian's osinfo-db package` };
  }
  const version = await readFile(path.join(dir, 'VERSION'), 'utf8').then(
    (v) => v.trim(),
    () => null,
  );
  const parser = newParser();
  const byId = new Map<string, RawOs>();
  for (const file of files) {
    let doc: Node;
    try {
      // Validated: the parser alone would make something of a truncated file.
      doc = parser.parse(await readFile(file, 'utf8'), true) as Node;
    } catch {
      // One broken file must not lose the rest of the database.
      continue;
    }
    for (const root of nodes(doc['libosinfo'])) {
      for (const os of nodes(root['os'])) {
        const raw = readOs(os);
        if (raw) byId.set(raw.id, raw);
      }
    }
  }
  const superseded = new Set([...byId.values()].flatMap((o) => o.parents));
  const os = [...byId.values()].map((o) => resolve(byId, o, now, superseded));
  os.sort((a, b) => {
    if (a.releaseDate !== b.releaseDate) {
      if (a.releaseDate === null) return 1;
      if (b.releaseDate === null) return -1;
      return a.releaseDate < b.releaseDate ? 1 : -1;
    }
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return { os, source: version ? `${dir} (version ${version})` : dir };
}
