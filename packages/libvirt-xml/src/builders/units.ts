import { SpecError } from './errors.js';

/**
 * The units libvirt accepts in `unit='…'` (case-insensitive there too): powers of 1024 for K/KiB…, powers of 1000
 * for KB…, as in virScaleInteger.
 */
export type SizeUnit =
  | 'B' | 'bytes'
  | 'K' | 'KiB' | 'M' | 'MiB' | 'G' | 'GiB' | 'T' | 'TiB' | 'P' | 'PiB' | 'E' | 'EiB'
  | 'KB' | 'MB' | 'GB' | 'TB' | 'PB' | 'EB';

export interface Size {
  value: number | bigint;
  unit: SizeUnit;
}

/** A byte count: a bare number or bigint is bytes; `{ value, unit }` or a string such as `'20GiB'` carries its unit. */
export type SizeInput = number | bigint | Size | string;

/** A size whose unit must be spelled out (memory: a bare number would be ambiguous between KiB and MiB). */
export type ExplicitSize = Size | string;

export const kib = (value: number | bigint): Size => ({ value, unit: 'KiB' });
export const mib = (value: number | bigint): Size => ({ value, unit: 'MiB' });
export const gib = (value: number | bigint): Size => ({ value, unit: 'GiB' });
export const tib = (value: number | bigint): Size => ({ value, unit: 'TiB' });

function unitFactor(unit: string): bigint | undefined {
  const u = unit.toLowerCase();
  if (u === '' || u === 'b' || u === 'byte' || u === 'bytes') return 1n;
  const m = /^([kmgtpe])(i?b)?$/.exec(u);
  if (!m) return undefined;
  const power = BigInt('kmgtpe'.indexOf(m[1]!) + 1);
  return m[2] === 'b' ? 1000n ** power : 1024n ** power;
}

function parseSizeString(text: string, field: string, requireUnit: boolean): Size | { value: number; unit: '' } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(text);
  if (!m) throw new SpecError(field, `'${text}' is not a size (expected a number and a unit, e.g. '20GiB')`);
  if (requireUnit && m[2] === '') throw new SpecError(field, `'${text}' needs a unit (e.g. '2048MiB'): a bare number is ambiguous`);
  return { value: Number(m[1]), unit: m[2] as SizeUnit };
}

/** Bytes, exactly; fractional inputs are allowed only when they come out a whole number of bytes. */
export function sizeToBytes(input: SizeInput, field: string, options: { requireUnit?: boolean } = {}): bigint {
  let value: number | bigint;
  let unit: string;
  if (typeof input === 'string') ({ value, unit } = parseSizeString(input, field, options.requireUnit ?? false));
  else if (typeof input === 'number' || typeof input === 'bigint') {
    if (options.requireUnit) throw new SpecError(field, 'needs an explicit unit ({ value, unit } or a string such as \'2GiB\')');
    value = input;
    unit = 'B';
  } else {
    value = input.value;
    unit = input.unit;
  }
  const factor = unitFactor(unit);
  if (factor === undefined) throw new SpecError(field, `unknown unit '${unit}'`);
  if (typeof value === 'bigint') {
    if (value < 0n) throw new SpecError(field, 'must not be negative');
    return value * factor;
  }
  if (!Number.isFinite(value) || value < 0) throw new SpecError(field, `must be a non-negative number, got ${value}`);
  if (Number.isInteger(value)) return BigInt(value) * factor;
  const bytes = value * Number(factor);
  if (!Number.isSafeInteger(bytes)) throw new SpecError(field, `${value} ${unit} is not a whole number of bytes`);
  return BigInt(bytes);
}
