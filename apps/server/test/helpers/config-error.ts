import { ConfigError, loadConfig } from '../../src/config/load.js';

/** The ConfigError `loadConfig` throws for `env`; fails the test when it throws something else or nothing. */
export function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}
