#!/usr/bin/env node
/**
 * vireo-virsh: a small virsh-like tool on Vireo's own protocol client, for checking a (remote) host by hand and for
 * tests and benchmarks. Only what Vireo's users need to diagnose a connection; virsh remains the full tool.
 */
import { parseArgs } from 'node:util';
import { LibvirtConnection, type DomainEvent } from '../connection.js';
import { domainStateName, DomainStatsTypes, DomainXMLFlags, ListDomainsFlags } from '../constants.js';
import { domainEventDetailName, domainEventTypeName } from '../procedures/events.js';
import { typedParamsToRecord } from '../typed-params.js';
import { isUuid, uuidFromString, uuidToString } from '../uuid.js';
import { toJsonValue } from './json.js';

const USAGE = `usage: vireo-virsh [-c URI] COMMAND [options]

commands:
  list [--all] [--json]                 domains (uuid, name, state)
  dumpxml NAME|UUID [--inactive] [--security-info]
  event [--timeout SECONDS]             one JSON line per domain event
  version                               library and hypervisor versions

URI defaults to $LIBVIRT_DEFAULT_URI or qemu:///system.
SSH URIs take ?keyfile=PATH&known_hosts=PATH; the host key must be in known_hosts.`;

class UsageError extends Error {}

function versionString(v: bigint): string {
  const n = Number(v);
  return `${Math.floor(n / 1000000)}.${Math.floor(n / 1000) % 1000}.${n % 1000}`;
}

async function lookup(conn: LibvirtConnection, ref: string): Promise<{ name: string; uuid: Buffer; id: number }> {
  if (isUuid(ref)) return (await conn.domainLookupByUUID({ uuid: uuidFromString(ref) })).dom;
  return (await conn.domainLookupByName({ name: ref })).dom;
}

async function list(conn: LibvirtConnection, all: boolean, json: boolean): Promise<void> {
  const flags = all ? 0 : ListDomainsFlags.ACTIVE;
  const { domains } = await conn.connectListAllDomains({ need_results: 1, flags });
  // One stats call gives every domain's state, instead of a round trip per domain.
  const { retStats } = await conn.connectGetAllDomainStats({ doms: domains, stats: DomainStatsTypes.STATE, flags: 0 });
  const states = new Map<string, number>();
  for (const rec of retStats) {
    const state = typedParamsToRecord(rec.params)['state.state'];
    states.set(uuidToString(rec.dom.uuid), typeof state === 'number' ? state : 0);
  }
  const rows = domains
    .map((d) => ({ id: d.id, uuid: uuidToString(d.uuid), name: d.name, state: domainStateName(states.get(uuidToString(d.uuid)) ?? 0) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (json) {
    process.stdout.write(`${JSON.stringify(rows.map(({ uuid, name, state }) => ({ uuid, name, state })))}\n`);
    return;
  }
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  process.stdout.write(` ${'Id'.padEnd(4)} ${'Name'.padEnd(width)}   State\n${'-'.repeat(width + 18)}\n`);
  for (const r of rows) {
    process.stdout.write(` ${(r.id > 0 ? String(r.id) : '-').padEnd(4)} ${r.name.padEnd(width)}   ${r.state}\n`);
  }
}

/** One JSON object per event; lifecycle events get libvirt's event and detail names beside the numbers. */
function eventJson(event: DomainEvent): Record<string, unknown> {
  if (event.name === 'lifecycle') {
    const { dom, event: type, detail } = event.body.msg;
    return {
      event: 'lifecycle',
      domain: dom.name,
      uuid: uuidToString(dom.uuid),
      type: domainEventTypeName(type) ?? type,
      detail: domainEventDetailName(type, detail) ?? detail,
    };
  }
  const { callbackID: _callbackID, ...rest } = event.body as { callbackID: number } & Record<string, unknown>;
  return { event: event.name, ...(toJsonValue(rest) as object) };
}

async function events(conn: LibvirtConnection, timeoutSeconds: number | undefined): Promise<void> {
  await conn.subscribeDomainEvents((event) => process.stdout.write(`${JSON.stringify(eventJson(event))}\n`));
  // On stderr so that stdout stays one JSON object per line; scripts wait for it before acting.
  process.stderr.write(`vireo-virsh: listening for domain events on ${conn.uri}\n`);
  let timer: NodeJS.Timeout | undefined;
  let stop = (): void => undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      stop = resolve;
      conn.once('close', (err) => (err ? reject(err) : resolve()));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (timeoutSeconds !== undefined) timer = setTimeout(resolve, timeoutSeconds * 1000);
    });
  } finally {
    // Whichever way it ended, nothing may keep the process alive afterwards.
    clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      connect: { type: 'string', short: 'c' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      inactive: { type: 'boolean' },
      'security-info': { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    if (!command && !values.help) process.exitCode = 2;
    return;
  }
  const uri = values.connect ?? process.env['LIBVIRT_DEFAULT_URI'] ?? 'qemu:///system';
  let timeout: number | undefined;
  if (values.timeout !== undefined) {
    timeout = Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout < 0) throw new UsageError(`--timeout needs a number of seconds, got ${values.timeout}`);
  }
  if (!['list', 'dumpxml', 'event', 'version'].includes(command)) throw new UsageError(`unknown command ${command}`);
  if (command === 'dumpxml' && rest.length !== 1) throw new UsageError('dumpxml needs one domain name or UUID');

  const conn = await LibvirtConnection.open(uri);
  try {
    switch (command) {
      case 'list':
        await list(conn, values.all ?? false, values.json ?? false);
        break;
      case 'dumpxml': {
        const dom = await lookup(conn, rest[0]!);
        const flags = (values.inactive ? DomainXMLFlags.INACTIVE : 0) | (values['security-info'] ? DomainXMLFlags.SECURE : 0);
        const { xml } = await conn.domainGetXMLDesc({ dom, flags });
        process.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`);
        break;
      }
      case 'event':
        await events(conn, timeout);
        break;
      case 'version': {
        const [{ lib_ver }, { hv_ver }, { type }] = await Promise.all([
          conn.connectGetLibVersion(undefined),
          conn.connectGetVersion(undefined),
          conn.connectGetType(undefined),
        ]);
        process.stdout.write(`Using library: libvirt ${versionString(lib_ver)}\nRunning hypervisor: ${type} ${versionString(hv_ver)}\n`);
        break;
      }
    }
  } finally {
    await conn.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`vireo-virsh: ${message}\n`);
  if (err instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
