/**
 * The create-VM wizard's choices as a new domain definition. Only what the wizard decides is written: libvirt fills
 * in controllers, PCI addresses, the USB controller, the emulator path and the rest on define, as it does for
 * virt-install.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { serializeXml } from '../dom/parse.js';
import {
  absolutePath,
  deviceName,
  integer,
  ipAddress,
  macAddress,
  objectName,
  oneOf,
  requireString,
  uuid as checkUuid,
  xmlText,
} from './checks.js';
import { SpecError } from './errors.js';
import { gib, sizeToBytes, type ExplicitSize, type SizeInput } from './units.js';
import { el, indent, newDocument, onOff } from './xml.js';

export const DOMAIN_TYPES = ['kvm', 'qemu'] as const;
export type DomainVirtType = (typeof DOMAIN_TYPES)[number];
export const FIRMWARES = ['bios', 'uefi'] as const;
export type Firmware = (typeof FIRMWARES)[number];
/** What the QEMU driver accepts: it refuses 'preserve' and 'rename-restart' on poweroff and reboot. */
export const LIFECYCLE_ACTIONS = ['destroy', 'restart'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];
export const CRASH_ACTIONS = ['destroy', 'restart', 'preserve', 'coredump-destroy', 'coredump-restart'] as const;
export type CrashAction = (typeof CRASH_ACTIONS)[number];
export const CPU_MODES = ['host-passthrough', 'host-model', 'maximum', 'custom'] as const;
export type CpuModeSpec = (typeof CPU_MODES)[number];
export const DISK_BUSES = ['virtio', 'sata', 'scsi'] as const;
export type DiskBus = (typeof DISK_BUSES)[number];
export const CDROM_BUSES = ['sata', 'ide', 'scsi'] as const;
export type CdromBus = (typeof CDROM_BUSES)[number];
export const DISK_FORMATS = ['qcow2', 'raw'] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];
export const DISK_CACHES = ['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'] as const;
export type DiskCache = (typeof DISK_CACHES)[number];
export const NIC_MODELS = ['virtio', 'e1000e', 'e1000', 'rtl8139'] as const;
export type NicModel = (typeof NIC_MODELS)[number];
export const DIRECT_MODES = ['bridge', 'vepa', 'private', 'passthrough'] as const;
export type DirectMode = (typeof DIRECT_MODES)[number];
export const VIDEO_MODELS = ['virtio', 'qxl', 'vga', 'bochs', 'ramfb', 'none'] as const;
export type VideoModel = (typeof VIDEO_MODELS)[number];
export const CONTROLLER_TYPES = ['usb', 'scsi', 'sata', 'ide', 'virtio-serial', 'pci'] as const;
export type ControllerType = (typeof CONTROLLER_TYPES)[number];

export type DiskSource =
  | { type: 'file'; path: string }
  | { type: 'block'; dev: string }
  | { type: 'volume'; pool: string; volume: string };

/** What a CD-ROM drive holds: an ISO file or a volume of a pool (an ISO in a pool). */
export type MediaSource = { type: 'file'; path: string } | { type: 'volume'; pool: string; volume: string };

export interface DiskSpec {
  source: DiskSource;
  /**
   * The wizard's "new disk": the caller creates the file or volume (see diskVolumes) before defining, so the
   * size is required. Not written into the domain XML.
   */
  create?: boolean;
  /** With create: the new volume is a copy of this one (a cloud image), grown to size when that is larger. */
  cloneFrom?: { pool: string; volume: string };
  size?: SizeInput;
  /** Default qcow2, raw for block devices. */
  format?: DiskFormat;
  /** Default virtio. scsi adds a virtio-scsi controller. */
  bus?: DiskBus;
  cache?: DiskCache;
  /** 'unmap' passes the guest's TRIM/discard down, so thin images shrink. */
  discard?: 'unmap' | 'ignore';
  readonly?: boolean;
  serial?: string;
  bootOrder?: number;
}

export interface CdromSpec {
  /** Omitted: an empty drive. */
  source?: MediaSource;
  /** Default: sata on q35, ide on i440fx ('pc…'), scsi elsewhere. */
  bus?: CdromBus;
  bootOrder?: number;
}

export type InterfaceSource =
  | { type: 'network'; network: string; portgroup?: string }
  | { type: 'bridge'; bridge: string }
  /** macvtap on a host NIC; mode default 'bridge'. */
  | { type: 'direct'; dev: string; mode?: DirectMode };

export interface InterfaceSpec {
  source: InterfaceSource;
  /** Default virtio. */
  model?: NicModel;
  mac?: string;
  bootOrder?: number;
}

export type GraphicsSpec =
  | {
      type: 'vnc' | 'spice';
      /** Default 127.0.0.1: the console proxies it; a wider listen exposes the display to the network. */
      listen?: string;
      /** A fixed port; omitted means autoport. */
      port?: number;
      password?: string;
    }
  | { type: 'none' };

export interface ControllerSpec {
  type: ControllerType;
  model?: string;
  index?: number;
  /** e.g. the number of ports of a usb controller. */
  ports?: number;
}

export interface CpuSpec {
  /** Default host-passthrough for kvm, maximum for qemu (TCG cannot pass the host CPU through). */
  mode?: CpuModeSpec;
  /** The named model of mode 'custom' (e.g. 'Skylake-Client'). */
  model?: string;
}

export interface TopologySpec {
  sockets: number;
  dies?: number;
  cores: number;
  threads: number;
}

export interface DomainSpec {
  name: string;
  title?: string;
  description?: string;
  uuid?: string;
  /** Default kvm. */
  type?: DomainVirtType;
  /** Default x86_64. */
  arch?: string;
  /** Default q35. */
  machine?: string;
  /** libosinfo OS id (e.g. 'http://ubuntu.com/ubuntu/24.04'), recorded the way virt-manager and Cockpit do. */
  osinfo?: string;
  /** Maximum memory. The unit is required: `{ value: 2, unit: 'GiB' }`, `gib(2)` or `'2048MiB'`. */
  memory: ExplicitSize;
  /** Memory at boot when ballooned below the maximum; default equal to memory. */
  currentMemory?: ExplicitSize;
  vcpus: number;
  /** sockets × dies × cores × threads must equal vcpus. */
  topology?: TopologySpec;
  cpu?: CpuSpec;
  /** Default bios. */
  firmware?: Firmware;
  /** UEFI only, q35 only; turns SMM on. */
  secureBoot?: boolean;
  /** With secureBoot: firmware with Microsoft's keys enrolled (default true; Windows and shim-signed Linux need them). */
  enrolledKeys?: boolean;
  /** acpi and apic default on. */
  features?: { acpi?: boolean; apic?: boolean; smm?: boolean; hyperv?: boolean };
  /** Default utc; Windows keeps its clock in local time. */
  clock?: 'utc' | 'localtime';
  onPoweroff?: LifecycleAction;
  onReboot?: LifecycleAction;
  onCrash?: CrashAction;
  disks?: DiskSpec[];
  cdroms?: CdromSpec[];
  /** A cloud-init NoCloud seed ISO, attached as one more (read-only, never booted) CD-ROM. */
  cloudInitSeed?: MediaSource;
  interfaces?: InterfaceSpec[];
  /** Network boot from the first interface, after the disks and install media. */
  pxe?: boolean;
  /** Default VNC on 127.0.0.1 with autoport. */
  graphics?: GraphicsSpec;
  /** Default: qxl with SPICE, virtio otherwise, none without graphics. */
  video?: VideoModel;
  /** A USB tablet, so the pointer tracks in VNC/SPICE; default on when there is graphics. */
  tablet?: boolean;
  /** A pty serial port and its console; default on. */
  serialConsole?: boolean;
  /** The qemu guest agent's virtio channel; default on. */
  guestAgent?: boolean;
  /** Default a virtio balloon; false for none. */
  memballoon?: false | { statsPeriod?: number };
  /** A virtio RNG fed from /dev/urandom; default on. */
  rng?: boolean;
  /** A TPM 2.0 emulated by swtpm; default off. */
  tpm?: boolean;
  controllers?: ControllerSpec[];
}

export type OsFamily = 'linux' | 'windows' | 'other';

/**
 * What the create-VM wizard starts from, per OS family: modern paravirtual hardware for Linux; for Windows the
 * devices its installer has drivers for (SATA, e1000e), UEFI with Secure Boot and a TPM (Windows 11 requires them),
 * Hyper-V enlightenments and a local-time clock.
 */
export function wizardDefaults(family: OsFamily = 'linux'): Omit<DomainSpec, 'name'> {
  const common = {
    type: 'kvm',
    arch: 'x86_64',
    machine: 'q35',
    graphics: { type: 'vnc' },
    serialConsole: true,
    guestAgent: true,
    rng: true,
  } satisfies Partial<DomainSpec>;
  if (family === 'windows') {
    return {
      ...common,
      memory: gib(4),
      vcpus: 2,
      firmware: 'uefi',
      secureBoot: true,
      tpm: true,
      clock: 'localtime',
      features: { hyperv: true },
      disks: [],
      interfaces: [{ source: { type: 'network', network: 'default' }, model: 'e1000e' }],
    };
  }
  return {
    ...common,
    memory: gib(2),
    vcpus: 2,
    firmware: family === 'linux' ? 'uefi' : 'bios',
    disks: [],
    interfaces: [{ source: { type: 'network', network: 'default' }, model: 'virtio' }],
  };
}

/** A disk volume the caller must create before defining (create: true with a pool volume). */
export interface NewDiskVolume {
  pool: string;
  name: string;
  capacity: SizeInput;
  format: DiskFormat;
  /** Copy this volume's contents into the new one (storageVolCreateXMLFrom). */
  cloneFrom?: { pool: string; volume: string };
}

/** Disks the caller must create before defining (create: true with a pool volume), as volume specs' inputs. */
export function diskVolumes(spec: DomainSpec): NewDiskVolume[] {
  const out: NewDiskVolume[] = [];
  (spec.disks ?? []).forEach((d, i) => {
    if (d.cloneFrom !== undefined && !(d.create && d.source.type === 'volume')) {
      throw new SpecError(`disks[${i}].cloneFrom`, 'needs create with a pool volume source');
    }
    if (!d.create || d.source.type !== 'volume') return;
    if (d.size === undefined) throw new SpecError(`disks[${i}].size`, 'is required for a new disk');
    const v: NewDiskVolume = { pool: d.source.pool, name: d.source.volume, capacity: d.size, format: d.format ?? 'qcow2' };
    if (d.cloneFrom) {
      v.cloneFrom = { pool: objectName(d.cloneFrom.pool, `disks[${i}].cloneFrom.pool`), volume: objectName(d.cloneFrom.volume, `disks[${i}].cloneFrom.volume`) };
    }
    out.push(v);
  });
  return out;
}

const LIBOSINFO_NS = 'http://libosinfo.org/xmlns/libvirt/domain/1.0';

/** Target device names: vda…vdz, vdaa… as the kernel names them, one sequence per prefix. */
class TargetNames {
  private readonly next = new Map<string, number>();
  take(prefix: string): string {
    const i = this.next.get(prefix) ?? 0;
    this.next.set(prefix, i + 1);
    return prefix + TargetNames.letters(i);
  }
  private static letters(i: number): string {
    let s = '';
    let n = i + 1;
    while (n > 0) {
      n -= 1;
      s = String.fromCharCode(97 + (n % 26)) + s;
      n = Math.floor(n / 26);
    }
    return s;
  }
}

const busPrefix = (bus: DiskBus | CdromBus): string => (bus === 'virtio' ? 'vd' : bus === 'ide' ? 'hd' : 'sd');

function memoryKiB(input: ExplicitSize, field: string): bigint {
  const bytes = sizeToBytes(input, field, { requireUnit: true });
  if (bytes === 0n) throw new SpecError(field, 'must be more than 0');
  if (bytes % 1024n !== 0n) throw new SpecError(field, 'must be a whole number of KiB');
  return bytes / 1024n;
}

function isQ35(machine: string): boolean {
  return machine === 'q35' || machine.includes('-q35');
}
function isI440fx(machine: string): boolean {
  return machine === 'pc' || machine.startsWith('pc-i440fx') || /^pc-\d/.test(machine);
}

interface Resolved {
  type: DomainVirtType;
  arch: string;
  machine: string;
  firmware: Firmware;
  secureBoot: boolean;
  smm: boolean | undefined;
  cpuMode: CpuModeSpec;
  graphics: GraphicsSpec;
  video: VideoModel | undefined;
  cdromBus: CdromBus;
}

function resolve(spec: DomainSpec): Resolved {
  const type = oneOf(spec.type ?? 'kvm', DOMAIN_TYPES, 'type');
  const arch = requireString(spec.arch ?? 'x86_64', 'arch');
  const machine = requireString(spec.machine ?? 'q35', 'machine');
  const firmware = oneOf(spec.firmware ?? 'bios', FIRMWARES, 'firmware');
  const secureBoot = spec.secureBoot ?? false;
  if (secureBoot) {
    if (firmware !== 'uefi') throw new SpecError('secureBoot', "needs firmware 'uefi'");
    // OVMF's Secure Boot builds rely on SMM to protect their variable store, and only q35 has SMM.
    if (!isQ35(machine)) throw new SpecError('secureBoot', `needs a q35 machine, not '${machine}'`);
    if (spec.features?.smm === false) throw new SpecError('features.smm', 'Secure Boot needs SMM on');
  }
  if (spec.enrolledKeys !== undefined && !secureBoot) throw new SpecError('enrolledKeys', 'applies only with secureBoot');
  const cpuMode = oneOf(spec.cpu?.mode ?? (type === 'kvm' ? 'host-passthrough' : 'maximum'), CPU_MODES, 'cpu.mode');
  // libvirt refuses host-passthrough without KVM: TCG has no host CPU to pass through.
  if (cpuMode === 'host-passthrough' && type !== 'kvm') throw new SpecError('cpu.mode', "host-passthrough needs type 'kvm'; use 'maximum' for qemu");
  if (cpuMode === 'custom') requireString(spec.cpu?.model, 'cpu.model');
  else if (spec.cpu?.model !== undefined) throw new SpecError('cpu.model', "applies only with cpu mode 'custom'");
  const graphics = spec.graphics ?? { type: 'vnc' };
  oneOf(graphics.type, ['vnc', 'spice', 'none'] as const, 'graphics.type');
  let video: VideoModel | undefined;
  if (spec.video !== undefined) video = oneOf(spec.video, VIDEO_MODELS, 'video');
  else if (graphics.type === 'spice') video = 'qxl';
  else if (graphics.type === 'vnc') video = 'virtio';
  const cdromBus: CdromBus = isQ35(machine) ? 'sata' : isI440fx(machine) ? 'ide' : 'scsi';
  return { type, arch, machine, firmware, secureBoot, smm: secureBoot ? true : spec.features?.smm, cpuMode, graphics, video, cdromBus };
}

/** Boot orders per device: explicit ones as given; otherwise disks, then install media, then the PXE NIC. */
function bootOrders(spec: DomainSpec): { disks: (number | undefined)[]; cdroms: (number | undefined)[]; nics: (number | undefined)[] } {
  const disks = spec.disks ?? [];
  const cdroms = spec.cdroms ?? [];
  const nics = spec.interfaces ?? [];
  if (spec.pxe && nics.length === 0) throw new SpecError('pxe', 'needs at least one interface to boot from');
  const explicit: { field: string; order: number }[] = [];
  disks.forEach((d, i) => d.bootOrder !== undefined && explicit.push({ field: `disks[${i}].bootOrder`, order: d.bootOrder }));
  cdroms.forEach((c, i) => c.bootOrder !== undefined && explicit.push({ field: `cdroms[${i}].bootOrder`, order: c.bootOrder }));
  nics.forEach((n, i) => n.bootOrder !== undefined && explicit.push({ field: `interfaces[${i}].bootOrder`, order: n.bootOrder }));
  const seen = new Set<number>();
  for (const e of explicit) {
    integer(e.order, e.field, 1, 65535);
    if (seen.has(e.order)) throw new SpecError(e.field, `boot order ${e.order} is used twice`);
    seen.add(e.order);
  }
  if (explicit.length > 0) {
    const nicOrders = nics.map((n) => n.bootOrder);
    if (spec.pxe && nicOrders[0] === undefined) nicOrders[0] = Math.max(...seen) + 1;
    return { disks: disks.map((d) => d.bootOrder), cdroms: cdroms.map((c) => c.bootOrder), nics: nicOrders };
  }
  // One definition serves the installation and every boot after it: an empty disk falls through to the install
  // medium (or the network), and once installed the disk boots first without anyone editing the VM.
  let next = 1;
  const diskOrders = disks.map(() => next++);
  const cdromOrders = cdroms.map((c) => (c.source ? next++ : undefined));
  const nicOrders = nics.map((_, i) => (spec.pxe && i === 0 ? next++ : undefined));
  return { disks: diskOrders, cdroms: cdromOrders, nics: nicOrders };
}

function addMediaSource(disk: Element, source: MediaSource, field: string): void {
  if (source.type === 'file') el(disk, 'source', { file: absolutePath(source.path, `${field}.path`) });
  else if (source.type === 'volume') {
    el(disk, 'source', { pool: objectName(source.pool, `${field}.pool`), volume: objectName(source.volume, `${field}.volume`) });
  } else throw new SpecError(`${field}.type`, `'${String((source as { type: unknown }).type)}' is not one of file, volume`);
}

function addDisk(devices: Element, d: DiskSpec, i: number, boot: number | undefined, names: TargetNames): void {
  const f = `disks[${i}]`;
  const src = d.source as DiskSource | undefined;
  if (!src) throw new SpecError(`${f}.source`, 'is required');
  const srcType = oneOf(src.type, ['file', 'block', 'volume'] as const, `${f}.source.type`);
  if (d.create) {
    if (srcType === 'block') throw new SpecError(`${f}.create`, 'a block device cannot be created');
    if (d.size === undefined) throw new SpecError(`${f}.size`, 'is required for a new disk');
    if (sizeToBytes(d.size, `${f}.size`) === 0n) throw new SpecError(`${f}.size`, 'must be more than 0');
  } else if (d.size !== undefined) {
    sizeToBytes(d.size, `${f}.size`);
  }
  const format = oneOf(d.format ?? (srcType === 'block' ? 'raw' : 'qcow2'), DISK_FORMATS, `${f}.format`);
  const bus = oneOf(d.bus ?? 'virtio', DISK_BUSES, `${f}.bus`);
  const disk = el(devices, 'disk', { type: srcType, device: 'disk' });
  el(disk, 'driver', {
    name: 'qemu',
    type: format,
    cache: d.cache === undefined ? undefined : oneOf(d.cache, DISK_CACHES, `${f}.cache`),
    discard: d.discard === undefined ? undefined : oneOf(d.discard, ['unmap', 'ignore'] as const, `${f}.discard`),
  });
  if (src.type === 'file') el(disk, 'source', { file: absolutePath(src.path, `${f}.source.path`) });
  else if (src.type === 'block') el(disk, 'source', { dev: absolutePath(src.dev, `${f}.source.dev`) });
  else el(disk, 'source', { pool: objectName(src.pool, `${f}.source.pool`), volume: objectName(src.volume, `${f}.source.volume`) });
  el(disk, 'target', { dev: names.take(busPrefix(bus)), bus });
  if (boot !== undefined) el(disk, 'boot', { order: boot });
  if (d.readonly) el(disk, 'readonly');
  if (d.serial !== undefined) el(disk, 'serial', {}, requireString(d.serial, `${f}.serial`));
}

function addCdrom(devices: Element, source: MediaSource | undefined, bus: CdromBus, boot: number | undefined, names: TargetNames, field: string): void {
  const disk = el(devices, 'disk', { type: source?.type ?? 'file', device: 'cdrom' });
  el(disk, 'driver', { name: 'qemu', type: 'raw' });
  if (source) addMediaSource(disk, source, `${field}.source`);
  el(disk, 'target', { dev: names.take(busPrefix(bus)), bus });
  if (boot !== undefined) el(disk, 'boot', { order: boot });
  el(disk, 'readonly');
}

function addInterface(devices: Element, n: InterfaceSpec, i: number, boot: number | undefined): void {
  const f = `interfaces[${i}]`;
  const src = n.source as InterfaceSource | undefined;
  if (!src) throw new SpecError(`${f}.source`, 'is required');
  const type = oneOf(src.type, ['network', 'bridge', 'direct'] as const, `${f}.source.type`);
  const nic = el(devices, 'interface', { type });
  if (n.mac !== undefined) el(nic, 'mac', { address: macAddress(n.mac, `${f}.mac`) });
  if (src.type === 'network') {
    el(nic, 'source', {
      network: objectName(src.network, `${f}.source.network`),
      portgroup: src.portgroup === undefined ? undefined : deviceName(src.portgroup, `${f}.source.portgroup`),
    });
  } else if (src.type === 'bridge') {
    el(nic, 'source', { bridge: deviceName(src.bridge, `${f}.source.bridge`) });
  } else {
    el(nic, 'source', { dev: deviceName(src.dev, `${f}.source.dev`), mode: oneOf(src.mode ?? 'bridge', DIRECT_MODES, `${f}.source.mode`) });
  }
  el(nic, 'model', { type: oneOf(n.model ?? 'virtio', NIC_MODELS, `${f}.model`) });
  if (boot !== undefined) el(nic, 'boot', { order: boot });
}

function addGraphics(devices: Element, g: GraphicsSpec): void {
  if (g.type === 'none') return;
  const listen = ipAddress(g.listen ?? '127.0.0.1', 'graphics.listen');
  const port = g.port === undefined ? undefined : integer(g.port, 'graphics.port', 5900, 65535);
  if (g.password !== undefined) {
    requireString(g.password, 'graphics.password');
    // QEMU's VNC authentication is DES with an 8-byte key: the rest of a longer password would be silently dropped.
    if (g.type === 'vnc' && Buffer.byteLength(g.password) > 8) throw new SpecError('graphics.password', 'VNC passwords are at most 8 bytes');
  }
  const graphics = el(devices, 'graphics', {
    type: g.type,
    port: port ?? -1,
    autoport: port === undefined ? 'yes' : 'no',
    listen,
    passwd: g.password,
  });
  el(graphics, 'listen', { type: 'address', address: listen });
}

/** A new domain document from the wizard's spec; throws SpecError naming the first bad field. */
export function buildDomain(spec: DomainSpec): Document {
  const r = resolve(spec);
  const { doc, root } = newDocument('domain');
  root.setAttribute('type', r.type);
  el(root, 'name', {}, objectName(spec.name, 'name'));
  if (spec.uuid !== undefined) el(root, 'uuid', {}, checkUuid(spec.uuid, 'uuid'));
  if (spec.title !== undefined) {
    // libvirt keeps the title to one line (it is shown in lists).
    if (/[\n\r]/.test(xmlText(spec.title, 'title'))) throw new SpecError('title', 'must be a single line');
    el(root, 'title', {}, spec.title);
  }
  if (spec.description !== undefined) el(root, 'description', {}, xmlText(spec.description, 'description'));
  if (spec.osinfo !== undefined) {
    const metadata = el(root, 'metadata');
    const info = doc.createElementNS(LIBOSINFO_NS, 'libosinfo:libosinfo');
    metadata.appendChild(info);
    const os = doc.createElementNS(LIBOSINFO_NS, 'libosinfo:os');
    os.setAttribute('id', requireString(spec.osinfo, 'osinfo'));
    info.appendChild(os);
  }

  const memory = memoryKiB(spec.memory, 'memory');
  const current = spec.currentMemory === undefined ? memory : memoryKiB(spec.currentMemory, 'currentMemory');
  if (current > memory) throw new SpecError('currentMemory', 'must not exceed memory');
  el(root, 'memory', { unit: 'KiB' }, memory);
  el(root, 'currentMemory', { unit: 'KiB' }, current);
  const vcpus = integer(spec.vcpus, 'vcpus', 1, 4096);
  el(root, 'vcpu', {}, vcpus);

  const os = el(root, 'os', r.firmware === 'uefi' ? { firmware: 'efi' } : {});
  el(os, 'type', { arch: r.arch, machine: r.machine }, 'hvm');
  if (r.firmware === 'uefi') {
    const fw = el(os, 'firmware');
    if (r.secureBoot) {
      el(fw, 'feature', { enabled: 'yes', name: 'secure-boot' });
      el(fw, 'feature', { enabled: spec.enrolledKeys === false ? 'no' : 'yes', name: 'enrolled-keys' });
    } else {
      // Without this, autoselection prefers the Secure Boot build with enrolled keys when it is installed, and
      // unsigned kernels and bootloaders would fail to boot.
      el(fw, 'feature', { enabled: 'no', name: 'secure-boot' });
    }
  }

  const features = el(root, 'features');
  if (spec.features?.acpi ?? true) el(features, 'acpi');
  if (spec.features?.apic ?? true) el(features, 'apic');
  if (spec.features?.hyperv) {
    const hv = el(features, 'hyperv', { mode: 'custom' });
    el(hv, 'relaxed', { state: 'on' });
    el(hv, 'vapic', { state: 'on' });
    el(hv, 'spinlocks', { state: 'on', retries: 8191 });
  }
  if (r.smm !== undefined) el(features, 'smm', { state: onOff(r.smm) });
  if (!features.firstChild) root.removeChild(features);

  const cpu = el(root, 'cpu', { mode: r.cpuMode, match: r.cpuMode === 'custom' ? 'exact' : undefined });
  if (r.cpuMode === 'custom') el(cpu, 'model', { fallback: 'allow' }, spec.cpu?.model);
  if (spec.topology) {
    const t = spec.topology;
    const sockets = integer(t.sockets, 'topology.sockets', 1);
    const dies = integer(t.dies ?? 1, 'topology.dies', 1);
    const cores = integer(t.cores, 'topology.cores', 1);
    const threads = integer(t.threads, 'topology.threads', 1);
    if (sockets * dies * cores * threads !== vcpus) {
      throw new SpecError('topology', `sockets × dies × cores × threads = ${sockets * dies * cores * threads}, but vcpus is ${vcpus}`);
    }
    el(cpu, 'topology', { sockets, dies: t.dies === undefined ? undefined : dies, cores, threads });
  }

  const clock = el(root, 'clock', { offset: oneOf(spec.clock ?? 'utc', ['utc', 'localtime'] as const, 'clock') });
  if (spec.features?.hyperv) el(clock, 'timer', { name: 'hypervclock', present: 'yes' });
  el(root, 'on_poweroff', {}, oneOf(spec.onPoweroff ?? 'destroy', LIFECYCLE_ACTIONS, 'onPoweroff'));
  el(root, 'on_reboot', {}, oneOf(spec.onReboot ?? 'restart', LIFECYCLE_ACTIONS, 'onReboot'));
  el(root, 'on_crash', {}, oneOf(spec.onCrash ?? 'destroy', CRASH_ACTIONS, 'onCrash'));

  const devices = el(root, 'devices');
  const boot = bootOrders(spec);
  const names = new TargetNames();
  (spec.disks ?? []).forEach((d, i) => addDisk(devices, d, i, boot.disks[i], names));
  (spec.cdroms ?? []).forEach((c, i) => {
    const bus = oneOf(c.bus ?? r.cdromBus, CDROM_BUSES, `cdroms[${i}].bus`);
    if (bus === 'ide' && isQ35(r.machine)) throw new SpecError(`cdroms[${i}].bus`, 'q35 has no IDE controller; use sata');
    addCdrom(devices, c.source, bus, boot.cdroms[i], names, `cdroms[${i}]`);
  });
  if (spec.cloudInitSeed) addCdrom(devices, spec.cloudInitSeed, r.cdromBus, undefined, names, 'cloudInitSeed');

  const controllers = spec.controllers ?? [];
  controllers.forEach((c, i) => {
    el(devices, 'controller', {
      type: oneOf(c.type, CONTROLLER_TYPES, `controllers[${i}].type`),
      index: c.index === undefined ? undefined : integer(c.index, `controllers[${i}].index`, 0, 255),
      model: c.model === undefined ? undefined : requireString(c.model, `controllers[${i}].model`),
      ports: c.ports === undefined ? undefined : integer(c.ports, `controllers[${i}].ports`, 1, 255),
    });
  });
  const usesScsi = (spec.disks ?? []).some((d) => d.bus === 'scsi') || (spec.cdroms ?? []).some((c) => (c.bus ?? r.cdromBus) === 'scsi');
  // libvirt's default SCSI controller is an emulated LSI one; virtio-scsi is the one worth having.
  if (usesScsi && !controllers.some((c) => c.type === 'scsi')) el(devices, 'controller', { type: 'scsi', index: 0, model: 'virtio-scsi' });

  (spec.interfaces ?? []).forEach((n, i) => addInterface(devices, n, i, boot.nics[i]));

  if (spec.serialConsole ?? true) {
    const serial = el(devices, 'serial', { type: 'pty' });
    el(serial, 'target', { port: 0 });
    const console = el(devices, 'console', { type: 'pty' });
    el(console, 'target', { type: 'serial', port: 0 });
  }
  if (spec.guestAgent ?? true) {
    const channel = el(devices, 'channel', { type: 'unix' });
    el(channel, 'target', { type: 'virtio', name: 'org.qemu.guest_agent.0' });
  }
  if (r.graphics.type === 'spice') {
    // The SPICE agent's channel: clipboard sharing and the guest following the client's window size.
    const channel = el(devices, 'channel', { type: 'spicevmc' });
    el(channel, 'target', { type: 'virtio', name: 'com.redhat.spice.0' });
  }
  if (spec.tablet ?? r.graphics.type !== 'none') el(devices, 'input', { type: 'tablet', bus: 'usb' });
  if (spec.tpm) {
    const tpm = el(devices, 'tpm', { model: r.arch === 'x86_64' || r.arch === 'i686' ? 'tpm-crb' : 'tpm-tis' });
    el(tpm, 'backend', { type: 'emulator', version: '2.0' });
  }
  addGraphics(devices, r.graphics);
  if (r.video !== undefined) {
    const video = el(devices, 'video');
    el(video, 'model', { type: r.video });
  }
  if (spec.memballoon === false) el(devices, 'memballoon', { model: 'none' });
  else {
    const balloon = el(devices, 'memballoon', { model: 'virtio' });
    const period = spec.memballoon?.statsPeriod;
    if (period !== undefined) el(balloon, 'stats', { period: integer(period, 'memballoon.statsPeriod', 0, 2 ** 31 - 1) });
  }
  if (spec.rng ?? true) {
    const rng = el(devices, 'rng', { model: 'virtio' });
    el(rng, 'backend', { model: 'random' }, '/dev/urandom');
  }

  indent(root);
  return doc;
}

export function buildDomainXml(spec: DomainSpec): string {
  return serializeXml(buildDomain(spec));
}
