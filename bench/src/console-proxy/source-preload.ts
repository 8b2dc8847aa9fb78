/**
 * The Vireo server as the console benchmark runs it: the built app (apps/server/dist), configured by the environment
 * like main.js, except that the host's access connects every console to the benchmark's TCP source
 * (VIREO_BENCH_CONSOLE_PORT) instead of the VM's display. Everything between the browser's WebSocket and that socket
 * (authentication, ticket, the proxy) is the production code.
 */
import type { Duplex } from 'node:stream';

interface Listener {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
}
interface ServerModules {
  buildApp(config: unknown, deps: Record<string, unknown>): Promise<{ app: Listener }>;
  loadConfig(env: NodeJS.ProcessEnv): { port: number; host: string; logLevel: string };
  createLogger(level: string): unknown;
  LocalHostAccess: new () => { connect(endpoint: unknown): Promise<Duplex> };
}

const dist = new URL('../../../apps/server/dist/', import.meta.url);
const load = async <T>(path: string): Promise<T> => (await import(new URL(path, dist).href)) as T;

const port = Number(process.env['VIREO_BENCH_CONSOLE_PORT']);
if (!Number.isInteger(port) || port <= 0) throw new Error('VIREO_BENCH_CONSOLE_PORT: the TCP source\'s port');

const { buildApp } = await load<Pick<ServerModules, 'buildApp'>>('app.js');
const { loadConfig } = await load<Pick<ServerModules, 'loadConfig'>>('config/load.js');
const { createLogger } = await load<Pick<ServerModules, 'createLogger'>>('logging/logger.js');
const { LocalHostAccess } = await load<Pick<ServerModules, 'LocalHostAccess'>>('host-access/local-host-access.js');

class SourceAccess extends LocalHostAccess {
  override connect(): Promise<Duplex> {
    return super.connect({ kind: 'tcp', host: '127.0.0.1', port });
  }
}

const config = loadConfig(process.env);
const { app } = await buildApp(config, { logger: createLogger(config.logLevel), live: { localAccess: new SourceAccess() } });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ port: config.port, host: config.host });
