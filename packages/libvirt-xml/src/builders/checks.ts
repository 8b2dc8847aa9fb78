/** Field checks shared by the builders; each names the field it rejects. */
import { isIP } from 'node:net';
import { SpecError } from './errors.js';

/**
 * The first character XML 1.0 cannot carry at all, not even escaped: C0 controls other than tab/LF/CR,
 * U+FFFE/U+FFFF, and lone surrogates (which UTF-8 cannot encode).
 */
function unrepresentable(s: string): number | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) return c;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return c;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return c;
  }
  return undefined;
}

/** Any text that goes into the document: the serializer escapes markup, but these characters have no escape. */
export function xmlText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new SpecError(field, 'must be text');
  const bad = unrepresentable(value);
  if (bad !== undefined) throw new SpecError(field, `contains U+${bad.toString(16).toUpperCase().padStart(4, '0')}, which XML cannot represent`);
  return value;
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SpecError(field, 'is required');
  return xmlText(value, field);
}

/** libvirt object names end up in file names under /etc/libvirt, hence no '/', and one line. */
export function objectName(value: unknown, field: string): string {
  const name = requireString(value, field);
  if (name.includes('/')) throw new SpecError(field, `'${name}' must not contain '/'`);
  if (/[\n\r]/.test(name)) throw new SpecError(field, 'must be a single line');
  return name;
}

export function absolutePath(value: unknown, field: string): string {
  const path = requireString(value, field);
  if (!path.startsWith('/')) throw new SpecError(field, `'${path}' must be an absolute path`);
  return path;
}

/** Host device names (bridges, NICs): what the schema's deviceName allows. */
export function deviceName(value: unknown, field: string): string {
  const name = requireString(value, field);
  if (!/^[a-zA-Z0-9_.\-\\:/]+$/.test(name)) throw new SpecError(field, `'${name}' is not a valid device name`);
  return name;
}

export function integer(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SpecError(field, `must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new SpecError(field, `'${String(value)}' is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function uuid(value: unknown, field: string): string {
  const s = requireString(value, field);
  if (!/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(s)) {
    throw new SpecError(field, `'${s}' is not a UUID`);
  }
  return s;
}

export function macAddress(value: unknown, field: string): string {
  const s = requireString(value, field);
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(s)) throw new SpecError(field, `'${s}' is not a MAC address (xx:xx:xx:xx:xx:xx)`);
  // A multicast MAC on a NIC breaks the guest's networking in ways that are hard to trace back.
  if (Number.parseInt(s.slice(0, 2), 16) & 1) throw new SpecError(field, `'${s}' is a multicast address`);
  return s.toLowerCase();
}

export function ipAddress(value: unknown, field: string, family?: 4 | 6): string {
  const s = requireString(value, field);
  const got = isIP(s);
  if (got === 0 || (family !== undefined && got !== family)) {
    throw new SpecError(field, `'${s}' is not an IPv${family ?? '4 or IPv6'} address`);
  }
  return s;
}
