/** The benchmarks' own domains (`<prefix>0000`...): naming, defining with a few calls in flight, and cleaning up. */
import { readFileSync, statSync } from 'node:fs';
import { DomainUndefineFlags, ErrorCode, LibvirtConnection, LibvirtError } from '@vireo/libvirt';
import { buildDomainXml, mib } from '@vireo/libvirt-xml';
import { interrupted } from './interrupt.js';
import { log } from './log.js';

export type Dom = { name: string; uuid: Buffer; id: number };

/** Which domains are a benchmark's, and how it handles them. */
export interface BenchDomains {
  /** Every bench domain's name starts with it. */
  prefix: string;
  /** Define/undefine calls in flight (libvirtd's max_client_requests is 5). */
  concurrency: number;
  /** The word the progress of a cleanup is logged with (`undefined 250/1000`). */
  removed: string;
}

export function benchName(bench: BenchDomains, i: number): string {
  return `${bench.prefix}${String(i).padStart(4, '0')}`;
}

export function domainXml(name: string, type: 'kvm' | 'qemu'): string {
  // Diskless, no graphics, no serial console or extra devices.
  return buildDomainXml({
    name,
    type,
    machine: 'pc',
    memory: mib(32),
    vcpus: 1,
    graphics: { type: 'none' },
    serialConsole: false,
    guestAgent: false,
    memballoon: false,
    rng: false,
  });
}

/**
 * /dev/kvm's mode and owner, and whether QEMU (user libvirt-qemu, group kvm) may open it, judged from them as
 * packages/libvirt/test/support/libvirt.ts does; undefined when there is no /dev/kvm (or /etc/group) to read.
 */
export function devKvm(): { usable: boolean; mode: number; uid: number; gid: number } | undefined {
  try {
    const st = statSync('/dev/kvm');
    const kvmGid = Number(/^kvm:[^:]*:(\d+):/m.exec(readFileSync('/etc/group', 'utf8'))?.[1] ?? -1);
    const usable = (st.mode & 0o006) === 0o006 || (st.gid === kvmGid && (st.mode & 0o060) === 0o060);
    return { usable, mode: st.mode, uid: st.uid, gid: st.gid };
  } catch {
    return undefined;
  }
}

/**
 * Runs fn over items with at most `limit` calls in flight; stops starting new ones once interrupted, unless
 * `interruptible` is false.
 */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, interruptible = true): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !(interruptible && interrupted)) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Opens a connection, waiting up to `waitMs` for a daemon that is being restarted (by another test suite). */
export async function openPatiently(uri: string, waitMs: number): Promise<LibvirtConnection> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await LibvirtConnection.open(uri);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      log(`  ${(err as Error).message}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

export async function listBenchDomains(conn: LibvirtConnection, bench: BenchDomains): Promise<Dom[]> {
  const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
  return domains.filter((d) => d.name.startsWith(bench.prefix));
}

/**
 * Stops (if running) and undefines the given domains, `bench.concurrency` calls in flight. Not interruptible: cleanup is
 * what Ctrl-C asks for. Returns how many went.
 */
export async function undefineAll(conn: LibvirtConnection, bench: BenchDomains, doms: readonly Dom[]): Promise<number> {
  const flags =
    DomainUndefineFlags.MANAGED_SAVE |
    DomainUndefineFlags.SNAPSHOTS_METADATA |
    DomainUndefineFlags.CHECKPOINTS_METADATA |
    DomainUndefineFlags.NVRAM;
  const gone = (err: unknown): boolean => err instanceof LibvirtError && err.code === ErrorCode.NO_DOMAIN;
  let removed = 0;
  await pool(doms, bench.concurrency, async (dom) => {
    try {
      // A running one (someone started it) is stopped first; it may have stopped meanwhile: the check after
      // cleanup catches the rest.
      if (dom.id > 0) await conn.domainDestroy({ dom }).catch(() => undefined);
      await conn.domainUndefineFlags({ dom, flags });
      removed++;
      if (removed % 250 === 0) log(`  ${bench.removed} ${removed}/${doms.length}`);
    } catch (err) {
      if (!gone(err)) throw err;
    }
  }, false);
  return removed;
}

/** Undefines every bench domain and checks that none is left. Returns how many went. */
export async function cleanup(conn: LibvirtConnection, bench: BenchDomains): Promise<number> {
  const removed = await undefineAll(conn, bench, await listBenchDomains(conn, bench));
  const left = await listBenchDomains(conn, bench);
  if (left.length > 0) throw new Error(`${left.length} ${bench.prefix}* domains are still defined after cleanup`);
  return removed;
}

/**
 * A benchmark's last step: removes its domains unless `--keep` or `--cleanup` (which did it already) was given,
 * reopening the connection when the daemon dropped it during the run, then closes the connection.
 */
export async function finishBenchDomains(conn: LibvirtConnection, uri: string, bench: BenchDomains, opts: { keep: boolean; cleanup: boolean }): Promise<void> {
  let c = conn;
  if (!opts.keep && !opts.cleanup) {
    if (c.closed) c = await openPatiently(uri, 300_000);
    log(`removing ${bench.prefix}* domains`);
    log(`  ${bench.removed} ${await cleanup(c, bench)}`);
  } else if (opts.keep) {
    log(`--keep: leaving the ${bench.prefix}* domains defined (remove them with --cleanup)`);
  }
  await c.close();
}
