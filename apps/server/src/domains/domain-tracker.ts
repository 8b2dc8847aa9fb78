import type { DeltaBody } from '@vireo/api';
import {
  DomainEventType,
  domainEventDetailName,
  domainEventTypeName,
  isNotFound,
  ListDomainsFlags,
  uuidFromString,
  uuidToString,
  type DomainEvent,
  type LibvirtConnection,
  type Subscription,
} from '@vireo/libvirt';
import type { FastifyBaseLogger } from 'fastify';
import { mapLimited, readGuestAddresses, readTracked, readTrackedByUuid, type DomainRef, type TrackedRead } from './domain-reader.js';
import { DomainStore } from './domain-store.js';
import { stateAfterLifecycle } from './state-names.js';

export interface DomainTrackerDeps {
  hostId: string;
  publish: (delta: DeltaBody) => void;
  log: FastifyBaseLogger;
  /** Called when a domain is gone for good, so its metrics can go too. */
  onRemoved?: (uuid: string) => void;
  /** How often the guest addresses of running domains with NICs are asked for (default 30 s). */
  addressIntervalMs?: number;
}

const ADDRESS_INTERVAL_MS = 30_000;
// Address reads share the host's connection with every request: two at a time, whatever the number of domains.
const ADDRESS_CONCURRENCY = 2;

/** Domain events after which the list row may differ; the rest (rtc, watchdog, jobs, ...) change nothing in it. */
const ROW_EVENTS: ReadonlySet<DomainEvent['name']> = new Set([
  'lifecycle',
  'balloonChange',
  'deviceAdded',
  'deviceRemoved',
  'metadataChange',
  'pmWakeup',
  'pmSuspend',
  'pmSuspendDisk',
  'controlError',
]);

// Reads of many domains at once (a rebuild): enough to keep the connection's 5 call slots busy, few enough not to
// queue thousands of promises.
const READ_CONCURRENCY = 16;

function domOf(event: DomainEvent): DomainRef {
  return 'msg' in event.body ? event.body.msg.dom : event.body.dom;
}

function causeOf(event: DomainEvent): string {
  if (event.name !== 'lifecycle') return event.name;
  const { event: type, detail } = event.body.msg;
  return `lifecycle ${domainEventTypeName(type) ?? type} ${domainEventDetailName(type, detail) ?? detail}`;
}

/**
 * Keeps one host's domain list current: rebuilt from a full list on every new connection, then patched by libvirt's
 * domain events (one registration per host, whatever the number of clients). Each change goes out as a delta.
 *
 * A lifecycle event updates the row's state at once (no libvirt call between `virsh suspend` and the delta); the
 * rest of the row is then re-read. Re-reads of one domain run one at a time, and a read that started before a
 * newer event is discarded and repeated, so a slow read never overwrites a newer state.
 */
export class DomainTracker {
  readonly store = new DomainStore();
  private conn: LibvirtConnection | undefined;
  private subscription: Subscription | undefined;
  private rebuilding = false;
  private readonly pendingDuringRebuild = new Map<string, string>();
  /** Events seen per domain: a re-read is current only if none arrived while it ran. */
  private readonly versions = new Map<string, number>();
  private readonly refreshing = new Map<string, { again: boolean; cause: string | undefined }>();
  private readonly idle = new Set<() => void>();
  /** Domains whose definition has NICs: the only ones with guest addresses to ask for. */
  private readonly withNics = new Set<string>();
  /** Address reads waiting (a set: a domain queued twice is read once) and how many are running. */
  private readonly addressQueue = new Set<string>();
  private addressReads = 0;
  private addressTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: DomainTrackerDeps) {}

  /** Connection setup: register for events first, then list, so nothing that happens in between is missed. */
  async attach(conn: LibvirtConnection): Promise<void> {
    this.conn = conn;
    this.rebuilding = true;
    this.pendingDuringRebuild.clear();
    try {
      this.subscription = await conn.subscribeDomainEvents((event) => {
        // Called from the connection's message handler: a bug here must not break the connection for the rest.
        try {
          this.onEvent(conn, event);
        } catch (err) {
          this.deps.log.error({ err, host: this.deps.hostId, event: event.name }, 'could not handle a domain event');
        }
      });
      const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
      const reads = await mapLimited(domains, READ_CONCURRENCY, (dom) => readTracked(conn, dom).catch((err: unknown) => this.skipVanished(err)));
      if (conn !== this.conn) return;
      const found = reads.filter((r): r is TrackedRead => r !== null);
      this.withNics.clear();
      for (const r of found) this.noteNics(r);
      const gone = this.store.replaceAll(found.map((r) => r.row));
      for (const uuid of gone) this.forget(uuid);
    } finally {
      this.rebuilding = false;
    }
    for (const [uuid, cause] of this.pendingDuringRebuild) void this.scheduleRefresh(uuid, cause);
    this.pendingDuringRebuild.clear();
    this.startAddressPolling();
  }

  private noteNics(read: TrackedRead): void {
    if (read.nics > 0) this.withNics.add(read.row.uuid);
    else this.withNics.delete(read.row.uuid);
  }

  /**
   * Guest addresses are read off the request path: every running domain with NICs once per interval (and once
   * when it starts), queued and coalesced, two reads at a time. A change goes out as a `domain.updated` delta.
   */
  private startAddressPolling(): void {
    if (this.addressTimer) return;
    this.addressTimer = setInterval(() => this.queueAllAddresses(), this.deps.addressIntervalMs ?? ADDRESS_INTERVAL_MS);
    this.addressTimer.unref();
    this.queueAllAddresses();
  }

  private queueAllAddresses(): void {
    for (const uuid of this.withNics) {
      const row = this.store.get(uuid);
      if (row && row.id !== null) this.queueAddresses(uuid);
    }
  }

  private queueAddresses(uuid: string): void {
    if (!this.withNics.has(uuid)) return;
    this.addressQueue.add(uuid);
    this.pumpAddresses();
  }

  private pumpAddresses(): void {
    while (this.addressReads < ADDRESS_CONCURRENCY && this.addressQueue.size > 0) {
      const uuid = this.addressQueue.values().next().value as string;
      this.addressQueue.delete(uuid);
      this.addressReads++;
      void this.readAddresses(uuid).finally(() => {
        this.addressReads--;
        this.pumpAddresses();
      });
    }
  }

  private async readAddresses(uuid: string): Promise<void> {
    const conn = this.conn;
    const row = this.store.get(uuid);
    if (!conn || this.rebuilding || !row || row.id === null) return;
    let addresses: string[];
    try {
      addresses = await readGuestAddresses(conn, { name: row.name, uuid: uuidFromString(uuid), id: row.id });
    } catch (err) {
      // Stopped meanwhile, or a network without leases: the row keeps what it had; the next round tries again.
      if (conn === this.conn) this.deps.log.debug({ err, host: this.deps.hostId, uuid }, 'could not read guest addresses');
      return;
    }
    if (conn !== this.conn) return;
    const changed = this.store.setAddresses(uuid, addresses);
    if (changed) this.deps.publish({ type: 'domain.updated', host: this.deps.hostId, domain: changed, cause: 'addresses' });
  }

  /** The connection died: its subscription went with it. Rows stay as last known until the rebuild. */
  detach(conn: LibvirtConnection): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.subscription = undefined;
  }

  private skipVanished(err: unknown): null {
    // A domain undefined between the list and its read is simply not listed; anything else fails the rebuild.
    if (isNotFound(err)) return null;
    throw err;
  }

  private onEvent(conn: LibvirtConnection, event: DomainEvent): void {
    if (conn !== this.conn) return;
    const dom = domOf(event);
    const uuid = uuidToString(dom.uuid);
    const cause = causeOf(event);
    if (event.name === 'deviceAdded' || event.name === 'deviceRemoved' || event.name === 'deviceRemovalFailed') {
      this.deps.publish({
        type: 'domain.device',
        host: this.deps.hostId,
        uuid,
        name: dom.name,
        event: event.name === 'deviceAdded' ? 'added' : event.name === 'deviceRemoved' ? 'removed' : 'removal-failed',
        alias: 'msg' in event.body ? event.body.msg.devAlias : event.body.devAlias,
      });
    }
    if (!ROW_EVENTS.has(event.name)) return;
    if (this.rebuilding) {
      this.pendingDuringRebuild.set(uuid, cause);
      return;
    }
    this.versions.set(uuid, (this.versions.get(uuid) ?? 0) + 1);
    if (event.name === 'lifecycle') this.applyLifecycle(uuid, dom, event.body.msg.event, event.body.msg.detail, cause);
    void this.scheduleRefresh(uuid, cause);
  }

  private applyLifecycle(uuid: string, dom: DomainRef, type: number, detail: number, cause: string): void {
    const row = this.store.get(uuid);
    if (!row) return; // A new domain: the re-read brings its whole row.
    // Gone for good: an inactive domain undefined, or a transient one stopped. Sent now; the re-read confirms.
    if ((type === DomainEventType.UNDEFINED && row.state === 'shutoff') || (type === DomainEventType.STOPPED && !row.persistent)) {
      this.remove(uuid, dom.name);
      return;
    }
    const after = stateAfterLifecycle(type, detail);
    if (!after) return;
    const changed = this.store.patch(uuid, {
      state: after.state,
      stateReason: after.reason,
      id: after.active ? (dom.id >= 0 ? dom.id : row.id) : null,
    });
    if (changed) this.deps.publish({ type: 'domain.updated', host: this.deps.hostId, domain: changed, cause });
    if (after.active && row.id === null) this.queueAddresses(uuid);
  }

  /**
   * Re-reads one domain now (after a change made through the API, or when an event arrives). Resolves when the
   * row is current.
   */
  refresh(uuid: string, cause?: string): Promise<void> {
    this.versions.set(uuid, (this.versions.get(uuid) ?? 0) + 1);
    return this.scheduleRefresh(uuid, cause);
  }

  private scheduleRefresh(uuid: string, cause: string | undefined): Promise<void> {
    const done = new Promise<void>((resolve) => {
      const check = (): void => {
        if (!this.refreshing.has(uuid)) {
          this.idle.delete(check);
          resolve();
        }
      };
      this.idle.add(check);
    });
    const running = this.refreshing.get(uuid);
    if (running) {
      running.again = true;
      running.cause = cause ?? running.cause;
    } else {
      this.refreshing.set(uuid, { again: false, cause });
      void this.runRefresh(uuid);
    }
    return done;
  }

  private async runRefresh(uuid: string): Promise<void> {
    try {
      for (;;) {
        const entry = this.refreshing.get(uuid)!;
        entry.again = false;
        const conn = this.conn;
        if (!conn || this.rebuilding) break;
        const version = this.versions.get(uuid);
        let read: TrackedRead | null;
        try {
          read = await readTrackedByUuid(conn, uuid);
        } catch (err) {
          // The connection died (the rebuild will catch up) or libvirt refused a read: the row stays as it was.
          if (conn === this.conn) this.deps.log.warn({ err, host: this.deps.hostId, uuid }, 'could not re-read a domain after an event');
          break;
        }
        if (conn !== this.conn) break;
        if (this.versions.get(uuid) === version) {
          if (read === null) {
            const prev = this.store.get(uuid);
            if (prev) this.remove(uuid, prev.name);
          } else {
            const wasRunning = this.store.get(uuid)?.id != null;
            this.noteNics(read);
            const changed = this.store.put(read.row);
            // Just started (or first seen running): its addresses may be known already (a kept lease).
            if (!wasRunning && read.row.id !== null) this.queueAddresses(uuid);
            if (changed) this.deps.publish({ type: 'domain.updated', host: this.deps.hostId, domain: changed, ...(entry.cause !== undefined && { cause: entry.cause }) });
          }
        }
        if (!entry.again) break;
      }
    } finally {
      this.refreshing.delete(uuid);
      for (const check of [...this.idle]) check();
    }
  }

  private remove(uuid: string, name: string): void {
    if (!this.store.delete(uuid)) return;
    this.forget(uuid);
    this.deps.publish({ type: 'domain.removed', host: this.deps.hostId, uuid, name });
  }

  private forget(uuid: string): void {
    this.versions.delete(uuid);
    this.withNics.delete(uuid);
    this.addressQueue.delete(uuid);
    this.deps.onRemoved?.(uuid);
  }

  /**
   * Catches what events cannot tell: autostart has no event, and a missed event (a daemon that dropped us for a
   * moment) would leave a row stale. Two cheap list calls; a domain added or removed gets a full re-read.
   */
  async reconcile(conn: LibvirtConnection): Promise<void> {
    if (conn !== this.conn || this.rebuilding) return;
    const [all, autostart] = await Promise.all([
      conn.connectListAllDomains({ need_results: 1, flags: 0 }),
      conn.connectListAllDomains({ need_results: 1, flags: ListDomainsFlags.AUTOSTART }),
    ]);
    if (conn !== this.conn || this.rebuilding) return;
    const listed = new Set(all.domains.map((d) => uuidToString(d.uuid)));
    const auto = new Set(autostart.domains.map((d) => uuidToString(d.uuid)));
    for (const uuid of listed) {
      const row = this.store.get(uuid);
      if (!row) {
        if (!this.refreshing.has(uuid)) void this.refresh(uuid, 'reconcile');
      } else if (row.autostart !== auto.has(uuid) && !this.refreshing.has(uuid)) {
        const changed = this.store.patch(uuid, { autostart: auto.has(uuid) });
        if (changed) this.deps.publish({ type: 'domain.updated', host: this.deps.hostId, domain: changed, cause: 'reconcile' });
      }
    }
    for (const uuid of this.store.uuids()) {
      if (!listed.has(uuid) && !this.refreshing.has(uuid)) void this.refresh(uuid, 'reconcile');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.addressTimer);
    this.addressTimer = undefined;
    this.addressQueue.clear();
    const sub = this.subscription;
    this.subscription = undefined;
    this.conn = undefined;
    await sub?.unsubscribe().catch(() => undefined);
  }
}
