import type { Duplex } from 'node:stream';
import type { ListedFile, NetInterface, SeedFile } from '@vireo/host';
import type { HostIoCounters } from '../metrics/host-io.js';

export type { ListedFile, NetInterface, SeedFile };

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
  /** Cumulative network (physical interfaces) and disk (whole disks) byte counters, for the host's I/O rates. */
  ioCounters(): Promise<HostIoCounters>;
  /** The host's network interfaces (sysfs), loopback left out. */
  netInterfaces(): Promise<NetInterface[]>;
  /**
   * Regular files directly in `dir` ending in one of `extensions` (`.iso`); symlinks out of `dir` are left out.
   * Callers pass only directories the operator configured, never paths from a request.
   */
  listFiles(dir: string, extensions: readonly string[]): Promise<ListedFile[]>;
  /** A cloud-init NoCloud seed image (ISO 9660 labelled `cidata`) holding `files`, built on the host with xorriso. */
  buildSeedIso(files: readonly SeedFile[]): Promise<Buffer>;
  /**
   * A byte stream to a service on the host: a domain's VNC or SPICE display, by TCP or UNIX socket. Over SSH this
   * becomes a forwarded channel, so consoles of remote hosts need no port reachable from the browser.
   *
   * Its 'data' chunks may be views of one read buffer that the next read reuses (a display streams hundreds of
   * MiB/s; a fresh buffer per read costs the GC more than the copy does): a listener that keeps a chunk past its
   * event must copy it, or pause the stream until it is done with it (a paused stream does not read).
   */
  connect(endpoint: HostEndpoint): Promise<Duplex>;
}

/** Where a display listens, as the host itself reaches it. */
export type HostEndpoint = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };
