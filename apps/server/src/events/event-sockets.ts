import type { WebSocket } from '@fastify/websocket';
import { EventsQuerySchema, type HostState, type ResyncMessage, type SnapshotMessage } from '@vireo/api';
import type { FastifyBaseLogger } from 'fastify';
import type { EventHub, Published } from './event-hub.js';

export interface EventSocketsOptions {
  hub: EventHub;
  /** Every host's state now, for snapshots and resyncs. */
  snapshot: () => HostState[];
  heartbeatMs: number;
  /** A socket with more than this queued is too slow for the stream: it is closed and reconnects with `since`. */
  maxBufferedBytes: number;
  log: FastifyBaseLogger;
}

interface Client {
  socket: WebSocket;
  alive: boolean;
}

// ws's readyState for an open socket.
const OPEN = 1;
// "Try again later": the client reconnects with ?since= and catches up from the ring.
const CLOSE_TRY_AGAIN = 1013;
const CLOSE_GOING_AWAY = 1001;

/**
 * The events WebSockets: on connect a snapshot (or the missed deltas for `?since=`), then every hub message. A
 * heartbeat goes to all every `heartbeatMs` so a client can tell a quiet stream from a dead one; the server pings
 * too and drops sockets that did not answer the previous ping.
 */
export class EventSockets {
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: EventSocketsOptions) {
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  get count(): number {
    return this.clients.size;
  }

  attach(socket: WebSocket, query: unknown): void {
    const { hub } = this.options;
    const parsed = EventsQuerySchema.safeParse(query ?? {});
    const client: Client = { socket, alive: true };
    const since = parsed.success ? parsed.data.since : undefined;
    if (since === undefined) {
      this.send(client, JSON.stringify(this.snapshotMessage()));
    } else {
      const missed = hub.deltasSince(since, parsed.success ? parsed.data.epoch : undefined);
      if (missed === null) this.send(client, JSON.stringify(this.resyncMessage('since-too-old')));
      else for (const m of missed) this.send(client, JSON.stringify(m));
    }
    // Subscribed in the same turn as the snapshot was taken: no delta can fall in between.
    const unsubscribe = hub.subscribe((p: Published) => this.send(client, p.json));
    this.clients.add(client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('message', () => {
      // The channel is server-to-client; anything a client sends is ignored (it still counts as a sign of life).
      client.alive = true;
    });
    socket.once('close', () => {
      unsubscribe();
      this.clients.delete(client);
    });
    socket.on('error', (err) => this.options.log.debug({ err }, 'events socket error'));
  }

  /** Tells every client to replace its state (libvirtd came back on a host and its state was rebuilt). */
  resyncAll(reason: ResyncMessage['reason']): void {
    if (this.clients.size === 0) return;
    const json = JSON.stringify(this.resyncMessage(reason));
    for (const client of this.clients) this.send(client, json);
  }

  private snapshotMessage(): SnapshotMessage {
    return { type: 'snapshot', seq: this.options.hub.seq, epoch: this.options.hub.epoch, hosts: this.options.snapshot() };
  }

  private resyncMessage(reason: ResyncMessage['reason']): ResyncMessage {
    return { type: 'resync', seq: this.options.hub.seq, epoch: this.options.hub.epoch, reason, hosts: this.options.snapshot() };
  }

  private send(client: Client, json: string): void {
    const { socket } = client;
    if (socket.readyState !== OPEN) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      socket.close(CLOSE_TRY_AGAIN, 'too slow for the event stream: reconnect with ?since=');
      return;
    }
    socket.send(json);
  }

  private beat(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      if (client.socket.readyState === OPEN) client.socket.ping();
    }
    this.options.hub.broadcast({ type: 'heartbeat', at: Date.now() });
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.socket.close(CLOSE_GOING_AWAY, 'server shutting down');
    this.clients.clear();
  }
}
