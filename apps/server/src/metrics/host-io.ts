/**
 * The host's own network and disk counters, parsed from the kernel's text files (/proc/net/dev, /proc/diskstats)
 * and the names of virtual devices in sysfs. Pure functions: local host access reads the files, an SSH one would
 * `cat` the same files and parse them here.
 */

/** Cumulative byte counters since boot; null when the host could not tell. */
export interface HostIoCounters {
  netRxBytes: bigint | null;
  netTxBytes: bigint | null;
  diskReadBytes: bigint | null;
  diskWriteBytes: bigint | null;
}

/** The text of the files `ioCounters` reads; a file that could not be read is null. */
export interface HostIoSources {
  netDev: string | null;
  diskStats: string | null;
  /** Names under /sys/devices/virtual/net (lo, bridges, taps, veths, bonds...). */
  virtualNet: readonly string[] | null;
  /** Names under /sys/block: whole disks only, never partitions. */
  blockDevices: readonly string[] | null;
  /** Names under /sys/devices/virtual/block (loop, ram, zram, dm-*, md*). */
  virtualBlock: readonly string[] | null;
}

/**
 * Received and transmitted bytes summed over the host's physical interfaces.
 *
 * Which interfaces: those that are not virtual (not under /sys/devices/virtual/net), so the host's own traffic is
 * counted once: a guest's packets cross its tap, a bridge and the uplink NIC, and only the NIC is physical; the
 * loopback is virtual too. When sysfs could not be read only `lo` is left out. A host whose interfaces are all
 * virtual (a container) falls back to every interface but `lo`, which counts bridged guest traffic more than once
 * but is better than a flat zero.
 */
export function parseNetDev(text: string, virtualNet: readonly string[] | null): { rx: bigint; tx: bigint } | null {
  const rows: { name: string; rx: bigint; tx: bigint }[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    // Receive: bytes packets errs drop fifo frame compressed multicast; Transmit: bytes ...
    if (!name || fields.length < 9 || !/^\d+$/.test(fields[0]!) || !/^\d+$/.test(fields[8]!)) continue;
    rows.push({ name, rx: BigInt(fields[0]!), tx: BigInt(fields[8]!) });
  }
  if (rows.length === 0) return null;
  const virtual = new Set(virtualNet ?? ['lo']);
  virtual.add('lo');
  let chosen = rows.filter((r) => !virtual.has(r.name));
  if (chosen.length === 0) chosen = rows.filter((r) => r.name !== 'lo');
  let rx = 0n;
  let tx = 0n;
  for (const r of chosen) {
    rx += r.rx;
    tx += r.tx;
  }
  return { rx, tx };
}

/** Device names that are partitions or stacked/virtual devices, for when sysfs cannot say (sda1, nvme0n1p2, mmcblk0p1). */
const NOT_A_DISK = /^(loop|ram|zram|dm-|md|sr|fd|nbd)|^(?:[shv]d[a-z]+|xvd[a-z]+)\d+$|^(nvme\d+n\d+|mmcblk\d+)p\d+$/;

/**
 * Bytes read and written summed over whole physical disks (sectors in /proc/diskstats are always 512 bytes).
 * Partitions are left out (their I/O is already in their disk's line), and so are virtual block devices (loop,
 * device-mapper, md RAID, zram) whose I/O lands on a physical disk too.
 */
export function parseDiskStats(
  text: string,
  blockDevices: readonly string[] | null,
  virtualBlock: readonly string[] | null,
): { read: bigint; written: bigint } | null {
  const whole = blockDevices ? new Set(blockDevices) : null;
  const virtual = new Set(virtualBlock ?? []);
  let read = 0n;
  let written = 0n;
  let any = false;
  for (const line of text.split('\n')) {
    // major minor name reads merged sectorsRead msRead writes merged sectorsWritten ...
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const name = f[2]!;
    if (whole ? !whole.has(name) || virtual.has(name) : NOT_A_DISK.test(name)) continue;
    if (!/^\d+$/.test(f[5]!) || !/^\d+$/.test(f[9]!)) continue;
    read += BigInt(f[5]!) * 512n;
    written += BigInt(f[9]!) * 512n;
    any = true;
  }
  return any ? { read, written } : null;
}

export function hostIoCounters(src: HostIoSources): HostIoCounters {
  const net = src.netDev === null ? null : parseNetDev(src.netDev, src.virtualNet);
  const disk = src.diskStats === null ? null : parseDiskStats(src.diskStats, src.blockDevices, src.virtualBlock);
  return {
    netRxBytes: net?.rx ?? null,
    netTxBytes: net?.tx ?? null,
    diskReadBytes: disk?.read ?? null,
    diskWriteBytes: disk?.written ?? null,
  };
}
