/** Read views of host `<capabilities>` and `<domainCapabilities>`: what the "new VM" and host pages offer. */
import type { Document, Element } from '@xmldom/xmldom';
import { at, attr, child, children, childText, text } from '../dom/nav.js';
import { childNames, loadRoot, readEnums, uintAttr, uintText, yes } from './common.js';
import type { CpuTopologyView } from './domain.js';

export interface MachineView {
  name: string;
  /** The versioned machine an alias stands for (`pc` → `pc-i440fx-9.0`). */
  canonical?: string;
  maxCpus?: number;
  deprecated?: boolean;
}

export interface GuestDomainTypeView {
  /** kvm, qemu, xen, lxc, test, ... */
  type?: string;
  /** Set when this domain type uses its own emulator or machine list instead of the arch's. */
  emulator?: string;
  machines: MachineView[];
}

export interface GuestCapabilityView {
  /** hvm, xen, linux, exe. */
  osType?: string;
  arch?: string;
  wordsize?: number;
  emulator?: string;
  machines: MachineView[];
  domains: GuestDomainTypeView[];
  features: string[];
}

export interface CapabilitiesView {
  host: {
    uuid?: string;
    cpu?: { arch?: string; model?: string; vendor?: string; topology?: CpuTopologyView; features: string[] };
    numaCells?: number;
    iommu?: boolean;
    migrationTransports: string[];
    secModels: { model?: string; doi?: string }[];
  };
  guests: GuestCapabilityView[];
}

function readMachines(el: Element): MachineView[] {
  return children(el, 'machine').map((m) => ({
    name: text(m) ?? '',
    canonical: attr(m, 'canonical'),
    maxCpus: uintAttr(m, 'maxCpus'),
    deprecated: yes(m, 'deprecated'),
  }));
}

function readTopology(el: Element | undefined): CpuTopologyView | undefined {
  if (!el) return undefined;
  return {
    sockets: uintAttr(el, 'sockets'),
    dies: uintAttr(el, 'dies'),
    clusters: uintAttr(el, 'clusters'),
    cores: uintAttr(el, 'cores'),
    threads: uintAttr(el, 'threads'),
  };
}

function readGuest(el: Element): GuestCapabilityView {
  const arch = child(el, 'arch');
  return {
    osType: childText(el, 'os_type'),
    arch: attr(arch, 'name'),
    wordsize: uintText(arch ? child(arch, 'wordsize') : undefined),
    emulator: childText(arch, 'emulator'),
    machines: arch ? readMachines(arch) : [],
    domains: arch
      ? children(arch, 'domain').map((d) => ({
          type: attr(d, 'type'),
          emulator: childText(d, 'emulator'),
          machines: readMachines(d),
        }))
      : [],
    features: childNames(child(el, 'features')),
  };
}

/** Reads the host capabilities document (virConnectGetCapabilities) into a plain view. */
export function readCapabilities(input: Document | string): CapabilitiesView {
  const root = loadRoot(input, 'capabilities', 'capabilities');
  const host = child(root, 'host');
  const cpu = host ? child(host, 'cpu') : undefined;
  const cells = host ? at(host, 'topology/cells') : undefined;
  const transports = host ? at(host, 'migration_features/uri_transports') : undefined;
  return {
    host: {
      uuid: childText(host, 'uuid'),
      cpu: cpu
        ? {
            arch: childText(cpu, 'arch'),
            model: childText(cpu, 'model'),
            vendor: childText(cpu, 'vendor'),
            topology: readTopology(child(cpu, 'topology')),
            // Named <feature>s, plus the older flag style <features><pae/></features>.
            features: [
              ...children(cpu, 'feature').flatMap((f) => attr(f, 'name') ?? []),
              ...childNames(child(cpu, 'features')),
            ],
          }
        : undefined,
      numaCells: cells ? (uintAttr(cells, 'num') ?? children(cells, 'cell').length) : undefined,
      iommu: yes(host ? child(host, 'iommu') : undefined, 'support'),
      migrationTransports: transports ? children(transports, 'uri_transport').map((t) => text(t) ?? '') : [],
      secModels: host
        ? children(host, 'secmodel').map((s) => ({ model: childText(s, 'model'), doi: childText(s, 'doi') }))
        : [],
    },
    guests: children(root, 'guest').map(readGuest),
  };
}

/** One `<x supported='yes|no'>` block with its enums. */
export interface SupportView {
  supported: boolean;
  enums: Record<string, string[]>;
}

export interface CpuModelView {
  name: string;
  /** yes, no or unknown (libvirt could not tell). */
  usable?: string;
  vendor?: string;
  canonical?: string;
  deprecated?: boolean;
  /** CPU features the host lacks for this model (why it is not usable). */
  blockers: string[];
}

export interface DomainCapabilitiesView {
  path?: string;
  /** The domain type these capabilities are for (kvm, qemu, ...). */
  domain?: string;
  machine?: string;
  arch?: string;
  vcpuMax?: number;
  iothreads?: boolean;
  os?: SupportView & {
    /** firmware values for `<os firmware=...>` (bios, efi). */
    firmware: string[];
    firmwareFeatures?: SupportView;
    loader?: SupportView & { values: string[] };
  };
  cpu: {
    hostPassthrough?: SupportView;
    maximum?: SupportView;
    hostModel?: SupportView & { model?: string; fallback?: string; vendor?: string; features: string[] };
    custom?: SupportView & { models: CpuModelView[] };
  };
  memoryBacking?: SupportView;
  /** Per device kind (disk, graphics, video, hostdev, rng, tpm, filesystem, ...). */
  devices: Record<string, SupportView>;
  /**
   * Per feature (gic, vmcoreinfo, genid, sev, sgx, hyperv, ...): supported, enums (gic versions, hyperv features),
   * and simple text values such as SEV's cbitpos.
   */
  features: Record<string, SupportView & { values: Record<string, string> }>;
}

function readSupport(el: Element): SupportView {
  return { supported: attr(el, 'supported') === 'yes', enums: readEnums(el) };
}

/** Leaf children with text (e.g. `<cbitpos>47</cbitpos>`), for feature details beyond enums. */
function leafValues(el: Element): Record<string, string> {
  return Object.fromEntries(
    children(el).flatMap((c) => {
      const t = text(c);
      return c.tagName === 'enum' || children(c).length > 0 || !t ? [] : [[c.tagName, t] as const];
    }),
  );
}

function readCpuModes(cpu: Element | undefined): DomainCapabilitiesView['cpu'] {
  const out: DomainCapabilitiesView['cpu'] = {};
  if (!cpu) return out;
  for (const mode of children(cpu, 'mode')) {
    const base = readSupport(mode);
    switch (attr(mode, 'name')) {
      case 'host-passthrough':
        out.hostPassthrough = base;
        break;
      case 'maximum':
        out.maximum = base;
        break;
      case 'host-model': {
        const model = child(mode, 'model');
        out.hostModel = {
          ...base,
          model: text(model) || undefined,
          fallback: attr(model, 'fallback'),
          vendor: childText(mode, 'vendor'),
          features: children(mode, 'feature')
            .filter((f) => attr(f, 'policy') !== 'disable')
            .flatMap((f) => attr(f, 'name') ?? []),
        };
        break;
      }
      case 'custom': {
        const blockers = new Map<string, string[]>();
        for (const b of children(mode, 'blockers')) {
          blockers.set(attr(b, 'model') ?? '', children(b, 'feature').flatMap((f) => attr(f, 'name') ?? []));
        }
        out.custom = {
          ...base,
          models: children(mode, 'model').map((m) => {
            const name = text(m) ?? '';
            return {
              name,
              usable: attr(m, 'usable'),
              vendor: attr(m, 'vendor'),
              canonical: attr(m, 'canonical'),
              deprecated: yes(m, 'deprecated'),
              blockers: blockers.get(name) ?? [],
            };
          }),
        };
        break;
      }
    }
  }
  return out;
}

function readOsSupport(os: Element | undefined): DomainCapabilitiesView['os'] {
  if (!os) return undefined;
  const base = readSupport(os);
  const loader = child(os, 'loader');
  const ff = child(os, 'firmwareFeatures');
  return {
    ...base,
    firmware: base.enums.firmware ?? [],
    firmwareFeatures: ff ? readSupport(ff) : undefined,
    loader: loader ? { ...readSupport(loader), values: children(loader, 'value').map((v) => text(v) ?? '') } : undefined,
  };
}

/** Reads a domain capabilities document (virConnectGetDomainCapabilities) into a plain view. */
export function readDomainCapabilities(input: Document | string): DomainCapabilitiesView {
  const root = loadRoot(input, 'domainCapabilities', 'domain capabilities');
  const devicesEl = child(root, 'devices');
  const featuresEl = child(root, 'features');
  const devices = Object.fromEntries((devicesEl ? children(devicesEl) : []).map((d) => [d.tagName, readSupport(d)]));
  const features = Object.fromEntries(
    (featuresEl ? children(featuresEl) : []).map((f) => [f.tagName, { ...readSupport(f), values: leafValues(f) }]),
  );
  const memoryBacking = child(root, 'memoryBacking');
  const iothreads = child(root, 'iothreads');
  return {
    path: childText(root, 'path'),
    domain: childText(root, 'domain'),
    machine: childText(root, 'machine'),
    arch: childText(root, 'arch'),
    vcpuMax: uintAttr(child(root, 'vcpu'), 'max'),
    iothreads: iothreads ? attr(iothreads, 'supported') === 'yes' : undefined,
    os: readOsSupport(child(root, 'os')),
    cpu: readCpuModes(child(root, 'cpu')),
    memoryBacking: memoryBacking ? readSupport(memoryBacking) : undefined,
    devices,
    features,
  };
}
