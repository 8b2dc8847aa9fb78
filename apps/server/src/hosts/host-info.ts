import type { DomainCapabilitiesQuery, HostSummary } from '@vireo/api';
import { ErrorCode, isLibvirtError, type LibvirtConnection } from '@vireo/libvirt';
import { readCapabilities, readDomainCapabilities, type CapabilitiesView, type DomainCapabilitiesView } from '@vireo/libvirt-xml';
import { toApiHealth } from './host-health.js';
import type { ManagedHost } from './managed-host.js';
import { NodeCounters } from './node-counters.js';
import { formatLibvirtVersion } from './versions.js';

/** What does not change while a connection lives: asked once per connection, not per request. */
interface StaticHostInfo {
  hostname: string;
  arch: string | null;
  cpu: HostSummary['cpu'];
  totalMemoryBytes: number;
  libvirtVersion: string;
  hypervisor: HostSummary['hypervisor'];
  kvm: HostSummary['kvm'];
}

/** KVM is usable when the host capabilities offer the kvm domain type for some hvm guest. */
export function kvmAvailability(caps: CapabilitiesView): HostSummary['kvm'] {
  const hostArch = caps.host.cpu?.arch;
  const archs = caps.guests
    .filter((g) => g.osType === 'hvm' && g.domains.some((d) => d.type === 'kvm'))
    .map((g) => g.arch ?? '?');
  if (archs.length > 0) {
    return { available: true, detail: `the host capabilities offer kvm for ${[...new Set(archs)].join(', ')}` };
  }
  return {
    available: false,
    detail:
      `the host capabilities offer no kvm domain type${hostArch ? ` for ${hostArch}` : ''}: ` +
      'guests run under TCG emulation (is /dev/kvm present and accessible to QEMU?)',
  };
}

/**
 * The host summary and capabilities. Static facts are cached per connection (a new connection after a daemon
 * restart asks again: the daemon may have been upgraded); uptime, load and free memory are read per request.
 */
export class HostInfoService {
  private readonly statics = new WeakMap<LibvirtConnection, Promise<StaticHostInfo>>();
  private readonly capabilitiesCache = new WeakMap<LibvirtConnection, Promise<CapabilitiesView>>();
  private readonly domainCapsCache = new WeakMap<LibvirtConnection, Map<string, Promise<DomainCapabilitiesView>>>();
  private readonly counters = new NodeCounters();

  async summary(host: ManagedHost): Promise<HostSummary> {
    const conn = host.connection();
    const [info, free, uptime, load] = await Promise.all([
      this.staticInfo(host, conn),
      conn.nodeGetFreeMemory(undefined),
      host.access.uptimeSeconds().catch(() => null),
      host.access.loadAverage().catch(() => null),
    ]);
    return {
      id: host.id,
      uri: host.displayUri,
      health: toApiHealth(host.health),
      hostname: info.hostname,
      arch: info.arch,
      cpu: info.cpu,
      memory: { totalBytes: info.totalMemoryBytes, freeBytes: Number(free.freeMem) },
      libvirtVersion: info.libvirtVersion,
      hypervisor: info.hypervisor,
      kvm: info.kvm,
      uptimeSeconds: uptime,
      loadAverage: load,
    };
  }

  capabilities(host: ManagedHost): Promise<CapabilitiesView> {
    const conn = host.connection();
    return this.cached(this.capabilitiesCache, conn, async () => {
      const { capabilities } = await conn.connectGetCapabilities(undefined);
      return readCapabilities(capabilities);
    });
  }

  domainCapabilities(host: ManagedHost, query: DomainCapabilitiesQuery): Promise<DomainCapabilitiesView> {
    const conn = host.connection();
    let perConn = this.domainCapsCache.get(conn);
    if (!perConn) {
      perConn = new Map();
      this.domainCapsCache.set(conn, perConn);
    }
    const key = JSON.stringify([query.emulator ?? null, query.arch ?? null, query.machine ?? null, query.virttype ?? null]);
    let pending = perConn.get(key);
    if (!pending) {
      const map = perConn;
      pending = conn
        .connectGetDomainCapabilities({
          emulatorbin: query.emulator ?? null,
          arch: query.arch ?? null,
          machine: query.machine ?? null,
          virttype: query.virttype ?? null,
          flags: 0,
        })
        .then(({ capabilities }) => readDomainCapabilities(capabilities));
      // A refused combination (unknown machine) is the caller's error, not an answer to keep.
      pending.catch(() => map.delete(key));
      perConn.set(key, pending);
    }
    return pending;
  }

  private staticInfo(host: ManagedHost, conn: LibvirtConnection): Promise<StaticHostInfo> {
    return this.cached(this.statics, conn, async () => {
      const [hostname, node, memoryTotalKiB, lib, hvType, hvVersion, caps] = await Promise.all([
        conn.connectGetHostname(undefined).then(
          ({ hostname }) => hostname,
          (err: unknown) => {
            // libvirt cannot always resolve its own name (NO_HOSTNAME); the host itself can still tell.
            if (isLibvirtError(err, ErrorCode.NO_HOSTNAME)) return host.access.hostname();
            throw err;
          },
        ),
        conn.nodeGetInfo(undefined),
        // The memory statistics' total is the host's (/proc/meminfo); nodeGetInfo's counts only the memory of NUMA
        // nodes, which leaves out memory the kernel put in none (seen here: 9.8 of 23.5 GiB).
        this.counters.read(conn).then(
          ({ memory }) => memory['total'],
          () => undefined,
        ),
        conn.connectGetLibVersion(undefined),
        conn.connectGetType(undefined),
        conn.connectGetVersion(undefined),
        this.capabilities(host),
      ]);
      return {
        hostname,
        arch: caps.host.cpu?.arch ?? null,
        cpu: {
          model: node.model,
          count: node.cpus,
          mhz: node.mhz,
          sockets: node.sockets,
          cores: node.cores,
          threads: node.threads,
          numaNodes: node.nodes,
        },
        // Both report KiB.
        totalMemoryBytes: Number(memoryTotalKiB ?? node.memory) * 1024,
        libvirtVersion: formatLibvirtVersion(lib.lib_ver),
        hypervisor: { type: hvType.type, version: formatLibvirtVersion(hvVersion.hv_ver) },
        kvm: kvmAvailability(caps),
      };
    });
  }

  private cached<T>(cache: WeakMap<LibvirtConnection, Promise<T>>, conn: LibvirtConnection, load: () => Promise<T>): Promise<T> {
    let pending = cache.get(conn);
    if (!pending) {
      pending = load();
      pending.catch(() => cache.delete(conn));
      cache.set(conn, pending);
    }
    return pending;
  }
}
