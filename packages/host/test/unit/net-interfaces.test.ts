// Interface classification on a fake sysfs tree made in a temporary directory.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNetInterfaces } from '../../src/index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'vireo-host-sysfs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function iface(name: string, files: Record<string, string>, dirs: string[] = [], links: string[] = []): void {
  const dir = path.join(root, 'class', 'net', name);
  mkdirSync(dir, { recursive: true });
  const defaults = { type: '1', operstate: 'up', flags: '0x1003', address: '52:54:00:aa:bb:cc', uevent: `INTERFACE=${name}\nIFINDEX=2\n` };
  for (const [file, content] of Object.entries({ ...defaults, ...files })) writeFileSync(path.join(dir, file), `${content}\n`);
  for (const d of dirs) mkdirSync(path.join(dir, d));
  // sysfs's device/ is a symlink to the device's directory.
  for (const l of links) symlinkSync(root, path.join(dir, l));
}

describe('readNetInterfaces', () => {
  iface('lo', { type: '772', operstate: 'unknown', flags: '0x9', address: '00:00:00:00:00:00' });
  iface('br0', { address: '52:54:00:00:00:01' }, ['bridge']);
  iface('bond0', { operstate: 'down', flags: '0x1402' }, ['bonding']);
  iface('wlan0', {}, ['wireless'], ['device']);
  iface('eth0.10', { uevent: 'DEVTYPE=vlan\nINTERFACE=eth0.10\n' });
  iface('enp1s0', { address: '52:54:00:AB:CD:EF' }, [], ['device']);
  iface('tap0', { operstate: 'unknown', flags: '0x1003' });
  iface('tun0', { operstate: 'unknown', flags: '0x1002', address: '' });

  it('classifies by what sysfs shows, leaves loopback out, and reads state and MAC', async () => {
    const list = await readNetInterfaces(root);
    expect(list).toEqual([
      { name: 'bond0', kind: 'bond', up: false, mac: '52:54:00:aa:bb:cc' },
      { name: 'br0', kind: 'bridge', up: true, mac: '52:54:00:00:00:01' },
      { name: 'enp1s0', kind: 'ethernet', up: true, mac: '52:54:00:ab:cd:ef' },
      { name: 'eth0.10', kind: 'vlan', up: true, mac: '52:54:00:aa:bb:cc' },
      { name: 'tap0', kind: 'virtual', up: true, mac: '52:54:00:aa:bb:cc' },
      { name: 'tun0', kind: 'virtual', up: false, mac: null },
      { name: 'wlan0', kind: 'wireless', up: true, mac: '52:54:00:aa:bb:cc' },
    ]);
  });

  it('says where it looked when there is no sysfs', async () => {
    await expect(readNetInterfaces(path.join(root, 'nowhere'))).rejects.toThrow(/nowhere\/class\/net: ENOENT/);
  });
});
