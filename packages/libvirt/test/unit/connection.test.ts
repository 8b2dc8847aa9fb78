import { afterEach, describe, expect, it } from 'vitest';
import { LibvirtConnection } from '../../src/connection.js';
import { remoteProcedures } from '../../src/procedures/remote.js';
import { remoteMessages } from '../../src/procedures/events.js';
import { MockDaemon, reply } from '../support/mock-daemon.js';

const P = remoteProcedures;
const daemons: MockDaemon[] = [];

afterEach(async () => {
  for (const d of daemons.splice(0)) await d.close();
});

/** A daemon that completes libvirt's opening handshake with the given AUTH_LIST answer. */
function handshakeDaemon(authTypes: number[]): MockDaemon {
  const daemon = new MockDaemon();
  daemons.push(daemon);
  daemon.handle(P.authList.number, reply.ok(P.authList.ret, { types: authTypes }));
  daemon.handle(P.authPolkit.number, reply.ok(P.authPolkit.ret, { complete: 1 }));
  daemon.handle(P.connectSupportsFeature.number, reply.ok(P.connectSupportsFeature.ret, { supported: 1 }));
  daemon.handle(P.connectOpen.number, reply.ok(P.connectOpen.ret, undefined));
  daemon.handle(P.connectClose.number, reply.ok(P.connectClose.ret, undefined));
  daemon.handle(P.connectGetLibVersion.number, reply.ok(P.connectGetLibVersion.ret, { lib_ver: 9000000n }));
  return daemon;
}

const procsCalled = (daemon: MockDaemon): number[] => daemon.connections.flatMap((c) => c.calls.map((call) => call.header.procedure));

describe('opening a connection', () => {
  it('follows libvirt: AUTH_LIST, keepalive probe, then CONNECT_OPEN with the daemon-local URI', async () => {
    const daemon = handshakeDaemon([0]);
    const conn = await LibvirtConnection.open('qemu+ssh://root@example.invalid/system?keyfile=/k', {
      transport: daemon.transport(),
    });
    const calls = daemon.connections[0]!.calls;
    expect(calls.map((c) => c.header.procedure)).toEqual([P.authList.number, P.connectSupportsFeature.number, P.connectOpen.number]);
    expect(calls[1]!.args(P.connectSupportsFeature.args)).toEqual({ feature: 10 });
    expect(calls[2]!.args(P.connectOpen.args)).toEqual({ name: 'qemu:///system', flags: 0 });
    await conn.close();
    // Without keepalive there is nothing to probe.
    const quiet = handshakeDaemon([0]);
    const conn2 = await LibvirtConnection.open('qemu:///system', { transport: quiet.transport(), keepalive: false });
    expect(procsCalled(quiet)).toEqual([P.authList.number, P.connectOpen.number]);
    await conn2.close();
  });

  it('answers polkit when the daemon lists only polkit', async () => {
    const daemon = handshakeDaemon([2]);
    const conn = await LibvirtConnection.open('qemu:///system', { transport: daemon.transport(), readOnly: true });
    expect(procsCalled(daemon)).toContain(P.authPolkit.number);
    expect(daemon.connections[0]!.calls.at(-1)!.args(P.connectOpen.args)).toEqual({ name: 'qemu:///system', flags: 1 });
    await conn.close();
  });

  it('refuses SASL with a clear message and closes the socket', async () => {
    const daemon = handshakeDaemon([1]);
    const err = await LibvirtConnection.open('qemu+tcp://h/system', { transport: daemon.transport() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/requires SASL authentication, which Vireo does not support/);
    expect(procsCalled(daemon)).not.toContain(P.connectOpen.number);
    await expect.poll(() => daemon.connections[0]!.closed).toBe(true);
  });
});

describe('events', () => {
  it('skips event IDs newer than the daemon, delivers in order, and deregisters everything on close', async () => {
    const daemon = handshakeDaemon([0]);
    let nextId = 100;
    daemon.handle(P.connectDomainEventCallbackRegisterAny.number, (call) => {
      const { eventID } = call.args(P.connectDomainEventCallbackRegisterAny.args);
      // libvirt 9.0 rejects IDs it does not know; we must not even ask for them.
      if (eventID > 26) call.replyError({ code: 8, domain: 0, message: `unsupported event ID ${eventID}` });
      else call.reply(P.connectDomainEventCallbackRegisterAny.ret, { callbackID: nextId++ });
    });
    daemon.handle(P.connectDomainEventCallbackDeregisterAny.number, reply.ok(P.connectDomainEventCallbackDeregisterAny.ret, undefined));
    const conn = await LibvirtConnection.open('qemu:///system', { transport: daemon.transport(), keepalive: false });
    const seen: string[] = [];
    const sub = await conn.subscribeDomainEvents((ev) => {
      if (ev.name === 'lifecycle') seen.push(`${ev.body.msg.dom.name}:${ev.body.msg.event}`);
      if (ev.name === 'reboot') seen.push(`${ev.body.msg.dom.name}:reboot`);
    });
    expect(sub.callbackIDs).toHaveLength(27); // IDs 0..26 of a 9.0 daemon

    const dom = { name: 'vm', uuid: Buffer.alloc(16, 1), id: 1 };
    const mock = daemon.connections[0]!;
    const lifecycle = remoteMessages.domainEventCallbackLifecycle;
    const reboot = remoteMessages.domainEventCallbackReboot;
    for (let i = 0; i < 5; i++) {
      mock.sendRaw(
        Buffer.concat([
          mock.messageFrame(lifecycle.number, lifecycle.body, { callbackID: 100, msg: { dom, event: i, detail: 0 } }),
          mock.messageFrame(reboot.number, reboot.body, { callbackID: 101, msg: { dom } }),
        ]),
      );
    }
    // A message for a callback nobody holds is dropped.
    mock.sendMessage(lifecycle.number, lifecycle.body, { callbackID: 999, msg: { dom, event: 9, detail: 0 } });
    await expect.poll(() => seen.length).toBe(10);
    expect(seen).toEqual(['vm:0', 'vm:reboot', 'vm:1', 'vm:reboot', 'vm:2', 'vm:reboot', 'vm:3', 'vm:reboot', 'vm:4', 'vm:reboot']);

    await conn.close();
    const deregistered = mock.calls
      .filter((c) => c.header.procedure === P.connectDomainEventCallbackDeregisterAny.number)
      .map((c) => c.args(P.connectDomainEventCallbackDeregisterAny.args).callbackID)
      .sort((a, b) => a - b);
    expect(deregistered).toEqual(sub.callbackIDs.slice().sort((a, b) => a - b));
    expect(mock.calls.at(-1)!.header.procedure).toBe(P.connectClose.number);
  });

  it('tells apart callbacks of different object kinds that share an ID', async () => {
    // After a daemon start the qemu driver and the network driver both number their callbacks from 0.
    const daemon = handshakeDaemon([0]);
    daemon.handle(P.connectDomainEventCallbackRegisterAny.number, reply.ok(P.connectDomainEventCallbackRegisterAny.ret, { callbackID: 0 }));
    daemon.handle(P.connectNetworkEventRegisterAny.number, reply.ok(P.connectNetworkEventRegisterAny.ret, { callbackID: 0 }));
    const conn = await LibvirtConnection.open('qemu:///system', { transport: daemon.transport(), keepalive: false });
    const seen: string[] = [];
    await conn.subscribeDomainEvents((ev) => seen.push(`domain ${ev.name}`), { events: ['lifecycle'] });
    await conn.subscribeNetworkEvents((ev) => seen.push(`network ${ev.name}`), { events: ['lifecycle'] });
    const mock = daemon.connections[0]!;
    const dom = { name: 'vm', uuid: Buffer.alloc(16, 1), id: 1 };
    const net = { name: 'default', uuid: Buffer.alloc(16, 2) };
    mock.sendMessage(remoteMessages.domainEventCallbackLifecycle.number, remoteMessages.domainEventCallbackLifecycle.body, {
      callbackID: 0,
      msg: { dom, event: 3, detail: 0 },
    });
    mock.sendMessage(remoteMessages.networkEventLifecycle.number, remoteMessages.networkEventLifecycle.body, { callbackID: 0, net, event: 2, detail: 0 });
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual(['domain lifecycle', 'network lifecycle']);
    await conn.close();
  });

  it('fails when a named event is rejected, leaving nothing registered', async () => {
    const daemon = handshakeDaemon([0]);
    daemon.handle(P.connectDomainEventCallbackRegisterAny.number, (call) =>
      call.replyError({ code: 8, domain: 0, message: 'unsupported event ID' }),
    );
    const conn = await LibvirtConnection.open('qemu:///system', { transport: daemon.transport(), keepalive: false });
    await expect(conn.subscribeDomainEvents(() => undefined, { events: ['nicMacChange'] })).rejects.toThrow(/unsupported event ID/);
    await conn.close();
  });
});
