import type { DomainSummary } from '@vireo/api';
import { isNotFound, uuidFromString, uuidToString, type LibvirtConnection } from '@vireo/libvirt';
import { readDomain } from '@vireo/libvirt-xml';
import { reasonName, stateName } from './state-names.js';

/** A domain handle as libvirt's calls take it. */
export interface DomainRef {
  name: string;
  uuid: Buffer;
  id: number;
}

/**
 * Reads one domain's list row from libvirt (state, info, autostart, persistence, and the live XML for the title,
 * vCPU maximum and graphics type). Stats fields are left null: the stats tick fills them.
 */
export async function readSummary(conn: LibvirtConnection, dom: DomainRef): Promise<DomainSummary> {
  return (await readTracked(conn, dom)).row;
}

/** A row and what the tracker needs besides: whether the domain has NICs (the only ones with guest addresses). */
export interface TrackedRead {
  row: DomainSummary;
  nics: number;
}

export async function readTracked(conn: LibvirtConnection, dom: DomainRef): Promise<TrackedRead> {
  const [state, info, autostart, persistent, desc] = await Promise.all([
    conn.domainGetState({ dom, flags: 0 }),
    conn.domainGetInfo({ dom }),
    conn.domainGetAutostart({ dom }),
    conn.domainIsPersistent({ dom }),
    conn.domainGetXMLDesc({ dom, flags: 0 }),
  ]);
  const view = readDomain(desc.xml);
  const name = stateName(state.state);
  const active = name !== 'shutoff' && name !== 'nostate';
  const maxVcpus = view.vcpus?.count ?? info.nrVirtCpu;
  const row: DomainSummary = {
    uuid: uuidToString(dom.uuid),
    name: dom.name,
    title: view.title ?? null,
    id: active && dom.id >= 0 ? dom.id : null,
    state: name,
    stateReason: reasonName(name, state.reason),
    // A running domain's info counts the vCPUs online; a shut off one's is the maximum, so the XML decides there.
    vcpus: active ? info.nrVirtCpu : (view.vcpus?.current ?? maxVcpus),
    maxVcpus,
    memoryKiB: Number(info.memory),
    maxMemoryKiB: Number(info.maxMem),
    autostart: autostart.autostart !== 0,
    persistent: persistent.persistent !== 0,
    graphics: view.devices.graphics[0]?.type ?? null,
    cpuPercent: null,
    memoryUsedKiB: null,
    addresses: [],
  };
  return { row, nics: view.devices.interfaces.length };
}

/** The domain with this UUID, or null when libvirt has none. */
export async function lookupDomain(conn: LibvirtConnection, uuid: string): Promise<DomainRef | null> {
  try {
    const { dom } = await conn.domainLookupByUUID({ uuid: uuidFromString(uuid) });
    return dom;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** The summary of the domain with this UUID, or null when it is gone (also when it vanishes mid-read). */
export async function readSummaryByUuid(conn: LibvirtConnection, uuid: string): Promise<DomainSummary | null> {
  return (await readTrackedByUuid(conn, uuid))?.row ?? null;
}

export async function readTrackedByUuid(conn: LibvirtConnection, uuid: string): Promise<TrackedRead | null> {
  const dom = await lookupDomain(conn, uuid);
  if (!dom) return null;
  try {
    return await readTracked(conn, dom);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

// virDomainInterfaceAddressesSource
const ADDRESS_SOURCE_LEASE = 0;
const ADDRESS_SOURCE_ARP = 2;

/**
 * A running guest's IP addresses as the host knows them, without a guest agent: the DHCP leases of libvirt's
 * networks (read from the network's lease file, cheap), else the host's ARP table. Sorted, link-local left out.
 */
export async function readGuestAddresses(conn: LibvirtConnection, dom: DomainRef): Promise<string[]> {
  const read = async (source: number): Promise<string[]> => {
    const { ifaces } = await conn.domainInterfaceAddresses({ dom, source, flags: 0 });
    return [...new Set(ifaces.flatMap((i) => i.addrs.map((a) => a.addr)).filter((a) => !/^fe80:/i.test(a)))].sort();
  };
  const leased = await read(ADDRESS_SOURCE_LEASE);
  if (leased.length > 0) return leased;
  // The ARP table is read over netlink, which some hosts (containers) refuse: then there is simply nothing known.
  return read(ADDRESS_SOURCE_ARP).catch(() => []);
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(runners);
  return results;
}
