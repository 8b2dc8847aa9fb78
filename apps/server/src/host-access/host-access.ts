/**
 * What Vireo needs from a host that libvirt cannot tell: uptime, load, the hostname when libvirt's is unusable, and
 * (later) files such as ISOs and seeds, sysfs and netlink. One implementation per way of reaching a host: local now
 * (node:os, /proc), over the host's SSH connection later.
 *
 * Every root-only host operation goes through this interface, never straight to node:fs or a child process, so that
 * it can move behind a small privileged helper and the network-facing process can drop root.
 */
export interface HostAccess {
  /** Where this reaches, for errors and logs (`local`, `ssh root@kvm2`). */
  readonly description: string;
  hostname(): Promise<string>;
  /** Seconds since the host booted. */
  uptimeSeconds(): Promise<number>;
  /** 1, 5 and 15 minute load averages. */
  loadAverage(): Promise<[number, number, number]>;
}
