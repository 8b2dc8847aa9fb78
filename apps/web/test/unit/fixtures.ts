import type { DomainSummary } from '@vireo/api';

export function domain(name: string, overrides: Partial<DomainSummary> = {}): DomainSummary {
  return {
    uuid: `uuid-${name}`,
    name,
    title: null,
    id: null,
    state: 'shutoff',
    stateReason: 'unknown',
    vcpus: 1,
    maxVcpus: 1,
    memoryKiB: 1048576,
    maxMemoryKiB: 1048576,
    autostart: false,
    persistent: true,
    graphics: null,
    cpuPercent: null,
    memoryUsedKiB: null,
    addresses: [],
    ...overrides,
  };
}
