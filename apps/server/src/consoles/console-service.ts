import type { Duplex } from 'node:stream';
import type { ConsoleInfo, ConsoleTicket, ConsoleTicketRequest } from '@vireo/api';
import { DomainConsoleFlags, DomainXMLFlags, isNotFound, LibvirtError, type LibvirtConnection } from '@vireo/libvirt';
import { conflict, HttpProblem, notFound } from '../errors/http-problem.js';
import type { HostRuntime, HostRuntimes } from '../hosts/host-runtime.js';
import { lookupDomain, type DomainRef } from '../domains/domain-reader.js';
import { normaliseUuid } from '../domains/domain-context.js';
import { stateName } from '../domains/state-names.js';
import type { Clock } from '../security/clock.js';
import { consoleInfo, displaysOf, hostEndpoint, isLocalOnly, virtViewerFile, type Display } from './endpoints.js';
import type { RgbImage } from './screenshot.js';
import { TicketStore, type ConsoleTicketGrant } from './ticket-store.js';

const SCREENSHOT_TIMEOUT_MS = 15_000;

/** virDomainState values whose domain has a live display and console. */
const LIVE_STATES = new Set([1, 2, 3]); // running, blocked, paused

export class ConsoleUnavailable extends Error {}
class ScreenshotStuck extends Error {}
export class ConsoleBusy extends Error {}

/** A console's byte stream, and what the proxy must do before joining it to the browser. */
export interface OpenedConsole {
  peer: Duplex;
  /** VNC with a password: the proxy authenticates to the display itself. */
  vncPassword?: string;
  /** Releases what the console held (a dedicated libvirt connection for serial consoles). */
  close(): Promise<void>;
}

interface Resolved {
  runtime: HostRuntime;
  conn: LibvirtConnection;
  dom: DomainRef;
  uuid: string;
  name: string;
  state: number;
}

/**
 * Consoles of domains: what a domain offers, tickets, and opening the byte stream behind a ticket — a display's VNC
 * or SPICE socket through the host's access (so remote hosts need no port reachable from the browser), or libvirt's
 * console stream for serial.
 */
export class ConsoleService {
  readonly tickets: TicketStore;

  constructor(private readonly runtimes: HostRuntimes, clock: Clock) {
    this.tickets = new TicketStore(clock);
  }

  private async resolve(hostId: string, uuid: string): Promise<Resolved> {
    const runtime = this.runtimes.get(hostId);
    const conn = runtime.host.connection();
    const id = normaliseUuid(uuid);
    const dom = await lookupDomain(conn, id);
    if (!dom) throw notFound(`no domain ${id} on host ${hostId}`);
    const { state } = await conn.domainGetState({ dom, flags: 0 });
    return { runtime, conn, dom, uuid: id, name: dom.name, state };
  }

  /** The live definition with secrets (the running one when running). */
  private async secureXml(r: Resolved): Promise<string> {
    return (await r.conn.domainGetXMLDesc({ dom: r.dom, flags: DomainXMLFlags.SECURE })).xml;
  }

  async info(hostId: string, uuid: string): Promise<ConsoleInfo> {
    const r = await this.resolve(hostId, uuid);
    // With secrets, to tell whether a password is set; consoleInfo never passes a password on.
    return consoleInfo(stateName(r.state), await this.secureXml(r));
  }

  private display(r: Resolved, xml: string, type: string, hostId: string): Display {
    const d = displaysOf(xml).displays.find((x) => x.view.type === type);
    if (!d) throw conflict(`domain ${r.name} on host ${hostId} has no ${type.toUpperCase()} display`);
    return d;
  }

  private requireLive(r: Resolved, hostId: string): void {
    if (!LIVE_STATES.has(r.state)) throw conflict(`domain ${r.name} on host ${hostId} is ${stateName(r.state)}: start it to open its console`);
  }

  async issue(owner: string, hostId: string, uuid: string, request: ConsoleTicketRequest): Promise<ConsoleTicket> {
    const r = await this.resolve(hostId, uuid);
    this.requireLive(r, hostId);
    const xml = await this.secureXml(r);
    let password: string | null = null;
    if (request.type === 'serial') {
      if (!displaysOf(xml).serial) throw conflict(`domain ${r.name} on host ${hostId} has no serial console`);
    } else {
      const d = this.display(r, xml, request.type, hostId);
      if (!hostEndpoint(d.view)) throw conflict(`the ${request.type.toUpperCase()} display of ${r.name} on host ${hostId} listens nowhere (listen type none)`);
      if (request.type === 'spice') password = d.password ?? null;
    }
    const grant = this.tickets.issue({ owner, host: hostId, uuid: r.uuid, type: request.type, force: request.force ?? false });
    return {
      ticket: grant.ticket,
      type: grant.type,
      path: `/api/v1/consoles/${grant.ticket}`,
      expiresAt: new Date(grant.expiresAt).toISOString(),
      password,
    };
  }

  /** Opens the console a ticket names. ConsoleUnavailable/ConsoleBusy say why not, for the socket's close code. */
  async open(grant: ConsoleTicketGrant): Promise<OpenedConsole> {
    let r: Resolved;
    try {
      r = await this.resolve(grant.host, grant.uuid);
    } catch (err) {
      if (err instanceof HttpProblem) throw new ConsoleUnavailable(err.message);
      throw err;
    }
    if (!LIVE_STATES.has(r.state)) throw new ConsoleUnavailable(`domain ${r.name} is ${stateName(r.state)}`);
    if (grant.type === 'serial') return this.openSerial(r, grant.force);
    const xml = await this.secureXml(r);
    const d = displaysOf(xml).displays.find((x) => x.view.type === grant.type);
    const endpoint = d ? hostEndpoint(d.view) : null;
    if (!d || !endpoint) throw new ConsoleUnavailable(`domain ${r.name} has no reachable ${grant.type.toUpperCase()} display`);
    let peer: Duplex;
    try {
      peer = await r.runtime.host.access.connect(endpoint);
    } catch (err) {
      const where = endpoint.kind === 'tcp' ? `${endpoint.host}:${endpoint.port}` : endpoint.path;
      throw new ConsoleUnavailable(`cannot reach the ${grant.type.toUpperCase()} display of ${r.name} at ${where}: ${(err as Error).message}`);
    }
    return {
      peer,
      ...(grant.type === 'vnc' && d.password !== undefined && d.password !== '' && { vncPassword: d.password }),
      close: () => Promise.resolve(),
    };
  }

  private async openSerial(r: Resolved, force: boolean): Promise<OpenedConsole> {
    // A console is a long stream: a connection of its own keeps the shared one free for calls.
    const conn = await r.runtime.host.connections.dedicated();
    try {
      const dom = await lookupDomain(conn, r.uuid);
      if (!dom) throw new ConsoleUnavailable(`domain ${r.name} is gone`);
      const { stream } = await conn.domainOpenConsole({ dom, dev_name: null, flags: DomainConsoleFlags.SAFE | (force ? DomainConsoleFlags.FORCE : 0) });
      return { peer: stream, close: () => conn.close() };
    } catch (err) {
      await conn.close().catch(() => undefined);
      if (err instanceof LibvirtError && /active console session/i.test(err.message)) {
        throw new ConsoleBusy(`the serial console of ${r.name} is in use by another client`);
      }
      if (err instanceof LibvirtError) throw new ConsoleUnavailable(`cannot open the serial console of ${r.name}: ${err.message}`);
      throw err;
    }
  }

  /**
   * A virt-viewer file for the SPICE (or VNC) display. `reachableHost` is the name the user's browser reached Vireo
   * by, used when the display listens on every address.
   */
  async viewerFile(hostId: string, uuid: string, type: 'spice' | 'vnc', reachableHost: string): Promise<{ name: string; body: string }> {
    const r = await this.resolve(hostId, uuid);
    this.requireLive(r, hostId);
    const d = this.display(r, await this.secureXml(r), type, hostId);
    if (isLocalOnly(d.view)) {
      throw new HttpProblem(409, 'Conflict', {
        detail:
          `the ${type.toUpperCase()} display of ${r.name} listens only on the host itself (${d.view.socket ?? d.view.listenAddress ?? 'loopback'}), ` +
          'so a viewer on another machine cannot reach it: change its listen address (then restart the VM), or use the in-browser console',
      });
    }
    if (d.view.port === undefined) throw conflict(`the ${type.toUpperCase()} display of ${r.name} has no port yet`);
    const address = d.view.listenAddress;
    const host = address === undefined || address === '0.0.0.0' || address === '::' ? reachableHost : address;
    return {
      name: `${r.name.replace(/[^\w.-]+/g, '_')}.vv`,
      body: virtViewerFile({
        type,
        host,
        port: d.view.port,
        ...(d.view.tlsPort !== undefined && { tlsPort: d.view.tlsPort }),
        ...(d.password !== undefined && d.password !== '' && { password: d.password }),
        title: r.name.replace(/[\r\n]+/g, ' '),
      }),
    };
  }

  /** A PNG of the domain's screen, scaled down to at most `width` pixels wide. */
  async screenshot(hostId: string, uuid: string, width: number): Promise<Buffer> {
    const r = await this.resolve(hostId, uuid);
    this.requireLive(r, hostId);
    const image = await r.runtime.host.connections.withDedicated(async (conn) => {
      const dom = await lookupDomain(conn, r.uuid);
      if (!dom) throw notFound(`no domain ${r.uuid} on host ${hostId}`);
      const { ret, stream } = await conn.domainScreenshot({ dom, screen: 0, flags: 0 });
      // A screen is a few hundred KiB at most: a stream still open after this long is stuck, not slow.
      const stuck = setTimeout(() => stream.destroy(new ScreenshotStuck(`no complete screenshot within ${SCREENSHOT_TIMEOUT_MS} ms`)), SCREENSHOT_TIMEOUT_MS);
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of stream) chunks.push(chunk as Buffer);
      } finally {
        clearTimeout(stuck);
      }
      return { mime: ret.mime ?? 'unknown', bytes: Buffer.concat(chunks) };
    }).catch((err: unknown) => {
      if (isNotFound(err)) throw notFound(`no domain ${r.uuid} on host ${hostId}`);
      if (err instanceof LibvirtError || err instanceof ScreenshotStuck) {
        throw conflict(`cannot take a screenshot of ${r.name} on host ${hostId}: ${err.message}`);
      }
      throw err;
    });
    // The PNG codec is loaded by the first screenshot, not at start-up.
    const { decodeScreenshot, encodeThumbnail } = await import('./screenshot.js');
    let decoded: RgbImage;
    try {
      decoded = decodeScreenshot(image.mime, image.bytes);
    } catch (err) {
      throw conflict(`cannot read the screenshot of ${r.name} on host ${hostId} (${image.mime}): ${(err as Error).message}`);
    }
    return encodeThumbnail(decoded, width);
  }
}
