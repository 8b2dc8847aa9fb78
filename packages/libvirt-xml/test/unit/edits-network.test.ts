/** Network edits as exact canonical diffs, their refusals, and the virNetworkUpdate snippets. */
import type { Document } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import {
  addDhcpHost,
  addDhcpRange,
  addDnsHost,
  canonicalDiff,
  canonicallyEqual,
  dom,
  EditError,
  networkIpIndex,
  networkUpdateSnippet,
  NetworkUpdateSection,
  parseXml,
  removeDhcpHost,
  removeDhcpRange,
  removeDnsHost,
  serializeXml,
  setBridge,
  setForwardMode,
  setNetworkName,
} from '../../src/index.js';

const NETWORK = `<network>
  <!-- lab network, hand edited -->
  <name>lab</name>
  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
  <metadata>
    <v:owner xmlns:v="urn:example:vireo">ops</v:owner>
  </metadata>
  <forward dev='eth1' mode='nat'>
    <nat>
      <port start='1024' end='65535'/>
    </nat>
  </forward>
  <bridge name='virbr5' stp='on' delay='0' macTableManager='libvirt'/>
  <dns>
    <txt name='example' value='example value'/>
  </dns>
  <ip address='192.168.150.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.150.100' end='192.168.150.199'/>
      <host mac='00:16:3e:77:e2:ed' name='a.example.com' ip='192.168.150.10'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='2001:db8:ac10:fd01::1' prefix='64'>
  </ip>
</network>
`;

const N = '/network[0]';

function expectDiff(fn: (doc: Document) => void, expected: { added?: string[]; removed?: string[] }, xml = NETWORK): string {
  const doc = parseXml(xml);
  fn(doc);
  const after = serializeXml(doc);
  const d = canonicalDiff(xml, after);
  expect({ added: [...d.added].sort(), removed: [...d.removed].sort() }).toEqual({
    added: [...(expected.added ?? [])].sort(),
    removed: [...(expected.removed ?? [])].sort(),
  });
  return after;
}

function editError(fn: (doc: Document) => void, field: string, message?: RegExp): void {
  const doc = parseXml(NETWORK);
  const err = (() => {
    try {
      fn(doc);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(err).toBeInstanceOf(EditError);
  expect((err as EditError).field).toBe(field);
  if (message) expect((err as EditError).message).toMatch(message);
  expect(canonicallyEqual(doc, NETWORK)).toBe(true);
}

describe('DHCP ranges', () => {
  it('addDhcpRange adds a range to the <ip> whose subnet holds it, before the hosts', () => {
    const after = expectDiff((d) => addDhcpRange(d, { start: '192.168.150.20', end: '192.168.150.29' }), {
      added: [
        `${N}/ip[0]/dhcp[0]/range[1]`,
        `${N}/ip[0]/dhcp[0]/range[1]/@start=192.168.150.20`,
        `${N}/ip[0]/dhcp[0]/range[1]/@end=192.168.150.29`,
      ],
    });
    const dhcp = dom.at(parseXml(after).documentElement!, 'ip/dhcp')!;
    expect(dom.children(dhcp).map((c) => c.tagName)).toEqual(['range', 'range', 'host']);
  });

  it('addDhcpRange creates <dhcp> on an IPv6 <ip> for an IPv6 range', () => {
    expectDiff((d) => addDhcpRange(d, { start: '2001:db8:ac10:fd01::10', end: '2001:db8:ac10:fd01::ff' }), {
      added: [
        `${N}/ip[1]/dhcp[0]`,
        `${N}/ip[1]/dhcp[0]/range[0]`,
        `${N}/ip[1]/dhcp[0]/range[0]/@start=2001:db8:ac10:fd01::10`,
        `${N}/ip[1]/dhcp[0]/range[0]/@end=2001:db8:ac10:fd01::ff`,
      ],
    });
  });

  it('removeDhcpRange removes exactly that range', () => {
    expectDiff((d) => removeDhcpRange(d, { start: '192.168.150.100', end: '192.168.150.199' }), {
      removed: [
        `${N}/ip[0]/dhcp[0]/range[0]`,
        `${N}/ip[0]/dhcp[0]/range[0]/@start=192.168.150.100`,
        `${N}/ip[0]/dhcp[0]/range[0]/@end=192.168.150.199`,
      ],
    });
  });

  it('refuses bad, reversed, mixed-family, duplicate and unknown ranges', () => {
    editError((d) => addDhcpRange(d, { start: '192.168.150.300', end: '192.168.150.2' }), 'dhcp.range.start', /not an IPv4 or IPv6/);
    editError((d) => addDhcpRange(d, { start: '192.168.150.9', end: '192.168.150.2' }), 'dhcp.range', /after end/);
    editError((d) => addDhcpRange(d, { start: '192.168.150.9', end: '2001:db8::1' }), 'dhcp.range', /families/);
    editError((d) => addDhcpRange(d, { start: '192.168.150.100', end: '192.168.150.199' }), 'dhcp.range', /already/);
    editError((d) => removeDhcpRange(d, { start: '192.168.150.1', end: '192.168.150.2' }), 'dhcp.range', /no range/);
    editError((d) => addDhcpRange(d, { start: '10.0.0.1', end: '10.0.0.9' }, { ip: '10.0.0.254' }), 'ip');
  });
});

describe('DHCP hosts', () => {
  it('addDhcpHost adds a static lease after the existing hosts', () => {
    expectDiff((d) => addDhcpHost(d, { mac: '52:54:00:12:34:56', name: 'db <1> & "two"', ip: '192.168.150.11' }), {
      added: [
        `${N}/ip[0]/dhcp[0]/host[1]`,
        `${N}/ip[0]/dhcp[0]/host[1]/@mac=52:54:00:12:34:56`,
        `${N}/ip[0]/dhcp[0]/host[1]/@name=db <1> & "two"`,
        `${N}/ip[0]/dhcp[0]/host[1]/@ip=192.168.150.11`,
      ],
    });
  });

  it('removeDhcpHost finds hosts by MAC in any case, or by IP', () => {
    const lines = [
      `${N}/ip[0]/dhcp[0]/host[0]`,
      `${N}/ip[0]/dhcp[0]/host[0]/@mac=00:16:3e:77:e2:ed`,
      `${N}/ip[0]/dhcp[0]/host[0]/@name=a.example.com`,
      `${N}/ip[0]/dhcp[0]/host[0]/@ip=192.168.150.10`,
    ];
    expectDiff((d) => removeDhcpHost(d, { mac: '00:16:3E:77:E2:ED' }), { removed: lines });
    expectDiff((d) => removeDhcpHost(d, { ip: '192.168.150.10' }), { removed: lines });
  });

  it('refuses hosts without a key, duplicates, IPv6 hosts by MAC, and unknown hosts', () => {
    editError((d) => addDhcpHost(d, { ip: '192.168.150.12' }), 'dhcp.host', /MAC address or a name/);
    editError((d) => addDhcpHost(d, { mac: '00:16:3E:77:E2:ED', ip: '192.168.150.12' }), 'dhcp.host.mac', /already/);
    editError((d) => addDhcpHost(d, { name: 'x', ip: '192.168.150.10' }), 'dhcp.host.ip', /already/);
    editError((d) => addDhcpHost(d, { mac: 'zz:16:3e:77:e2:ed', ip: '192.168.150.12' }), 'dhcp.host.mac');
    editError((d) => addDhcpHost(d, { mac: '00:16:3e:77:e2:ee', ip: '2001:db8:ac10:fd01::5' }), 'dhcp.host.mac', /IPv6/);
    editError((d) => removeDhcpHost(d, { mac: '00:00:00:00:00:01' }), 'dhcp.host', /no host/);
  });
});

describe('DNS hosts', () => {
  it('addDnsHost adds a host with its names after the TXT records', () => {
    const after = expectDiff((d) => addDnsHost(d, { ip: '192.168.150.5', hostnames: ['nas', 'nas.lab'] }), {
      added: [
        `${N}/dns[0]/host[0]`,
        `${N}/dns[0]/host[0]/@ip=192.168.150.5`,
        `${N}/dns[0]/host[0]/hostname[0]`,
        `${N}/dns[0]/host[0]/hostname[0]/#text[0]=nas`,
        `${N}/dns[0]/host[0]/hostname[1]`,
        `${N}/dns[0]/host[0]/hostname[1]/#text[0]=nas.lab`,
      ],
    });
    expect(after).toContain('<host ip="192.168.150.5">\n      <hostname>nas</hostname>\n      <hostname>nas.lab</hostname>\n    </host>\n  </dns>');
    const doc = parseXml(after);
    removeDnsHost(doc, '192.168.150.5');
    expect(canonicallyEqual(doc, NETWORK)).toBe(true);
  });

  it('addDnsHost creates <dns> before <ip> when there is none', () => {
    const bare = NETWORK.replace(/ {2}<dns>[\s\S]*?<\/dns>\n/, '');
    const after = expectDiff(
      (d) => addDnsHost(d, { ip: '2001:db8::5', hostnames: ['v6'] }),
      {
        added: [
          `${N}/dns[0]`,
          `${N}/dns[0]/host[0]`,
          `${N}/dns[0]/host[0]/@ip=2001:db8::5`,
          `${N}/dns[0]/host[0]/hostname[0]`,
          `${N}/dns[0]/host[0]/hostname[0]/#text[0]=v6`,
        ],
      },
      bare,
    );
    const names = dom.children(parseXml(after).documentElement!).map((c) => c.tagName);
    expect(names.indexOf('dns')).toBe(names.indexOf('ip') - 1);
  });

  it('refuses a repeated IP, no names, empty names and unknown hosts', () => {
    const doc = parseXml(NETWORK);
    addDnsHost(doc, { ip: '192.168.150.5', hostnames: ['a'] });
    expect(() => addDnsHost(doc, { ip: '192.168.150.5', hostnames: ['b'] })).toThrow(/already/);
    editError((d) => addDnsHost(d, { ip: '192.168.150.5', hostnames: [] }), 'dns.host.hostnames');
    editError((d) => addDnsHost(d, { ip: '192.168.150.5', hostnames: [' '] }), 'dns.host.hostnames[0]');
    editError((d) => addDnsHost(d, { ip: 'nas', hostnames: ['a'] }), 'dns.host.ip');
    editError((d) => removeDnsHost(d, '192.168.150.99'), 'dns.host.ip', /no DNS host/);
  });
});

describe('forward mode and bridge', () => {
  it('setForwardMode route drops <nat>, which only NAT allows', () => {
    expectDiff((d) => setForwardMode(d, 'route'), {
      removed: [
        `${N}/forward[0]/@mode=nat`,
        `${N}/forward[0]/nat[0]`,
        `${N}/forward[0]/nat[0]/port[0]`,
        `${N}/forward[0]/nat[0]/port[0]/@start=1024`,
        `${N}/forward[0]/nat[0]/port[0]/@end=65535`,
      ],
      added: [`${N}/forward[0]/@mode=route`],
    });
  });

  it('setForwardMode none removes <forward>; setting a mode back adds it after the metadata', () => {
    const isolated = expectDiff((d) => setForwardMode(d, 'none'), {
      removed: [
        `${N}/forward[0]`,
        `${N}/forward[0]/@dev=eth1`,
        `${N}/forward[0]/@mode=nat`,
        `${N}/forward[0]/nat[0]`,
        `${N}/forward[0]/nat[0]/port[0]`,
        `${N}/forward[0]/nat[0]/port[0]/@start=1024`,
        `${N}/forward[0]/nat[0]/port[0]/@end=65535`,
      ],
    });
    const doc = parseXml(isolated);
    setForwardMode(doc, 'nat', { dev: 'eth0' });
    const names = dom.children(doc.documentElement!).map((c) => c.tagName);
    expect(names.slice(0, 5)).toEqual(['name', 'uuid', 'metadata', 'forward', 'bridge']);
    editError((d) => setForwardMode(d, 'tunnel' as 'nat'), 'forward.mode');
  });

  it('setForwardMode keeps the dev unless told', () => {
    expectDiff((d) => setForwardMode(d, 'nat', { dev: null }), { removed: [`${N}/forward[0]/@dev=eth1`] });
    expectDiff((d) => setForwardMode(d, 'nat'), {});
  });

  it('setBridge changes the name and only the attributes it is given', () => {
    expectDiff((d) => setBridge(d, 'virbr9', { stp: false }), {
      removed: [`${N}/bridge[0]/@name=virbr5`, `${N}/bridge[0]/@stp=on`],
      added: [`${N}/bridge[0]/@name=virbr9`, `${N}/bridge[0]/@stp=off`],
    });
    expectDiff((d) => setBridge(d, 'virbr5', { delay: 2 }), {
      removed: [`${N}/bridge[0]/@delay=0`],
      added: [`${N}/bridge[0]/@delay=2`],
    });
  });

  it('setBridge refuses names Linux refuses and negative delays', () => {
    editError((d) => setBridge(d, 'a-very-long-bridge0'), 'bridge.name', /15 bytes/);
    editError((d) => setBridge(d, 'br 0'), 'bridge.name', /whitespace/);
    editError((d) => setBridge(d, ''), 'bridge.name');
    editError((d) => setBridge(d, 'br0', { delay: -1 }), 'bridge.delay');
  });

  it('setNetworkName changes only the name', () => {
    expectDiff((d) => setNetworkName(d, 'lab-2'), {
      removed: [`${N}/name[0]/#text[0]=lab`],
      added: [`${N}/name[0]/#text[0]=lab-2`],
    });
    editError((d) => setNetworkName(d, 'a/b'), 'name');
  });
});

describe('virNetworkUpdate snippets', () => {
  it('builds a DHCP host, escaped by the serializer', () => {
    const s = networkUpdateSnippet({ section: 'ip-dhcp-host', host: { mac: '52:54:00:00:00:01', name: `o'<&>"`, ip: '192.168.150.7' } });
    expect(s.section).toBe(NetworkUpdateSection.IP_DHCP_HOST);
    const el = parseXml(s.xml).documentElement!;
    expect(el.tagName).toBe('host');
    expect(dom.attr(el, 'name')).toBe(`o'<&>"`);
    expect(s.xml).toBe('<host mac="52:54:00:00:00:01" name="o\'&lt;&amp;&gt;&quot;" ip="192.168.150.7"/>');
  });

  it('builds a DHCP range and a DNS host', () => {
    expect(networkUpdateSnippet({ section: 'ip-dhcp-range', range: { start: '10.0.0.2', end: '10.0.0.9' } })).toEqual({
      section: NetworkUpdateSection.IP_DHCP_RANGE,
      xml: '<range start="10.0.0.2" end="10.0.0.9"/>',
    });
    expect(networkUpdateSnippet({ section: 'dns-host', host: { ip: '10.0.0.5', hostnames: ['a', 'b&c'] } })).toEqual({
      section: NetworkUpdateSection.DNS_HOST,
      xml: '<host ip="10.0.0.5">\n  <hostname>a</hostname>\n  <hostname>b&amp;c</hostname>\n</host>',
    });
  });

  it('validates like the document edits', () => {
    expect(() => networkUpdateSnippet({ section: 'ip-dhcp-host', host: { ip: '10.0.0.5' } })).toThrow(EditError);
    expect(() => networkUpdateSnippet({ section: 'ip-dhcp-range', range: { start: '10.0.0.9', end: '10.0.0.2' } })).toThrow(EditError);
  });

  it('networkIpIndex names the <ip> an address belongs to', () => {
    const doc = parseXml(NETWORK);
    expect(networkIpIndex(doc, '192.168.150.77')).toBe(0);
    expect(networkIpIndex(doc, '2001:db8:ac10:fd01::77')).toBe(1);
    expect(() => networkIpIndex(parseXml('<network><name>x</name></network>'), '10.0.0.1')).toThrow(EditError);
  });
});
