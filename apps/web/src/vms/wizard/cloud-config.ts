/**
 * cloud-init user-data: the wizard's form fields as `#cloud-config` YAML (written by the `yaml` package, so every
 * value is quoted as YAML needs), and the check of hand-written user-data with the line of the first error.
 */
import { parseDocument, stringify } from 'yaml';

export interface CloudConfigFields {
  hostname: string;
  user: string;
  password: string;
  /** One key per line; blank lines and `#` comments are skipped. */
  sshKeys: string;
  /** Package names separated by spaces, commas or new lines. */
  packages: string;
}

export const CLOUD_CONFIG_HEADER = '#cloud-config';

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export function packageList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The form's user-data. A user gets sudo and, with a password, may log in with it (console and SSH). */
export function buildCloudConfig(fields: CloudConfigFields): string {
  const config: Record<string, unknown> = {};
  const hostname = fields.hostname.trim();
  if (hostname !== '') config['hostname'] = hostname;
  const keys = lines(fields.sshKeys);
  const user = fields.user.trim();
  if (user !== '') {
    const entry: Record<string, unknown> = { name: user, groups: ['sudo'], shell: '/bin/bash', sudo: 'ALL=(ALL) NOPASSWD:ALL' };
    if (fields.password !== '') {
      entry['lock_passwd'] = false;
      entry['plain_text_passwd'] = fields.password;
    }
    if (keys.length > 0) entry['ssh_authorized_keys'] = keys;
    config['users'] = ['default', entry];
    if (fields.password !== '') config['ssh_pwauth'] = true;
  } else if (keys.length > 0) {
    // No user of our own: the keys go to the image's default user (debian, ubuntu, fedora, ...).
    config['ssh_authorized_keys'] = keys;
  }
  const packages = packageList(fields.packages);
  if (packages.length > 0) {
    config['package_update'] = true;
    config['packages'] = packages;
  }
  const body = Object.keys(config).length === 0 ? '' : stringify(config, { lineWidth: 0 });
  return `${CLOUD_CONFIG_HEADER}\n${body}`;
}

export interface UserDataProblem {
  /** 1-based; null when the problem is not at a line (e.g. the missing header). */
  line: number | null;
  message: string;
  kind: 'header' | 'syntax' | 'not-a-mapping' | 'empty';
}

/** The first problem of hand-written user-data, or null: it must start with #cloud-config and be a YAML mapping. */
export function checkUserData(text: string): UserDataProblem | null {
  if (text.trim() === '') return { line: null, message: '', kind: 'empty' };
  if (!text.startsWith(CLOUD_CONFIG_HEADER)) return { line: 1, message: '', kind: 'header' };
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line ?? null;
    // prettyErrors appends a code frame after the first line; beside a field, the first line says enough.
    return { line, message: error.message.split('\n')[0] ?? error.message, kind: 'syntax' };
  }
  const value: unknown = doc.toJS();
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) return { line: 1, message: '', kind: 'not-a-mapping' };
  return null;
}
