/**
 * The create-VM wizard's form state and how it becomes the server's create request: pure, so every mapping rule
 * is unit-tested without rendering.
 */
import type { DomainCreateRequest, DomainSpecInput, InstallMedia, OsVariant } from '@vireo/api';
import { buildCloudConfig, type CloudConfigFields } from './cloud-config.js';

export type SourceKind = 'iso' | 'import' | 'cloud' | 'pxe';
export type MemoryUnit = 'MiB' | 'GiB';
export type FirmwareChoice = 'bios' | 'uefi' | 'uefi-secure';
export type NetworkKind = 'none' | 'network' | 'bridge' | 'direct';
export type DiskBus = 'virtio' | 'sata' | 'scsi';
export type NicModel = 'virtio' | 'e1000e';
export type GraphicsChoice = 'vnc' | 'spice' | 'none';

export interface CloudInitForm extends CloudConfigFields {
  /** The raw user-data editor is in use: its text replaces what the form fields make. */
  useRaw: boolean;
  raw: string;
}

export interface WizardForm {
  name: string;
  source: SourceKind;
  /** The ISO (source iso), the disk image to import (import) or the cloud image to copy (cloud). */
  media: InstallMedia | null;
  os: OsVariant | null;
  vcpus: number;
  memory: number;
  memoryUnit: MemoryUnit;
  firmware: FirmwareChoice;
  tpm: boolean;
  /** For iso and pxe: whether to make a new empty disk (an installer needs one; a live ISO may not). */
  newDisk: boolean;
  diskPool: string;
  diskSizeGiB: number;
  diskFormat: 'qcow2' | 'raw';
  diskBus: DiskBus;
  network: NetworkKind;
  /** The virtual network, host bridge or host NIC (macvtap) picked for the chosen kind. */
  networkTarget: string;
  nicModel: NicModel;
  graphics: GraphicsChoice;
  cloudInit: CloudInitForm;
}

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

export function initialForm(): WizardForm {
  return {
    name: '',
    source: 'iso',
    media: null,
    os: null,
    vcpus: 2,
    memory: 2,
    memoryUnit: 'GiB',
    firmware: 'bios',
    tpm: false,
    newDisk: true,
    diskPool: '',
    diskSizeGiB: 20,
    diskFormat: 'qcow2',
    diskBus: 'virtio',
    network: 'none',
    networkTarget: '',
    nicModel: 'virtio',
    graphics: 'vnc',
    cloudInit: { hostname: '', user: '', password: '', sshKeys: '', packages: '', useRaw: false, raw: '' },
  };
}

export function memoryBytes(form: Pick<WizardForm, 'memory' | 'memoryUnit'>): number {
  return form.memory * (form.memoryUnit === 'GiB' ? GIB : MIB);
}

/** Whole GiB rounded up, at least 1: sizes osinfo gives in bytes, as the disk field shows them. */
function ceilGiB(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / GIB));
}

/**
 * Picking an OS fills what osinfo recommends (memory, vCPUs, disk size) and the devices it needs: paravirtual
 * (virtio) disk and NIC only when it has the drivers, else SATA and e1000e; a TPM 2.0 and UEFI / Secure Boot when
 * it asks for them. Clearing the OS keeps the values as they are.
 */
export function applyOsDefaults(form: WizardForm, os: OsVariant | null): WizardForm {
  if (os === null) return { ...form, os: null };
  const next: WizardForm = { ...form, os };
  const mem = os.recommended.memoryBytes ?? os.minimum.memoryBytes;
  if (mem !== null && mem > 0) {
    if (mem % GIB === 0) {
      next.memory = mem / GIB;
      next.memoryUnit = 'GiB';
    } else {
      next.memory = Math.ceil(mem / MIB);
      next.memoryUnit = 'MiB';
    }
  }
  if (os.recommended.vcpus !== null && os.recommended.vcpus > 0) next.vcpus = os.recommended.vcpus;
  const storage = os.recommended.storageBytes ?? os.minimum.storageBytes;
  if (storage !== null && storage > 0) next.diskSizeGiB = ceilGiB(storage);
  next.diskBus = os.devices.virtioDisk ? 'virtio' : 'sata';
  next.nicModel = os.devices.virtioNet ? 'virtio' : 'e1000e';
  next.tpm = os.devices.tpm2;
  next.firmware = os.devices.secureBoot ? 'uefi-secure' : os.devices.uefi ? 'uefi' : 'bios';
  return next;
}

/** Picks the image; a cloud image's copy is made at least as large as the image (its virtual size). */
export function withMedia(form: WizardForm, media: InstallMedia | null): WizardForm {
  const next = { ...form, media };
  if (form.source === 'cloud' && media && next.diskSizeGiB * GIB < media.virtualSizeBytes) next.diskSizeGiB = ceilGiB(media.virtualSizeBytes);
  return next;
}

/** The new disk's volume name: the VM's name with the format's usual extension. */
export function newVolumeName(name: string, format: 'qcow2' | 'raw'): string {
  return `${name}.${format === 'raw' ? 'img' : 'qcow2'}`;
}

/** Whether the form makes a new volume (then the server answers with a task). */
export function makesNewDisk(form: WizardForm): boolean {
  if (form.source === 'cloud') return true;
  if (form.source === 'import') return false;
  return form.newDisk;
}

/** What the host tells the mapping: KVM or plain QEMU emulation. */
export interface HostFacts {
  kvm: boolean;
}

/** The user-data the VM gets: the raw editor's text when in use, else the YAML the form fields make. */
export function userDataOf(form: WizardForm): string {
  return form.cloudInit.useRaw ? form.cloudInit.raw : buildCloudConfig(form.cloudInit);
}

/** The wizard's choices as `POST /api/v1/hosts/:host/domains`' body (and, without start, the preview's spec). */
export function toCreateRequest(form: WizardForm, host: HostFacts, start: boolean): DomainCreateRequest {
  const name = form.name.trim();
  const memMiB = Math.round(memoryBytes(form) / MIB);
  const spec: DomainSpecInput = {
    name,
    type: host.kvm ? 'kvm' : 'qemu',
    memory: { value: memMiB, unit: 'MiB' },
    vcpus: form.vcpus,
    graphics: { type: form.graphics },
  };
  if (form.os) spec.osinfo = form.os.id;
  if (form.firmware !== 'bios') spec.firmware = 'uefi';
  if (form.firmware === 'uefi-secure') spec.secureBoot = true;
  if (form.tpm) spec.tpm = true;
  if (form.os?.family === 'winnt') {
    spec.clock = 'localtime';
    spec.features = { hyperv: true };
  }

  const disks: NonNullable<DomainSpecInput['disks']> = [];
  const media = form.media;
  if (form.source === 'import' && media) {
    disks.push({
      source: media.source.type === 'volume' ? { type: 'volume', pool: media.source.pool, volume: media.source.volume } : { type: 'file', path: media.source.path },
      format: media.format === 'raw' ? 'raw' : 'qcow2',
      bus: form.diskBus,
    });
  } else if (makesNewDisk(form)) {
    const disk: (typeof disks)[number] = {
      source: { type: 'volume', pool: form.diskPool, volume: newVolumeName(name, form.diskFormat) },
      create: true,
      // In whole MiB: the field takes fractions of a GiB (0.0625 = 64 MiB), the server whole units.
      size: { value: Math.round(form.diskSizeGiB * 1024), unit: 'MiB' },
      format: form.diskFormat,
      bus: form.diskBus,
    };
    if (form.source === 'cloud' && media?.source.type === 'volume') disk.cloneFrom = { pool: media.source.pool, volume: media.source.volume };
    disks.push(disk);
  }
  if (disks.length > 0) spec.disks = disks;

  if (form.source === 'iso' && media) {
    spec.cdroms = [{ source: media.source.type === 'volume' ? { type: 'volume', pool: media.source.pool, volume: media.source.volume } : { type: 'file', path: media.source.path } }];
  }

  if (form.network !== 'none' && form.networkTarget !== '') {
    const source =
      form.network === 'network'
        ? ({ type: 'network', network: form.networkTarget } as const)
        : form.network === 'bridge'
          ? ({ type: 'bridge', bridge: form.networkTarget } as const)
          : ({ type: 'direct', dev: form.networkTarget, mode: 'bridge' } as const);
    spec.interfaces = [{ source, model: form.nicModel }];
  }
  if (form.source === 'pxe') spec.pxe = true;

  const request: DomainCreateRequest = { spec, start };
  if (form.source === 'cloud') {
    request.cloudInit = { userData: userDataOf(form), hostname: form.cloudInit.hostname.trim() || name };
    if (form.diskPool !== '') request.cloudInit.pool = form.diskPool;
  }
  return request;
}
