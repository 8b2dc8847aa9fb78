/**
 * Targeted edits of a domain definition, made in place on the document libvirt gave us (fetched with the INACTIVE
 * and SECURE flags) before it is redefined. Each function changes only what it names and what libvirt requires to
 * change with it (documented per function); every other element, attribute, comment and namespace stays as it was.
 * Bad input throws EditError naming the field.
 */
import type { Document, Element } from '@xmldom/xmldom';
import {
  DEVICE_ORDER,
  describeIdentity,
  deviceIdentityOf,
  findDevices,
  type DeviceIdentity,
} from '../devices.js';
import { adopt, attr, child, children, docOf, removeChildren, removeElement, setAttr, setText } from '../dom/nav.js';
import { parseXml, rootElement } from '../dom/parse.js';
import { EditError } from './errors.js';
import {
  addOrdered,
  checkInt,
  checkName,
  checkNonEmpty,
  checkOneOf,
  checkXmlChars,
  ensureOrdered,
  insertOrdered,
  reindent,
  toKiB,
} from './util.js';

/** The children of `<domain>` in the order libvirt formats them: new elements are placed where libvirt puts them. */
const DOMAIN_ORDER = [
  'name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory', 'blkiotune',
  'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'defaultiothread', 'cputune', 'numatune',
  'resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap', 'features', 'cpu', 'clock', 'on_poweroff',
  'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices', 'seclabel', 'keywrap', 'launchSecurity',
] as const;

const OS_ORDER = [
  'type', 'firmware', 'loader', 'nvram', 'varstore', 'init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup',
  'kernel', 'initrd', 'cmdline', 'shim', 'dtb', 'acpi', 'boot', 'bootmenu', 'smbios', 'bios',
] as const;

const CPU_ORDER = ['model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa'] as const;

/** Where `<boot>` goes inside a device: before what libvirt formats after it. */
const DEVICE_BOOT_ORDER = [
  'boot', 'encryption', 'readonly', 'shareable', 'transient', 'serial', 'wwn', 'vendor', 'product', 'rom', 'alias',
  'address', 'acpi',
] as const;

const DISK_ORDER = ['driver', 'source', 'backingStore', 'target', 'iotune', 'boot'] as const;

const INTERFACE_LINK_ORDER = ['link', 'mtu', 'coalesce', 'rom', 'boot', 'alias', 'address', 'acpi'] as const;

/** Devices that may carry `<boot order='N'/>`. */
const BOOTABLE = ['disk', 'interface', 'hostdev', 'redirdev', 'filesystem'] as const;

function domainOf(doc: Document): Element {
  return rootElement(doc, 'domain');
}

function devicesOf(doc: Document): Element {
  return ensureOrdered(domainOf(doc), 'devices', DOMAIN_ORDER);
}

// ------------------------------------------------------------------ name, title, description

/** Sets `<name>`. Kept exactly, leading and trailing spaces included (libvirt keeps them); see checkName. */
export function setName(doc: Document, name: string): void {
  checkName('name', name);
  setText(ensureOrdered(domainOf(doc), 'name', DOMAIN_ORDER), name);
}

/** Sets the one-line `<title>`; an empty title removes the element. libvirt refuses line breaks in titles. */
export function setTitle(doc: Document, title: string): void {
  checkXmlChars('title', title);
  if (/[\n\r]/.test(title)) throw new EditError('title', 'must be a single line');
  const root = domainOf(doc);
  if (title === '') {
    removeChildren(root, 'title');
    return;
  }
  setText(ensureOrdered(root, 'title', DOMAIN_ORDER), title);
}

/**
 * Sets `<description>`, kept exactly except line ends: XML parsers turn CR LF and lone CR into LF, so they are
 * stored as LF and the value reads back as written. An empty description removes the element.
 */
export function setDescription(doc: Document, description: string): void {
  checkXmlChars('description', description);
  const root = domainOf(doc);
  if (description === '') {
    removeChildren(root, 'description');
    return;
  }
  setText(ensureOrdered(root, 'description', DOMAIN_ORDER), description.replace(/\r\n?/g, '\n'));
}

// ------------------------------------------------------------------ memory

function kibOf(el: Element | undefined): number | undefined {
  return el ? toKiB(el.textContent ?? '', attr(el, 'unit')) : undefined;
}

function setKiB(el: Element, kib: number): void {
  setAttr(el, 'unit', 'KiB');
  setText(el, String(kib));
}

/** The NUMA cells' memory in KiB, when the guest has cells: libvirt then derives the total from them. */
function numaTotalKiB(root: Element): number | undefined {
  const cpu = child(root, 'cpu');
  const numa = cpu ? child(cpu, 'numa') : undefined;
  const cells = numa ? children(numa, 'cell') : [];
  if (cells.length === 0) return undefined;
  return cells.reduce((sum, c) => sum + (toKiB(attr(c, 'memory'), attr(c, 'unit')) ?? 0), 0);
}

/**
 * Sets the maximum memory `<memory>` in KiB (the unit attribute becomes KiB). `<currentMemory>` is set to the same
 * value when `current` is true, and lowered to it when it would exceed the new maximum (libvirt rejects that).
 * A guest with NUMA cells takes its memory from them, so a different total is refused rather than silently lost.
 */
export function setMemory(doc: Document, kib: number, options: { current?: boolean } = {}): void {
  checkInt('memory', kib, 1);
  const root = domainOf(doc);
  const numa = numaTotalKiB(root);
  if (numa !== undefined && numa !== kib) {
    throw new EditError('memory', `the guest's NUMA cells add up to ${numa} KiB, which libvirt uses as its memory; change the cells instead`);
  }
  const max = child(root, 'maxMemory');
  const maxKiB = kibOf(max);
  if (maxKiB !== undefined && kib > maxKiB) {
    throw new EditError('memory', `${kib} KiB exceeds the hotplug maximum (maxMemory) of ${maxKiB} KiB`);
  }
  setKiB(ensureOrdered(root, 'memory', DOMAIN_ORDER), kib);
  const current = child(root, 'currentMemory');
  const currentKiB = kibOf(current);
  if (options.current) setKiB(ensureOrdered(root, 'currentMemory', DOMAIN_ORDER), kib);
  else if (current && (currentKiB === undefined || currentKiB > kib)) setKiB(current, kib);
}

/** Sets the balloon's `<currentMemory>` in KiB; it may not exceed `<memory>`. */
export function setCurrentMemory(doc: Document, kib: number): void {
  checkInt('currentMemory', kib, 1);
  const root = domainOf(doc);
  const memory = kibOf(child(root, 'memory'));
  if (memory !== undefined && kib > memory) {
    throw new EditError('currentMemory', `${kib} KiB exceeds the guest's memory of ${memory} KiB`);
  }
  setKiB(ensureOrdered(root, 'currentMemory', DOMAIN_ORDER), kib);
}

/**
 * Sets the memory hotplug ceiling `<maxMemory slots='N'>` in KiB, or removes it with null. The slot count is kept
 * when not given (libvirt requires one, so a new element needs it).
 */
export function setMaxMemory(doc: Document, value: { kib: number; slots?: number } | null): void {
  const root = domainOf(doc);
  if (value === null) {
    removeChildren(root, 'maxMemory');
    return;
  }
  checkInt('maxMemory', value.kib, 1);
  if (value.slots !== undefined) checkInt('maxMemory.slots', value.slots, 1, 255);
  const memory = kibOf(child(root, 'memory'));
  if (memory !== undefined && memory > value.kib) {
    throw new EditError('maxMemory', `${value.kib} KiB is below the guest's memory of ${memory} KiB`);
  }
  const existing = child(root, 'maxMemory');
  if (!existing && value.slots === undefined) throw new EditError('maxMemory.slots', 'a new maxMemory needs a slot count');
  const el = existing ?? ensureOrdered(root, 'maxMemory', DOMAIN_ORDER);
  if (value.slots !== undefined) setAttr(el, 'slots', value.slots);
  setKiB(el, value.kib);
}

// ------------------------------------------------------------------ vCPUs and CPU

export interface CpuTopology {
  sockets: number;
  dies?: number;
  clusters?: number;
  cores: number;
  threads: number;
}

function topologyProduct(t: CpuTopology): number {
  return t.sockets * (t.dies ?? 1) * (t.clusters ?? 1) * t.cores * t.threads;
}

function checkTopology(t: CpuTopology): void {
  checkInt('cpu.topology.sockets', t.sockets, 1);
  if (t.dies !== undefined) checkInt('cpu.topology.dies', t.dies, 1);
  if (t.clusters !== undefined) checkInt('cpu.topology.clusters', t.clusters, 1);
  checkInt('cpu.topology.cores', t.cores, 1);
  checkInt('cpu.topology.threads', t.threads, 1);
}

function existingTopology(root: Element): CpuTopology | undefined {
  const cpu = child(root, 'cpu');
  const t = cpu ? child(cpu, 'topology') : undefined;
  if (!t) return undefined;
  const n = (name: string): number | undefined => {
    const v = attr(t, name);
    return v === undefined ? undefined : Number(v);
  };
  return { sockets: n('sockets') ?? 1, dies: n('dies'), clusters: n('clusters'), cores: n('cores') ?? 1, threads: n('threads') ?? 1 };
}

function writeTopology(root: Element, t: CpuTopology): void {
  const cpu = ensureOrdered(root, 'cpu', DOMAIN_ORDER);
  const el = ensureOrdered(cpu, 'topology', CPU_ORDER);
  setAttr(el, 'sockets', t.sockets);
  // Left out, dies and clusters are 1: an attribute already there says so, an absent one stays absent.
  setAttr(el, 'dies', t.dies ?? (el.hasAttribute('dies') ? 1 : undefined));
  setAttr(el, 'clusters', t.clusters ?? (el.hasAttribute('clusters') ? 1 : undefined));
  setAttr(el, 'cores', t.cores);
  setAttr(el, 'threads', t.threads);
}

/**
 * Sets `<vcpu>`: `max` is the element's value, `current` the vCPUs online at boot (undefined keeps the present
 * value, null removes it so all are online), `placement` static or auto. With `topology` the CPU topology is set
 * in the same step; otherwise an existing topology must still multiply to `max`, as libvirt requires.
 */
export function setVcpus(
  doc: Document,
  value: { max: number; current?: number | null; placement?: 'static' | 'auto'; topology?: CpuTopology },
): void {
  const root = domainOf(doc);
  checkInt('vcpu', value.max, 1);
  if (value.placement !== undefined) checkOneOf('vcpu.placement', value.placement, ['static', 'auto']);
  const el = child(root, 'vcpu');
  let current: number | undefined;
  if (value.current === undefined) {
    const kept = attr(el, 'current');
    current = kept === undefined ? undefined : Number(kept);
  } else if (value.current !== null) {
    current = checkInt('vcpu.current', value.current, 1);
  }
  if (current !== undefined && current > value.max) {
    throw new EditError('vcpu.current', `${current} vCPUs online exceeds the maximum of ${value.max}`);
  }
  if (value.topology) {
    checkTopology(value.topology);
    const product = topologyProduct(value.topology);
    if (product !== value.max) {
      throw new EditError('cpu.topology', `the topology gives ${product} vCPUs but the maximum is ${value.max}`);
    }
  } else {
    const t = existingTopology(root);
    if (t && topologyProduct(t) !== value.max) {
      throw new EditError('vcpu', `${value.max} vCPUs does not match the CPU topology of ${topologyProduct(t)}; set the topology with it`);
    }
  }
  const vcpus = child(root, 'vcpus');
  if (vcpus && children(vcpus, 'vcpu').length !== value.max) {
    throw new EditError('vcpu', `the per-vCPU <vcpus> list has ${children(vcpus, 'vcpu').length} entries, not ${value.max}`);
  }
  const target = el ?? ensureOrdered(root, 'vcpu', DOMAIN_ORDER);
  if (value.placement !== undefined) setAttr(target, 'placement', value.placement);
  if (value.current !== undefined) setAttr(target, 'current', value.current ?? undefined);
  setText(target, String(value.max));
  if (value.topology) writeTopology(root, value.topology);
}

/** Sets `<cpu><topology>`, whose product must equal the maximum vCPU count (use setVcpus to change both). */
export function setCpuTopology(doc: Document, topology: CpuTopology | null): void {
  const root = domainOf(doc);
  if (topology === null) {
    const cpu = child(root, 'cpu');
    if (cpu) removeChildren(cpu, 'topology');
    return;
  }
  checkTopology(topology);
  const vcpuText = child(root, 'vcpu')?.textContent?.trim();
  const max = vcpuText ? Number(vcpuText) : 1;
  const product = topologyProduct(topology);
  if (product !== max) {
    throw new EditError('cpu.topology', `the topology gives ${product} vCPUs but the guest has ${max}; use setVcpus to change both`);
  }
  writeTopology(root, topology);
}

export type CpuMode = 'host-passthrough' | 'host-model' | 'custom' | 'maximum';

/**
 * Sets `<cpu mode>`. `custom` needs a model (given, or already there); `fallback` is allow or forbid. Feature
 * toggles are kept unless `dropFeatures`. What libvirt refuses in the new mode goes with the switch: a named model
 * and `<vendor>` outside custom, `match` outside custom, `migratable` outside host-passthrough and maximum.
 */
export function setCpuMode(
  doc: Document,
  value: { mode: CpuMode; model?: string; fallback?: 'allow' | 'forbid'; dropFeatures?: boolean },
): void {
  const root = domainOf(doc);
  const mode = checkOneOf('cpu.mode', value.mode, ['host-passthrough', 'host-model', 'custom', 'maximum']);
  if (value.fallback !== undefined) checkOneOf('cpu.model.fallback', value.fallback, ['allow', 'forbid']);
  if (value.model !== undefined) checkNonEmpty('cpu.model', value.model);
  if (value.model !== undefined && mode !== 'custom') {
    throw new EditError('cpu.model', `a named model needs mode custom, not ${mode}`);
  }
  const existingCpu = child(root, 'cpu');
  const existingModel = existingCpu ? child(existingCpu, 'model') : undefined;
  if (mode === 'custom' && value.model === undefined && !(existingModel?.textContent ?? '').trim()) {
    throw new EditError('cpu.model', 'custom mode needs a CPU model');
  }
  const cpu = existingCpu ?? ensureOrdered(root, 'cpu', DOMAIN_ORDER);
  setAttr(cpu, 'mode', mode);
  if (mode !== 'custom') setAttr(cpu, 'match', undefined);
  if (mode !== 'host-passthrough' && mode !== 'maximum') setAttr(cpu, 'migratable', undefined);
  if (mode === 'custom') {
    const model = existingModel ?? ensureOrdered(cpu, 'model', CPU_ORDER);
    if (value.model !== undefined) setText(model, value.model);
    if (value.fallback !== undefined) setAttr(model, 'fallback', value.fallback);
  } else {
    removeChildren(cpu, 'vendor');
    if (mode === 'host-model' && (value.fallback !== undefined || attr(existingModel, 'fallback') !== undefined)) {
      const model = existingModel ?? ensureOrdered(cpu, 'model', CPU_ORDER);
      while (model.firstChild) model.removeChild(model.firstChild);
      if (value.fallback !== undefined) setAttr(model, 'fallback', value.fallback);
    } else {
      removeChildren(cpu, 'model');
    }
  }
  if (value.dropFeatures) removeChildren(cpu, 'feature');
}

// ------------------------------------------------------------------ boot

export type OsBootDevice = 'hd' | 'cdrom' | 'fd' | 'network';

/** The `<boot>` element of every bootable device, wherever libvirt allows one. */
function deviceBootElements(doc: Document): Element[] {
  const devices = child(domainOf(doc), 'devices');
  if (!devices) return [];
  return children(devices)
    .filter((d) => (BOOTABLE as readonly string[]).includes(d.tagName))
    .flatMap((d) => children(d, 'boot'));
}

/**
 * BIOS-style boot order: `<os><boot dev='…'/>` in the given order. Per-device `<boot order>` elements are removed:
 * libvirt refuses both styles in one definition. An empty list leaves libvirt's default (the first disk).
 */
export function setOsBootDevices(doc: Document, devices: readonly OsBootDevice[]): void {
  const seen = new Set<string>();
  for (const d of devices) {
    checkOneOf('os.boot', d, ['hd', 'cdrom', 'fd', 'network']);
    if (seen.has(d)) throw new EditError('os.boot', `"${d}" is listed twice`);
    seen.add(d);
  }
  const root = domainOf(doc);
  const os = ensureOrdered(root, 'os', DOMAIN_ORDER);
  const existing = children(os, 'boot');
  // Reuse the elements already there, in place, so an unchanged order is no change at all.
  devices.forEach((dev, i) => {
    const el = existing[i] ?? addOrdered(os, 'boot', {}, OS_ORDER);
    setAttr(el, 'dev', dev);
  });
  for (const extra of existing.slice(devices.length)) removeElement(extra);
  for (const b of deviceBootElements(doc)) removeElement(b);
}

/**
 * Per-device boot order: the listed devices get `<boot order='1'>`, `<boot order='2'>`… in list order, every other
 * device loses its `<boot>`, and `<os><boot>` goes (libvirt refuses both styles together).
 */
export function setDeviceBootOrder(doc: Document, order: readonly DeviceIdentity[]): void {
  const targets = order.map((id, i) => {
    const el = uniqueDevice(doc, id, `boot[${i}]`);
    if (!(BOOTABLE as readonly string[]).includes(el.tagName)) {
      throw new EditError(`boot[${i}]`, `<${el.tagName}> devices cannot boot; only ${BOOTABLE.join(', ')} can`);
    }
    return el;
  });
  if (new Set(targets).size !== targets.length) throw new EditError('boot', 'a device is listed twice');
  const os = child(domainOf(doc), 'os');
  if (os) removeChildren(os, 'boot');
  const keep = new Set<Element>();
  targets.forEach((el, i) => {
    const boot = child(el, 'boot') ?? addOrdered(el, 'boot', {}, DEVICE_BOOT_ORDER);
    setAttr(boot, 'order', i + 1);
    keep.add(boot);
  });
  for (const b of deviceBootElements(doc)) if (!keep.has(b)) removeElement(b);
}

/**
 * Either boot style in one call: boot device names (`['hd', 'cdrom']`) set `<os><boot>`, device identities set
 * per-device order. An empty list leaves libvirt's default.
 */
export function setBootOrder(doc: Document, order: readonly OsBootDevice[] | readonly DeviceIdentity[]): void {
  const names = order.filter((o): o is OsBootDevice => typeof o === 'string');
  if (names.length === order.length) setOsBootDevices(doc, names);
  else if (names.length === 0) setDeviceBootOrder(doc, order as readonly DeviceIdentity[]);
  else throw new EditError('boot', 'mixes boot device names with devices; libvirt allows one style at a time');
}

// ------------------------------------------------------------------ firmware

export type FirmwareKind = 'bios' | 'uefi';

/** What the definition boots with now: libvirt's autoselection attribute, else a manually pinned pflash loader. */
export function firmwareKind(doc: Document): FirmwareKind {
  const os = child(domainOf(doc), 'os');
  if (!os) return 'bios';
  const fw = attr(os, 'firmware');
  if (fw === 'efi') return 'uefi';
  if (fw === 'bios') return 'bios';
  const loader = child(os, 'loader');
  if (attr(loader, 'type') === 'pflash' || child(os, 'nvram')) return 'uefi';
  return 'bios';
}

/**
 * Chooses BIOS or UEFI through libvirt's firmware autoselection (`<os firmware='efi'>`). `secureBoot` (UEFI only)
 * writes `<firmware>` with the secure-boot and enrolled-keys features, both on or both off (libvirt refuses
 * enrolled keys without secure boot); left out, the present choice stays. Loader and NVRAM paths belong to one
 * kind of firmware, so they go when the kind changes and stay otherwise.
 *
 * A UEFI guest pinned to a firmware file (`<loader type='pflash'>` without autoselection) stays pinned: the file
 * decides secure boot, so changing it there needs `autoselect: true`, which drops the pinned paths and lets libvirt
 * choose a matching firmware (libvirt 9.0 refuses a read-only loader path together with autoselection).
 */
export function setFirmware(
  doc: Document,
  kind: FirmwareKind,
  options: { secureBoot?: boolean; autoselect?: boolean } = {},
): void {
  checkOneOf('os.firmware', kind, ['bios', 'uefi']);
  if (kind === 'bios' && options.secureBoot) throw new EditError('os.firmware', 'secure boot needs UEFI firmware');
  const root = domainOf(doc);
  const os = ensureOrdered(root, 'os', DOMAIN_ORDER);
  const current = firmwareKind(doc);
  const pinned = current === 'uefi' && attr(os, 'firmware') !== 'efi';
  if (kind === 'uefi' && pinned && !options.autoselect) {
    if (options.secureBoot === undefined) return;
    const loader = child(os, 'loader');
    const secure = attr(loader, 'secure') === 'yes';
    if (secure === options.secureBoot) return;
    throw new EditError(
      'os.loader',
      `the firmware is pinned to ${(loader?.textContent ?? '').trim() || 'a loader'}, which decides secure boot; ` +
        'pass autoselect: true to let libvirt choose a matching firmware',
    );
  }
  if (current !== kind || (kind === 'uefi' && pinned)) {
    removeChildren(os, 'loader');
    removeChildren(os, 'nvram');
    removeChildren(os, 'varstore');
    removeChildren(os, 'firmware');
  }
  if (kind === 'bios') {
    if (current !== kind) setAttr(os, 'firmware', undefined);
    return;
  }
  setAttr(os, 'firmware', 'efi');
  if (options.secureBoot === undefined) return;
  const state = options.secureBoot ? 'yes' : 'no';
  const fw = ensureOrdered(os, 'firmware', OS_ORDER);
  for (const name of ['secure-boot', 'enrolled-keys']) {
    const feature = children(fw, 'feature').find((f) => attr(f, 'name') === name) ?? addOrdered(fw, 'feature', {}, []);
    setAttr(feature, 'enabled', state);
    setAttr(feature, 'name', name);
  }
  // A loader element kept under autoselection may state its own secure flag; it must agree or libvirt refuses.
  const loader = child(os, 'loader');
  if (loader?.hasAttribute('secure')) setAttr(loader, 'secure', state);
}

// ------------------------------------------------------------------ lifecycle

const LIFECYCLE_VALUES = {
  on_poweroff: ['destroy', 'restart', 'preserve', 'rename-restart'],
  on_reboot: ['destroy', 'restart', 'preserve', 'rename-restart'],
  on_crash: ['destroy', 'restart', 'preserve', 'rename-restart', 'coredump-destroy', 'coredump-restart'],
  on_lockfailure: ['poweroff', 'restart', 'pause', 'ignore'],
} as const;

export type LifecycleEvent = keyof typeof LIFECYCLE_VALUES;

/** Sets `<on_poweroff>`, `<on_reboot>`, `<on_crash>` or `<on_lockfailure>` to one of libvirt's actions for it. */
export function setLifecycleAction(doc: Document, event: LifecycleEvent, action: string): void {
  const ev = checkOneOf('lifecycle', event, Object.keys(LIFECYCLE_VALUES) as LifecycleEvent[]);
  checkOneOf(ev, action, LIFECYCLE_VALUES[ev]);
  setText(ensureOrdered(domainOf(doc), ev, DOMAIN_ORDER), action);
}

// ------------------------------------------------------------------ devices

const ATTACHABLE = DEVICE_ORDER.filter((d) => d !== 'emulator');

/** Parses a device fragment or copies a built element into `doc`; the caller's element is never moved. */
function deviceElement(doc: Document, device: Element | string, field: string): Element {
  let el: Element;
  if (typeof device === 'string') {
    try {
      const root = parseXml(device, 'device XML').documentElement;
      if (!root) throw new Error('device XML has no root element');
      el = root;
    } catch (err) {
      throw new EditError(field, (err as Error).message);
    }
  } else {
    el = device;
  }
  if (!(ATTACHABLE as readonly string[]).includes(el.tagName)) {
    throw new EditError(field, `<${el.tagName}> is not a device libvirt knows`);
  }
  return adopt(doc, el);
}

function uniqueDevice(doc: Document, identity: DeviceIdentity, field: string): Element {
  const found = findDevices(doc, identity);
  if (found.length === 0) throw new EditError(field, `no ${describeIdentity(identity)} in this domain`);
  if (found.length > 1) throw new EditError(field, `${found.length} devices match ${describeIdentity(identity)}`);
  return found[0]!;
}

/** Identities that must stay unique within a definition (libvirt refuses a second disk vda or a repeated MAC). */
function uniqueKey(el: Element): DeviceIdentity | undefined {
  const id = deviceIdentityOf(el);
  if (!id || 'alias' in id) return undefined;
  return id.kind === 'disk' || id.kind === 'interface' || id.kind === 'hostdev' || id.kind === 'graphics' ? id : undefined;
}

/**
 * Adds a device (an element from a builder, or an XML fragment) to `<devices>`, after the last device of its kind
 * or where libvirt orders that kind. Returns the element now in the document.
 */
export function addDevice(doc: Document, device: Element | string): Element {
  const el = deviceElement(doc, device, 'device');
  const key = uniqueKey(el);
  if (key && findDevices(doc, key).length > 0) throw new EditError('device', `the domain already has a ${describeIdentity(key)}`);
  return insertOrdered(devicesOf(doc), el, DEVICE_ORDER);
}

/** Removes the device the identity names; returns it. Unknown or ambiguous identities throw. */
export function removeDevice(doc: Document, identity: DeviceIdentity): Element {
  const el = uniqueDevice(doc, identity, 'device');
  removeElement(el);
  return el;
}

/**
 * Replaces a device with a new definition of the same kind, in the same place. The old `<address>` and `<alias>`
 * carry over when the new element has none, so the guest sees the device where it was.
 */
export function updateDevice(doc: Document, identity: DeviceIdentity, device: Element | string): Element {
  const old = uniqueDevice(doc, identity, 'device');
  const el = deviceElement(doc, device, 'device');
  if (el.tagName !== old.tagName) throw new EditError('device', `cannot replace a <${old.tagName}> with a <${el.tagName}>`);
  const key = uniqueKey(el);
  if (key && findDevices(doc, key).some((d) => d !== old)) {
    throw new EditError('device', `another device already is ${describeIdentity(key)}`);
  }
  for (const name of ['alias', 'address']) {
    const kept = child(old, name);
    if (kept && !child(el, name)) insertOrdered(el, adopt(doc, kept), [name]);
  }
  const parent = old.parentNode;
  if (!parent) throw new EditError('device', 'the device is not in the document');
  parent.replaceChild(el, old);
  reindent(el);
  return el;
}

/**
 * Changes the medium of a CD-ROM or floppy: `{ file }` inserts an image (the drive becomes type file; a
 * startupPolicy stays), null ejects it by removing `<source>`.
 */
export function changeMedia(doc: Document, target: string, media: { file: string } | null): void {
  const disk = uniqueDevice(doc, { kind: 'disk', target }, 'disk.target');
  const device = attr(disk, 'device') ?? 'disk';
  if (device !== 'cdrom' && device !== 'floppy') {
    throw new EditError('disk.device', `${target} is a ${device}; only a cdrom or floppy has removable media`);
  }
  const old = child(disk, 'source');
  if (media === null) {
    if (old) removeElement(old);
    // An empty drive has to be a file or block drive; a network drive without a source is not a valid definition.
    if (attr(disk, 'type') !== 'file' && attr(disk, 'type') !== 'block') setAttr(disk, 'type', 'file');
    return;
  }
  checkNonEmpty('disk.source', media.file);
  const source = docOf(disk).createElement('source');
  setAttr(source, 'file', media.file);
  setAttr(source, 'startupPolicy', attr(old, 'startupPolicy'));
  setAttr(disk, 'type', 'file');
  if (old) disk.replaceChild(source, old);
  else insertOrdered(disk, source, DISK_ORDER);
}

/** Sets an interface's `<link state>` up or down. */
export function setLinkState(doc: Document, mac: string, state: 'up' | 'down'): void {
  checkOneOf('interface.link', state, ['up', 'down']);
  const iface = uniqueDevice(doc, { kind: 'interface', mac }, 'interface.mac');
  const link = child(iface, 'link') ?? addOrdered(iface, 'link', {}, INTERFACE_LINK_ORDER);
  setAttr(link, 'state', state);
}
