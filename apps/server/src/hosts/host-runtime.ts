import type { DomainTracker } from '../domains/domain-tracker.js';
import type { ObjectEventsBridge } from '../events/object-events.js';
import type { HostMetrics } from '../metrics/metrics-store.js';
import type { StatsTicker } from '../metrics/stats-ticker.js';
import type { HostManager } from './host-manager.js';
import type { ManagedHost } from './managed-host.js';

/** Everything kept per host: its connection, its domain list, its stats tick, its history. */
export interface HostRuntime {
  host: ManagedHost;
  tracker: DomainTracker;
  objects: ObjectEventsBridge;
  ticker: StatsTicker;
  metrics: HostMetrics;
}

/** Per-host runtimes by host id; an unknown id is the host manager's 404. */
export class HostRuntimes {
  private readonly byId = new Map<string, HostRuntime>();

  constructor(readonly hosts: HostManager) {}

  add(runtime: HostRuntime): void {
    this.byId.set(runtime.host.id, runtime);
  }

  get(hostId: string): HostRuntime {
    const host = this.hosts.get(hostId);
    const runtime = this.byId.get(host.id);
    if (!runtime) throw new Error(`host ${hostId} has no runtime (a wiring bug)`);
    return runtime;
  }

  list(): HostRuntime[] {
    return this.hosts.list().flatMap((h) => this.byId.get(h.id) ?? []);
  }
}
