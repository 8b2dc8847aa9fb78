import { describe, expect, it } from 'vitest';
import { formatPciAddress, netmaskPrefix, scaledBytes, scaledKiB, unitScale } from '../../src/index.js';
import { parseCInteger, parseHex, parseSigned, parseUnsigned } from '../../src/views/units.js';

describe('unitScale (virScaleInteger)', () => {
  it('reads byte suffixes in any case', () => {
    for (const u of ['b', 'B', 'byte', 'bytes', 'Bytes', 'BYTES']) expect(unitScale(u, 1024), u).toBe(1);
  });

  it('reads a bare letter and <letter>iB as powers of 1024', () => {
    const cases: [string, number][] = [
      ['k', 1024],
      ['K', 1024],
      ['KiB', 1024],
      ['kib', 1024],
      ['M', 1024 ** 2],
      ['MiB', 1024 ** 2],
      ['G', 1024 ** 3],
      ['GiB', 1024 ** 3],
      ['T', 1024 ** 4],
      ['TiB', 1024 ** 4],
      ['P', 1024 ** 5],
      ['PiB', 1024 ** 5],
      ['E', 1024 ** 6],
      ['EiB', 1024 ** 6],
    ];
    for (const [u, scale] of cases) expect(unitScale(u, 1), u).toBe(scale);
  });

  it('reads <letter>B as powers of 1000', () => {
    const cases: [string, number][] = [
      ['KB', 1e3],
      ['kb', 1e3],
      ['MB', 1e6],
      ['GB', 1e9],
      ['TB', 1e12],
      ['PB', 1e15],
      ['EB', 1e18],
    ];
    for (const [u, scale] of cases) expect(unitScale(u, 1), u).toBe(scale);
  });

  it('uses the default for no unit and rejects what libvirt rejects', () => {
    expect(unitScale(undefined, 1024)).toBe(1024);
    expect(unitScale('', 1)).toBe(1);
    for (const u of ['x', 'KiBB', 'Kbytes', 'KiB ', 'iB', 'ZiB', 'kB2']) expect(unitScale(u, 1), u).toBeUndefined();
  });
});

describe('scaledBytes / scaledKiB', () => {
  it('converts storage sizes to bytes, bytes by default', () => {
    expect(scaledBytes('5', 'G')).toBe(5 * 1024 ** 3);
    expect(scaledBytes('1', 'TiB')).toBe(1024 ** 4);
    expect(scaledBytes('3', 'GB')).toBe(3e9);
    expect(scaledBytes('294912')).toBe(294912);
    expect(scaledBytes(7, 'KiB')).toBe(7168);
  });

  it('converts memory to KiB, KiB by default, rounding up like virDomainParseMemory', () => {
    expect(scaledKiB('219136')).toBe(219136);
    expect(scaledKiB('219136', 'KiB')).toBe(219136);
    expect(scaledKiB('4', 'GiB')).toBe(4 * 1024 * 1024);
    expect(scaledKiB('1', 'GB')).toBe(976563); // 1e9 / 1024 = 976562.5
    expect(scaledKiB('1', 'b')).toBe(1);
    expect(scaledKiB('2048', 'bytes')).toBe(2);
  });

  it('gives undefined for values or units libvirt would reject', () => {
    expect(scaledBytes('', 'G')).toBeUndefined();
    expect(scaledBytes('1e3')).toBeUndefined();
    expect(scaledBytes('-1')).toBeUndefined();
    expect(scaledBytes('12', 'furlong')).toBeUndefined();
    expect(scaledKiB(undefined)).toBeUndefined();
  });
});

describe('number parsing', () => {
  it('parses decimal the way virStrToLong does, refusing Number() guesses', () => {
    expect(parseUnsigned(' 42 ')).toBe(42);
    expect(parseUnsigned('')).toBeUndefined();
    expect(parseUnsigned('0x10')).toBeUndefined();
    expect(parseUnsigned('1.5')).toBeUndefined();
    expect(parseSigned('-1')).toBe(-1);
  });

  it('parses C base-0 integers (hex, octal, decimal) for PCI and USB addresses', () => {
    expect(parseCInteger('0x1f')).toBe(31);
    expect(parseCInteger('0X1F')).toBe(31);
    expect(parseCInteger('222')).toBe(222);
    expect(parseCInteger('010')).toBe(8);
    expect(parseCInteger('0')).toBe(0);
    expect(parseCInteger('09')).toBeUndefined();
    expect(parseCInteger('slot')).toBeUndefined();
  });

  it('parses hex ids with or without 0x', () => {
    expect(parseHex('0x8086')).toBe(0x8086);
    expect(parseHex('ffffff')).toBe(0xffffff);
    expect(parseHex('0xzz')).toBeUndefined();
  });
});

describe('formatPciAddress / netmaskPrefix', () => {
  it('formats dddd:bb:ss.f in lowercase hex', () => {
    expect(formatPciAddress({ domain: 0, bus: 0, slot: 0x1f, function: 2 })).toBe('0000:00:1f.2');
    expect(formatPciAddress({ domain: 0x21, bus: 0xde, slot: 0x1f, function: 1 })).toBe('0021:de:1f.1');
  });

  it('derives prefixes from contiguous IPv4 netmasks only', () => {
    expect(netmaskPrefix('255.255.255.0')).toBe(24);
    expect(netmaskPrefix('255.255.0.0')).toBe(16);
    expect(netmaskPrefix('255.255.255.255')).toBe(32);
    expect(netmaskPrefix('0.0.0.0')).toBe(0);
    expect(netmaskPrefix('255.0.255.0')).toBeUndefined();
    expect(netmaskPrefix('255.255.255.256')).toBeUndefined();
    expect(netmaskPrefix(undefined)).toBeUndefined();
  });
});
