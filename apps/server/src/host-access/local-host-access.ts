import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { buildSeedIso, listFiles, readNetInterfaces } from '@vireo/host';
import { hostIoCounters, type HostIoCounters } from '../metrics/host-io.js';
import type { HostAccess, HostEndpoint, ListedFile, NetInterface, SeedFile } from './host-access.js';

/**
 * The read buffer of a connect() stream: 64 KiB less the 4-byte header of a WebSocket frame of that size, so a read
 * forwarded whole makes a frame of exactly 64 KiB, which a receiver reading 64 KiB at a time (anything on libuv)
 * takes from one read instead of copying it out of two.
 */
const CONNECT_READ_BYTES = 64 * 1024 - 4;

/**
 * The machine the server runs on. /proc is read first because it is what an SSH implementation will read too (the
 * same numbers either way); node:os is the fallback where /proc is not mounted.
 */
export class LocalHostAccess implements HostAccess {
  readonly description = 'local';

  constructor(
    private readonly procRoot = '/proc',
    private readonly sysRoot = '/sys',
  ) {}

  hostname(): Promise<string> {
    return Promise.resolve(os.hostname());
  }

  async uptimeSeconds(): Promise<number> {
    try {
      // "/proc/uptime": seconds up, seconds idle (summed over CPUs).
      const first = (await readFile(`${this.procRoot}/uptime`, 'utf8')).split(/\s+/, 1)[0];
      const value = Number(first);
      if (Number.isFinite(value)) return value;
    } catch {
      // fall through to node:os
    }
    return os.uptime();
  }

  async loadAverage(): Promise<[number, number, number]> {
    try {
      const [a, b, c] = (await readFile(`${this.procRoot}/loadavg`, 'utf8')).split(/\s+/, 3).map(Number);
      if ([a, b, c].every((v) => v !== undefined && Number.isFinite(v))) return [a!, b!, c!];
    } catch {
      // fall through to node:os
    }
    const [a = 0, b = 0, c = 0] = os.loadavg();
    return [a, b, c];
  }

  netInterfaces(): Promise<NetInterface[]> {
    return readNetInterfaces(this.sysRoot);
  }

  listFiles(dir: string, extensions: readonly string[]): Promise<ListedFile[]> {
    return listFiles(dir, extensions);
  }

  buildSeedIso(files: readonly SeedFile[]): Promise<Buffer> {
    return buildSeedIso(files);
  }

  async ioCounters(): Promise<HostIoCounters> {
    const text = (file: string) => readFile(file, 'utf8').catch(() => null);
    const names = (dir: string) => readdir(dir).catch(() => null);
    const [netDev, diskStats, virtualNet, blockDevices, virtualBlock] = await Promise.all([
      text(`${this.procRoot}/net/dev`),
      text(`${this.procRoot}/diskstats`),
      names(`${this.sysRoot}/devices/virtual/net`),
      names(`${this.sysRoot}/block`),
      names(`${this.sysRoot}/devices/virtual/block`),
    ]);
    return hostIoCounters({ netDev, diskStats, virtualNet, blockDevices, virtualBlock });
  }

  /** Resolves once connected, so a refused or missing endpoint is an error here rather than a closed stream later. */
  connect(endpoint: HostEndpoint): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      // Every read lands in the same buffer, handed to flowing 'data' listeners as a view (see HostAccess.connect).
      // Bytes nobody listens to yet (a display greets before the proxy attaches) are kept, as a copy, by the
      // stream's own buffer, which a listener receives first.
      const onread: net.OnReadOpts = {
        buffer: Buffer.allocUnsafe(CONNECT_READ_BYTES),
        callback: (bytes, buffer) => {
          const view = Buffer.from(buffer.buffer, buffer.byteOffset, bytes);
          if (socket.readableFlowing === true && socket.readableLength === 0 && socket.listenerCount('data') > 0) socket.emit('data', view);
          else socket.push(Buffer.from(view));
          return true;
        },
      };
      const socket = endpoint.kind === 'tcp' ? net.connect({ host: endpoint.host, port: endpoint.port, onread }) : net.connect({ path: endpoint.path, onread });
      socket.setNoDelay(true);
      const fail = (err: Error) => reject(err);
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        resolve(socket);
      });
    });
  }
}
