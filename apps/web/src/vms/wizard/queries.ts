/** The wizard's server calls: host resources to pick from, the XML preview, the create itself. */
import type {
  DomainCreateRequest,
  DomainDetail,
  DomainPreview,
  HostInterfaceList,
  InstallMediaList,
  OsVariantList,
  StoragePool,
  StoragePoolList,
  TaskAccepted,
  VirtualNetworkList,
} from '@vireo/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client.js';

const enc = encodeURIComponent;
const hostPath = (host: string) => `/api/v1/hosts/${enc(host)}`;

export const wizardKeys = {
  pools: (host: string) => ['storage-pools', host] as const,
  media: (host: string) => ['install-media', host] as const,
  networks: (host: string) => ['networks', host] as const,
  hostInterfaces: (host: string) => ['host-interfaces', host] as const,
  osinfo: (eol: boolean) => ['osinfo', eol] as const,
};

// Host resources change rarely while the wizard is open; a minute is fresh enough and nothing polls.
const FRESH = { staleTime: 60_000, refetchOnWindowFocus: false } as const;

export function usePools(host: string) {
  return useQuery({ queryKey: wizardKeys.pools(host), queryFn: () => apiFetch<StoragePoolList>(`${hostPath(host)}/storage/pools`), ...FRESH });
}

export function useInstallMedia(host: string) {
  return useQuery({ queryKey: wizardKeys.media(host), queryFn: () => apiFetch<InstallMediaList>(`${hostPath(host)}/install-media`), ...FRESH });
}

export function useNetworks(host: string) {
  return useQuery({ queryKey: wizardKeys.networks(host), queryFn: () => apiFetch<VirtualNetworkList>(`${hostPath(host)}/networks`), ...FRESH });
}

export function useHostInterfaces(host: string) {
  return useQuery({
    queryKey: wizardKeys.hostInterfaces(host),
    queryFn: () => apiFetch<HostInterfaceList>(`${hostPath(host)}/host-interfaces`),
    ...FRESH,
  });
}

/** The osinfo database changes only with a package upgrade. */
export function useOsList(eol: boolean) {
  return useQuery({
    queryKey: wizardKeys.osinfo(eol),
    queryFn: () => apiFetch<OsVariantList>(`/api/v1/osinfo${eol ? '?eol=true' : ''}`),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** virt-manager's first-run step: the `default` dir pool at /var/lib/libvirt/images. */
export function useCreateDefaultPool(host: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<StoragePool>(`${hostPath(host)}/storage/pools/default`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: wizardKeys.pools(host) }),
  });
}

/** The XML a create with this request would define (with cloud-init, its seed CD-ROM shows too). */
export function fetchPreview(host: string, request: Pick<DomainCreateRequest, 'spec' | 'cloudInit'>): Promise<DomainPreview> {
  const body = request.cloudInit ? { spec: request.spec, cloudInit: request.cloudInit } : { spec: request.spec };
  return apiFetch<DomainPreview>(`${hostPath(host)}/domains/preview`, { method: 'POST', body });
}

/** 201 with the new domain, or 202 with the task making its volumes. */
export type CreateOutcome = { kind: 'created'; detail: DomainDetail } | { kind: 'task'; accepted: TaskAccepted };

export async function createDomain(host: string, request: DomainCreateRequest): Promise<CreateOutcome> {
  const body = await apiFetch<DomainDetail | TaskAccepted>(`${hostPath(host)}/domains`, { method: 'POST', body: request });
  return 'task' in body ? { kind: 'task', accepted: body } : { kind: 'created', detail: body };
}
