import type { DomainSummary } from '@vireo/api';

/** A row of the domain list as the store holds it: a shut-off 1-vCPU domain `vm-<uuid>` unless `extra` says more. */
export function domainRow(uuid: string, extra: Partial<DomainSummary> = {}): DomainSummary {
  return {
    uuid,
    name: `vm-${uuid}`,
    title: null,
    id: null,
    state: 'shutoff',
    stateReason: 'unknown',
    vcpus: 1,
    maxVcpus: 1,
    memoryKiB: 1024,
    maxMemoryKiB: 1024,
    autostart: false,
    persistent: true,
    graphics: null,
    cpuPercent: null,
    memoryUsedKiB: null,
    addresses: [],
    ...extra,
  };
}
