/** The charts' server calls: each history is fetched once, then kept current by the `stats` events (see live.ts). */
import type { DomainsMetrics, Metrics } from '@vireo/api';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '../api/client.js';
import type { SparkHistory } from './history.js';

const enc = encodeURIComponent;

/** The list's sparklines: 40 ticks (a little over 3 minutes at the default 5 s tick), CPU and memory. */
export const SPARK_POINTS = 40;
export const SPARK_SERIES = ['cpuPercent', 'memoryUsedKiB'] as const;

export const metricsKeys = {
  all: (host: string) => ['metrics', host] as const,
  host: (host: string) => ['metrics', host, 'host'] as const,
  domains: (host: string) => ['metrics', host, 'domain'] as const,
  domain: (host: string, uuid: string) => ['metrics', host, 'domain', uuid] as const,
  sparklines: (host: string) => ['metrics', host, 'sparklines'] as const,
};

// Loaded once, then patched by events: never refetched on focus, reconnect or staleness.
const LIVE = { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false } as const;

export function useHostMetrics(host: string) {
  return useQuery({
    queryKey: metricsKeys.host(host),
    queryFn: () => apiFetch<Metrics>(`/api/v1/hosts/${enc(host)}/metrics`),
    ...LIVE,
  });
}

export function useDomainMetrics(host: string, uuid: string) {
  return useQuery({
    queryKey: metricsKeys.domain(host, uuid),
    queryFn: () => apiFetch<Metrics>(`/api/v1/hosts/${enc(host)}/domains/${enc(uuid)}/metrics`),
    ...LIVE,
  });
}

export function useSparklines(host: string) {
  return useQuery({
    queryKey: metricsKeys.sparklines(host),
    queryFn: async (): Promise<SparkHistory> => ({
      ...(await apiFetch<DomainsMetrics>(`/api/v1/hosts/${enc(host)}/metrics/domains?series=${SPARK_SERIES.join(',')}&points=${SPARK_POINTS}`)),
      points: SPARK_POINTS,
    }),
    ...LIVE,
  });
}
