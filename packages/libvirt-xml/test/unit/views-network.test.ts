import { describe, expect, it } from 'vitest';
import { readNetwork, XmlParseError, type NetworkView } from '../../src/index.js';
import { fixtureText } from '../support/fixtures.js';


function fixture(name: string): NetworkView {
  return readNetwork(fixtureText('network', name));
}

describe('readNetwork', () => {
  it('NAT network with bridge, DHCP range and static hosts', () => {
    expect(fixture('nat-network.xml')).toEqual({
      name: 'default',
      uuid: '81ff0d90-c91e-6742-64da-4a736edb9a9b',
      forward: { mode: 'nat', dev: 'eth1', interfaces: [], pf: [], hostdevAddresses: [] },
      bridge: { name: 'virbr0' },
      ips: [
        {
          family: 'ipv4',
          address: '192.168.122.1',
          netmask: '255.255.255.0',
          prefix: 24,
          dhcp: {
            ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }],
            hosts: [
              { mac: '00:16:3e:77:e2:ed', name: 'a.example.com', ip: '192.168.122.10' },
              { mac: '00:16:3e:3e:a9:1a', name: 'b.example.com', ip: '192.168.122.11' },
            ],
          },
        },
      ],
      portgroups: [],
    });
  });

  it('IPv6 with prefix and DHCPv6 hosts by client id; STP and delay', () => {
    const n = fixture('dhcp6-nat-network.xml');
    expect(n.bridge).toEqual({ name: 'virbr0', stp: true, delay: 0 });
    expect(n.ips.map((ip) => [ip.family, ip.address, ip.prefix])).toEqual([
      ['ipv4', '192.168.122.1', 24],
      ['ipv4', '192.168.123.1', 24],
      ['ipv6', '2001:db8:ac10:fd01::1', 64],
      ['ipv4', '10.24.10.1', undefined],
    ]);
    expect(n.ips[2]?.dhcp?.ranges).toEqual([{ start: '2001:db8:ac10:fd01::1:10', end: '2001:db8:ac10:fd01::1:ff' }]);
    expect(n.ips[2]?.dhcp?.hosts[2]).toEqual({
      id: '0:3:0:1:0:16:3e:11:22:33',
      name: 'peter.xyz',
      ip: '2001:db8:ac10:fd01::1:22',
    });
  });

  it('routed, open and isolated networks; MAC and MTU', () => {
    expect(fixture('routed-network.xml').forward?.mode).toBe('route');
    expect(fixture('open-network-with-forward-dev.xml').forward).toMatchObject({ mode: 'open', dev: 'eth0' });
    const isolated = fixture('isolated-network.xml');
    expect(isolated.forward).toBeUndefined();
    expect(isolated.mac).toBe('52:54:00:17:3F:37');
    expect(fixture('nat-network-mtu.xml').mtu).toBe(7000);
    expect(fixture('empty-allow-ipv6.xml').ipv6).toBe(true);
  });

  it('a bare <forward/> is NAT', () => {
    expect(fixture('netboot-network.xml').forward?.mode).toBe('nat');
  });

  it('NAT address and port ranges, IPv6 NAT', () => {
    expect(fixture('nat-network-forward-nat-no-address.xml').forward?.nat).toEqual({
      addresses: [],
      ports: { start: 60000, end: 65432 },
    });
    expect(fixture('nat-network-forward-nat-ipv6.xml').forward?.nat).toEqual({ addresses: [], ipv6: true });
    const n = readNetwork(
      "<network><name>n</name><forward mode='nat'><nat><address start='1.2.3.4' end='1.2.3.10'/></nat></forward></network>",
    );
    expect(n.forward?.nat?.addresses).toEqual([{ start: '1.2.3.4', end: '1.2.3.10' }]);
  });

  it('macvtap pools of interfaces, SR-IOV PFs and hostdev addresses', () => {
    const qbh = fixture('8021Qbh-net.xml');
    expect(qbh.forward).toMatchObject({ mode: 'private', dev: 'eth1', interfaces: ['eth1', 'eth2', 'eth3', 'eth4', 'eth5'] });
    expect(qbh.vlan).toEqual({ trunk: false, tags: [{ id: 549 }] });
    expect(qbh.virtualPort).toEqual({ type: '802.1Qbh', parameters: { profileid: 'spongebob24' } });
    expect(fixture('hostdev-pf-driver-model.xml').forward).toMatchObject({
      mode: 'hostdev',
      managed: true,
      pf: ['eth2'],
      driverModel: 'vfio-pci-igb',
    });
    expect(fixture('hostdev.xml').forward?.hostdevAddresses.map((a) => a.canonical)).toEqual([
      '0000:03:00.1',
      '0000:03:00.2',
      '0000:03:00.3',
      '0000:03:00.4',
    ]);
    expect(fixture('passthrough-address-crash.xml').forward).toMatchObject({
      mode: 'passthrough',
      hostdevAddresses: [{ domain: 0, bus: 0x11, slot: 0x10, function: 1, canonical: '0000:11:10.1' }],
    });
  });

  it('portgroups with VLAN trunks and virtualports', () => {
    const ovs = fixture('openvswitch-net.xml');
    expect(ovs.virtualPort).toEqual({ type: 'openvswitch', parameters: {} });
    expect(ovs.portgroups).toEqual([
      {
        name: 'bob',
        default: true,
        vlan: { trunk: true, tags: [{ id: 666 }] },
        virtualPort: { parameters: { profileid: 'bob-profile' } },
      },
      {
        name: 'alice',
        default: false,
        vlan: { trunk: true, tags: [{ id: 777 }, { id: 888 }, { id: 999 }] },
        virtualPort: { parameters: { profileid: 'alice-profile' } },
      },
    ]);
    const vepa = fixture('vepa-net.xml');
    expect(vepa.forward?.interfaces).toEqual(['eth1', 'eth2', 'eth3']);
    expect(vepa.portgroups[1]?.virtualPort).toMatchObject({ type: '802.1Qbg', parameters: { managerid: '13' } });
  });

  it('portgroup and network bandwidth', () => {
    const n = readNetwork(`
      <network><name>qos</name>
        <bandwidth><inbound average='1000' peak='2000' burst='512'/></bandwidth>
        <portgroup name='engineering' default='yes'>
          <bandwidth><inbound average='500'/><outbound average='128' peak='256' burst='64'/></bandwidth>
        </portgroup>
      </network>`);
    expect(n.bandwidth).toEqual({ inbound: { average: 1000, peak: 2000, burst: 512 } });
    expect(n.portgroups[0]?.bandwidth).toEqual({ inbound: { average: 500 }, outbound: { average: 128, peak: 256, burst: 64 } });
  });

  it('DNS forwarders, TXT, SRV, hosts and the domain', () => {
    expect(fixture('nat-network-dns-forwarders.xml').dns?.forwarders).toEqual([
      { addr: '8.8.8.8' },
      { addr: '8.8.4.4' },
      { addr: '192.168.1.1', domain: 'example.com' },
      { domain: 'www.example.com' },
    ]);
    expect(fixture('nat-network-dns-txt-record.xml').dns?.txt).toEqual([{ name: 'example', value: 'example value' }]);
    expect(fixture('nat-network-dns-srv-record-minimal.xml').dns?.srv).toEqual([{ service: 'name', protocol: 'tcp' }]);
    expect(fixture('nat-network-dns-local-domain.xml').domain).toEqual({ name: 'example.com', localOnly: true });
    const n = readNetwork(`
      <network><name>d</name>
        <dns enable='yes' forwardPlainNames='no'>
          <host ip='192.168.122.2'><hostname>myhost</hostname><hostname>myhostalias</hostname></host>
        </dns>
      </network>`);
    expect(n.dns).toMatchObject({
      enable: true,
      forwardPlainNames: false,
      hosts: [{ ip: '192.168.122.2', hostnames: ['myhost', 'myhostalias'] }],
    });
  });

  it('DHCP leases in seconds (minutes by default), TFTP and BOOTP', () => {
    const lease = fixture('leasetime-minutes.xml').ips[0]?.dhcp;
    expect(lease?.ranges[0]?.leaseSeconds).toBe(600);
    expect(lease?.hosts.map((h) => h.leaseSeconds)).toEqual([1200, 1800]);
    expect(fixture('netboot-network.xml').ips[0]).toMatchObject({
      tftpRoot: '/var/lib/tftproot',
      dhcp: { bootpFile: 'pxeboot.img' },
    });
    expect(fixture('netboot-proxy-network.xml').ips[0]?.dhcp?.bootpServer).toBe('10.20.30.40');
  });

  it('throws XmlParseError on another root', () => {
    expect(() => readNetwork("<domain type='kvm'/>")).toThrow(XmlParseError);
  });
});
