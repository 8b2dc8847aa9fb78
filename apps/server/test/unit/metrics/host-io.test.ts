import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalHostAccess } from '../../../src/host-access/local-host-access.js';
import { hostIoCounters, parseDiskStats, parseNetDev } from '../../../src/metrics/host-io.js';
import { hostIoRates } from '../../../src/metrics/rates.js';
import { tmpDir } from '../../helpers/harness.js';

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 1479679808  142349    0    0    0     0          0         0 1479679808  142349    0    0    0     0       0          0
  eth0: 1000   20571    0    0    0     0          0         0  2000   16977    0    0    0     0       0          0
  eth1:  300   20571    0    0    0     0          0         0   400   16977    0    0    0     0       0          0
 virbr0: 50000   20    0    0    0     0          0         0  60000   10    0    0    0     0       0          0
 vnet0: 70000   20    0    0    0     0          0         0  80000   10    0    0    0     0       0          0
`;

const DISKSTATS = `   7       0 loop0 10 0 100 0 0 0 0 0 0 0 0 0 0 0 0 0 0
   8       0 sda 392550 97361 1000 258304 279347 161956 2000 77107 0 58364 350340 101914 67 7472512 10666 53608 4261
   8       1 sda1 392550 97361 900 258304 279347 161956 1900 77107 0 58364 350340 101914 67 7472512 10666 53608 4261
 259       0 nvme0n1 1 0 10 0 1 0 20 0 0 0 0
 259       1 nvme0n1p1 1 0 9 0 1 0 19 0 0 0 0
 253       0 dm-0 1 0 900 0 1 0 1900 0 0 0 0
 252       0 zram0 1 0 5000 0 1 0 5000 0 0 0 0
`;

describe('host I/O counters', () => {
  it('sums physical interfaces only: loopback, bridges and taps are virtual', () => {
    expect(parseNetDev(NET_DEV, ['lo', 'virbr0', 'vnet0'])).toEqual({ rx: 1300n, tx: 2400n });
  });

  it('leaves out only lo when sysfs could not say which interfaces are virtual', () => {
    expect(parseNetDev(NET_DEV, null)).toEqual({ rx: 1300n + 50000n + 70000n, tx: 2400n + 60000n + 80000n });
  });

  it('falls back to every interface but lo when all are virtual (a container)', () => {
    expect(parseNetDev(NET_DEV, ['lo', 'eth0', 'eth1', 'virbr0', 'vnet0'])).toEqual({ rx: 1300n + 120000n, tx: 2400n + 140000n });
    expect(parseNetDev('garbage\n', [])).toBeNull();
  });

  it('sums whole physical disks in bytes (512-byte sectors), not partitions nor virtual devices', () => {
    const whole = ['loop0', 'sda', 'nvme0n1', 'dm-0', 'zram0'];
    const virtual = ['loop0', 'dm-0', 'zram0'];
    expect(parseDiskStats(DISKSTATS, whole, virtual)).toEqual({ read: (1000n + 10n) * 512n, written: (2000n + 20n) * 512n });
  });

  it('tells partitions and virtual devices by name when sysfs is unreadable', () => {
    expect(parseDiskStats(DISKSTATS, null, null)).toEqual({ read: (1000n + 10n) * 512n, written: (2000n + 20n) * 512n });
    expect(parseDiskStats('', null, null)).toBeNull();
  });

  it('reports null for what it could not read', () => {
    expect(hostIoCounters({ netDev: null, diskStats: DISKSTATS, virtualNet: null, blockDevices: ['sda'], virtualBlock: [] })).toEqual({
      netRxBytes: null,
      netTxBytes: null,
      diskReadBytes: 1000n * 512n,
      diskWriteBytes: 2000n * 512n,
    });
  });

  it('turns two samples into per-second rates, null without a previous sample or across a reset', () => {
    const a = { netRxBytes: 1000n, netTxBytes: 0n, diskReadBytes: 512n, diskWriteBytes: null };
    const b = { netRxBytes: 3000n, netTxBytes: 0n, diskReadBytes: 0n, diskWriteBytes: 1024n };
    expect(hostIoRates(a, b, 2000)).toEqual({ netRxBytesPerSec: 1000, netTxBytesPerSec: 0, diskReadBytesPerSec: null, diskWriteBytesPerSec: null });
    expect(hostIoRates(undefined, b, 0).netRxBytesPerSec).toBeNull();
  });

  it('is read by local host access from /proc and /sys', async () => {
    const root = tmpDir('vireo-io-');
    const proc = path.join(root, 'proc');
    const sys = path.join(root, 'sys');
    mkdirSync(path.join(proc, 'net'), { recursive: true });
    for (const dir of ['devices/virtual/net/lo', 'devices/virtual/net/virbr0', 'devices/virtual/block/loop0', 'block/sda', 'block/loop0']) {
      mkdirSync(path.join(sys, dir), { recursive: true });
    }
    writeFileSync(path.join(proc, 'net', 'dev'), NET_DEV);
    writeFileSync(path.join(proc, 'diskstats'), DISKSTATS);
    const io = await new LocalHostAccess(proc, sys).ioCounters();
    expect(io).toEqual({ netRxBytes: 1300n + 70000n, netTxBytes: 2400n + 80000n, diskReadBytes: 1000n * 512n, diskWriteBytes: 2000n * 512n });
  });

  it('reads this machine\'s counters', async () => {
    const io = await new LocalHostAccess().ioCounters();
    // Every Linux host has /proc/net/dev (lo at least): a sum, never negative; disks may be absent (null).
    expect(typeof io.netRxBytes).toBe('bigint');
    for (const v of Object.values(io)) if (v !== null) expect(v >= 0n).toBe(true);
  });
});
