/** `stats` events -> the metric histories in the query cache (only those already loaded: nothing is fetched here). */
import type { Metrics, StatsMessage } from '@vireo/api';
import type { QueryClient } from '@tanstack/react-query';
import { appendSample, appendSparkTick, type Sample, type SparkHistory } from './history.js';
import { metricsKeys, SPARK_SERIES } from './queries.js';

/** UUIDs compare without dashes and case, as libvirt accepts them (a details URL may spell one either way). */
export function uuidKey(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}

export function applyStatsToHistories(client: QueryClient, msg: StatsMessage): void {
  const node = msg.node;
  if (node) {
    const sample: Sample = {
      cpuPercent: node.cpu?.percent ?? null,
      memoryUsedBytes: node.memory.usedBytes,
      memoryTotalBytes: node.memory.totalBytes,
      ...node.io,
    };
    client.setQueryData<Metrics>(metricsKeys.host(msg.host), (old) => (old ? appendSample(old, msg.at, sample) : old));
  }

  const byUuid = new Map<string, Sample>(msg.domains.map((s) => [uuidKey(s.uuid), s]));
  for (const query of client.getQueryCache().findAll({ queryKey: metricsKeys.domains(msg.host) })) {
    const uuid = query.queryKey[3];
    if (typeof uuid !== 'string') continue;
    // A domain that is not running has no sample: no point is added, and the chart shows the gap.
    const sample = byUuid.get(uuidKey(uuid));
    if (!sample) continue;
    client.setQueryData<Metrics>(query.queryKey, (old) => (old ? appendSample(old, msg.at, sample) : old));
  }

  client.setQueryData<SparkHistory>(metricsKeys.sparklines(msg.host), (old) =>
    old ? appendSparkTick(old, msg.at, new Map(msg.domains.map((s) => [s.uuid, s])), SPARK_SERIES) : old,
  );
}
