/**
 * What the wizard checks before sending, and where the server's own field errors (problem+json
 * `errors[].field`, e.g. `body.spec.memory`) belong in the form: both end up as a reason beside a field.
 */
import type { FieldError } from '@vireo/api';
import { checkUserData } from './cloud-config.js';
import { GIB, makesNewDisk, memoryBytes, type WizardForm } from './form.js';

export const FIELDS = ['name', 'media', 'vcpus', 'memory', 'firmware', 'tpm', 'diskPool', 'diskSize', 'diskFormat', 'diskBus', 'network', 'graphics', 'userData', 'form'] as const;
export type FieldKey = (typeof FIELDS)[number];

/** A reason to show: an i18n key of the `wizard.errors` section with its values, or the server's own words. */
export type Reason = { key: string; values?: Record<string, string | number> } | { text: string };
export type FieldErrors = Partial<Record<FieldKey, Reason>>;

export const STEPS = ['source', 'hardware', 'storage', 'network', 'cloudInit', 'summary'] as const;
export type StepId = (typeof STEPS)[number];

/** The step that holds each field, so a failed create can take the user back to the first bad one. */
export const FIELD_STEP: Record<FieldKey, StepId> = {
  name: 'source',
  media: 'source',
  vcpus: 'hardware',
  memory: 'hardware',
  firmware: 'hardware',
  tpm: 'hardware',
  diskPool: 'storage',
  diskSize: 'storage',
  diskFormat: 'storage',
  diskBus: 'storage',
  network: 'network',
  graphics: 'network',
  userData: 'cloudInit',
  form: 'summary',
};

export interface ValidationContext {
  /** Names of the host's VMs, from the cached list. */
  existingNames: readonly string[];
}

// What libvirt accepts as a name and our volume names can carry: no slash, no control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_NAME = /[/\u0000-\u001f\u007f]/;

/** Every problem of the form, by field. The steps only look at their own fields (see `stepErrors`). */
export function validateForm(form: WizardForm, ctx: ValidationContext): FieldErrors {
  const errors: FieldErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = { key: 'nameRequired' };
  else if (name.length > 200) errors.name = { key: 'nameTooLong' };
  else if (BAD_NAME.test(name)) errors.name = { key: 'nameInvalid' };
  else if (ctx.existingNames.includes(name)) errors.name = { key: 'nameTaken', values: { name } };

  if (form.source !== 'pxe' && form.media === null) errors.media = { key: `mediaRequired.${form.source}` };
  else if (form.source === 'cloud' && form.media?.source.type !== 'volume') errors.media = { key: 'cloudImageInPool' };

  if (!Number.isInteger(form.vcpus) || form.vcpus < 1 || form.vcpus > 4096) errors.vcpus = { key: 'vcpusRange' };

  const mem = memoryBytes(form);
  const minimum = form.os?.minimum.memoryBytes ?? null;
  if (!Number.isFinite(mem) || mem <= 0) errors.memory = { key: 'memoryPositive' };
  else if (mem % 1024 !== 0) errors.memory = { key: 'memoryWhole' };
  else if (minimum !== null && mem < minimum) errors.memory = { key: 'memoryMinimum', values: { minimum: Math.ceil(minimum / (1024 * 1024)), os: form.os?.name ?? '' } };

  if (makesNewDisk(form)) {
    if (form.diskPool === '') errors.diskPool = { key: 'poolRequired' };
    if (!Number.isFinite(form.diskSizeGiB) || Math.round(form.diskSizeGiB * 1024) <= 0) errors.diskSize = { key: 'diskSizePositive' };
    else if (form.source === 'cloud' && form.media && form.diskSizeGiB * GIB < form.media.virtualSizeBytes) {
      // The copy is grown to the size asked for, never shrunk below the image.
      errors.diskSize = { key: 'diskSizeImage', values: { size: Math.ceil((form.media.virtualSizeBytes / GIB) * 1000) / 1000 } };
    }
  }

  if (form.network !== 'none' && form.networkTarget === '') errors.network = { key: `networkTarget.${form.network}` };
  else if (form.source === 'pxe' && form.network === 'none') errors.network = { key: 'pxeNeedsNic' };

  if (form.source === 'cloud' && form.cloudInit.useRaw) {
    const problem = checkUserData(form.cloudInit.raw);
    if (problem) {
      errors.userData =
        problem.kind === 'syntax'
          ? { key: 'userDataSyntax', values: { line: problem.line ?? 1, message: problem.message } }
          : { key: `userData.${problem.kind}` };
    }
  }
  return errors;
}

/** The errors a step shows when the user tries to leave it with Next. */
export function stepErrors(errors: FieldErrors, step: StepId): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, reason] of Object.entries(errors) as [FieldKey, Reason][]) {
    if (FIELD_STEP[field] === step) out[field] = reason;
  }
  return out;
}

/** The first step (in wizard order) with an error, or null. */
export function firstStepWithError(errors: FieldErrors): StepId | null {
  for (const step of STEPS) if (Object.keys(stepErrors(errors, step)).length > 0) return step;
  return null;
}

/** The server's field path (without the `body.` prefix) to the wizard field that set it. */
export function fieldOfServerPath(path: string): FieldKey {
  const p = path.replace(/^body\./, '');
  if (p.startsWith('cloudInit')) return 'userData';
  const spec = p.replace(/^spec\./, '');
  const head = /^[A-Za-z]+/.exec(spec)?.[0] ?? '';
  switch (head) {
    case 'name':
      return 'name';
    case 'memory':
    case 'currentMemory':
      return 'memory';
    case 'vcpus':
    case 'topology':
    case 'cpu':
      return 'vcpus';
    case 'firmware':
    case 'secureBoot':
    case 'enrolledKeys':
    case 'features':
    case 'machine':
      return 'firmware';
    case 'tpm':
      return 'tpm';
    case 'cdroms':
      return 'media';
    case 'interfaces':
    case 'pxe':
      return 'network';
    case 'graphics':
    case 'video':
      return 'graphics';
    case 'disks': {
      const rest = spec.replace(/^disks(\[\d+\])?\.?/, '');
      if (rest.startsWith('size')) return 'diskSize';
      if (rest.startsWith('format')) return 'diskFormat';
      if (rest.startsWith('bus')) return 'diskBus';
      if (rest.startsWith('cloneFrom')) return 'media';
      if (rest.startsWith('source.pool')) return 'diskPool';
      return 'diskSize';
    }
    default:
      return 'form';
  }
}

/**
 * A failed create as errors beside fields: each `errors[]` entry at its field; a 409 (a VM of that name exists)
 * at the name; anything else in the form-wide slot with libvirt's message first.
 */
export function serverErrors(error: { status: number; fields: readonly FieldError[]; message: string; libvirt?: { message: string } | undefined }): FieldErrors {
  const out: FieldErrors = {};
  for (const f of error.fields) {
    const key = fieldOfServerPath(f.field);
    if (out[key] === undefined) out[key] = { text: f.reason };
  }
  if (Object.keys(out).length > 0) return out;
  if (error.status === 409) return { name: { text: error.message } };
  return { form: { text: error.libvirt?.message ?? error.message } };
}
