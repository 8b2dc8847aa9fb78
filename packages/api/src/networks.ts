import { z } from 'zod';

export const VirtualNetworkSchema = z.object({
  name: z.string(),
  uuid: z.string(),
  active: z.boolean(),
  autostart: z.boolean(),
  persistent: z.boolean(),
  bridge: z.string().nullable().describe('the host bridge libvirt made for it'),
  forward: z.string().describe('nat, route, open, bridge, passthrough, ... or isolated without <forward>'),
  addresses: z.array(z.string()).describe('the network\'s own addresses with prefix, e.g. 192.168.122.1/24'),
  dhcp: z.boolean(),
});
export type VirtualNetwork = z.infer<typeof VirtualNetworkSchema>;

export const VirtualNetworkListSchema = z.object({ networks: z.array(VirtualNetworkSchema) });
export type VirtualNetworkList = z.infer<typeof VirtualNetworkListSchema>;

/** A network interface of the host itself, read through host access (sysfs), for bridge and macvtap NICs. */
export const HostInterfaceSchema = z.object({
  name: z.string(),
  kind: z.enum(['bridge', 'ethernet', 'bond', 'vlan', 'wireless', 'virtual', 'other']),
  up: z.boolean(),
  mac: z.string().nullable(),
  /** For bridges: whether a libvirt virtual network made it (such bridges are picked as networks, not bridges). */
  libvirtNetwork: z.string().nullable(),
});
export type HostInterface = z.infer<typeof HostInterfaceSchema>;

export const HostInterfaceListSchema = z.object({ interfaces: z.array(HostInterfaceSchema) });
export type HostInterfaceList = z.infer<typeof HostInterfaceListSchema>;
