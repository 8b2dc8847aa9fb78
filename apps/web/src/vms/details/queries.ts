import type { DomainDetail } from '@vireo/api';
import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '../../api/client.js';

export const domainDetailKey = (host: string, uuid: string) => ['domain', host, uuid] as const;

/** The definition (view + XML). The state shown comes from the events-fed list cache, so this is not refetched on events. */
export function useDomainDetail(host: string, uuid: string) {
  return useQuery({
    queryKey: domainDetailKey(host, uuid),
    queryFn: () => apiFetch<DomainDetail>(`/api/v1/hosts/${encodeURIComponent(host)}/domains/${encodeURIComponent(uuid)}`),
    staleTime: 30_000,
    refetchOnWindowFocus: false,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}
