/** The rest of a domain's devices (display, consoles, TPM, RNG, ...) and the walk over `<devices>`. */
import type { Document, Element } from '@xmldom/xmldom';
import { attr, child, children, text } from '../dom/nav.js';
import { loadRoot, readDeviceAddress, uintAttr, yes, type DeviceAddressView } from './common.js';
import { readController, readDisk, type ControllerView, type DiskView } from './domain-disks.js';
import { readHostdev, readInterface, type HostdevView, type InterfaceView } from './domain-net.js';
import { parseSigned } from './units.js';

export interface GraphicsListenView {
  /** address, network, socket, none. */
  type?: string;
  address?: string;
  network?: string;
  socket?: string;
}

export interface GraphicsView {
  /** vnc, spice, rdp, sdl, desktop, egl-headless, dbus. */
  type?: string;
  /** Undefined until assigned: libvirt writes -1 for "pick a port" (an old spelling of autoport). */
  port?: number;
  autoport: boolean;
  tlsPort?: number;
  websocket?: number;
  /** The effective listen type: the first `<listen>`'s, else 'address' for a bare listen attribute. */
  listenType?: string;
  /** The effective listen address: the first `<listen>`'s, else the legacy listen attribute. */
  listenAddress?: string;
  listens: GraphicsListenView[];
  /** UNIX socket path for vnc/spice socket listening. */
  socket?: string;
  /** Whether a password is set; the password itself never leaves the document. */
  hasPassword: boolean;
  keymap?: string;
  gl?: { enable?: boolean; rendernode?: string };
}

export interface VideoView {
  /** vga, cirrus, qxl, virtio, bochs, ramfb, none, ... */
  model?: string;
  vramKiB?: number;
  ramKiB?: number;
  vgamemKiB?: number;
  heads?: number;
  primary: boolean;
  accel3d?: boolean;
  alias?: string;
  address?: DeviceAddressView;
}

export interface CharDeviceView {
  /** serial, console, channel or parallel. */
  kind: string;
  /** pty, unix, tcp, udp, file, spicevmc, ... */
  type?: string;
  targetType?: string;
  targetPort?: number;
  /** Channel name, e.g. org.qemu.guest_agent.0. */
  targetName?: string;
  /** Channel connection state as libvirt reports it: connected or disconnected. */
  targetState?: string;
  sourcePath?: string;
  sourceMode?: string;
  sourceHost?: string;
  sourceService?: string;
  /** The pty a running guest's console is attached to. */
  tty?: string;
  alias?: string;
  address?: DeviceAddressView;
}

export interface TpmView {
  model?: string;
  /** passthrough, emulator, external. */
  backendType?: string;
  backendVersion?: string;
  /** The host TPM (passthrough) or socket (external). */
  backendPath?: string;
  alias?: string;
}

export interface WatchdogView {
  model?: string;
  /** libvirt's default is reset. */
  action: string;
  alias?: string;
}

export interface RngView {
  model?: string;
  /** random, egd, builtin. */
  backendModel?: string;
  /** The chardev type of an egd backend (tcp, unix, ...). */
  backendType?: string;
  /** The host entropy device of a random backend (e.g. /dev/urandom). */
  backendPath?: string;
  backendHost?: string;
  backendService?: string;
  rate?: { bytes?: number; periodMs?: number };
  alias?: string;
  address?: DeviceAddressView;
}

export interface MemballoonView {
  model?: string;
  autodeflate?: boolean;
  freePageReporting?: boolean;
  /** Seconds between guest memory statistics updates; 0 or absent is off. */
  statsPeriod?: number;
  alias?: string;
  address?: DeviceAddressView;
}

export interface FilesystemView {
  /** mount, file, block, ram, bind, template, volume. */
  type?: string;
  /** passthrough, mapped, squash. */
  accessmode?: string;
  /** path, handle, loop, nbd, ploop, virtiofs. */
  driverType?: string;
  driverName?: string;
  source?: { dir?: string; name?: string; file?: string; dev?: string; socket?: string; pool?: string; volume?: string };
  targetDir?: string;
  readonly: boolean;
  alias?: string;
  address?: DeviceAddressView;
}

export interface InputView {
  type?: string;
  bus?: string;
  model?: string;
  alias?: string;
}

export interface SoundView {
  model?: string;
  alias?: string;
}

export interface DevicesView {
  emulator?: string;
  disks: DiskView[];
  controllers: ControllerView[];
  interfaces: InterfaceView[];
  hostdevs: HostdevView[];
  graphics: GraphicsView[];
  videos: VideoView[];
  serials: CharDeviceView[];
  consoles: CharDeviceView[];
  channels: CharDeviceView[];
  parallels: CharDeviceView[];
  tpms: TpmView[];
  watchdogs: WatchdogView[];
  rngs: RngView[];
  memballoon?: MemballoonView;
  filesystems: FilesystemView[];
  inputs: InputView[];
  sounds: SoundView[];
  /** One entry per device element this view does not model (redirdev, smartcard, panic, ...), in document order. */
  unknownDevices: string[];
}

function aliasOf(el: Element): string | undefined {
  return attr(child(el, 'alias'), 'name');
}

export function readGraphics(el: Element): GraphicsView {
  const listens = children(el, 'listen').map((l) => ({
    type: attr(l, 'type'),
    address: attr(l, 'address'),
    network: attr(l, 'network'),
    socket: attr(l, 'socket'),
  }));
  const first = listens[0];
  const legacyListen = attr(el, 'listen');
  const port = parseSigned(attr(el, 'port'));
  const gl = child(el, 'gl');
  return {
    type: attr(el, 'type'),
    port: port !== undefined && port >= 0 ? port : undefined,
    autoport: attr(el, 'autoport') === 'yes' || port === -1,
    tlsPort: positive(parseSigned(attr(el, 'tlsPort'))),
    websocket: positive(parseSigned(attr(el, 'websocket'))),
    listenType: first?.type ?? (legacyListen !== undefined ? 'address' : attr(el, 'socket') ? 'socket' : undefined),
    listenAddress: first?.address ?? legacyListen,
    listens,
    socket: attr(el, 'socket') ?? listens.find((l) => l.type === 'socket')?.socket,
    hasPassword: el.hasAttribute('passwd'),
    keymap: attr(el, 'keymap'),
    gl: gl ? { enable: yes(gl, 'enable'), rendernode: attr(gl, 'rendernode') } : undefined,
  };
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n >= 0 ? n : undefined;
}

function readVideo(el: Element): VideoView {
  const model = child(el, 'model');
  return {
    model: attr(model, 'type'),
    vramKiB: uintAttr(model, 'vram'),
    ramKiB: uintAttr(model, 'ram'),
    vgamemKiB: uintAttr(model, 'vgamem'),
    heads: uintAttr(model, 'heads'),
    primary: attr(model, 'primary') === 'yes',
    accel3d: yes(model ? child(model, 'acceleration') : undefined, 'accel3d'),
    alias: aliasOf(el),
    address: readDeviceAddress(child(el, 'address')),
  };
}

export function readCharDevice(el: Element): CharDeviceView {
  const target = child(el, 'target');
  // udp chardevs carry a bind and a connect source; the connect one is where data goes.
  const sources = children(el, 'source');
  const source = sources.find((s) => attr(s, 'mode') === 'connect') ?? sources[0];
  return {
    kind: el.tagName,
    type: attr(el, 'type'),
    targetType: attr(target, 'type'),
    targetPort: uintAttr(target, 'port'),
    targetName: attr(target, 'name'),
    targetState: attr(target, 'state'),
    sourcePath: attr(source, 'path'),
    sourceMode: attr(source, 'mode'),
    sourceHost: attr(source, 'host'),
    sourceService: attr(source, 'service'),
    tty: attr(el, 'tty'),
    alias: aliasOf(el),
    address: readDeviceAddress(child(el, 'address')),
  };
}

function readTpm(el: Element): TpmView {
  const backend = child(el, 'backend');
  const device = backend ? child(backend, 'device') : undefined;
  const source = backend ? child(backend, 'source') : undefined;
  return {
    model: attr(el, 'model'),
    backendType: attr(backend, 'type'),
    backendVersion: attr(backend, 'version'),
    backendPath: attr(device, 'path') ?? attr(source, 'path'),
    alias: aliasOf(el),
  };
}

function readRng(el: Element): RngView {
  const backend = child(el, 'backend');
  const model = attr(backend, 'model');
  const source = backend ? child(backend, 'source') : undefined;
  const rate = child(el, 'rate');
  const path = model === 'random' ? text(backend) : attr(source, 'path');
  return {
    model: attr(el, 'model'),
    backendModel: model,
    backendType: attr(backend, 'type'),
    backendPath: path === '' ? undefined : path,
    backendHost: attr(source, 'host'),
    backendService: attr(source, 'service'),
    rate: rate ? { bytes: uintAttr(rate, 'bytes'), periodMs: uintAttr(rate, 'period') } : undefined,
    alias: aliasOf(el),
    address: readDeviceAddress(child(el, 'address')),
  };
}

function readFilesystem(el: Element): FilesystemView {
  const driver = child(el, 'driver');
  const source = child(el, 'source');
  return {
    type: attr(el, 'type'),
    accessmode: attr(el, 'accessmode'),
    driverType: attr(driver, 'type'),
    driverName: attr(driver, 'name'),
    source: source
      ? {
          dir: attr(source, 'dir'),
          name: attr(source, 'name'),
          file: attr(source, 'file'),
          dev: attr(source, 'dev'),
          socket: attr(source, 'socket'),
          pool: attr(source, 'pool'),
          volume: attr(source, 'volume'),
        }
      : undefined,
    targetDir: attr(child(el, 'target'), 'dir'),
    readonly: child(el, 'readonly') !== undefined,
    alias: aliasOf(el),
    address: readDeviceAddress(child(el, 'address')),
  };
}

export function readDevices(devices: Element | undefined): DevicesView {
  const view: DevicesView = {
    disks: [],
    controllers: [],
    interfaces: [],
    hostdevs: [],
    graphics: [],
    videos: [],
    serials: [],
    consoles: [],
    channels: [],
    parallels: [],
    tpms: [],
    watchdogs: [],
    rngs: [],
    filesystems: [],
    inputs: [],
    sounds: [],
    unknownDevices: [],
  };
  if (!devices) return view;
  for (const el of children(devices)) {
    switch (el.tagName) {
      case 'emulator':
        view.emulator = text(el);
        break;
      case 'disk':
        view.disks.push(readDisk(el));
        break;
      case 'controller':
        view.controllers.push(readController(el));
        break;
      case 'interface':
        view.interfaces.push(readInterface(el));
        break;
      case 'hostdev':
        view.hostdevs.push(readHostdev(el));
        break;
      case 'graphics':
        view.graphics.push(readGraphics(el));
        break;
      case 'video':
        view.videos.push(readVideo(el));
        break;
      case 'serial':
        view.serials.push(readCharDevice(el));
        break;
      case 'console':
        view.consoles.push(readCharDevice(el));
        break;
      case 'channel':
        view.channels.push(readCharDevice(el));
        break;
      case 'parallel':
        view.parallels.push(readCharDevice(el));
        break;
      case 'tpm':
        view.tpms.push(readTpm(el));
        break;
      case 'watchdog':
        view.watchdogs.push({ model: attr(el, 'model'), action: attr(el, 'action') ?? 'reset', alias: aliasOf(el) });
        break;
      case 'rng':
        view.rngs.push(readRng(el));
        break;
      case 'memballoon':
        view.memballoon = {
          model: attr(el, 'model'),
          autodeflate: yes(el, 'autodeflate'),
          freePageReporting: yes(el, 'freePageReporting'),
          statsPeriod: uintAttr(child(el, 'stats'), 'period'),
          alias: aliasOf(el),
          address: readDeviceAddress(child(el, 'address')),
        };
        break;
      case 'filesystem':
        view.filesystems.push(readFilesystem(el));
        break;
      case 'input':
        view.inputs.push({ type: attr(el, 'type'), bus: attr(el, 'bus'), model: attr(el, 'model'), alias: aliasOf(el) });
        break;
      case 'sound':
        view.sounds.push({ model: attr(el, 'model'), alias: aliasOf(el) });
        break;
      default:
        view.unknownDevices.push(el.tagName);
    }
  }
  return view;
}

/**
 * The display passwords of a definition read with libvirt's SECURE flag, in the order of `DomainView.devices.graphics`
 * (undefined where none is set). Kept apart from the view, which never carries secrets.
 */
export function graphicsPasswords(input: Document | string): (string | undefined)[] {
  const devices = child(loadRoot(input, 'domain', 'domain'), 'devices');
  return devices ? children(devices, 'graphics').map((g) => attr(g, 'passwd')) : [];
}
