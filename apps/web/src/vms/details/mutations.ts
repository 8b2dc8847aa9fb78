/**
 * Changes to a VM's definition: typed edits (PATCH), the whole XML (PUT) and autostart. Definition changes carry
 * the ETag the user's view was based on (If-Match), so a definition changed meanwhile (another user, `virsh edit`)
 * comes back as a 409 to show, never as a silent overwrite. Success puts the server's new detail in the cache and
 * refreshes it.
 */
import type { DomainDetail, DomainEdit, DomainSummary } from '@vireo/api';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, apiFetch } from '../../api/client.js';
import { queryKeys, type DomainCache } from '../../api/queries.js';
import { domainDetailKey } from './queries.js';

/** ProblemType.conflict of @vireo/api (a value import would bundle zod): the revision the change was based on is stale. */
const CONFLICT_TYPE = 'urn:vireo:problem:conflict';

export function isRevisionConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.type === CONFLICT_TYPE;
}

const enc = encodeURIComponent;
const domainPath = (host: string, uuid: string) => `/api/v1/hosts/${enc(host)}/domains/${enc(uuid)}`;

async function applied(client: QueryClient, host: string, uuid: string, detail: DomainDetail): Promise<void> {
  client.setQueryData(domainDetailKey(host, uuid), detail);
  await client.invalidateQueries({ queryKey: domainDetailKey(host, uuid) });
}

export interface EditVars {
  etag: string;
  operations: DomainEdit[];
}

export function useEditDomain(host: string, uuid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ etag, operations }: EditVars) =>
      apiFetch<DomainDetail>(domainPath(host, uuid), { method: 'PATCH', headers: { 'if-match': etag }, body: { operations } }),
    onSuccess: (detail) => applied(client, host, uuid, detail),
  });
}

export interface XmlVars {
  etag: string;
  xml: string;
}

export function useReplaceXml(host: string, uuid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ etag, xml }: XmlVars) =>
      apiFetch<DomainDetail>(`${domainPath(host, uuid)}/xml`, { method: 'PUT', headers: { 'if-match': etag }, body: { xml } }),
    onSuccess: (detail) => applied(client, host, uuid, detail),
  });
}

/** Autostart is no part of the definition (no ETag); the answer is the VM's row, put in the list cache at once. */
export function useSetAutostart(host: string, uuid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (enabled: boolean) => apiFetch<DomainSummary>(`${domainPath(host, uuid)}/autostart`, { method: 'PUT', body: { enabled } }),
    onSuccess: async (summary) => {
      client.setQueryData<DomainCache>(queryKeys.domains(host), (cache) =>
        cache ? { ...cache, domains: cache.domains.map((d) => (d.uuid === summary.uuid ? summary : d)) } : cache,
      );
      await client.invalidateQueries({ queryKey: domainDetailKey(host, uuid) });
    },
  });
}

/** Refetches the definition after a conflict: the form keeps what the user typed, the ETag becomes the current one. */
export function useReloadDetail(host: string, uuid: string) {
  const client = useQueryClient();
  return async (): Promise<DomainDetail | undefined> => {
    await client.refetchQueries({ queryKey: domainDetailKey(host, uuid) });
    return client.getQueryData<DomainDetail>(domainDetailKey(host, uuid));
  };
}
