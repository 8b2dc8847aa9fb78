import type { DomainSummary, Task } from '@vireo/api';

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

/** A queued VM creation task (id `t1`); `overrides` move it on. */
export function task(overrides: Partial<Task> = {}): Task {
  return {
    id: 't1',
    kind: 'domain.create',
    host: 'local',
    target: 'vm1',
    state: 'queued',
    progress: 0,
    step: null,
    error: null,
    result: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}
