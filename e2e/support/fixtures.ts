/**
 * The journeys' `test`: `baseURL` is the server the global setup started, and `testVm` is a tiny VM defined
 * (shut off) once per worker and removed when the worker ends. Every test starts with the admin's saved language
 * back at English: the language is remembered per user on the server, and journeys that switch to Chinese must not
 * leave it to the next one.
 */
import { request, test as base } from '@playwright/test';
import { ADMIN_PASSWORD, ADMIN_USER, BASE_URL_VAR, STATE_DIR_VAR, requiredEnv } from './env.js';
import { defineTestVm, removeTestVm, testVmName } from './libvirt.js';

interface TestFixtures {
  /** Runs before every test (auto): the admin's saved interface language is English. */
  englishAdmin: void;
}

interface WorkerFixtures {
  /** The name of this worker's test VM. */
  testVm: string;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  baseURL: async ({}, use) => {
    await use(requiredEnv(BASE_URL_VAR));
  },
  testVm: [
    // eslint-disable-next-line no-empty-pattern -- as above
    async ({}, use) => {
      const stateDir = requiredEnv(STATE_DIR_VAR);
      const name = testVmName();
      await defineTestVm(name, stateDir);
      try {
        await use(name);
      } finally {
        await removeTestVm(name, stateDir);
      }
    },
    { scope: 'worker' },
  ],
  englishAdmin: [
    // eslint-disable-next-line no-empty-pattern -- as above
    async ({}, use) => {
      const baseURL = requiredEnv(BASE_URL_VAR);
      const api = await request.newContext({ baseURL, ignoreHTTPSErrors: true, extraHTTPHeaders: { origin: baseURL } });
      try {
        const login = await api.post('/api/v1/session', { data: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
        if (!login.ok()) throw new Error(`resetting the admin's language: sign-in answered ${login.status()}`);
        const { csrfToken } = (await login.json()) as { csrfToken: string };
        const put = await api.put('/api/v1/session/language', { data: { language: 'en' }, headers: { 'x-csrf-token': csrfToken } });
        if (put.status() !== 204) throw new Error(`resetting the admin's language: ${put.status()} ${await put.text()}`);
        await api.delete('/api/v1/session', { headers: { 'x-csrf-token': csrfToken } });
      } finally {
        await api.dispose();
      }
      await use();
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
