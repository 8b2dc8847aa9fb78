import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PamtesterAuthenticator } from '../../src/security/pam/pamtester.js';
import { tmpDir } from '../helpers/harness.js';

/** Stand-ins for pamtester and id: the real PAM stack is not touched by unit tests. */
function fakeTools(): { pamtester: string; id: string; argsFile: string } {
  const dir = tmpDir();
  const argsFile = path.join(dir, 'args');
  const pamtester = path.join(dir, 'pamtester');
  writeFileSync(
    pamtester,
    `#!/bin/sh\necho "$@" > ${argsFile}\nread pw\n[ "$2" = alice ] && [ "$pw" = 'right password' ] && exit 0\nexit 1\n`,
  );
  const id = path.join(dir, 'id');
  writeFileSync(id, '#!/bin/sh\n[ "$3" = alice ] && echo "alice users libvirt" && exit 0\nexit 1\n');
  chmodSync(pamtester, 0o755);
  chmodSync(id, 0o755);
  return { pamtester, id, argsFile };
}

describe('PamtesterAuthenticator', () => {
  it('passes the service, user and password to pamtester and reads the groups', async () => {
    const tools = fakeTools();
    const pam = new PamtesterAuthenticator({ service: 'vireo', ...tools });
    await expect(pam.authenticate('alice', 'right password')).resolves.toEqual({ ok: true, groups: ['alice', 'users', 'libvirt'] });
    expect(readFileSync(tools.argsFile, 'utf8').trim()).toBe('vireo alice authenticate');
  });

  it('reports a wrong password as invalid credentials', async () => {
    const pam = new PamtesterAuthenticator({ service: 'vireo', ...fakeTools() });
    await expect(pam.authenticate('alice', 'wrong')).resolves.toEqual({ ok: false, reason: 'invalid-credentials' });
  });

  it('never hands an option-like or odd name to the tools', async () => {
    const tools = fakeTools();
    const pam = new PamtesterAuthenticator({ service: 'vireo', ...tools });
    for (const name of ['-v', '../root', 'a b', '']) {
      await expect(pam.authenticate(name, 'x')).resolves.toEqual({ ok: false, reason: 'invalid-credentials' });
    }
  });

  it('says clearly that pamtester is missing', async () => {
    const pam = new PamtesterAuthenticator({ service: 'vireo', pamtester: '/nonexistent/pamtester' });
    const result = await pam.authenticate('alice', 'pw');
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(result.ok === false && result.reason === 'unavailable' && result.message).toMatch(/pamtester.*not installed/);
  });
});

describe('PamtesterAuthenticator with the real pamtester', () => {
  const installed = ['/usr/bin/pamtester', '/usr/sbin/pamtester'].some((p) => existsSync(p));
  it.skipIf(!installed)('refuses an account that does not exist (and does not report PAM as unavailable)', async () => {
    const pam = new PamtesterAuthenticator({ service: 'vireo' });
    await expect(pam.authenticate('vireo-test-no-such-user', 'whatever')).resolves.toEqual({ ok: false, reason: 'invalid-credentials' });
  });
});
