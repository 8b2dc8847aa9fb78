/**
 * The CPU and memory form's model: values as typed (memory in MiB or GiB), what is wrong with them, the typed
 * edits they become (only what changed), and which field a server error belongs to.
 */
import type { DomainEdit, FieldError } from '@vireo/api';
import type { DetailView } from './view.js';

export const MEMORY_UNITS = ['MiB', 'GiB'] as const;
export type MemoryUnit = (typeof MEMORY_UNITS)[number];
const KIB_PER: Record<MemoryUnit, number> = { MiB: 1024, GiB: 1024 * 1024 };
/** libvirt's (and the API's) ceiling for `<vcpu>`. */
export const MAX_VCPUS = 4096;

export interface CpuMemoryValues {
  maxVcpus: number | '';
  vcpus: number | '';
  maxMemory: number | '';
  maxMemoryUnit: MemoryUnit;
  memory: number | '';
  memoryUnit: MemoryUnit;
}

export type CpuMemoryField = 'maxVcpus' | 'vcpus' | 'maxMemory' | 'memory';
/** Keys of `edit.cpuMemory.errors`. */
export type CpuMemoryProblem = 'required' | 'wholeNumber' | 'atLeastOne' | 'tooManyVcpus' | 'vcpusOverMax' | 'notWholeKiB' | 'memoryOverMax';
export type CpuMemoryErrors = Partial<Record<CpuMemoryField, CpuMemoryProblem>>;

/** A size in the larger unit when it is a whole number of it. */
function inUnit(kib: number): { value: number; unit: MemoryUnit } {
  if (kib % KIB_PER.GiB === 0) return { value: kib / KIB_PER.GiB, unit: 'GiB' };
  return { value: Math.round((kib / KIB_PER.MiB) * 1000) / 1000, unit: 'MiB' };
}

export function initialValues(view: DetailView): CpuMemoryValues {
  const maxKiB = view.memoryKiB ?? 0;
  const max = inUnit(maxKiB);
  const current = inUnit(view.currentMemoryKiB ?? maxKiB);
  const maxVcpus = view.vcpus?.count ?? 1;
  return {
    maxVcpus,
    vcpus: view.vcpus?.current ?? maxVcpus,
    maxMemory: max.value,
    maxMemoryUnit: max.unit,
    memory: current.value,
    memoryUnit: current.unit,
  };
}

/** KiB of a typed size; null when it is not a whole number of KiB (e.g. 0.0001 MiB). */
export function toKiB(value: number, unit: MemoryUnit): number | null {
  const kib = value * KIB_PER[unit];
  const whole = Math.round(kib);
  return Math.abs(kib - whole) < 1e-6 ? whole : null;
}

function checkCount(value: number | '', max?: number): CpuMemoryProblem | undefined {
  if (value === '') return 'required';
  if (!Number.isInteger(value)) return 'wholeNumber';
  if (value < 1) return 'atLeastOne';
  if (max !== undefined && value > max) return 'tooManyVcpus';
  return undefined;
}

function checkSize(value: number | '', unit: MemoryUnit): CpuMemoryProblem | undefined {
  if (value === '') return 'required';
  if (value <= 0) return 'atLeastOne';
  if (toKiB(value, unit) === null) return 'notWholeKiB';
  return undefined;
}

export function validate(values: CpuMemoryValues): CpuMemoryErrors {
  const errors: CpuMemoryErrors = {};
  const maxVcpus = checkCount(values.maxVcpus, MAX_VCPUS);
  if (maxVcpus) errors.maxVcpus = maxVcpus;
  const vcpus = checkCount(values.vcpus, MAX_VCPUS);
  if (vcpus) errors.vcpus = vcpus;
  else if (!maxVcpus && (values.vcpus as number) > (values.maxVcpus as number)) errors.vcpus = 'vcpusOverMax';

  const maxMemory = checkSize(values.maxMemory, values.maxMemoryUnit);
  if (maxMemory) errors.maxMemory = maxMemory;
  const memory = checkSize(values.memory, values.memoryUnit);
  if (memory) errors.memory = memory;
  else if (!maxMemory) {
    const max = toKiB(values.maxMemory as number, values.maxMemoryUnit)!;
    if (toKiB(values.memory as number, values.memoryUnit)! > max) errors.memory = 'memoryOverMax';
  }
  return errors;
}

/**
 * The edits for valid values, in an order the server can apply one after the other: the maximum memory first (it
 * lowers the current memory when that would exceed it), then the current memory, then the vCPUs.
 */
export function cpuMemoryOperations(view: DetailView, values: CpuMemoryValues): DomainEdit[] {
  const ops: DomainEdit[] = [];
  const before = initialValues(view);
  const maxKiB = toKiB(values.maxMemory as number, values.maxMemoryUnit)!;
  const currentKiB = toKiB(values.memory as number, values.memoryUnit)!;
  const oldMax = view.memoryKiB;
  const oldCurrent = view.currentMemoryKiB ?? oldMax;
  if (maxKiB !== oldMax) ops.push({ op: 'memory', kib: maxKiB });
  if (currentKiB !== oldCurrent) ops.push({ op: 'currentMemory', kib: currentKiB });
  const maxVcpus = values.maxVcpus as number;
  const vcpus = values.vcpus as number;
  if (maxVcpus !== before.maxVcpus || vcpus !== before.vcpus) {
    // All online is said by leaving `current` out of the document.
    ops.push({ op: 'vcpus', max: maxVcpus, current: vcpus === maxVcpus ? null : vcpus });
  }
  return ops;
}

/**
 * The form field a server field error is about. Validation errors name the operation by index
 * (`body.operations.<i>.<field>`), so the operations sent tell which form field it was.
 */
export function fieldOfServerError(error: FieldError, sent: readonly DomainEdit[]): CpuMemoryField | null {
  const match = /^body\.operations\.(\d+)(?:\.(.*))?$/.exec(error.field);
  if (!match) return null;
  const op = sent[Number(match[1])];
  const rest = match[2] ?? '';
  switch (op?.op) {
    case 'memory':
      return 'maxMemory';
    case 'currentMemory':
      return 'memory';
    case 'vcpus':
      return /current/.test(rest) ? 'vcpus' : 'maxVcpus';
    default:
      return null;
  }
}
