/** The command-line options every benchmark takes, and whole-number option values. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A whole-number option: `fallback` when not given, an error naming `--name` when not a whole number >= `min`. */
export function intOption(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number >= ${min}, got ${value}`);
  return n;
}

const COMMON = {
  uri: { type: 'string', default: 'qemu:///system' },
  count: { type: 'string' },
  warmup: { type: 'string' },
  concurrency: { type: 'string' },
  keep: { type: 'boolean', default: false },
  cleanup: { type: 'boolean', default: false },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies OptionsConfig;

export interface BenchArgs<T extends OptionsConfig> {
  opts: ReturnType<typeof parseArgs<{ options: typeof COMMON & T }>>['values'];
  count: number;
  concurrency: number;
  out: string;
}

/**
 * Parses the command line: the options every benchmark takes (--uri, --count, --warmup, --concurrency, --keep,
 * --cleanup, --out, --help) and `extra`. Prints `usage` and exits on --help. Returns the parsed values, with --count
 * (default 1000, at most 10000: names have four digits), --concurrency (default 4) and --out (default `defaultOut`).
 */
export function parseBenchArgs<T extends OptionsConfig>(usage: string, extra: T, defaultOut: string): BenchArgs<T> {
  const { values: opts } = parseArgs({ options: { ...COMMON, ...extra } });
  // The common options' values (`opts` is typed by the caller's `extra`, which TypeScript resolves only there).
  const common = opts as unknown as { count?: string; concurrency?: string; out?: string; help: boolean };
  if (common.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const count = intOption(common.count, 'count', 1000, 1);
  if (count > 10000) throw new Error('--count is at most 10000 (names have four digits)');
  return { opts, count, concurrency: intOption(common.concurrency, 'concurrency', 4, 1), out: common.out ?? defaultOut };
}
