/**
 * Checks a document against libvirt's own RelaxNG schemas (/usr/share/libvirt/schemas) with `virt-xml-validate`
 * (Debian's libvirt-clients; it runs xmllint from libxml2-utils). The schemas ship with the daemon's version, so
 * they know exactly the elements this host's libvirt does: a second implementation in TypeScript would drift.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCHEMA_KINDS = [
  'domain',
  'network',
  'networkport',
  'storagepool',
  'storagevol',
  'storagepoolcaps',
  'nodedev',
  'capability',
  'domaincaps',
  'domainsnapshot',
  'domaincheckpoint',
  'domainbackup',
  'nwfilter',
  'nwfilterbinding',
  'secret',
  'interface',
  'cpu',
] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** Root element name → schema, matched exactly (virt-xml-validate's own detection matches substrings). */
const ROOT_KINDS: Readonly<Record<string, SchemaKind>> = {
  domain: 'domain',
  network: 'network',
  networkport: 'networkport',
  pool: 'storagepool',
  volume: 'storagevol',
  storagepoolCapabilities: 'storagepoolcaps',
  device: 'nodedev',
  capabilities: 'capability',
  domainCapabilities: 'domaincaps',
  domainsnapshot: 'domainsnapshot',
  domaincheckpoint: 'domaincheckpoint',
  domainbackup: 'domainbackup',
  filter: 'nwfilter',
  filterbinding: 'nwfilterbinding',
  secret: 'secret',
  interface: 'interface',
  cpu: 'cpu',
};

export interface ValidationIssue {
  /** 1-based line in the document, when the validator gave one. */
  line?: number;
  /** The element the validator was at. */
  element?: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  /** The schema checked against; absent when the document has no root element to choose one by. */
  kind?: SchemaKind;
  errors: ValidationIssue[];
}

export interface ValidateOptions {
  /** Default 30 s; the domain schema takes well under a second. */
  timeoutMs?: number;
  /** The validator to run; default `virt-xml-validate` from PATH. */
  command?: string;
}

export type ValidatorFailure = 'missing-tool' | 'unknown-kind' | 'timeout' | 'failed';

/** The validator could not give a verdict (as opposed to a document that fails validation). */
export class SchemaValidatorError extends Error {
  override readonly name = 'SchemaValidatorError';
  constructor(
    readonly failure: ValidatorFailure,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_COMMAND = 'virt-xml-validate';
const MISSING_TOOL_HINT = 'install Debian packages libvirt-clients (virt-xml-validate) and libxml2-utils (xmllint); scripts/setup.sh does';

/** The root element's local name, found without parsing so that a malformed document still gets xmllint's report. */
export function rootElementName(xml: string): string | undefined {
  let rest = xml.replace(/^\uFEFF/, '');
  for (;;) {
    rest = rest.replace(/^\s+/, '');
    const skip = /^(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>)/.exec(rest);
    if (!skip) break;
    rest = rest.slice(skip[0].length);
  }
  const m = /^<([^\s/>!?]+)/.exec(rest);
  if (!m) return undefined;
  const qname = m[1]!;
  return qname.slice(qname.indexOf(':') + 1);
}

export function schemaKindOf(xml: string): SchemaKind | undefined {
  const root = rootElementName(xml);
  return root === undefined ? undefined : ROOT_KINDS[root];
}

/**
 * xmllint's messages about `file` as located issues. Its lines look like
 * `FILE:12: element foo: Relax-NG validity error : Element domain has extra content: foo` or
 * `FILE:3: parser error : Opening and ending tag mismatch: a line 2 and b`; the source excerpt and caret lines after
 * a parser error, and the closing `FILE fails to validate`, carry no issue of their own.
 */
export function parseValidatorOutput(output: string, file: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const prefix = `${file}:`;
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd();
    if (!line.startsWith(prefix)) continue;
    const m = /^(\d+): (?:element ([^:\s]+): )?(.*?) : (.*)$/.exec(line.slice(prefix.length));
    if (!m) continue;
    const lineNo = Number(m[1]);
    const kind = m[3]!;
    const text = m[4]!.trim();
    issues.push({
      line: lineNo > 0 ? lineNo : undefined,
      element: m[2],
      message: kind === 'Relax-NG validity error' ? text : `${kind}: ${text}`,
    });
  }
  return issues;
}

interface ExecResult {
  code: number | string | null;
  output: string;
  timedOut: boolean;
}

function run(command: string, args: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      // The C locale keeps xmllint's messages in the English the parser expects.
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        if (!err) return resolve({ code: 0, output, timedOut: false });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string | null };
        resolve({ code: e.code ?? null, output, timedOut: e.killed === true });
      },
    );
  });
}

/**
 * Validates `xml` against libvirt's schema for `kind` (default: chosen from the root element). Resolves with the
 * verdict and located errors; rejects with SchemaValidatorError when there is no verdict to give (no tool, unknown
 * kind, timeout).
 */
export async function validateXml(xml: string, kind?: SchemaKind, options: ValidateOptions = {}): Promise<ValidationResult> {
  let schema: SchemaKind;
  if (kind !== undefined) {
    // The kind becomes part of a schema path inside the tool: only known names may get there.
    if (!(SCHEMA_KINDS as readonly string[]).includes(kind)) throw new SchemaValidatorError('unknown-kind', `unknown schema kind '${String(kind)}'`);
    schema = kind;
  } else {
    const root = rootElementName(xml);
    if (root === undefined) return { valid: false, errors: [{ line: 1, message: 'not well-formed: the document has no root element' }] };
    const detected = ROOT_KINDS[root];
    if (detected === undefined) throw new SchemaValidatorError('unknown-kind', `no libvirt schema for a <${root}> document; pass the kind`);
    schema = detected;
  }
  const command = options.command ?? DEFAULT_COMMAND;
  const dir = await mkdtemp(join(tmpdir(), 'vireo-validate-'));
  try {
    const file = join(dir, 'document.xml');
    await writeFile(file, xml, 'utf8');
    const res = await run(command, [file, schema], options.timeoutMs ?? 30_000);
    if (res.timedOut) throw new SchemaValidatorError('timeout', `${command} did not finish within ${options.timeoutMs ?? 30_000} ms`);
    if (res.code === 'ENOENT') throw new SchemaValidatorError('missing-tool', `${command} is not installed: ${MISSING_TOOL_HINT}`);
    if (res.code === 'EACCES') throw new SchemaValidatorError('missing-tool', `${command} is not executable`);
    // 127: the shell script found no xmllint.
    if (res.code === 127) throw new SchemaValidatorError('missing-tool', `${command} could not run xmllint: ${MISSING_TOOL_HINT}`);
    if (res.code === 0) return { valid: true, kind: schema, errors: [] };
    const errors = parseValidatorOutput(res.output, file);
    if (errors.length > 0) return { valid: false, kind: schema, errors };
    // 4: virt-xml-validate found no such schema (an older libvirt without it).
    if (res.code === 4) throw new SchemaValidatorError('unknown-kind', `this libvirt has no '${schema}' schema: ${res.output.trim()}`);
    const message = res.output.replaceAll(file, '<document>').trim();
    if (typeof res.code !== 'number') throw new SchemaValidatorError('failed', `${command} failed (${String(res.code)}): ${message}`);
    return { valid: false, kind: schema, errors: [{ message: message || `${command} exited with status ${res.code}` }] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
