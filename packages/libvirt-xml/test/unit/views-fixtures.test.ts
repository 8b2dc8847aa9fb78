/**
 * Every libvirt test document of each kind reads without throwing into plain JSON, and each reader refuses the
 * other kinds' documents.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Element } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dom,
  parseXml,
  readCapabilities,
  readDomain,
  readDomainCapabilities,
  readNetwork,
  readNodeDevice,
  readStoragePool,
  readStorageVolume,
  XmlParseError,
} from '../../src/index.js';
import { fixtureText, SHARED_FIXTURES } from '../support/fixtures.js';


type Input = Parameters<typeof readDomain>[0];

const READERS: Record<string, (input: Input) => unknown> = {
  domain: readDomain,
  network: readNetwork,
  storagepool: readStoragePool,
  storagevol: readStorageVolume,
  nodedev: readNodeDevice,
  capabilities: readCapabilities,
  domaincaps: readDomainCapabilities,
};

function files(category: string): string[] {
  return readdirSync(join(SHARED_FIXTURES, category))
    .filter((f) => f.endsWith('.xml'))
    .sort();
}

function load(category: string, name: string): string {
  return fixtureText(category, name);
}

function descendants(el: Element): Element[] {
  return dom.children(el).flatMap((c) => [c, ...descendants(c)]);
}

/** True when the value holds nothing JSON would drop or change: no functions, NaN, Infinity or class instances. */
function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || value === undefined) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    return proto === Object.prototype && Object.values(value).every(isPlainJson);
  }
  return false;
}

describe('fixture set', () => {
  it('is present', () => {
    expect(existsSync(SHARED_FIXTURES), `libvirt XML fixtures at ${SHARED_FIXTURES}`).toBe(true);
    for (const category of Object.keys(READERS)) expect(files(category).length, category).toBeGreaterThan(0);
  });
});

for (const [category, read] of Object.entries(READERS)) {
  describe(`${category} fixtures`, () => {
    for (const name of files(category)) {
      it(`${name} reads into plain JSON`, () => {
        const text = load(category, name);
        const view = read(text);
        expect(isPlainJson(view)).toBe(true);
        expect(JSON.parse(JSON.stringify(view))).toEqual(view);
        // A parsed Document gives the same view as the text.
        expect(read(parseXml(text))).toEqual(view);
      });
    }

    it('refuses every other kind of document with XmlParseError', () => {
      for (const other of Object.keys(READERS)) {
        if (other === category) continue;
        const sample = files(other)[0]!;
        expect(() => read(load(other, sample)), `${category} reader on ${other}/${sample}`).toThrow(XmlParseError);
      }
    });
  });
}

describe('damaged fixtures', () => {
  // Documents with parts missing, attributes gone or nonsense values still read: views never throw on content.
  it('read without throwing after random removals and garbage values', () => {
    const docs = Object.keys(READERS).flatMap((category) => files(category).map((name) => ({ category, name })));
    fc.assert(
      fc.property(
        fc.nat(docs.length - 1),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('', '-1', 'x', '0x', '1e9', '99999999999999999999', 'NaN')), {
          maxLength: 12,
        }),
        (which, removals, stripped, garbage) => {
          const { category, name } = docs[which]!;
          const doc = parseXml(load(category, name));
          const root = doc.documentElement!;
          const all = (): Element[] => descendants(root);
          for (const i of removals) {
            const els = all();
            if (els.length > 0) dom.removeElement(els[i % els.length]!);
          }
          for (const i of stripped) {
            const els = all();
            const el = els.length > 0 ? els[i % els.length]! : root;
            while (el.attributes.length > 0) el.removeAttribute(el.attributes.item(0)!.name);
          }
          for (const [i, value] of garbage) {
            const els = all();
            const el = els.length > 0 ? els[i % els.length]! : root;
            const first = el.attributes.item(0);
            if (first) el.setAttribute(first.name, value);
            else if (dom.children(el).length === 0) dom.setText(el, value);
          }
          const view = READERS[category]!(doc);
          expect(isPlainJson(view)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keep names such as __proto__ and constructor as plain data', () => {
    const d = readDomain(
      "<domain><devices><disk><address type='drive' __proto__='x' constructor='y'/></disk></devices></domain>",
    );
    expect(d.devices.disks[0]?.address?.attributes).toEqual(
      Object.fromEntries([
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ]),
    );
    expect(isPlainJson(d)).toBe(true);
    const caps = readDomainCapabilities(
      "<domainCapabilities><devices><__proto__ supported='yes'><enum name='__proto__'><value>a</value></enum></__proto__></devices></domainCapabilities>",
    );
    expect(Object.keys(caps.devices)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(caps.devices)).toBe(Object.prototype);
    expect(Object.keys(caps.devices.__proto__!.enums)).toEqual(['__proto__']);
    const net = readNetwork(
      "<network><ip address='10.0.0.1'><dhcp><range start='a' end='b'><lease expiry='5' unit='constructor'/></range></dhcp></ip></network>",
    );
    expect(net.ips[0]?.dhcp?.ranges[0]?.leaseSeconds).toBeUndefined();
  });
});

describe('snapshot fixtures', () => {
  it('are not domains', () => {
    for (const name of files('snapshot')) expect(() => readDomain(load('snapshot', name))).toThrow(XmlParseError);
  });
});

describe('malformed input', () => {
  it('throws XmlParseError for text that is not XML', () => {
    for (const read of Object.values(READERS)) expect(() => read('<domain><name>x</domain>')).toThrow(XmlParseError);
  });
});

describe('domain fixtures, across the set', () => {
  const domains = files('domain').map((name) => ({ name, text: load('domain', name), view: readDomain(load('domain', name)) }));

  it('account for every device element: modelled or listed as unknown', () => {
    for (const { name, text, view } of domains) {
      const devices = dom.child(parseXml(text).documentElement!, 'devices');
      const count = devices ? dom.children(devices).filter((e) => e.tagName !== 'emulator').length : 0;
      const d = view.devices;
      const modelled =
        d.disks.length +
        d.controllers.length +
        d.interfaces.length +
        d.hostdevs.length +
        d.graphics.length +
        d.videos.length +
        d.serials.length +
        d.consoles.length +
        d.channels.length +
        d.parallels.length +
        d.tpms.length +
        d.watchdogs.length +
        d.rngs.length +
        (d.memballoon ? 1 : 0) +
        d.filesystems.length +
        d.inputs.length +
        d.sounds.length;
      expect(modelled + d.unknownDevices.length, name).toBe(count);
    }
  });

  it('give every document a name, uuid and memory in KiB', () => {
    for (const { name, view } of domains) {
      expect(view.name, name).toMatch(/\S/);
      expect(view.uuid, name).toMatch(/^[0-9a-f-]{36}$/);
      expect(view.memoryKiB, name).toBeGreaterThan(0);
    }
  });

  it('give every PCI hostdev and network disk its source', () => {
    for (const { name, view } of domains) {
      for (const h of view.devices.hostdevs.filter((x) => x.type === 'pci')) expect(h.pci, name).toBeDefined();
      for (const disk of view.devices.disks.filter((x) => x.type === 'network')) {
        expect(disk.source?.protocol, name).toMatch(/\S/);
      }
    }
  });

  it('never carry launch-security secrets or passwords', () => {
    const sev = readDomain(load('domain', 'launch-security-sev.xml'));
    expect(sev.launchSecurity).toBe('sev');
    const json = JSON.stringify(sev);
    expect(json).not.toContain('IHAVENOIDEA');
    expect(json).not.toContain('AQAAAAAOAAAA');
  });
});
