import { HostInterfaceListSchema, HostParamsSchema, VirtualNetworkListSchema } from '@vireo/api';
import type { RouteModule } from '../routes/route-module.js';

const TAGS = ['networks'];
const VIEWER = { auth: { role: 'viewer' as const } };

export const networkRoutes: RouteModule = (app, { networks }) => {
  app.get(
    '/api/v1/hosts/:host/networks',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'Every libvirt virtual network of the host: forward mode, bridge, addresses, DHCP',
        params: HostParamsSchema,
        response: { 200: VirtualNetworkListSchema },
      },
    },
    (request) => networks.listNetworks(request.params.host),
  );

  app.get(
    '/api/v1/hosts/:host/host-interfaces',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'The host\'s own network interfaces (bridges, NICs, bonds, VLANs) for bridged and macvtap NICs',
        params: HostParamsSchema,
        response: { 200: HostInterfaceListSchema },
      },
    },
    (request) => networks.listHostInterfaces(request.params.host),
  );
};
