import { describe, expect, it } from 'vitest';
import {
  SshTransport,
  TlsTransport,
  transportForUri,
  UnixTransport,
} from '../../../src/transport/index.js';
import { parseLibvirtUri } from '../../../src/transport/uri.js';

describe('parseLibvirtUri', () => {
  it('qemu:///system is the local unix socket', () => {
    const u = parseLibvirtUri('qemu:///system');
    expect(u).toMatchObject({
      driver: 'qemu',
      transport: 'unix',
      user: undefined,
      host: undefined,
      port: undefined,
      path: '/system',
      localUri: 'qemu:///system',
      socketPath: '/var/run/libvirt/libvirt-sock',
      noVerify: false,
    });
    expect(u.params.size).toBe(0);
  });

  it('test:///default keeps the driver and path', () => {
    const u = parseLibvirtUri('test:///default');
    expect(u).toMatchObject({ driver: 'test', transport: 'unix', path: '/default', localUri: 'test:///default' });
  });

  it('qemu+unix with socket= uses that socket and drops the parameter from the local URI', () => {
    const u = parseLibvirtUri('qemu+unix:///system?socket=/x');
    expect(u).toMatchObject({ transport: 'unix', socketPath: '/x', localUri: 'qemu:///system' });
    expect(u.params.get('socket')).toBe('/x');
  });

  it('test+unix with the default file and with an absolute file path', () => {
    expect(parseLibvirtUri('test+unix:///default')).toMatchObject({
      driver: 'test',
      transport: 'unix',
      localUri: 'test:///default',
    });
    expect(parseLibvirtUri('test+unix:///abs/path/file.xml')).toMatchObject({
      path: '/abs/path/file.xml',
      localUri: 'test:///abs/path/file.xml',
    });
  });

  it('qemu+tcp gets the default TCP port', () => {
    expect(parseLibvirtUri('qemu+tcp://127.0.0.1/system')).toMatchObject({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 16509,
      localUri: 'qemu:///system',
      socketPath: undefined,
    });
  });

  it('qemu+tls with port, pkipath and no_verify', () => {
    const u = parseLibvirtUri('qemu+tls://host:16514/system?pkipath=/dir&no_verify=1');
    expect(u).toMatchObject({
      transport: 'tls',
      host: 'host',
      port: 16514,
      pkiPath: '/dir',
      noVerify: true,
      localUri: 'qemu:///system',
    });
    expect(parseLibvirtUri('qemu+tls://host/system?no_verify=0').noVerify).toBe(false);
  });

  it('qemu+ssh with user, port, keyfile, known_hosts and socket', () => {
    const u = parseLibvirtUri(
      'qemu+ssh://root@host:2222/system?keyfile=/k&known_hosts=/kh&socket=/var/run/libvirt/libvirt-sock',
    );
    expect(u).toMatchObject({
      driver: 'qemu',
      transport: 'ssh',
      user: 'root',
      host: 'host',
      port: 2222,
      path: '/system',
      keyFile: '/k',
      knownHostsPath: '/kh',
      socketPath: '/var/run/libvirt/libvirt-sock',
      localUri: 'qemu:///system',
    });
    expect(Object.fromEntries(u.params)).toEqual({
      keyfile: '/k',
      known_hosts: '/kh',
      socket: '/var/run/libvirt/libvirt-sock',
    });
  });

  it('ssh defaults to port 22 and the default remote socket', () => {
    expect(parseLibvirtUri('qemu+ssh://host/system')).toMatchObject({
      port: 22,
      user: undefined,
      socketPath: '/var/run/libvirt/libvirt-sock',
    });
  });

  it('a host without a transport means TLS, as in libvirt', () => {
    expect(parseLibvirtUri('qemu://host.example/system')).toMatchObject({ transport: 'tls', port: 16514 });
  });

  it('a network transport without a host connects to localhost', () => {
    expect(parseLibvirtUri('qemu+tcp:///system')).toMatchObject({ transport: 'tcp', host: 'localhost', port: 16509 });
  });

  it('keeps driver parameters and drops every client-only one (case-insensitively)', () => {
    const u = parseLibvirtUri(
      'qemu+ssh://h/system?no_tty=1&foo=bar&SSHAUTH=agent,privkey&command=x&netcat=nc&proxy=auto&mode=direct&baz=1',
    );
    expect(u.localUri).toBe('qemu:///system?foo=bar&baz=1');
    expect(u.sshAuth).toEqual(['agent', 'privkey']);
  });

  it('name= replaces the local URI entirely', () => {
    expect(parseLibvirtUri('qemu+ssh://h/system?name=qemu:///session').localUri).toBe('qemu:///session');
  });

  it('remote:// lets the daemon choose its driver', () => {
    expect(parseLibvirtUri('remote+ssh://h/').localUri).toBe('');
  });

  it('decodes percent-escapes in user, path and parameters', () => {
    const u = parseLibvirtUri('test+ssh://some%20one@h/tmp/my%20file.xml?keyfile=/keys/a%26b');
    expect(u.user).toBe('some one');
    expect(u.path).toBe('/tmp/my file.xml');
    expect(u.keyFile).toBe('/keys/a&b');
    // The daemon gets the path exactly as it was written.
    expect(u.localUri).toBe('test:///tmp/my%20file.xml');
  });

  it('accepts bracketed IPv6 hosts', () => {
    expect(parseLibvirtUri('qemu+tcp://[::1]:1234/system')).toMatchObject({ host: '::1', port: 1234 });
  });

  it('maps libssh/libssh2 to our in-process ssh', () => {
    expect(parseLibvirtUri('qemu+libssh2://h/system').transport).toBe('ssh');
  });

  it.each([
    ['', /empty/],
    ['qemu', /missing scheme/],
    ['/var/run/libvirt/libvirt-sock', /missing scheme/],
    ['qemu:/system', /missing '\/\/'/],
    ['qemu+foo:///system', /unknown transport 'foo'/],
    ['qemu+ext:///system?command=/bin/true', /'ext'.*not supported/],
    ['qemu+ssh+tls://h/system', /more than one '\+'/],
    ['qemu+tcp://host:99999/system', /port 99999 out of range/],
    ['qemu+tcp://host:0/system', /port 0 out of range/],
    ['qemu+tcp://host:abc/system', /invalid port 'abc'/],
    ['qemu+ssh://user:secret@host/system', /passwords/],
    ['qemu+ssh://@host/system', /empty user/],
    ['qemu+unix://host/system', /takes no host/],
    ['qemu+tcp://h/system?socket=/x', /socket= applies to unix and ssh/],
    ['qemu:///system?socket=relative', /absolute path/],
    ['qemu+tls://h/system?no_verify=yes', /no_verify must be an integer/],
    ['qemu:///sys tem', /whitespace/],
    ['qemu:///system?x=%zz', /bad percent-encoding/],
    ['qemu+tcp://[nothex]/system', /not an IPv6 address/],
    ['1qemu:///system', /invalid scheme/],
  ])('rejects %j', (uri, message) => {
    expect(() => parseLibvirtUri(uri)).toThrow(message);
    if (uri !== '') expect(() => parseLibvirtUri(uri)).toThrow(uri);
  });
});

describe('transportForUri', () => {
  it('builds each transport from the URI, options overriding parameters', () => {
    const unix = transportForUri(parseLibvirtUri('qemu:///system'));
    expect(unix).toBeInstanceOf(UnixTransport);
    expect(unix.description).toBe('unix:/var/run/libvirt/libvirt-sock');
    expect(transportForUri(parseLibvirtUri('qemu:///system?socket=/a'), { socketPath: '/b' }).description).toBe(
      'unix:/b',
    );

    const tls = transportForUri(parseLibvirtUri('qemu://[::1]/system'));
    expect(tls).toBeInstanceOf(TlsTransport);
    expect(tls.description).toBe('tls:[::1]:16514');

    const ssh = transportForUri(parseLibvirtUri('qemu+ssh://alice@h:2200/system?socket=/s'), {
      ssh: { username: 'bob' },
    });
    expect(ssh).toBeInstanceOf(SshTransport);
    expect(ssh.description).toBe('ssh:bob@h:2200');
    expect((ssh as SshTransport).socketPath).toBe('/s');
    expect((transportForUri(parseLibvirtUri('qemu+ssh://h/system')) as SshTransport).socketPath).toBe(
      '/var/run/libvirt/libvirt-sock',
    );
  });

  it('refuses sshauth= lists with no method we support', () => {
    expect(() => transportForUri(parseLibvirtUri('qemu+ssh://h/system?sshauth=password'))).toThrow(
      /sshauth=password names no method/,
    );
  });
});
