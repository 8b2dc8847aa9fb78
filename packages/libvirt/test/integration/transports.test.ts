import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyVerificationError } from '../../src/index.js';
import { daemonAvailable, LIBVIRT_SOCKET, open } from '../support/libvirt.js';
import { sshdUnavailableReason, startSshd, type Sshd } from '../support/sshd.js';
import { transportSubset } from '../support/subset.js';

const tcpUri = process.env['VIREO_TEST_TCP_URI'];
const tlsUri = process.env['VIREO_TEST_TLS_URI'];

describe.skipIf(!daemonAvailable)('unix socket transport', () => {
  transportSubset(() => open());
});

// The daemon must listen on TCP/TLS for these: scripts/libvirt-daemons.sh --test configures that when it starts
// libvirtd itself; on a host whose own daemon does not listen they skip.
describe.skipIf(!daemonAvailable || !tcpUri)(`TCP transport${tcpUri ? '' : ' (skipped: VIREO_TEST_TCP_URI unset)'}`, () => {
  transportSubset(() => open(tcpUri));
});

describe.skipIf(!daemonAvailable || !tlsUri)(`TLS transport${tlsUri ? '' : ' (skipped: VIREO_TEST_TLS_URI unset)'}`, () => {
  transportSubset(() => open(tlsUri));
});

const sshSkip = !daemonAvailable ? 'no libvirtd' : sshdUnavailableReason();

describe.skipIf(sshSkip !== undefined)(`SSH transport to libvirtd${sshSkip ? ` (skipped: ${sshSkip})` : ''}`, () => {
  let sshd: Sshd;
  const uri = (knownHosts: string): string =>
    `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/system?keyfile=${sshd.userKeyPath}&known_hosts=${knownHosts}&socket=${LIBVIRT_SOCKET}`;

  beforeAll(async () => {
    const started = await startSshd();
    if (!started) throw new Error('sshd did not start');
    sshd = started;
  });

  afterAll(async () => {
    await sshd?.stop();
  });

  describe('with the host key in known_hosts', () => {
    transportSubset(() => open(uri(sshd.knownHostsPath)));
  });

  it('refuses a host whose key is not in known_hosts, naming its fingerprint', async () => {
    const empty = join(sshd.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const err = await open(uri(empty)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyVerificationError);
    expect((err as HostKeyVerificationError).problem).toBe('unknown');
    expect((err as Error).message).toMatch(/SHA256:/);
  });
});
