// libvirt's state as virsh reports it (domains by UUID with their state and a hash of their inactive XML,
// networks and pools by name), taken before and after the fuzz run and compared.
import { createHash } from 'node:crypto';
import { virsh } from '../../../../../packages/libvirt/test/support/libvirt.js';

export interface DomainRecord {
  name: string;
  state: string;
  xmlHash: string;
}

export interface LibvirtSnapshot {
  domains: Map<string, DomainRecord>;
  networks: Map<string, { active: boolean; autostart: boolean; xmlHash: string }>;
  pools: Map<string, { active: boolean; autostart: boolean }>;
}

/** Names the fuzzer gives anything it might create; none may exist after the run. */
export const FUZZ_PREFIX = 'vireo-fuzz-';

/**
 * Objects of other suites, which may define and remove them while the fuzzer runs (tests `vireo-test-*`, the
 * benchmark's 1,000 `vireo-bench-*` domains): not compared, except the fuzz test's own domain.
 */
export const OTHER_SUITES: readonly string[] = ['vireo-test-', 'vireo-bench-'];

const SEPARATOR = 'VIREO-FUZZ-SEPARATOR';
const BATCH = 200;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const lines = (out: string) => out.split('\n').map((l) => l.trim()).filter((l) => l !== '');

/** virsh's command-line quoting, for names in a batch of commands. */
function quote(name: string): string {
  return `'${name.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs `commands` per item in one virsh process (`cmd a; cmd b; ...`), returning each item's output. An item
 * that vanished meanwhile (another test removed it) just has an error on stderr and little or no output.
 */
async function batch(uri: string, items: readonly string[], commands: (item: string) => string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // A few hundred items per process: one argument may not exceed 128 KiB (a benchmark defines 1,000 domains).
  const chunks: string[][] = [];
  for (let i = 0; i < items.length; i += BATCH) chunks.push(items.slice(i, i + BATCH));
  const texts = await Promise.all(
    chunks.map((chunk) => {
      const script = chunk.flatMap((item) => [`echo ${SEPARATOR} ${quote(item)}`, ...commands(item)]).concat(`echo ${SEPARATOR}-END`).join('; ');
      return virsh([script], uri).catch((err: unknown) => {
        // virsh exits non-zero if a command failed, but still printed the others' output.
        const stdout = (err as { stdout?: unknown }).stdout;
        if (typeof stdout === 'string') return stdout;
        throw err;
      });
    }),
  );
  for (const text of texts) {
    for (const part of text.split(`${SEPARATOR} `).slice(1)) {
      const nl = part.indexOf('\n');
      const item = part.slice(0, nl < 0 ? undefined : nl).trim();
      out.set(item, (nl < 0 ? '' : part.slice(nl + 1)).replace(`${SEPARATOR}-END`, '').trim());
    }
  }
  return out;
}

export async function snapshot(uri: string): Promise<LibvirtSnapshot> {
  const uuids = lines(await virsh(['list', '--all', '--uuid'], uri));
  const domainOut = await batch(uri, uuids, (u) => [`domstate ${u}`, `dumpxml --inactive ${u}`]);
  const domains = new Map<string, DomainRecord>();
  for (const [uuid, text] of domainOut) {
    const xmlStart = text.indexOf('<domain');
    if (xmlStart < 0) continue; // gone between the list and the dump
    const xml = text.slice(xmlStart).trim();
    const name = /<name>([^<]*)<\/name>/.exec(xml)?.[1] ?? '';
    domains.set(uuid, { name, state: text.slice(0, xmlStart).trim(), xmlHash: sha256(xml) });
  }

  const netNames = lines(await virsh(['net-list', '--all', '--name'], uri));
  const netActive = new Set(lines(await virsh(['net-list', '--name'], uri)));
  const netAuto = new Set(lines(await virsh(['net-list', '--all', '--autostart', '--name'], uri)));
  const netXml = await batch(uri, netNames, (n) => [`net-dumpxml --inactive ${quote(n)}`]);
  const networks = new Map<string, { active: boolean; autostart: boolean; xmlHash: string }>();
  for (const name of netNames) {
    const xml = netXml.get(name) ?? '';
    if (!xml.includes('<network')) continue;
    networks.set(name, { active: netActive.has(name), autostart: netAuto.has(name), xmlHash: sha256(xml) });
  }

  const poolNames = lines(await virsh(['pool-list', '--all', '--name'], uri));
  const poolActive = new Set(lines(await virsh(['pool-list', '--name'], uri)));
  const poolAuto = new Set(lines(await virsh(['pool-list', '--all', '--autostart', '--name'], uri)));
  const pools = new Map(poolNames.map((name) => [name, { active: poolActive.has(name), autostart: poolAuto.has(name) }] as const));
  return { domains, networks, pools };
}

/**
 * What changed between two snapshots, for objects that `matters` (others' concurrent test objects do not), plus
 * every object named like the fuzzer's inputs, which no fuzz request may have created.
 */
export function differences(before: LibvirtSnapshot, after: LibvirtSnapshot, matters: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const [uuid, was] of before.domains) {
    if (!matters(was.name)) continue;
    const now = after.domains.get(uuid);
    if (!now) out.push(`domain ${was.name} (${uuid}) is gone`);
    else {
      if (now.name !== was.name) out.push(`domain ${uuid} renamed ${was.name} -> ${now.name}`);
      if (now.state !== was.state) out.push(`domain ${was.name}: state ${was.state} -> ${now.state}`);
      if (now.xmlHash !== was.xmlHash) out.push(`domain ${was.name}: inactive XML changed`);
    }
  }
  for (const [name, was] of before.networks) {
    if (!matters(name)) continue;
    const now = after.networks.get(name);
    if (!now) out.push(`network ${name} is gone`);
    else if (JSON.stringify(now) !== JSON.stringify(was)) out.push(`network ${name}: ${JSON.stringify(was)} -> ${JSON.stringify(now)}`);
  }
  for (const [name, was] of before.pools) {
    if (!matters(name)) continue;
    const now = after.pools.get(name);
    if (!now) out.push(`pool ${name} is gone`);
    else if (JSON.stringify(now) !== JSON.stringify(was)) out.push(`pool ${name}: ${JSON.stringify(was)} -> ${JSON.stringify(now)}`);
  }
  for (const d of after.domains.values()) if (d.name.startsWith(FUZZ_PREFIX)) out.push(`a fuzz request created domain ${d.name}`);
  for (const name of after.networks.keys()) if (name.startsWith(FUZZ_PREFIX)) out.push(`a fuzz request created network ${name}`);
  for (const name of after.pools.keys()) if (name.startsWith(FUZZ_PREFIX)) out.push(`a fuzz request created pool ${name}`);
  return out;
}
