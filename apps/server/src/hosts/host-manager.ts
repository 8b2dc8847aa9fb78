import { notFound } from '../errors/http-problem.js';
import type { ManagedHost } from './managed-host.js';

/** The id of the machine the server runs on, first in every list; SSH hosts get ids of their own later. */
export const LOCAL_HOST_ID = 'local';

/** Every host the server manages, by id. Routes resolve `:host` here, so an unknown id is a 404 everywhere alike. */
export class HostManager {
  private readonly hosts = new Map<string, ManagedHost>();

  constructor(hosts: readonly ManagedHost[]) {
    for (const h of hosts) {
      if (this.hosts.has(h.id)) throw new Error(`host id ${h.id} is configured twice`);
      this.hosts.set(h.id, h);
    }
  }

  list(): ManagedHost[] {
    return [...this.hosts.values()];
  }

  /** The host, or a 404 problem naming the id. */
  get(id: string): ManagedHost {
    const host = this.hosts.get(id);
    if (!host) throw notFound(`no host ${JSON.stringify(id)} (known: ${[...this.hosts.keys()].join(', ')})`);
    return host;
  }

  start(): void {
    for (const h of this.hosts.values()) h.start();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.hosts.values()].map((h) => h.close()));
  }
}
