import { DomainParamsSchema, HostParamsSchema, MetricsQuerySchema, MetricsSchema } from '@vireo/api';
import { normaliseUuid } from '../domains/domain-context.js';
import type { RouteModule } from '../routes/route-module.js';

const VIEWER = { auth: { role: 'viewer' as const } };
const TAGS = ['metrics'];

export const metricsRoutes: RouteModule = (app, { runtimes }) => {
  app.get(
    '/api/v1/hosts/:host/metrics',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'The last hour of host CPU and memory, one sample per stats tick',
        params: HostParamsSchema,
        querystring: MetricsQuerySchema,
        response: { 200: MetricsSchema },
      },
    },
    (request) => runtimes.get(request.params.host).metrics.hostMetrics(request.query.since),
  );

  app.get(
    '/api/v1/hosts/:host/domains/:uuid/metrics',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'The last hour of a domain\'s CPU, memory, disk and network rates (samples while it ran)',
        params: DomainParamsSchema,
        querystring: MetricsQuerySchema,
        response: { 200: MetricsSchema },
      },
    },
    (request) => runtimes.get(request.params.host).metrics.domainMetrics(normaliseUuid(request.params.uuid), request.query.since),
  );
};
