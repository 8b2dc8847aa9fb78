import type {
  DomainAction,
  DomainList,
  DomainSummary,
  HostList,
  HostListItem,
  HostSummary,
  NodeCpuStats,
  NodeMemoryStats,
} from '@vireo/api';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.js';

/** The cached VM list of one host: `seq` is the events sequence number it is current to. */
export interface DomainCache {
  seq: number;
  domains: DomainSummary[];
}

/** The latest host usage from the events `stats` messages. */
export interface NodeUsage {
  at: number;
  cpu: NodeCpuStats | null;
  memory: NodeMemoryStats;
}

export const queryKeys = {
  hosts: ['hosts'] as const,
  host: (host: string) => ['host', host] as const,
  domains: (host: string) => ['domains', host] as const,
  nodeUsage: (host: string) => ['node-usage', host] as const,
};

const enc = encodeURIComponent;

/** Fetches the list, unless the events stream already brought a newer one into the cache meanwhile. */
export async function fetchDomains(client: QueryClient, host: string): Promise<DomainCache> {
  const list = await apiFetch<DomainList>(`/api/v1/hosts/${enc(host)}/domains`);
  const cached = client.getQueryData<DomainCache>(queryKeys.domains(host));
  if (cached && cached.seq >= list.seq) return cached;
  return { seq: list.seq, domains: list.domains };
}

// State arrives by events: these queries load once and are then patched, never polled.
const LIVE = { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false } as const;

export function useDomains(host: string) {
  const client = useQueryClient();
  return useQuery({ queryKey: queryKeys.domains(host), queryFn: () => fetchDomains(client, host), ...LIVE });
}

export function useHosts() {
  return useQuery({
    queryKey: queryKeys.hosts,
    queryFn: async (): Promise<HostListItem[]> => (await apiFetch<HostList>('/api/v1/hosts')).hosts,
    ...LIVE,
  });
}

export function useHostSummary(host: string) {
  return useQuery({
    queryKey: queryKeys.host(host),
    queryFn: () => apiFetch<HostSummary>(`/api/v1/hosts/${enc(host)}`),
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
}

export function useNodeUsage(host: string) {
  return useQuery<NodeUsage | null>({
    queryKey: queryKeys.nodeUsage(host),
    queryFn: () => null,
    ...LIVE,
    // Filled by the events stream only.
    enabled: false,
  });
}

export interface DomainActionVars {
  host: string;
  uuid: string;
  action: DomainAction;
}

/** A lifecycle action; the new state arrives through the events stream, not from the response. */
export function useDomainAction() {
  return useMutation({
    mutationFn: ({ host, uuid, action }: DomainActionVars) =>
      apiFetch<unknown>(`/api/v1/hosts/${enc(host)}/domains/${enc(uuid)}/actions/${enc(action)}`, { method: 'POST' }),
  });
}
