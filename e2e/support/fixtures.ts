/**
 * The journeys' `test`: `baseURL` is the server the global setup started, and `testVm` is a tiny VM defined
 * (shut off) once per worker and removed when the worker ends.
 */
import { test as base } from '@playwright/test';
import { BASE_URL_VAR, STATE_DIR_VAR, requiredEnv } from './env.js';
import { defineTestVm, removeTestVm, testVmName } from './libvirt.js';

interface WorkerFixtures {
  /** The name of this worker's test VM. */
  testVm: string;
}

export const test = base.extend<object, WorkerFixtures>({
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
});

export { expect } from '@playwright/test';
