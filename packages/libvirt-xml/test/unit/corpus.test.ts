/**
 * Every document of libvirt's own test corpus survives the layer: it parses, serializes back with the same
 * information, a no-op edit changes nothing, and a real edit changes exactly the targeted lines. Domain documents
 * also have every device found again by the identity read from it, and redaction takes only the secrets.
 *
 * The corpus is `$VIREO_XML_CORPUS`, else `shared/fixtures/libvirt-xml` beside the repository (CI clones the
 * repository next to `shared/`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addDnsHost,
  canonicalDiff,
  canonicalLines,
  canonicallyEqual,
  deviceIdentityOf,
  deviceXml,
  dom,
  findDevices,
  parseXml,
  redactSecrets,
  serializeXml,
  setDescription,
  setName,
  setNetworkName,
  setPoolName,
  setVolumeName,
  readCapabilities,
  readDomain,
  readDomainCapabilities,
  readNetwork,
  readNodeDevice,
  readStoragePool,
  readStorageVolume,
} from '../../src/index.js';
import { CORPUS, SHARED_FIXTURES } from '../support/fixtures.js';


function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    // statSync follows symlinks: linked fixtures count as the files they point to.
    const st = statSync(path);
    if (st.isDirectory()) out.push(...walk(path));
    else if (st.isFile() && entry.endsWith('.xml')) out.push(path);
  }
  return out;
}

const files = existsSync(CORPUS) && statSync(CORPUS).isDirectory() ? walk(CORPUS) : [];
const cases = files.map((f) => [relative(CORPUS, f), f] as const);

/** A value every escape path has to carry: markup characters, quotes of both kinds, non-ASCII and astral. */
const TRICKY = `Vireo <edit> & 'single' "double" — ünïcödé ✓ 漢字 🐧`;

const READERS: Readonly<Record<string, (doc: ReturnType<typeof parseXml>) => unknown>> = {
  domain: readDomain,
  network: readNetwork,
  pool: readStoragePool,
  volume: readStorageVolume,
  device: readNodeDevice,
  capabilities: readCapabilities,
  domainCapabilities: readDomainCapabilities,
};

function sorted(d: { added: string[]; removed: string[] }): { added: string[]; removed: string[] } {
  return { added: [...d.added].sort(), removed: [...d.removed].sort() };
}

/** Applies `fn` to a fresh parse and returns the canonical diff of the re-parsed serialization against the original. */
function diffOf(text: string, fn: (doc: ReturnType<typeof parseXml>) => void): { added: string[]; removed: string[] } {
  const doc = parseXml(text);
  fn(doc);
  return sorted(canonicalDiff(text, parseXml(serializeXml(doc))));
}

function rawName(text: string): string {
  const root = parseXml(text).documentElement!;
  return dom.child(root, 'name')?.textContent ?? '';
}

function checkDomain(text: string, lines: string[]): void {
  expect(diffOf(text, (d) => setName(d, rawName(text)))).toEqual({ added: [], removed: [] });

  const D = '/domain[0]';
  const hadDescription = lines.includes(`${D}/description[0]`);
  const expected = {
    added: [...(hadDescription ? [] : [`${D}/description[0]`]), `${D}/description[0]/#text[0]=${TRICKY}`],
    removed: lines.filter((l) => l.startsWith(`${D}/description[0]/`)),
  };
  expect(diffOf(text, (d) => setDescription(d, TRICKY))).toEqual(sorted(expected));

  const doc = parseXml(text);
  const devices = dom.child(doc.documentElement!, 'devices');
  for (const el of devices ? dom.children(devices) : []) {
    const id = deviceIdentityOf(el);
    if (id) expect(findDevices(doc, id), `${el.tagName} ${JSON.stringify(id)}`).toContain(el);
    const alone = canonicalLines(deviceXml(el));
    expect(alone.length, el.tagName).toBeGreaterThan(0);
  }
}

function checkNetwork(text: string, lines: string[]): void {
  expect(diffOf(text, (d) => setNetworkName(d, rawName(text)))).toEqual({ added: [], removed: [] });
  const N = '/network[0]';
  const hosts = lines.filter((l) => /^\/network\[0\]\/dns\[0\]\/host\[\d+\]$/.test(l)).length;
  const host = `${N}/dns[0]/host[${hosts}]`;
  const hostname = `vireo-${TRICKY}`;
  const expected = {
    added: [
      ...(lines.includes(`${N}/dns[0]`) ? [] : [`${N}/dns[0]`]),
      host,
      `${host}/@ip=192.0.2.250`,
      `${host}/hostname[0]`,
      `${host}/hostname[0]/#text[0]=${hostname}`,
    ],
    removed: [],
  };
  expect(diffOf(text, (d) => void addDnsHost(d, { ip: '192.0.2.250', hostnames: [hostname] }))).toEqual(sorted(expected));
}

function checkRename(text: string, root: 'pool' | 'volume', rename: (doc: ReturnType<typeof parseXml>, name: string) => void): void {
  const name = rawName(text);
  expect(diffOf(text, (d) => rename(d, name))).toEqual({ added: [], removed: [] });
  const line = (n: string): string => `/${root}[0]/name[0]/#text[0]=${n.trim().replace(/\s+/g, ' ')}`;
  expect(diffOf(text, (d) => rename(d, `${name}-${TRICKY}`))).toEqual({ added: [line(`${name}-${TRICKY}`)], removed: [line(name)] });
}

function checkRedaction(text: string, lines: string[]): void {
  const { doc, redacted } = redactSecrets(parseXml(text));
  const d = canonicalDiff(text, doc);
  expect(d.added).toEqual([]);
  // Only passwd attributes and whole <cookies> elements go.
  for (const l of d.removed) expect(l, l).toMatch(/(\/@passwd=|\/cookies\[\d+\])/);
  expect(d.removed.length).toBe(
    lines.filter((l) => /\/@passwd=/.test(l) || /\/cookies\[\d+\]/.test(l)).length,
  );
  expect(redacted.length).toBe(lines.filter((l) => /\/@passwd=/.test(l) || /\/cookies\[\d+\]$/.test(l)).length);
}

describe('the libvirt XML corpus', () => {
  it(`is present at ${CORPUS} with XML files of every kind`, () => {
    expect(existsSync(CORPUS), `corpus directory ${CORPUS} is missing (set VIREO_XML_CORPUS)`).toBe(true);
    expect(files.length, `no .xml files under ${CORPUS}`).toBeGreaterThan(0);
    const roots = new Set(files.map((f) => parseXml(readFileSync(f, 'utf8')).documentElement?.tagName));
    // The shared fixtures must exercise every edit path; another corpus may hold any subset of kinds.
    if (CORPUS === SHARED_FIXTURES) for (const kind of ['domain', 'network', 'pool', 'volume']) expect(roots).toContain(kind);
  });

  it.each(cases)('%s round-trips and takes targeted edits', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const doc = parseXml(text, file);
    const out = serializeXml(doc);
    expect(canonicallyEqual(text, out)).toBe(true);
    // Serializing the re-parsed output is stable: a second round trip is byte-identical.
    expect(serializeXml(parseXml(out))).toBe(out);

    // The read view of its kind takes it without throwing and gives plain data.
    const reader = READERS[doc.documentElement?.tagName ?? ''];
    if (reader) {
      const view = reader(doc);
      expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    }

    const lines = canonicalLines(text);
    switch (doc.documentElement?.tagName) {
      case 'domain':
        checkDomain(text, lines);
        break;
      case 'network':
        checkNetwork(text, lines);
        break;
      case 'pool':
        checkRename(text, 'pool', setPoolName);
        break;
      case 'volume':
        checkRename(text, 'volume', setVolumeName);
        break;
    }
    checkRedaction(text, lines);
  });
});
