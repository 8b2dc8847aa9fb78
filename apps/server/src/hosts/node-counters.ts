import type { LibvirtConnection } from '@vireo/libvirt';
import type { NodeCpuCounters } from '../metrics/rates.js';

// VIR_NODE_CPU_STATS_ALL_CPUS and VIR_NODE_MEMORY_STATS_ALL_CELLS.
const ALL = -1;

/**
 * The host's CPU and memory counters through libvirt. Both calls refuse any nparams but the exact count their
 * driver reports, so the count is asked once per connection (nparams 0 returns it) and reused.
 */
export class NodeCounters {
  private readonly counts = new WeakMap<LibvirtConnection, { cpu: number; memory: number }>();

  private async countsFor(conn: LibvirtConnection): Promise<{ cpu: number; memory: number }> {
    let counts = this.counts.get(conn);
    if (!counts) {
      const [cpu, memory] = await Promise.all([
        conn.nodeGetCPUStats({ cpuNum: ALL, nparams: 0, flags: 0 }),
        conn.nodeGetMemoryStats({ nparams: 0, cellNum: ALL, flags: 0 }),
      ]);
      counts = { cpu: cpu.nparams, memory: memory.nparams };
      this.counts.set(conn, counts);
    }
    return counts;
  }

  async read(conn: LibvirtConnection): Promise<{ cpu: NodeCpuCounters; memory: Record<string, bigint> }> {
    const counts = await this.countsFor(conn);
    const [cpu, memory] = await Promise.all([
      conn.nodeGetCPUStats({ cpuNum: ALL, nparams: counts.cpu, flags: 0 }),
      conn.nodeGetMemoryStats({ nparams: counts.memory, cellNum: ALL, flags: 0 }),
    ]);
    const c = Object.fromEntries(cpu.params.map((p) => [p.field, p.value]));
    return {
      cpu: { kernel: c['kernel'] ?? 0n, user: c['user'] ?? 0n, idle: c['idle'] ?? 0n, iowait: c['iowait'] ?? 0n },
      memory: Object.fromEntries(memory.params.map((p) => [p.field, p.value])),
    };
  }
}
