// The harness itself, below the UI: the server the global setup started answers, the admin signs in with the
// known password, and the test VM defined through virsh is in the server's domain list.
import { DomainListSchema } from '@vireo/api';
import { ADMIN_PASSWORD, ADMIN_USER } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';

test('the server is up, the admin signs in through the API and sees the test VM', async ({ request, testVm }) => {
  const health = await request.get('/api/v1/health');
  expect(health.ok()).toBe(true);

  const login = await request.post('/api/v1/session', { data: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
  expect(login.status()).toBe(200);

  await expect
    .poll(async () => {
      const res = await request.get('/api/v1/hosts/local/domains');
      if (!res.ok()) return `HTTP ${res.status()}`;
      const list = DomainListSchema.parse(await res.json());
      return list.domains.find((d) => d.name === testVm)?.state ?? 'not listed';
    })
    .toBe('shutoff');
});
