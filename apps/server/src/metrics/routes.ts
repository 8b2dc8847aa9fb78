import {
  DOMAIN_SERIES,
  DomainParamsSchema,
  DomainsMetricsQuerySchema,
  DomainsMetricsSchema,
  HostParamsSchema,
  MetricsQuerySchema,
  MetricsSchema,
  type DomainSeriesName,
} from '@vireo/api';
import { normaliseUuid } from '../domains/domain-context.js';
import type { RouteModule } from '../routes/route-module.js';

const VIEWER = { auth: { role: 'viewer' as const } };
const TAGS = ['metrics'];
const SPARKLINE_SERIES: readonly DomainSeriesName[] = ['cpuPercent', 'memoryUsedKiB'];

export const metricsRoutes: RouteModule = (app, { runtimes }) => {
  app.get(
    '/api/v1/hosts/:host/metrics',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'The last hour of host CPU, memory, network and disk rates, one sample per stats tick',
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

  app.get(
    '/api/v1/hosts/:host/metrics/domains',
    {
      config: VIEWER,
      schema: {
        tags: TAGS,
        summary: 'The newest ticks of every domain that ran within them, one shared timestamps array (the list\'s sparklines)',
        params: HostParamsSchema,
        querystring: DomainsMetricsQuerySchema,
        response: { 200: DomainsMetricsSchema },
      },
    },
    (request) => {
      const names = request.query.series
        ? [...new Set(request.query.series.split(','))].filter((n): n is DomainSeriesName => (DOMAIN_SERIES as readonly string[]).includes(n))
        : SPARKLINE_SERIES;
      return runtimes.get(request.params.host).metrics.domainsMetrics(names, request.query.points);
    },
  );
};
