import { uuidToString } from '../uuid.js';

/** Makes decoded protocol values JSON-friendly: UUID bytes as text, 64-bit values as numbers when exact. */
export function toJsonValue(value: unknown, key = ''): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Buffer.isBuffer(value)) return key === 'uuid' && value.length === 16 ? uuidToString(value) : value.toString('base64');
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v, k);
    return out;
  }
  return value;
}
