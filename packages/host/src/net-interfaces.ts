/** The host's network interfaces as sysfs shows them (/sys/class/net), for bridge and macvtap NICs. */
import { readdir, readFile, stat, lstat } from 'node:fs/promises';
import path from 'node:path';

export type NetInterfaceKind = 'bridge' | 'ethernet' | 'bond' | 'vlan' | 'wireless' | 'virtual';

export interface NetInterface {
  name: string;
  kind: NetInterfaceKind;
  /** Administratively up and with a carrier (operstate up), or up where the driver reports no state (tun, dummy). */
  up: boolean;
  /** The MAC address; null for interfaces without one (tun, ip tunnels). */
  mac: string | null;
}

// ARPHRD_LOOPBACK: the loopback device is no place to attach a guest, so it is not listed.
const ARPHRD_LOOPBACK = 772;
const IFF_UP = 0x1;

async function readTrimmed(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function exists(p: string, how: 'stat' | 'lstat' = 'stat'): Promise<boolean> {
  try {
    await (how === 'stat' ? stat(p) : lstat(p));
    return true;
  } catch {
    return false;
  }
}

/**
 * How sysfs tells the kinds apart: a bridge has bridge/, a bond bonding/, a Wi-Fi card wireless/ (or phy80211),
 * a VLAN says DEVTYPE=vlan in uevent; any other interface backed by a device (device/ link) is ethernet, and the
 * rest (veth, tap, dummy, macvtap, ...) are virtual.
 */
export async function classifyInterface(dir: string): Promise<NetInterfaceKind> {
  if (await exists(path.join(dir, 'bridge'))) return 'bridge';
  if (await exists(path.join(dir, 'bonding'))) return 'bond';
  if ((await exists(path.join(dir, 'wireless'))) || (await exists(path.join(dir, 'phy80211')))) return 'wireless';
  const uevent = (await readTrimmed(path.join(dir, 'uevent'))) ?? '';
  if (/^DEVTYPE=vlan$/m.test(uevent)) return 'vlan';
  if (await exists(path.join(dir, 'device'), 'lstat')) return 'ethernet';
  return 'virtual';
}

/** Every interface under `<sysRoot>/class/net` but loopback, sorted by name. `sysRoot` is injectable for tests. */
export async function readNetInterfaces(sysRoot = '/sys'): Promise<NetInterface[]> {
  const base = path.join(sysRoot, 'class', 'net');
  let names: string[];
  try {
    names = await readdir(base);
  } catch (err) {
    throw new Error(`cannot list network interfaces in ${base}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const out: NetInterface[] = [];
  for (const name of names.sort()) {
    const dir = path.join(base, name);
    if (Number(await readTrimmed(path.join(dir, 'type'))) === ARPHRD_LOOPBACK) continue;
    const operstate = (await readTrimmed(path.join(dir, 'operstate'))) ?? 'unknown';
    const flags = Number.parseInt((await readTrimmed(path.join(dir, 'flags'))) ?? '0', 16);
    const address = await readTrimmed(path.join(dir, 'address'));
    out.push({
      name,
      kind: await classifyInterface(dir),
      up: operstate === 'up' || (operstate === 'unknown' && (flags & IFF_UP) !== 0),
      mac: address && address !== '00:00:00:00:00:00' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(address) ? address.toLowerCase() : null,
    });
  }
  return out;
}
