import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DomainCreateFlags,
  DomainStatsTypes,
  ErrorCode,
  LibvirtConnection,
  LibvirtError,
  typedParamsToRecord,
  uuidToString,
  type DomainEvent,
} from '../../src/index.js';
import { daemonAvailable, open, removeDomain, tinyDomainXml, uniqueName, virsh, waitFor } from '../support/libvirt.js';

describe.skipIf(!daemonAvailable)('domains against the real libvirtd (virsh as the oracle)', () => {
  let conn: LibvirtConnection;
  const defined: string[] = [];

  beforeAll(async () => {
    conn = await open();
    // Two inactive domains so the list comparison is not trivially empty.
    for (let i = 0; i < 2; i++) {
      const name = uniqueName('list');
      await conn.domainDefineXMLFlags({ xml: tinyDomainXml(name), flags: 0 });
      defined.push(name);
    }
  });

  afterAll(async () => {
    for (const name of defined) await removeDomain(conn, name);
    await conn.close();
  });

  it('lists the same domains as virsh list --all --uuid', async () => {
    const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
    const ours = domains.map((d) => uuidToString(d.uuid)).sort();
    const theirs = (await virsh(['list', '--all', '--uuid'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
    expect(ours).toEqual(theirs);
    expect(ours.length).toBeGreaterThanOrEqual(2);
  });

  it('returns the same XML as virsh dumpxml, including names with XML-special and non-ASCII characters', async () => {
    const name = uniqueName(`x<&'"名前`);
    await conn.domainDefineXMLFlags({ xml: tinyDomainXml(name), flags: 0 });
    defined.push(name);
    const { dom } = await conn.domainLookupByName({ name });
    expect(dom.name).toBe(name);
    const { xml } = await conn.domainGetXMLDesc({ dom, flags: 0 });
    const oracle = await virsh(['dumpxml', uuidToString(dom.uuid)]);
    expect(xml.trimEnd()).toBe(oracle.trimEnd());
    expect(xml).toContain('<name>');
  });

  it("gives libvirt's no-domain error for a missing domain", async () => {
    const err = await conn.domainLookupByName({ name: uniqueName('missing') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    const lverr = err as LibvirtError;
    expect(lverr.code).toBe(ErrorCode.NO_DOMAIN);
    expect(lverr.isNotFound).toBe(true);
    expect(lverr.procedure).toBe('domainLookupByName');
    expect(lverr.message).toMatch(/domainLookupByName.*qemu:\/\/\/system/);
  });

  it('runs define -> start -> suspend -> resume -> destroy -> undefine with lifecycle events in order', async () => {
    const name = uniqueName('life');
    const seen: { event: number; detail: number }[] = [];
    const sub = await conn.subscribeDomainEvents(
      (ev: DomainEvent) => {
        if (ev.name !== 'lifecycle' || ev.body.msg.dom.name !== name) return;
        seen.push({ event: ev.body.msg.event, detail: ev.body.msg.detail });
      },
      { events: ['lifecycle'] },
    );
    try {
      const { dom } = await conn.domainDefineXMLFlags({ xml: tinyDomainXml(name), flags: 0 });
      defined.push(name);
      await conn.domainCreateWithFlags({ dom, flags: 0 });
      const running = (await conn.domainLookupByName({ name })).dom;
      expect(running.id).toBeGreaterThan(0);
      expect((await conn.domainGetState({ dom: running, flags: 0 })).state).toBe(1);
      await conn.domainSuspend({ dom: running });
      expect((await conn.domainGetState({ dom: running, flags: 0 })).state).toBe(3);
      await conn.domainResume({ dom: running });
      await conn.domainDestroy({ dom: running });
      await conn.domainUndefine({ dom });
      // VIR_DOMAIN_EVENT_*: DEFINED 0, UNDEFINED 1, STARTED 2, SUSPENDED 3, RESUMED 4, STOPPED 5, SHUTDOWN 6.
      await waitFor(() => (seen.some((e) => e.event === 1) ? true : undefined), 10000, 'the undefined event');
      const types = seen.map((e) => e.event);
      // QEMU adds events of its own (a RESUMED as the CPUs first run, SHUTDOWN/FINISHED as it exits), so the
      // transitions we caused must appear in this order, first to last, with nothing unknown between them.
      let at = -1;
      for (const milestone of [0, 2, 3, 4, 5, 1]) {
        at = types.indexOf(milestone, at + 1);
        expect(at, `event ${milestone} in ${JSON.stringify(types)}`).toBeGreaterThanOrEqual(0);
      }
      expect(types[0]).toBe(0);
      expect(types.at(-1)).toBe(1);
      expect(types.every((t) => t >= 0 && t <= 6)).toBe(true);
      // STARTED's detail is BOOTED (0); STOPPED's is DESTROYED (1).
      expect(seen.find((e) => e.event === 2)?.detail).toBe(0);
      expect(seen.find((e) => e.event === 5)?.detail).toBe(1);
      const { domains } = await conn.connectListAllDomains({ need_results: 1, flags: 0 });
      expect(domains.some((d) => d.name === name)).toBe(false);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('starts paused and reports it through the state call and the stats call', async () => {
    const name = uniqueName('paused');
    const { dom } = await conn.domainDefineXMLFlags({ xml: tinyDomainXml(name), flags: 0 });
    defined.push(name);
    await conn.domainCreateWithFlags({ dom, flags: DomainCreateFlags.PAUSED });
    const { state } = await conn.domainGetState({ dom, flags: 0 });
    expect(state).toBe(3);
    const { retStats } = await conn.connectGetAllDomainStats({ doms: [dom], stats: DomainStatsTypes.STATE, flags: 0 });
    expect(retStats).toHaveLength(1);
    expect(uuidToString(retStats[0]!.dom.uuid)).toBe(uuidToString(dom.uuid));
    expect(typedParamsToRecord(retStats[0]!.params)['state.state']).toBe(3);
    await conn.domainDestroy({ dom });
  });
});
