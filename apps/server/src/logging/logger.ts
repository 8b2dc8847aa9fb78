import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.js';

/**
 * The server's pino logger. Request lines carry `requestId` (the `x-request-id` response header). Credentials
 * never reach the log: cookie and authorization headers and the CSRF header are censored.
 */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
