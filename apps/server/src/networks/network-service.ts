import type { HostInterface, HostInterfaceList, VirtualNetwork, VirtualNetworkList } from '@vireo/api';
import { isNotFound, uuidToString, type LibvirtConnection } from '@vireo/libvirt';
import { readNetwork } from '@vireo/libvirt-xml';
import { mapLimited } from '../domains/domain-reader.js';
import type { HostRuntimes } from '../hosts/host-runtime.js';

type NetRef = Awaited<ReturnType<LibvirtConnection['networkLookupByName']>>['net'];

const READ_CONCURRENCY = 4;

/** Libvirt's virtual networks and the host's own interfaces, for the NIC choices of the create wizard. */
export class NetworkService {
  constructor(private readonly runtimes: HostRuntimes) {}

  async listNetworks(hostId: string): Promise<VirtualNetworkList> {
    const conn = this.runtimes.get(hostId).host.connection();
    const { nets } = await conn.connectListAllNetworks({ need_results: 1, flags: 0 });
    const rows = await mapLimited(nets, READ_CONCURRENCY, (net) =>
      readVirtualNetwork(conn, net).catch((err: unknown) => {
        // Undefined between the list and the read: not listed.
        if (isNotFound(err)) return null;
        throw err;
      }),
    );
    return { networks: rows.filter((n): n is VirtualNetwork => n !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  }

  /** The host's interfaces (host access: sysfs), each bridge marked with the libvirt network that made it. */
  async listHostInterfaces(hostId: string): Promise<HostInterfaceList> {
    const runtime = this.runtimes.get(hostId);
    const [interfaces, { networks }] = await Promise.all([runtime.host.access.netInterfaces(), this.listNetworks(hostId)]);
    const byBridge = new Map(networks.flatMap((n) => (n.bridge ? [[n.bridge, n.name] as const] : [])));
    return {
      interfaces: interfaces.map(
        (i): HostInterface => ({ name: i.name, kind: i.kind, up: i.up, mac: i.mac, libvirtNetwork: byBridge.get(i.name) ?? null }),
      ),
    };
  }
}

async function readVirtualNetwork(conn: LibvirtConnection, net: NetRef): Promise<VirtualNetwork> {
  const [desc, active, autostart, persistent] = await Promise.all([
    conn.networkGetXMLDesc({ net, flags: 0 }),
    conn.networkIsActive({ net }),
    conn.networkGetAutostart({ net }),
    conn.networkIsPersistent({ net }),
  ]);
  const view = readNetwork(desc.xml);
  return {
    name: net.name,
    uuid: uuidToString(net.uuid),
    active: active.active !== 0,
    autostart: autostart.autostart !== 0,
    persistent: persistent.persistent !== 0,
    bridge: view.bridge?.name ?? null,
    forward: view.forward?.mode ?? 'isolated',
    addresses: view.ips.flatMap((ip) => (ip.address ? [ip.prefix === undefined ? ip.address : `${ip.address}/${ip.prefix}`] : [])),
    dhcp: view.ips.some((ip) => ip.dhcp !== undefined && (ip.dhcp.ranges.length > 0 || ip.dhcp.hosts.length > 0)),
  };
}
