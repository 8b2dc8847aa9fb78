import {
  CapabilitiesSchema,
  DomainCapabilitiesQuerySchema,
  DomainCapabilitiesSchema,
  HostListSchema,
  HostParamsSchema,
  HostSummarySchema,
  NodeStatsSchema,
  ProblemType,
} from '@vireo/api';
import { HttpProblem } from '../errors/http-problem.js';
import type { RouteModule } from '../routes/route-module.js';
import { toApiHealth } from './host-health.js';

const VIEWER = { auth: { role: 'viewer' as const } };
const TAGS = ['hosts'];

export const hostRoutes: RouteModule = (app, { hosts, runtimes, hostInfo }) => {
  app.get(
    '/api/v1/hosts',
    { config: VIEWER, schema: { tags: TAGS, summary: 'Every managed host with its connection health', response: { 200: HostListSchema } } },
    () => ({ hosts: hosts.list().map((h) => ({ id: h.id, uri: h.displayUri, health: toApiHealth(h.health) })) }),
  );

  app.get(
    '/api/v1/hosts/:host',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'Host summary: hostname, CPU, memory, libvirt and QEMU versions, KVM, uptime, load',
        params: HostParamsSchema,
        response: { 200: HostSummarySchema },
      },
    },
    (request) => hostInfo.summary(hosts.get(request.params.host)),
  );

  app.get(
    '/api/v1/hosts/:host/stats',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'Live host CPU and memory, as of the last stats tick',
        params: HostParamsSchema,
        response: { 200: NodeStatsSchema },
      },
    },
    (request) => {
      const runtime = runtimes.get(request.params.host);
      runtime.host.connection();
      const node = runtime.ticker.node;
      if (!node) {
        throw new HttpProblem(503, 'Service Unavailable', {
          type: ProblemType.libvirtUnavailable,
          detail: `host ${runtime.host.id}: no stats sample yet`,
          headers: { 'retry-after': '1' },
        });
      }
      return {
        host: runtime.host.id,
        at: new Date(node.at).toISOString(),
        intervalMs: runtime.metrics.intervalMs,
        cpu: node.cpu,
        memory: node.memory,
      };
    },
  );

  app.get(
    '/api/v1/hosts/:host/capabilities',
    {
      config: VIEWER,
      schema: { tags: TAGS, summary: 'Host capabilities (guest types, machines, host CPU)', params: HostParamsSchema, response: { 200: CapabilitiesSchema } },
    },
    async (request) => (await hostInfo.capabilities(hosts.get(request.params.host))) as unknown as Record<string, unknown>,
  );

  app.get(
    '/api/v1/hosts/:host/domain-capabilities',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'Domain capabilities for an emulator, arch, machine and virt type (libvirt picks defaults for those left out)',
        params: HostParamsSchema,
        querystring: DomainCapabilitiesQuerySchema,
        response: { 200: DomainCapabilitiesSchema },
      },
    },
    async (request) => (await hostInfo.domainCapabilities(hosts.get(request.params.host), request.query)) as unknown as Record<string, unknown>,
  );
};
