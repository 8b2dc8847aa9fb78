// Guest addresses in the domain rows: kept across re-reads while active, cleared when stopped, compared by value;
// polled by the tracker off the request path for running domains with NICs only, two reads at a time.
import type { DeltaBody, DomainSummary } from '@vireo/api';
import { uuidFromString, uuidToString, type LibvirtConnection } from '@vireo/libvirt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DomainStore } from '../../../src/domains/domain-store.js';
import { DomainTracker } from '../../../src/domains/domain-tracker.js';
import { domainRow } from '../../helpers/domain-row.js';
import { waitFor } from '../../../../../packages/libvirt/test/support/libvirt.js';

const row = (uuid: string, extra: Partial<DomainSummary> = {}): DomainSummary =>
  domainRow(uuid, { id: 1, state: 'running', stateReason: 'booted', ...extra });

describe('DomainStore addresses', () => {
  it('keeps found addresses across re-reads of an active domain, compares them by value, clears them on stop', () => {
    const s = new DomainStore();
    s.put(row('1'));
    expect(s.setAddresses('1', ['192.0.2.10'])).toMatchObject({ addresses: ['192.0.2.10'] });
    expect(s.setAddresses('1', ['192.0.2.10'])).toBeNull();
    // A re-read never knows addresses: the known ones stay, and nothing changed.
    expect(s.put(row('1'))).toBeNull();
    expect(s.get('1')!.addresses).toEqual(['192.0.2.10']);
    expect(s.patch('1', { state: 'shutoff', id: null })).toMatchObject({ addresses: [] });
    expect(s.setAddresses('1', ['192.0.2.11'])).toBeNull();
  });
});

const uuidOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Just enough of a connection for the tracker: N running domains, some with a NIC, answers from ARP only. */
function fakeConnection(count: number, withNic: (i: number) => boolean, arp: (i: number) => string[]) {
  const domains = Array.from({ length: count }, (_, i) => ({ name: `vm${i}`, uuid: uuidFromString(uuidOf(i)), id: i + 1 }));
  const index = (dom: { uuid: Buffer }) => domains.findIndex((d) => d.uuid.equals(dom.uuid));
  let inFlight = 0;
  let maxInFlight = 0;
  const asked: number[] = [];
  const conn = {
    subscribeDomainEvents: () => Promise.resolve({ unsubscribe: () => Promise.resolve() }),
    connectListAllDomains: () => Promise.resolve({ domains, ret: domains.length }),
    domainLookupByUUID: ({ uuid }: { uuid: Buffer }) => Promise.resolve({ dom: domains[index({ uuid })]! }),
    domainGetState: () => Promise.resolve({ state: 1, reason: 1 }),
    domainGetInfo: () => Promise.resolve({ state: 1, maxMem: 1024n, memory: 1024n, nrVirtCpu: 1, cpuTime: 0n }),
    domainGetAutostart: () => Promise.resolve({ autostart: 0 }),
    domainIsPersistent: () => Promise.resolve({ persistent: 1 }),
    domainGetXMLDesc: ({ dom }: { dom: { name: string; uuid: Buffer } }) =>
      Promise.resolve({
        xml: `<domain type="kvm"><name>${dom.name}</name><uuid>${uuidToString(dom.uuid)}</uuid><memory>1024</memory><vcpu>1</vcpu><devices>${
          withNic(index(dom)) ? '<interface type="network"><source network="n"/></interface>' : ''
        }</devices></domain>`,
      }),
    domainInterfaceAddresses: async ({ dom, source }: { dom: { uuid: Buffer }; source: number }) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      const i = index(dom);
      if (source === 0) return { ifaces: [] };
      asked.push(i);
      return { ifaces: [{ name: 'vnet0', hwaddr: null, addrs: arp(i).map((addr) => ({ type: 0, addr, prefix: 24 })) }] };
    },
  };
  return { conn: conn as unknown as LibvirtConnection, asked, maxInFlight: () => maxInFlight };
}

describe('DomainTracker guest addresses', () => {
  it('asks only running domains with NICs, two at a time, and publishes a change as a domain update', async () => {
    const published: DeltaBody[] = [];
    const tracker = new DomainTracker({ hostId: 'local', publish: (d) => published.push(d), log: pino({ level: 'silent' }), addressIntervalMs: 60_000 });
    const fake = fakeConnection(40, (i) => i % 2 === 0, (i) => (i === 4 ? ['192.0.2.4', 'fe80::1'] : []));
    try {
      await tracker.attach(fake.conn);
      await waitFor(() => (fake.asked.length === 20 ? true : undefined), 5000, 'every domain with a NIC to be asked');
      expect(fake.asked.every((i) => i % 2 === 0)).toBe(true);
      expect(fake.maxInFlight()).toBeLessThanOrEqual(2);
      expect(tracker.store.get(uuidOf(4))!.addresses).toEqual(['192.0.2.4']);
      expect(tracker.store.get(uuidOf(6))!.addresses).toEqual([]);
      const updates = published.filter((d) => d.type === 'domain.updated');
      expect(updates).toHaveLength(1);
      expect(updates[0]).toMatchObject({ cause: 'addresses', domain: { uuid: uuidOf(4), addresses: ['192.0.2.4'] } });
    } finally {
      await tracker.close();
    }
  });
});
