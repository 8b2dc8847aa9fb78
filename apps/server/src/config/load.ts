import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { PASSWORD_MIN_LENGTH } from '@vireo/api';
import { z } from 'zod';
import type { Config } from './config.js';

/** Bad configuration: the message is one line that names the variable and says what is wrong. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

type Source = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every variable Vireo reads, with its parser. A config file may hold the same names (minus VIREO_CONFIG). */
const VARIABLES = {
  VIREO_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    // 0 asks the kernel for a free port (tests); the listening address is logged.
    .min(0, 'must be 0-65535')
    .max(65535, 'must be 0-65535')
    .default(8443),
  VIREO_HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  VIREO_DATA_DIR: z
    .string()
    .refine((p) => path.isAbsolute(p), 'must be an absolute path')
    .default('/var/lib/vireo'),
  VIREO_LIBVIRT_URI: z
    .string()
    .regex(/^[a-z0-9+]+:\/\//i, 'must be a libvirt URI such as qemu:///system')
    .default('qemu:///system'),
  VIREO_TLS_CERT: z.string().min(1).optional(),
  VIREO_TLS_KEY: z.string().min(1).optional(),
  VIREO_ADMIN_PASSWORD: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(1024, 'must be at most 1024 characters')
    .optional(),
  VIREO_INSECURE_HTTP: z
    .enum(['1', '0', 'true', 'false', 'yes', 'no'], { error: 'must be 1 or 0' })
    .transform((v) => v === '1' || v === 'true' || v === 'yes')
    .default(false),
  VIREO_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://vireo.example.org' })
    .transform((u) => new URL(u).origin)
    .optional(),
  VIREO_TRUSTED_PROXIES: z
    .string()
    .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p !== ''))
    .refine((list) => list.every(isAddressOrCidr), 'must be a comma-separated list of IP addresses or CIDR ranges')
    .default([]),
  VIREO_SESSION_IDLE_TIMEOUT: seconds(30 * 60),
  VIREO_SESSION_ABSOLUTE_TIMEOUT: seconds(12 * 60 * 60),
  VIREO_LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int('must be a whole number').min(1).max(10_000).default(10),
  VIREO_PAM_SERVICE: z
    .string()
    .regex(/^[a-z0-9_.-]+$/i, 'must be a PAM service name (a file name in /etc/pam.d)')
    .default('vireo'),
  VIREO_PAM_ADMIN_GROUPS: groupList('sudo'),
  VIREO_PAM_OPERATOR_GROUPS: groupList('libvirt'),
  VIREO_STATS_INTERVAL_MS: milliseconds(5000, 500),
  VIREO_EVENTS_HEARTBEAT_MS: milliseconds(15_000, 1000),
  VIREO_ISO_DIRS: z
    .string()
    .transform((s) => s.split(':').map((p) => p.trim()).filter((p) => p !== ''))
    .refine((dirs) => dirs.every((d) => path.isAbsolute(d)), 'must be a colon-separated list of absolute paths')
    .transform((dirs) => [...new Set(dirs.map((d) => path.normalize(d).replace(/(.)\/+$/, '$1')))])
    .default([]),
  VIREO_OSINFO_DIR: z
    .string()
    .refine((p) => path.isAbsolute(p), 'must be an absolute path')
    .default('/usr/share/osinfo'),
  VIREO_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
} as const;

type VariableName = keyof typeof VARIABLES;
type Parsed = { [K in VariableName]: z.output<(typeof VARIABLES)[K]> };

function seconds(fallback: number) {
  return z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(60, 'must be at least 60 seconds')
    .max(366 * 24 * 3600, 'must be at most a year')
    .default(fallback);
}

// The floors keep a typo (5 for 5000) from turning the tick or the heartbeat into a busy loop; the ceiling is an
// hour, past which the stream would look dead to any client and the metrics ring would hold almost nothing.
function milliseconds(fallback: number, min: number) {
  return z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${min} ms`)
    .max(3_600_000, 'must be at most 3600000 ms (an hour)')
    .default(fallback);
}

function groupList(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((s) => s.split(',').map((g) => g.trim()).filter((g) => g !== ''));
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The config file named by VIREO_CONFIG: a JSON object of the same variable names; the environment wins over it. */
function readConfigFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('VIREO_CONFIG', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('VIREO_CONFIG', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError('VIREO_CONFIG', `${file} must hold a JSON object of VIREO_* settings`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!(key in VARIABLES)) throw new ConfigError('VIREO_CONFIG', `${file}: unknown setting "${key}"`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ConfigError(key, `in ${file} must be a string, number or boolean`);
    }
    out[key] = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  }
  return out;
}

function parseVariables(source: Source): Parsed {
  const out: Partial<Record<VariableName, unknown>> = {};
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const raw = source[name];
    // An empty variable means "not set", as in a systemd unit's `Environment=VIREO_TLS_CERT=`.
    const result = VARIABLES[name].safeParse(raw === '' ? undefined : raw);
    if (!result.success) {
      const reason = result.error.issues[0]?.message ?? 'is invalid';
      // A secret is never echoed back.
      const shown = name === 'VIREO_ADMIN_PASSWORD' || raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
      throw new ConfigError(name, `${reason}${shown}`);
    }
    out[name] = result.data;
  }
  return out as Parsed;
}

function checkReadable(variable: string, file: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    throw new ConfigError(variable, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function checkDirectory(variable: string, dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch (err) {
    throw new ConfigError(variable, `cannot use ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!st.isDirectory()) throw new ConfigError(variable, `${dir} is not a directory`);
}

/** Reads the configuration from the environment (and the file VIREO_CONFIG names). Throws ConfigError. */
export function loadConfig(env: Source = process.env): Config {
  const file = env.VIREO_CONFIG ? readConfigFile(env.VIREO_CONFIG) : {};
  const v = parseVariables({ ...file, ...env });

  if ((v.VIREO_TLS_CERT === undefined) !== (v.VIREO_TLS_KEY === undefined)) {
    const missing = v.VIREO_TLS_CERT === undefined ? 'VIREO_TLS_CERT' : 'VIREO_TLS_KEY';
    throw new ConfigError(missing, 'must be set together with the other of VIREO_TLS_CERT / VIREO_TLS_KEY');
  }
  if (v.VIREO_TLS_CERT !== undefined && v.VIREO_TLS_KEY !== undefined) {
    checkReadable('VIREO_TLS_CERT', v.VIREO_TLS_CERT);
    checkReadable('VIREO_TLS_KEY', v.VIREO_TLS_KEY);
  }
  if (v.VIREO_INSECURE_HTTP && !isLoopback(v.VIREO_HOST)) {
    throw new ConfigError(
      'VIREO_INSECURE_HTTP',
      `plain HTTP is allowed only on a loopback address, but VIREO_HOST is ${v.VIREO_HOST} (use 127.0.0.1 behind a TLS proxy)`,
    );
  }
  for (const dir of v.VIREO_ISO_DIRS) checkDirectory('VIREO_ISO_DIRS', dir);
  if (v.VIREO_SESSION_IDLE_TIMEOUT > v.VIREO_SESSION_ABSOLUTE_TIMEOUT) {
    throw new ConfigError('VIREO_SESSION_IDLE_TIMEOUT', 'must not exceed VIREO_SESSION_ABSOLUTE_TIMEOUT');
  }

  return {
    port: v.VIREO_PORT,
    host: v.VIREO_HOST,
    dataDir: v.VIREO_DATA_DIR,
    libvirtUri: v.VIREO_LIBVIRT_URI,
    tls:
      v.VIREO_TLS_CERT !== undefined && v.VIREO_TLS_KEY !== undefined
        ? { certFile: v.VIREO_TLS_CERT, keyFile: v.VIREO_TLS_KEY }
        : null,
    insecureHttp: v.VIREO_INSECURE_HTTP,
    adminPassword: v.VIREO_ADMIN_PASSWORD ?? null,
    publicOrigin: v.VIREO_PUBLIC_URL ?? null,
    trustedProxies: v.VIREO_TRUSTED_PROXIES,
    session: {
      idleTimeoutMs: v.VIREO_SESSION_IDLE_TIMEOUT * 1000,
      absoluteTimeoutMs: v.VIREO_SESSION_ABSOLUTE_TIMEOUT * 1000,
    },
    login: { attemptsPerMinute: v.VIREO_LOGIN_ATTEMPTS_PER_MINUTE },
    pam: {
      service: v.VIREO_PAM_SERVICE,
      adminGroups: v.VIREO_PAM_ADMIN_GROUPS,
      operatorGroups: v.VIREO_PAM_OPERATOR_GROUPS,
    },
    live: { statsIntervalMs: v.VIREO_STATS_INTERVAL_MS, heartbeatMs: v.VIREO_EVENTS_HEARTBEAT_MS },
    media: { isoDirs: v.VIREO_ISO_DIRS },
    osinfoDir: v.VIREO_OSINFO_DIR,
    logLevel: v.VIREO_LOG_LEVEL,
  };
}
