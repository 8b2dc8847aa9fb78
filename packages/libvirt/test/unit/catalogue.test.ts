import { describe, it, expect } from 'vitest';
import { decode, encode, type Codec } from '../../src/xdr/index.js';
import { remoteProcedures, remoteProcedureNames } from '../../src/procedures/remote.js';
import {
  DOMAIN_EVENT_IDS,
  NETWORK_EVENT_IDS,
  NODE_DEVICE_EVENT_IDS,
  SECRET_EVENT_IDS,
  STORAGE_POOL_EVENT_IDS,
  domainEventDetailName,
  domainEventTypeName,
  remoteMessages,
} from '../../src/procedures/events.js';
import type { ArgsOf, RetOf, BodyOf } from '../../src/procedures/types.js';

type Procs = typeof remoteProcedures;

const uuid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const dom = { name: 'vm1', uuid, id: 7 };

function roundTrip<T>(codec: Codec<T>, value: T): T {
  return decode(codec, encode(codec, value));
}

describe('procedure catalogue', () => {
  it('has unique procedure numbers', () => {
    const numbers = Object.values(remoteProcedures).map((p) => p.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(remoteProcedureNames.size).toBe(numbers.length);
    for (const n of numbers) expect(Number.isInteger(n) && n > 0).toBe(true);
  });

  it('has unique message numbers, none shared with a procedure', () => {
    const numbers = Object.values(remoteMessages).map((m) => m.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    const procNumbers = new Set(Object.values(remoteProcedures).map((p) => p.number));
    for (const n of numbers) expect(procNumbers.has(n)).toBe(false);
  });

  it('matches the protocol numbers of the project notes', () => {
    const expected: Partial<Record<keyof Procs, number>> = {
      connectOpen: 1,
      connectClose: 2,
      connectGetType: 3,
      nodeGetInfo: 6,
      domainGetXMLDesc: 14,
      domainLookupByName: 23,
      connectGetHostname: 59,
      connectSupportsFeature: 60,
      authList: 66,
      authPolkit: 70,
      storagePoolDefineXML: 77,
      storageVolGetInfo: 98,
      connectGetURI: 110,
      nodeDeviceLookupByName: 113,
      interfaceLookupByName: 128,
      secretLookupByUUID: 141,
      connectIsSecure: 149,
      connectGetLibVersion: 157,
      domainSnapshotCreateXML: 185,
      domainOpenConsole: 201,
      connectGetSysinfo: 203,
      storageVolUpload: 208,
      storageVolDownload: 209,
      domainScreenshot: 211,
      domainGetState: 212,
      nodeGetCPUStats: 227,
      nodeGetMemoryStats: 228,
      connectListAllDomains: 273,
      connectListAllStoragePools: 281,
      connectListAllNetworks: 283,
      connectListAllInterfaces: 284,
      connectListAllNodeDevices: 285,
      connectListAllSecrets: 287,
      networkUpdate: 291,
      domainFSTrim: 294,
      domainOpenChannel: 296,
      domainGetJobStats: 298,
      nodeDeviceDetachFlags: 301,
      domainMigratePerform3Params: 305,
      connectNetworkEventRegisterAny: 313,
      connectDomainEventCallbackRegisterAny: 316,
      connectDomainEventCallbackDeregisterAny: 317,
      networkGetDHCPLeases: 341,
      connectGetDomainCapabilities: 342,
      connectGetAllDomainStats: 344,
      domainGetFSInfo: 349,
      domainDefineXMLFlags: 350,
      domainInterfaceAddresses: 353,
      domainRename: 358,
      connectRegisterCloseCallback: 360,
      connectUnregisterCloseCallback: 361,
      connectStoragePoolEventRegisterAny: 368,
      connectNodeDeviceEventRegisterAny: 374,
      storageVolGetInfoFlags: 378,
      connectSecretEventRegisterAny: 380,
      domainDetachDeviceAlias: 392,
      domainGetGuestInfo: 418,
      nodeDeviceDefineXML: 428,
      nodeDeviceUndefine: 429,
      nodeDeviceCreate: 430,
      networkDefineXMLFlags: 432,
    };
    for (const [name, n] of Object.entries(expected)) {
      expect({ name, number: remoteProcedures[name as keyof Procs].number }).toEqual({ name, number: n });
    }
  });

  it('marks exactly the stream procedures with their direction', () => {
    const streams = Object.fromEntries(
      Object.entries(remoteProcedures)
        .filter(([, p]) => 'stream' in p)
        .map(([k, p]) => [k, (p as { stream: string }).stream]),
    );
    expect(streams).toEqual({
      domainOpenConsole: 'both',
      domainOpenChannel: 'both',
      domainScreenshot: 'read',
      storageVolUpload: 'write',
      storageVolDownload: 'read',
    });
  });

  it('round-trips domainLookupByName args and pins their bytes', () => {
    const def = remoteProcedures.domainLookupByName;
    const bytes = encode(def.args, { name: 'web' });
    expect(bytes.toString('hex')).toBe('00000003' + '77656200');
    expect(decode(def.args, bytes)).toEqual({ name: 'web' });
  });

  it('encodes domainGetXMLDesc args in .x field order', () => {
    const args: ArgsOf<Procs['domainGetXMLDesc']> = { dom, flags: 2 };
    const bytes = encode(remoteProcedures.domainGetXMLDesc.args, args);
    // name "vm1" (4 + 4), uuid (16), id (4), flags (4)
    expect(bytes.length).toBe(32);
    expect(bytes.subarray(8, 24)).toEqual(uuid);
    expect(bytes.readInt32BE(24)).toBe(7);
    expect(bytes.readUInt32BE(28)).toBe(2);
    expect(decode(remoteProcedures.domainGetXMLDesc.args, bytes)).toEqual(args);
  });

  it('round-trips connectGetAllDomainStats args and a typed-param-bearing ret', () => {
    const def = remoteProcedures.connectGetAllDomainStats;
    const args: ArgsOf<Procs['connectGetAllDomainStats']> = { doms: [dom], stats: 1 | 2 | 8, flags: 0 };
    expect(roundTrip(def.args, args)).toEqual(args);

    const ret: RetOf<Procs['connectGetAllDomainStats']> = {
      retStats: [
        {
          dom,
          params: [
            { field: 'state.state', value: { type: 1, value: 1 } },
            { field: 'vcpu.current', value: { type: 2, value: 4 } },
            { field: 'cpu.time', value: { type: 4, value: 123456789012345n } },
            { field: 'balloon.delta', value: { type: 3, value: -5n } },
            { field: 'load', value: { type: 5, value: 0.5 } },
            { field: 'net.0.up', value: { type: 6, value: 1 } },
            { field: 'block.0.name', value: { type: 7, value: 'vda' } },
          ],
        },
        { dom: { name: 'vm2', uuid, id: -1 }, params: [] },
      ],
    };
    expect(roundTrip(def.ret, ret)).toEqual(ret);
  });

  it('decodes nodeGetInfo with its 32 four-byte chars', () => {
    const def = remoteProcedures.nodeGetInfo;
    const value: RetOf<Procs['nodeGetInfo']> = {
      model: 'x86_64',
      memory: 16_000_000n,
      cpus: 8,
      mhz: 2400,
      nodes: 1,
      sockets: 1,
      cores: 4,
      threads: 2,
    };
    const bytes = encode(def.ret, value);
    expect(bytes.length).toBe(32 * 4 + 8 + 6 * 4);
    expect(decode(def.ret, bytes)).toEqual(value);
  });

  it('round-trips connectOpen, domain event registration and volume upload args', () => {
    expect(roundTrip(remoteProcedures.connectOpen.args, { name: 'qemu:///system', flags: 1 })).toEqual({
      name: 'qemu:///system',
      flags: 1,
    });
    expect(roundTrip(remoteProcedures.connectOpen.args, { name: null, flags: 0 })).toEqual({ name: null, flags: 0 });
    const reg = { eventID: 0, dom: null };
    expect(encode(remoteProcedures.connectDomainEventCallbackRegisterAny.args, reg).toString('hex')).toBe(
      '0000000000000000',
    );
    const up: ArgsOf<Procs['storageVolUpload']> = {
      vol: { pool: 'default', name: 'a.qcow2', key: '/var/lib/libvirt/images/a.qcow2' },
      offset: 0n,
      length: 1024n,
      flags: 0,
    };
    expect(roundTrip(remoteProcedures.storageVolUpload.args, up)).toEqual(up);
  });

  it('round-trips interfaceAddresses and DHCP lease replies', () => {
    const ifaces: RetOf<Procs['domainInterfaceAddresses']> = {
      ifaces: [{ name: 'vnet0', hwaddr: '52:54:00:00:00:01', addrs: [{ type: 0, addr: '192.168.122.5', prefix: 24 }] }],
    };
    expect(roundTrip(remoteProcedures.domainInterfaceAddresses.ret, ifaces)).toEqual(ifaces);
    const leases: RetOf<Procs['networkGetDHCPLeases']> = {
      leases: [
        {
          iface: 'virbr0',
          expirytime: 1700000000n,
          type: 0,
          mac: '52:54:00:00:00:01',
          iaid: null,
          ipaddr: '192.168.122.5',
          prefix: 24,
          hostname: 'vm1',
          clientid: null,
        },
      ],
      ret: 1,
    };
    expect(roundTrip(remoteProcedures.networkGetDHCPLeases.ret, leases)).toEqual(leases);
  });
});

describe('event messages', () => {
  it('maps every domain event ID 0..27 to a known message', () => {
    const ids = Object.keys(DOMAIN_EVENT_IDS).map(Number);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i));
    expect(ids.length).toBeGreaterThanOrEqual(28);
    const names = new Set<string>();
    for (const e of Object.values(DOMAIN_EVENT_IDS)) {
      expect(remoteMessages[e.message]).toBeDefined();
      names.add(e.name);
    }
    expect(names.size).toBe(ids.length);
    const others: readonly Record<number, { message: keyof typeof remoteMessages }>[] = [
      NETWORK_EVENT_IDS,
      STORAGE_POOL_EVENT_IDS,
      NODE_DEVICE_EVENT_IDS,
      SECRET_EVENT_IDS,
    ];
    for (const table of others) {
      for (const e of Object.values(table)) expect(remoteMessages[e.message]).toBeDefined();
    }
  });

  it('matches the protocol numbers of the project notes', () => {
    const expected: Record<number, number> = {
      0: 318, 1: 319, 2: 320, 3: 321, 4: 322, 5: 323, 6: 324, 7: 325, 8: 326, 9: 327, 10: 328, 11: 329, 12: 330,
      13: 331, 14: 332, 15: 333, 16: 339, 17: 346, 18: 348, 19: 354, 20: 359, 21: 363, 22: 367, 23: 379, 24: 385,
      25: 423, 26: 438, 27: 453,
    };
    const actual = Object.fromEntries(
      Object.entries(DOMAIN_EVENT_IDS).map(([id, e]) => [Number(id), remoteMessages[e.message].number]),
    );
    expect(actual).toEqual(expected);
    expect(remoteMessages.networkEventLifecycle.number).toBe(315);
    expect(remoteMessages.storagePoolEventLifecycle.number).toBe(370);
    expect(remoteMessages.storagePoolEventRefresh.number).toBe(373);
    expect(remoteMessages.nodeDeviceEventLifecycle.number).toBe(376);
    expect(remoteMessages.nodeDeviceEventUpdate.number).toBe(377);
    expect(remoteMessages.secretEventLifecycle.number).toBe(382);
    expect(remoteMessages.secretEventValueChanged.number).toBe(383);
    expect(remoteMessages.connectEventConnectionClosed.number).toBe(362);
  });

  it('decodes a hand-built lifecycle message', () => {
    const name = Buffer.from('vm1\0', 'latin1');
    const payload = Buffer.concat([
      Buffer.from([0, 0, 0, 5]), // callbackID
      Buffer.from([0, 0, 0, 3]),
      name,
      uuid,
      Buffer.from([0, 0, 0, 7]), // id
      Buffer.from([0, 0, 0, 2]), // STARTED
      Buffer.from([0, 0, 0, 0]), // BOOTED
    ]);
    const body: BodyOf<typeof remoteMessages.domainEventCallbackLifecycle> = decode(
      remoteMessages.domainEventCallbackLifecycle.body,
      payload,
    );
    expect(body).toEqual({ callbackID: 5, msg: { dom, event: 2, detail: 0 } });
    expect(domainEventTypeName(body.msg.event)).toBe('STARTED');
    expect(domainEventDetailName(body.msg.event, body.msg.detail)).toBe('BOOTED');
    expect(domainEventDetailName(99, 0)).toBeUndefined();
  });

  it('round-trips the graphics and PM wakeup messages', () => {
    const graphics: BodyOf<typeof remoteMessages.domainEventCallbackGraphics> = {
      callbackID: 1,
      msg: {
        dom,
        phase: 0,
        local: { family: 0, node: '127.0.0.1', service: '5900' },
        remote: { family: 0, node: '127.0.0.1', service: '40000' },
        authScheme: 'none',
        subject: [{ type: 'x509dname', name: 'CN=test' }],
      },
    };
    expect(roundTrip(remoteMessages.domainEventCallbackGraphics.body, graphics)).toEqual(graphics);
    const wake = { callbackID: 2, reason: 0, msg: { dom } };
    const bytes = encode(remoteMessages.domainEventCallbackPMWakeup.body, wake);
    expect(bytes.readInt32BE(0)).toBe(2);
    expect(bytes.readInt32BE(4)).toBe(0);
    expect(decode(remoteMessages.domainEventCallbackPMWakeup.body, bytes)).toEqual(wake);
  });
});
