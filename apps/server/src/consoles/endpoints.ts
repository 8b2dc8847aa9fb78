import type { ConsoleInfo } from '@vireo/api';
import { graphicsPasswords, readDomain, type GraphicsView } from '@vireo/libvirt-xml';
import type { HostEndpoint } from '../host-access/host-access.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const ANY = new Set(['0.0.0.0', '::', '']);

export interface Display {
  view: GraphicsView;
  password: string | undefined;
}

/** The VNC or SPICE displays of a live definition read with the SECURE flag, with their passwords. */
export function displaysOf(xml: string): { displays: Display[]; serial: boolean } {
  const view = readDomain(xml);
  const passwords = graphicsPasswords(xml);
  const displays = view.devices.graphics.map((g, i) => ({ view: g, password: passwords[i] }));
  return { displays, serial: view.devices.serials.length + view.devices.consoles.length > 0 };
}

export function isLocalOnly(g: GraphicsView): boolean {
  if (g.listenType === 'socket' || g.socket !== undefined) return true;
  return g.listenAddress !== undefined && LOOPBACK.has(g.listenAddress);
}

/**
 * Where the host itself reaches a display: its UNIX socket, or its port on the listen address (a wildcard listen is
 * reached on loopback). Null when it has neither (shut off, or `listen type='none'`).
 */
export function hostEndpoint(g: GraphicsView): HostEndpoint | null {
  if (g.socket !== undefined) return { kind: 'unix', path: g.socket };
  if (g.listenType === 'none' || g.port === undefined) return null;
  const address = g.listenAddress ?? '127.0.0.1';
  const host = ANY.has(address) ? (address === '::' ? '::1' : '127.0.0.1') : address;
  return { kind: 'tcp', host, port: g.port };
}

export function consoleInfo(state: string, xml: string): ConsoleInfo {
  const { displays, serial } = displaysOf(xml);
  return {
    state,
    graphics: displays.map(({ view: g }) => ({
      type: g.type ?? 'unknown',
      listen: g.socket !== undefined ? null : (g.listenAddress ?? null),
      socket: g.socket ?? null,
      port: g.socket !== undefined ? null : (g.port ?? null),
      tlsPort: g.tlsPort ?? null,
      passwordSet: g.hasPassword,
      localOnly: isLocalOnly(g),
    })),
    serial,
  };
}

/**
 * A virt-viewer connection file for remote-viewer. `host` is the address the user's machine reaches the display on;
 * values are written raw, so anything with a line break is refused by the caller's checks before this.
 */
export function virtViewerFile(options: { type: 'spice' | 'vnc'; host: string; port: number; tlsPort?: number; password?: string; title: string }): string {
  const lines = ['[virt-viewer]', `type=${options.type}`, `host=${options.host}`, `port=${options.port}`];
  if (options.tlsPort !== undefined) lines.push(`tls-port=${options.tlsPort}`);
  if (options.password !== undefined) lines.push(`password=${options.password}`);
  lines.push(`title=${options.title}`, 'delete-this-file=1', 'toggle-fullscreen=shift+f11', 'release-cursor=shift+f12', 'secure-attention=ctrl+alt+end', '');
  return lines.join('\n');
}
