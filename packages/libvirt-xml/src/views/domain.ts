/** The read view of a `<domain>`: what the VM pages show, as plain JSON. */
import type { Document, Element } from '@xmldom/xmldom';
import { at, attr, child, children, childText, text } from '../dom/nav.js';
import { loadRoot, uintAttr, uintText, yes } from './common.js';
import { readDevices, type DevicesView } from './domain-devices.js';
import { elementKiB, parseSigned } from './units.js';

export interface VcpuView {
  /** Maximum vCPUs. */
  count?: number;
  /** vCPUs online at boot; equals count when not set. */
  current?: number;
  placement?: string;
  cpuset?: string;
}

export interface CpuTopologyView {
  sockets?: number;
  dies?: number;
  clusters?: number;
  cores?: number;
  threads?: number;
}

export interface CpuFeatureView {
  name?: string;
  /** force, require, optional, disable, forbid. */
  policy?: string;
}

export interface CpuView {
  /** custom (libvirt's default), host-model, host-passthrough, maximum. */
  mode?: string;
  match?: string;
  check?: string;
  model?: string;
  /** allow or forbid. */
  fallback?: string;
  vendor?: string;
  topology?: CpuTopologyView;
  features: CpuFeatureView[];
  numaCells: number;
}

export interface OsView {
  /** hvm, linux, xen, exe. */
  type?: string;
  arch?: string;
  machine?: string;
  /** `<os firmware=...>` (efi or bios) for automatic firmware selection. */
  firmware?: string;
  /** `<firmware><feature enabled= name=/>` requests, e.g. secure-boot, enrolled-keys. */
  firmwareFeatures: { name?: string; enabled?: boolean }[];
  loader?: { path?: string; readonly?: boolean; type?: string; secure?: boolean; stateless?: boolean };
  /** UEFI variable store: a local path, or described by a network/file source. */
  nvram?: { path?: string; template?: string; type?: string };
  /** `<boot dev>` in order (hd, cdrom, network, fd). Ignored by libvirt when devices carry boot orders. */
  bootDevices: string[];
  bootMenu?: { enabled?: boolean; timeoutMs?: number };
  biosUseSerial?: boolean;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
}

export interface HypervFeatureView {
  name: string;
  state?: string;
  value?: string;
}

export interface ClockView {
  /** utc, localtime, timezone, variable, absolute. */
  offset?: string;
  timezone?: string;
  timers: { name?: string; present?: boolean; tickpolicy?: string }[];
}

/** A device carrying `<boot order>`, for a "boot order" list across device kinds. */
export interface BootEntryView {
  order: number;
  /** disk, interface, hostdev, redirdev, filesystem. */
  kind: string;
  /** The disk's target dev, the interface's MAC, or the hostdev's address. */
  label?: string;
}

export interface DomainView {
  /** kvm, qemu, xen, lxc, test, ... */
  type?: string;
  /** Set only while running. */
  id?: number;
  name?: string;
  uuid?: string;
  title?: string;
  description?: string;
  memoryKiB?: number;
  currentMemoryKiB?: number;
  maxMemoryKiB?: number;
  maxMemorySlots?: number;
  vcpus?: VcpuView;
  iothreads?: number;
  cpu?: CpuView;
  os: OsView;
  /** What boots the guest: uefi when firmware='efi', a pflash/OVMF-like loader or an NVRAM store says so. */
  firmware: 'bios' | 'uefi';
  secureBoot: boolean;
  /** Features turned on (`<acpi/>`, `<smm state='on'/>`), in document order. */
  features: string[];
  /** Features present but turned off (`<vmport state='off'/>`). */
  disabledFeatures: string[];
  hyperv?: { mode?: string; enlightenments: HypervFeatureView[] };
  clock?: ClockView;
  onPoweroff?: string;
  onReboot?: string;
  onCrash?: string;
  /** sev, sev-snp, s390-pv, tdx. */
  launchSecurity?: string;
  devices: DevicesView;
  /** Devices with an explicit `<boot order>`, sorted by it. */
  bootOrder: BootEntryView[];
}

function readVcpus(el: Element | undefined): VcpuView | undefined {
  if (!el) return undefined;
  const count = uintText(el);
  return {
    count,
    current: uintAttr(el, 'current') ?? count,
    placement: attr(el, 'placement'),
    cpuset: attr(el, 'cpuset'),
  };
}

function readCpu(el: Element | undefined): CpuView | undefined {
  if (!el) return undefined;
  const model = child(el, 'model');
  const topology = child(el, 'topology');
  const modelName = text(model);
  const numa = child(el, 'numa');
  return {
    mode: attr(el, 'mode'),
    match: attr(el, 'match'),
    check: attr(el, 'check'),
    model: modelName === '' ? undefined : modelName,
    fallback: attr(model, 'fallback'),
    vendor: childText(el, 'vendor'),
    topology: topology
      ? {
          sockets: uintAttr(topology, 'sockets'),
          dies: uintAttr(topology, 'dies'),
          clusters: uintAttr(topology, 'clusters'),
          cores: uintAttr(topology, 'cores'),
          threads: uintAttr(topology, 'threads'),
        }
      : undefined,
    features: children(el, 'feature').map((f) => ({ name: attr(f, 'name'), policy: attr(f, 'policy') })),
    numaCells: numa ? children(numa, 'cell').length : 0,
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === '' ? undefined : s;
}

function readOs(os: Element | undefined): OsView {
  if (!os) return { firmwareFeatures: [], bootDevices: [] };
  const type = child(os, 'type');
  const loader = child(os, 'loader');
  const nvram = child(os, 'nvram');
  const bootmenu = child(os, 'bootmenu');
  const firmware = child(os, 'firmware');
  return {
    type: nonEmpty(text(type)),
    arch: attr(type, 'arch'),
    machine: attr(type, 'machine'),
    firmware: attr(os, 'firmware'),
    firmwareFeatures: firmware
      ? children(firmware, 'feature').map((f) => ({ name: attr(f, 'name'), enabled: yes(f, 'enabled') }))
      : [],
    loader: loader
      ? {
          path: nonEmpty(text(loader)),
          readonly: yes(loader, 'readonly'),
          type: attr(loader, 'type'),
          secure: yes(loader, 'secure'),
          stateless: yes(loader, 'stateless'),
        }
      : undefined,
    nvram: nvram
      ? {
          path: nonEmpty(text(nvram)) ?? attr(child(nvram, 'source'), 'file'),
          template: attr(nvram, 'template'),
          type: attr(nvram, 'type'),
        }
      : undefined,
    bootDevices: children(os, 'boot').flatMap((b) => attr(b, 'dev') ?? []),
    bootMenu: bootmenu ? { enabled: yes(bootmenu, 'enable'), timeoutMs: uintAttr(bootmenu, 'timeout') } : undefined,
    biosUseSerial: yes(child(os, 'bios'), 'useserial'),
    kernel: childText(os, 'kernel'),
    initrd: childText(os, 'initrd'),
    cmdline: childText(os, 'cmdline'),
  };
}

// edk2 builds as distributions name them; a loader path like these is UEFI even without type='pflash'.
const UEFI_LOADER = /ovmf|aavmf|edk2|qemu_efi|uefi|\.efi$/i;

function firmwareKind(os: OsView): 'bios' | 'uefi' {
  if (os.firmware === 'efi') return 'uefi';
  if (os.firmware === 'bios') return 'bios';
  if (os.loader?.type === 'pflash' || os.nvram) return 'uefi';
  return os.loader?.path && UEFI_LOADER.test(os.loader.path) ? 'uefi' : 'bios';
}

/**
 * An explicit secure-boot firmware feature wins (it is what firmware autoselection obeys); enrolled keys imply it;
 * otherwise the loader's secure='yes' (the SMM-protected build secure boot needs) stands for it.
 */
function secureBoot(os: OsView): boolean {
  const feature = (name: string): boolean | undefined => os.firmwareFeatures.find((f) => f.name === name)?.enabled;
  const explicit = feature('secure-boot');
  if (explicit !== undefined) return explicit;
  if (feature('enrolled-keys') === true) return true;
  return os.loader?.secure === true;
}

function readFeatures(el: Element | undefined): Pick<DomainView, 'features' | 'disabledFeatures' | 'hyperv'> {
  const features: string[] = [];
  const disabledFeatures: string[] = [];
  if (!el) return { features, disabledFeatures };
  for (const f of children(el)) {
    const state = attr(f, 'state');
    (state === 'off' || state === 'no' ? disabledFeatures : features).push(f.tagName);
  }
  const hv = child(el, 'hyperv');
  return {
    features,
    disabledFeatures,
    hyperv: hv
      ? {
          mode: attr(hv, 'mode'),
          enlightenments: children(hv).map((e) => ({
            name: e.tagName,
            state: attr(e, 'state'),
            value: attr(e, 'value') ?? attr(e, 'retries'),
          })),
        }
      : undefined,
  };
}

function readClock(el: Element | undefined): ClockView | undefined {
  if (!el) return undefined;
  return {
    offset: attr(el, 'offset'),
    timezone: attr(el, 'timezone'),
    timers: children(el, 'timer').map((t) => ({
      name: attr(t, 'name'),
      present: yes(t, 'present'),
      tickpolicy: attr(t, 'tickpolicy'),
    })),
  };
}

function bootOrder(devices: DevicesView): BootEntryView[] {
  const entries: BootEntryView[] = [];
  const add = (kind: string, order: number | undefined, label: string | undefined): void => {
    if (order !== undefined) entries.push({ order, kind, label });
  };
  for (const d of devices.disks) add('disk', d.bootOrder, d.target?.dev);
  for (const i of devices.interfaces) add('interface', i.bootOrder, i.mac);
  for (const h of devices.hostdevs) add('hostdev', h.bootOrder, h.pci?.canonical ?? h.mdev?.uuid);
  return entries.sort((a, b) => a.order - b.order);
}

/** Reads a domain document (as libvirt's GetXMLDesc returns it, or a definition) into a plain view. */
export function readDomain(input: Document | string): DomainView {
  const root = loadRoot(input, 'domain', 'domain');
  const maxMemory = child(root, 'maxMemory');
  const os = readOs(child(root, 'os'));
  const devices = readDevices(child(root, 'devices'));
  const id = parseSigned(attr(root, 'id'));
  return {
    type: attr(root, 'type'),
    id: id !== undefined && id >= 0 ? id : undefined,
    name: childText(root, 'name'),
    uuid: childText(root, 'uuid'),
    title: childText(root, 'title'),
    description: childText(root, 'description'),
    memoryKiB: elementKiB(child(root, 'memory')),
    currentMemoryKiB: elementKiB(child(root, 'currentMemory')),
    maxMemoryKiB: elementKiB(maxMemory),
    maxMemorySlots: uintAttr(maxMemory, 'slots'),
    vcpus: readVcpus(child(root, 'vcpu')),
    iothreads: uintText(child(root, 'iothreads')),
    cpu: readCpu(child(root, 'cpu')),
    os,
    firmware: firmwareKind(os),
    secureBoot: secureBoot(os),
    ...readFeatures(child(root, 'features')),
    clock: readClock(child(root, 'clock')),
    onPoweroff: childText(root, 'on_poweroff'),
    onReboot: childText(root, 'on_reboot'),
    onCrash: childText(root, 'on_crash'),
    launchSecurity: attr(at(root, 'launch-security'), 'type'),
    devices,
    bootOrder: bootOrder(devices),
  };
}
