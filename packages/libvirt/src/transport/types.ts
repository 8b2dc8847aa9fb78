import type { Duplex } from 'node:stream';

/** How bytes reach a libvirt daemon. The RPC layer above never knows which one it got. */
export interface Transport {
  /** For error messages and logs, e.g. `unix:/var/run/libvirt/libvirt-sock` or `ssh:root@host:22`. */
  readonly description: string;
  /** Opens a fresh byte stream to the daemon. Each call is a new, independent connection. */
  connect(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Duplex>;
}
