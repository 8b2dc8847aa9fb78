import type { DomainSummary, EventMessage, HostListItem, HostState } from '@vireo/api';
import type { QueryClient } from '@tanstack/react-query';
import { queryKeys, type DomainCache, type NodeUsage } from '../api/queries.js';
import { applyStatsToHistories } from '../charts/live.js';
import { applyTask, taskKeys } from '../tasks/task-cache.js';

/** Where this client is in the server's event stream: reconnects send `?since=<seq>&epoch=<epoch>`. */
export interface EventCursor {
  epoch: string | null;
  seq: number;
}

/**
 * ok: applied (or nothing to do); stale: a delta already applied (replays overlap), ignored;
 * gap: a delta was missed, nothing applied: reconnect with `since` to get it replayed (or a resync).
 */
export type ApplyResult = 'ok' | 'stale' | 'gap';

export function initialCursor(): EventCursor {
  return { epoch: null, seq: 0 };
}

export function eventsUrl(base: { protocol: string; host: string }, cursor: EventCursor): string {
  const scheme = base.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = cursor.epoch === null ? '' : `?since=${cursor.seq}&epoch=${encodeURIComponent(cursor.epoch)}`;
  return `${scheme}//${base.host}/api/v1/events${query}`;
}

function replaceAll(client: QueryClient, hosts: HostState[], seq: number): void {
  const list: HostListItem[] = hosts.map(({ id, uri, health }) => ({ id, uri, health }));
  client.setQueryData<HostListItem[]>(queryKeys.hosts, list);
  for (const host of hosts) {
    client.setQueryData<DomainCache>(queryKeys.domains(host.id), { seq, domains: host.domains });
  }
}

function patchDomains(client: QueryClient, host: string, seq: number, patch: (domains: DomainSummary[]) => DomainSummary[]): void {
  client.setQueryData<DomainCache>(queryKeys.domains(host), (old) => {
    if (old === undefined) return old; // not loaded yet: the snapshot or the fetch brings it whole
    if (old.seq >= seq) return old; // the cached list already includes this change
    return { seq, domains: patch(old.domains) };
  });
}

/**
 * Applies one events message to the query cache and advances `cursor` (mutated in place). Snapshots and
 * resyncs replace every host's list; deltas must arrive in seq order; stats patch usage without moving seq.
 */
export function applyEvent(client: QueryClient, cursor: EventCursor, msg: EventMessage): ApplyResult {
  switch (msg.type) {
    case 'snapshot':
    case 'resync':
      cursor.epoch = msg.epoch;
      cursor.seq = msg.seq;
      replaceAll(client, msg.hosts, msg.seq);
      // Task events may have been missed while disconnected: watched tasks re-read GET /api/v1/tasks/:id.
      void client.invalidateQueries({ queryKey: taskKeys.all });
      return 'ok';
    case 'heartbeat':
      // A heartbeat carries the seq of the last delta sent before it: a higher one means we missed deltas.
      return msg.seq > cursor.seq ? 'gap' : 'ok';
    case 'stats': {
      if (msg.seq > cursor.seq) return 'gap';
      if (msg.node) {
        const usage: NodeUsage = { at: msg.at, cpu: msg.node.cpu, memory: msg.node.memory };
        client.setQueryData(queryKeys.nodeUsage(msg.host), usage);
      }
      const samples = new Map(msg.domains.map((s) => [s.uuid, s]));
      client.setQueryData<DomainCache>(queryKeys.domains(msg.host), (old) => {
        if (old === undefined) return old;
        let changed = false;
        const domains = old.domains.map((d) => {
          const s = samples.get(d.uuid);
          if (!s || (s.cpuPercent === d.cpuPercent && s.memoryUsedKiB === d.memoryUsedKiB)) return d;
          changed = true;
          return { ...d, cpuPercent: s.cpuPercent, memoryUsedKiB: s.memoryUsedKiB };
        });
        return changed ? { seq: old.seq, domains } : old;
      });
      applyStatsToHistories(client, msg);
      return 'ok';
    }
    default:
      break;
  }
  // Every other message is a numbered delta.
  if (msg.seq <= cursor.seq) return 'stale';
  if (msg.seq > cursor.seq + 1) return 'gap';
  cursor.seq = msg.seq;
  switch (msg.type) {
    case 'domain.updated': {
      const domain = msg.domain;
      patchDomains(client, msg.host, msg.seq, (domains) => {
        const i = domains.findIndex((d) => d.uuid === domain.uuid);
        if (i < 0) return [...domains, domain];
        const next = domains.slice();
        next[i] = domain;
        return next;
      });
      break;
    }
    case 'domain.removed':
      patchDomains(client, msg.host, msg.seq, (domains) => domains.filter((d) => d.uuid !== msg.uuid));
      break;
    case 'host.health':
      client.setQueryData<HostListItem[]>(queryKeys.hosts, (old) =>
        old?.map((h) => (h.id === msg.host ? { ...h, health: msg.health } : h)),
      );
      break;
    case 'task':
      applyTask(client, msg.task);
      break;
    default:
      // Device, network and pool deltas: pages that show them will subscribe; the seq still advances.
      break;
  }
  return 'ok';
}
