import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { HostAccess } from './host-access.js';

/**
 * The machine the server runs on. /proc is read first because it is what an SSH implementation will read too (the
 * same numbers either way); node:os is the fallback where /proc is not mounted.
 */
export class LocalHostAccess implements HostAccess {
  readonly description = 'local';

  constructor(private readonly procRoot = '/proc') {}

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
}
