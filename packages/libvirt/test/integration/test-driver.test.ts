import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidToString, type DomainEvent } from '../../src/index.js';
import { daemonAvailable, open, virsh, waitFor } from '../support/libvirt.js';

describe.skipIf(!daemonAvailable)("libvirt's test driver through the daemon", () => {
  const dir = mkdtempSync(join(tmpdir(), 'vireo-testdrv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('test+unix:///default lists what virsh lists and drives a lifecycle with events', async () => {
    const uri = 'test+unix:///default';
    const conn = await open(uri);
    try {
      const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
      const theirs = (await virsh(['list', '--all', '--uuid'], uri)).split('\n').map((l) => l.trim()).filter(Boolean).sort();
      expect(domains.map((d) => uuidToString(d.uuid)).sort()).toEqual(theirs);
      const { type } = await conn.connectGetType(undefined);
      expect(type).toBe('TEST');

      const events: number[] = [];
      const sub = await conn.subscribeDomainEvents((ev: DomainEvent) => {
        if (ev.name === 'lifecycle' && ev.body.msg.dom.name === 'test') events.push(ev.body.msg.event);
      });
      const { dom } = await conn.domainLookupByName({ name: 'test' });
      const before = (await conn.domainGetState({ dom, flags: 0 })).state;
      if (before === 1) {
        await conn.domainSuspend({ dom });
        await conn.domainResume({ dom });
        await waitFor(() => (events.length >= 2 ? true : undefined), 5000, 'suspend and resume events');
        expect(events.slice(0, 2)).toEqual([3, 4]);
      } else {
        await conn.domainCreate({ dom });
        await waitFor(() => (events.length >= 1 ? true : undefined), 5000, 'the started event');
        expect(events[0]).toBe(2);
      }
      await sub.unsubscribe();
    } finally {
      await conn.close();
    }
  });

  it('loads a custom XML file of domains and networks', async () => {
    const file = join(dir, 'node.xml');
    writeFileSync(
      file,
      `<node>
  <domain type='test'>
    <name>fixture-vm</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
    <memory>65536</memory>
    <os><type>hvm</type></os>
  </domain>
  <network>
    <name>fixture-net</name>
    <bridge name='virbr-fixture'/>
  </network>
</node>`,
    );
    const uri = `test+unix://${file}`;
    const conn = await open(uri);
    try {
      const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
      expect(domains.map((d) => d.name)).toEqual(['fixture-vm']);
      expect(uuidToString(domains[0]!.uuid)).toBe('6695eb01-f6a4-8304-79aa-97f2502e193f');
      const { nets } = await conn.connectListAllNetworks({ need_results: 1, flags: 0 });
      expect(nets.map((n) => n.name)).toContain('fixture-net');
      const { xml } = await conn.domainGetXMLDesc({ dom: domains[0]!, flags: 0 });
      expect(xml.trimEnd()).toBe((await virsh(['dumpxml', 'fixture-vm'], uri)).trimEnd());
    } finally {
      await conn.close();
    }
  });
});
