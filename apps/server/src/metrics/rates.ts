import type { DomainStatsSample, HostIoRates, NodeCpuStats, NodeMemoryStats } from '@vireo/api';
import type { TypedParamValue } from '@vireo/libvirt';
import type { HostIoCounters } from './host-io.js';

/** One domain's cumulative counters at one instant, from a get-all-domain-stats record. */
export interface DomainCounters {
  at: number;
  cpuTimeNs: bigint | null;
  diskReadBytes: bigint | null;
  diskWriteBytes: bigint | null;
  netRxBytes: bigint | null;
  netTxBytes: bigint | null;
  memoryUsedKiB: number | null;
}

function big(v: TypedParamValue | undefined): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  return null;
}

function num(v: TypedParamValue | undefined): number | null {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  return null;
}

/** Sums `<prefix>.<i>.<field>` over the `<prefix>.count` devices; null when no device reports it. */
function sumDevices(params: Readonly<Record<string, TypedParamValue>>, prefix: string, field: string): bigint | null {
  const count = num(params[`${prefix}.count`]) ?? 0;
  let total: bigint | null = null;
  for (let i = 0; i < count; i++) {
    const v = big(params[`${prefix}.${i}.${field}`]);
    if (v !== null) total = (total ?? 0n) + v;
  }
  return total;
}

/**
 * Memory the guest uses: what its balloon driver reports (available − unused) when it reports it, else what QEMU's
 * process holds (rss), which counts every page the guest ever touched.
 */
export function memoryUsedKiB(params: Readonly<Record<string, TypedParamValue>>): number | null {
  const available = num(params['balloon.available']);
  const unused = num(params['balloon.unused']);
  if (available !== null && unused !== null && available >= unused) return available - unused;
  return num(params['balloon.rss']);
}

export function domainCounters(at: number, params: Readonly<Record<string, TypedParamValue>>): DomainCounters {
  return {
    at,
    cpuTimeNs: big(params['cpu.time']),
    diskReadBytes: sumDevices(params, 'block', 'rd.bytes'),
    diskWriteBytes: sumDevices(params, 'block', 'wr.bytes'),
    netRxBytes: sumDevices(params, 'net', 'rx.bytes'),
    netTxBytes: sumDevices(params, 'net', 'tx.bytes'),
    memoryUsedKiB: memoryUsedKiB(params),
  };
}

/**
 * Per-second rate of a cumulative counter between two samples; null without both values, without elapsed time, or
 * when the counter went backwards (the domain restarted, a device was unplugged).
 */
export function counterRate(prev: bigint | null | undefined, curr: bigint | null, elapsedMs: number): number | null {
  if (prev === null || prev === undefined || curr === null || !(elapsedMs > 0)) return null;
  const delta = curr - prev;
  if (delta < 0n) return null;
  return (Number(delta) * 1000) / elapsedMs;
}

/** CPU use between two samples of cpu.time, where 100 means all of the domain's vCPUs were busy the whole time. */
export function cpuPercent(prevNs: bigint | null | undefined, currNs: bigint | null, elapsedMs: number, vcpus: number): number | null {
  const nsPerSecond = counterRate(prevNs, currNs, elapsedMs);
  if (nsPerSecond === null || !(vcpus > 0)) return null;
  return Math.min(100, (nsPerSecond / 1e9 / vcpus) * 100);
}

export function domainSample(uuid: string, prev: DomainCounters | undefined, curr: DomainCounters, vcpus: number): DomainStatsSample {
  const dt = prev ? curr.at - prev.at : 0;
  return {
    uuid,
    cpuPercent: cpuPercent(prev?.cpuTimeNs, curr.cpuTimeNs, dt, vcpus),
    memoryUsedKiB: curr.memoryUsedKiB,
    diskReadBytesPerSec: counterRate(prev?.diskReadBytes, curr.diskReadBytes, dt),
    diskWriteBytesPerSec: counterRate(prev?.diskWriteBytes, curr.diskWriteBytes, dt),
    netRxBytesPerSec: counterRate(prev?.netRxBytes, curr.netRxBytes, dt),
    netTxBytesPerSec: counterRate(prev?.netTxBytes, curr.netTxBytes, dt),
  };
}

/** The host's cumulative CPU times in ns (nodeGetCPUStats for all CPUs: kernel, user, idle, iowait). */
export interface NodeCpuCounters {
  kernel: bigint;
  user: bigint;
  idle: bigint;
  iowait: bigint;
}

/** Host CPU use between two samples, as percentages of all CPUs' time; null when no time passed or counters reset. */
export function nodeCpuStats(prev: NodeCpuCounters | undefined, curr: NodeCpuCounters): NodeCpuStats | null {
  if (!prev) return null;
  const d = {
    kernel: curr.kernel - prev.kernel,
    user: curr.user - prev.user,
    idle: curr.idle - prev.idle,
    iowait: curr.iowait - prev.iowait,
  };
  if (d.kernel < 0n || d.user < 0n || d.idle < 0n || d.iowait < 0n) return null;
  const total = Number(d.kernel + d.user + d.idle + d.iowait);
  if (total <= 0) return null;
  const pct = (v: bigint): number => (Number(v) / total) * 100;
  return { percent: pct(d.kernel + d.user), userPercent: pct(d.user), kernelPercent: pct(d.kernel), iowaitPercent: pct(d.iowait) };
}

/** nodeGetMemoryStats fields (KiB) as bytes; used leaves out free memory, buffers and page cache. */
export function nodeMemoryStats(fields: Readonly<Record<string, bigint>>): NodeMemoryStats {
  const kib = (name: string): number => Number(fields[name] ?? 0n) * 1024;
  const totalBytes = kib('total');
  const freeBytes = kib('free');
  const buffersBytes = kib('buffers');
  const cachedBytes = kib('cached');
  return { totalBytes, freeBytes, buffersBytes, cachedBytes, usedBytes: Math.max(0, totalBytes - freeBytes - buffersBytes - cachedBytes) };
}

/** The host's network and disk rates between two samples of its cumulative counters (see host-io.ts). */
export function hostIoRates(prev: HostIoCounters | undefined, curr: HostIoCounters, elapsedMs: number): HostIoRates {
  return {
    netRxBytesPerSec: counterRate(prev?.netRxBytes, curr.netRxBytes, elapsedMs),
    netTxBytesPerSec: counterRate(prev?.netTxBytes, curr.netTxBytes, elapsedMs),
    diskReadBytesPerSec: counterRate(prev?.diskReadBytes, curr.diskReadBytes, elapsedMs),
    diskWriteBytesPerSec: counterRate(prev?.diskWriteBytes, curr.diskWriteBytes, elapsedMs),
  };
}
