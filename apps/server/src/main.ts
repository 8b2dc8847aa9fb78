// Vireo server entry point: configuration from the environment, TLS, then the app in the foreground.
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import type { Config } from './config/config.js';
import { ConfigError, loadConfig } from './config/load.js';
import { createLogger } from './logging/logger.js';
import { loadOrCreateCertificate } from './tls/certificate.js';

/** The configuration, or exit 2 with one line naming the bad variable. */
function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`vireo: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();

  const logger = createLogger(config.logLevel);
  let tls: { cert: string; key: string } | undefined;
  if (!config.insecureHttp) {
    const material = await loadOrCreateCertificate(config);
    tls = { cert: material.cert, key: material.key };
    const how = { provided: 'given by VIREO_TLS_CERT', generated: 'generated (self-signed)', reused: 'self-signed' }[material.source];
    process.stdout.write(`Vireo TLS certificate ${material.certFile} (${how}), SHA-256 fingerprint ${material.fingerprint256}\n`);
  } else {
    logger.warn(`plain HTTP on ${config.host} (VIREO_INSECURE_HTTP): put a TLS-terminating proxy in front`);
  }

  // The web app's build beside this package (apps/web/dist), when it was built.
  const webRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const { app } = await buildApp(config, { tls, logger, webRoot });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info(`${signal}: shutting down`);
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  await app.listen({ port: config.port, host: config.host });
}

main().catch((err: unknown) => {
  process.stderr.write(`vireo: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
