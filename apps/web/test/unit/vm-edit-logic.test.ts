// The details page's editing logic without a DOM: pending-restart comparison, the boot order model, the CPU and
// memory form (validation, edits sent, server errors by field) and where the server says the XML is wrong.
import type { FieldError } from '@vireo/api';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/client.js';
import { bootItems, bootOrderOperation, bootSequence, moveItem, sameBootOrder, setEnabled } from '../../src/vms/details/boot-order.js';
import { cpuMemoryOperations, fieldOfServerError, initialValues, toKiB, validate, type CpuMemoryValues } from '../../src/vms/details/cpu-memory.js';
import { editPermissions } from '../../src/vms/details/permissions.js';
import { pendingRestart } from '../../src/vms/details/restart-diff.js';
import type { DetailView } from '../../src/vms/details/view.js';
import { toDiagnostics } from '../../src/vms/details/xml/codemirror.js';
import { clampLine, xmlProblems } from '../../src/vms/details/xml/xml-problems.js';

const GiB = 1024 * 1024;

function view(overrides: Partial<DetailView> = {}): DetailView {
  return {
    memoryKiB: 2 * GiB,
    currentMemoryKiB: 2 * GiB,
    vcpus: { count: 2, current: 2 },
    os: { type: 'hvm', arch: 'x86_64', machine: 'pc-q35-9.2', bootDevices: ['hd'], firmwareFeatures: [] },
    firmware: 'bios',
    secureBoot: false,
    devices: {
      disks: [
        { type: 'file', device: 'disk', driver: { type: 'qcow2' }, source: { file: '/img/a.qcow2' }, target: { dev: 'vda', bus: 'virtio' } },
        { type: 'file', device: 'cdrom', driver: { type: 'raw' }, source: { file: '/iso/d.iso' }, target: { dev: 'sda', bus: 'sata' }, readonly: true },
      ],
      interfaces: [{ type: 'network', mac: '52:54:00:00:00:01', source: { network: 'iso' }, model: 'virtio' }],
    },
    bootOrder: [],
    ...overrides,
  };
}

describe('pendingRestart', () => {
  it('is empty for a shut-off VM and for a running one that runs its definition', () => {
    expect([...pendingRestart(view(), null)]).toEqual([]);
    // What the running configuration adds by itself (aliases, a disk format filled in, the bridge) is no change.
    const live = view();
    live.devices!.disks![0] = { ...live.devices!.disks![0]!, alias: 'virtio-disk0' } as never;
    live.devices!.interfaces![0] = { ...live.devices!.interfaces![0]!, source: { network: 'iso', bridge: 'virbr9' } };
    expect([...pendingRestart(view(), live)]).toEqual([]);
  });

  it('names each fact whose persistent value differs from the live one', () => {
    const persistent = view({
      memoryKiB: 4 * GiB,
      currentMemoryKiB: 4 * GiB,
      vcpus: { count: 4, current: 2 },
      os: { machine: 'pc-q35-9.2', bootDevices: ['cdrom', 'hd'], firmwareFeatures: [] },
    });
    expect([...pendingRestart(persistent, view())].sort()).toEqual(['bootOrder', 'memory', 'vcpus']);
  });

  it('sees firmware, machine, disks and interfaces changes, but not device order', () => {
    const live = view();
    const persistent = view({
      firmware: 'uefi',
      os: { machine: 'pc-q35-10.0', bootDevices: ['hd'], firmwareFeatures: [{ name: 'secure-boot', enabled: true }] },
      devices: {
        disks: [...live.devices!.disks!].reverse().map((d) => (d.device === 'cdrom' ? { ...d, source: { file: '/iso/other.iso' } } : d)),
        interfaces: [{ ...live.devices!.interfaces![0]!, model: 'e1000e' }],
      },
    });
    expect([...pendingRestart(persistent, live)].sort()).toEqual(['disks', 'firmware', 'interfaces', 'machine']);
    const reordered = view({ devices: { disks: [...live.devices!.disks!].reverse(), interfaces: live.devices!.interfaces! } });
    expect(pendingRestart(reordered, live).size).toBe(0);
  });

  it('compares a missing disk format as raw, and the boot order of devices by identity', () => {
    const live = view();
    const persistent = view();
    persistent.devices!.disks![1] = { ...persistent.devices!.disks![1]!, driver: {} };
    expect(pendingRestart(persistent, live).size).toBe(0);
    const withOrder = view({ bootOrder: [{ order: 1, kind: 'disk', label: 'vda' }] });
    expect([...pendingRestart(withOrder, live)]).toEqual(['bootOrder']);
    expect(pendingRestart(withOrder, view({ bootOrder: [{ order: 1, kind: 'disk', label: 'vda' }] })).size).toBe(0);
  });
});

describe('boot order', () => {
  it('maps <os><boot dev> to the first device of each kind, the rest after it, disabled', () => {
    const items = bootItems(view({ os: { bootDevices: ['cdrom', 'network'] } }));
    expect(items.map((i) => [i.name, i.device, i.enabled])).toEqual([
      ['sda', 'cdrom', true],
      ['52:54:00:00:00:01', 'interface', true],
      ['vda', 'disk', false],
    ]);
    expect(items[0]!.source).toBe('/iso/d.iso');
    expect(items[1]!.source).toBe('iso');
  });

  it('takes per-device orders when the definition has them', () => {
    const items = bootItems(
      view({
        os: { bootDevices: [] },
        bootOrder: [
          { order: 1, kind: 'interface', label: '52:54:00:00:00:01' },
          { order: 2, kind: 'disk', label: 'vda' },
        ],
      }),
    );
    expect(bootSequence(items)).toEqual(['interface:52:54:00:00:00:01', 'disk:vda']);
    expect(items[2]).toMatchObject({ name: 'sda', enabled: false });
  });

  it('moves, enables and turns into per-device identities', () => {
    const start = bootItems(view());
    expect(bootSequence(start)).toEqual(['disk:vda']);
    const moved = moveItem(setEnabled(start, 'disk:sda', true), 1, -1);
    expect(moved.map((i) => i.name)).toEqual(['sda', 'vda', '52:54:00:00:00:01']);
    expect(sameBootOrder(moved, start)).toBe(false);
    expect(bootOrderOperation(moved)).toEqual({
      op: 'bootOrder',
      order: [
        { kind: 'disk', target: 'sda' },
        { kind: 'disk', target: 'vda' },
      ],
    });
    // Out of range: unchanged.
    expect(moveItem(moved, 0, -1).map((i) => i.key)).toEqual(moved.map((i) => i.key));
    expect(moveItem(moved, 2, 1).map((i) => i.key)).toEqual(moved.map((i) => i.key));
    // Moving a disabled device does not change the boot order.
    expect(sameBootOrder(moveItem(start, 2, -1), start)).toBe(true);
  });

  it('sends an empty list (libvirt\'s default) when no device is enabled', () => {
    expect(bootOrderOperation(setEnabled(bootItems(view()), 'disk:vda', false))).toEqual({ op: 'bootOrder', order: [] });
  });
});

describe('CPU and memory form', () => {
  const base = view({ memoryKiB: 2 * GiB, currentMemoryKiB: 1536 * 1024, vcpus: { count: 4, current: 2 } });

  it('starts from the persistent definition, in GiB when whole, else MiB', () => {
    expect(initialValues(base)).toEqual({ maxVcpus: 4, vcpus: 2, maxMemory: 2, maxMemoryUnit: 'GiB', memory: 1536, memoryUnit: 'MiB' });
  });

  it('says what is wrong with each field', () => {
    const ok = initialValues(base);
    expect(validate(ok)).toEqual({});
    expect(validate({ ...ok, maxVcpus: '', vcpus: 0 })).toEqual({ maxVcpus: 'required', vcpus: 'atLeastOne' });
    expect(validate({ ...ok, vcpus: 5 })).toEqual({ vcpus: 'vcpusOverMax' });
    expect(validate({ ...ok, maxVcpus: 5000, vcpus: 1.5 })).toEqual({ maxVcpus: 'tooManyVcpus', vcpus: 'wholeNumber' });
    expect(validate({ ...ok, memory: 3, memoryUnit: 'GiB' })).toEqual({ memory: 'memoryOverMax' });
    expect(validate({ ...ok, maxMemory: 0.0001, maxMemoryUnit: 'MiB' })).toEqual({ maxMemory: 'notWholeKiB' });
    expect(validate({ ...ok, maxMemory: '' })).toEqual({ maxMemory: 'required' });
  });

  it('converts sizes to whole KiB', () => {
    expect(toKiB(1.5, 'GiB')).toBe(1572864);
    expect(toKiB(0.5, 'MiB')).toBe(512);
    expect(toKiB(0.0001, 'MiB')).toBeNull();
  });

  it('sends only what changed: maximum memory before current memory, vCPUs with current null when all are online', () => {
    const values: CpuMemoryValues = initialValues(base);
    expect(cpuMemoryOperations(base, values)).toEqual([]);
    expect(cpuMemoryOperations(base, { ...values, maxMemory: 4, memory: 3, memoryUnit: 'GiB' })).toEqual([
      { op: 'memory', kib: 4 * GiB },
      { op: 'currentMemory', kib: 3 * GiB },
    ]);
    expect(cpuMemoryOperations(base, { ...values, memory: 2048 })).toEqual([{ op: 'currentMemory', kib: 2 * GiB }]);
    expect(cpuMemoryOperations(base, { ...values, vcpus: 4 })).toEqual([{ op: 'vcpus', max: 4, current: null }]);
    expect(cpuMemoryOperations(base, { ...values, maxVcpus: 8, vcpus: 3 })).toEqual([{ op: 'vcpus', max: 8, current: 3 }]);
  });

  it('puts a server field error beside the field of the operation it names', () => {
    const sent = cpuMemoryOperations(base, { ...initialValues(base), maxMemory: 4, memory: 3, memoryUnit: 'GiB', maxVcpus: 8 });
    const err = (field: string): FieldError => ({ field, reason: 'x' });
    expect(fieldOfServerError(err('body.operations.0.memory'), sent)).toBe('maxMemory');
    expect(fieldOfServerError(err('body.operations.1.currentMemory'), sent)).toBe('memory');
    expect(fieldOfServerError(err('body.operations.2.vcpu.current'), sent)).toBe('vcpus');
    expect(fieldOfServerError(err('body.operations.2.vcpu'), sent)).toBe('maxVcpus');
    expect(fieldOfServerError(err('body.operations.7'), sent)).toBeNull();
    expect(fieldOfServerError(err('body.xml'), sent)).toBeNull();
  });
});

describe('permissions', () => {
  it('follows the server\'s routes: definition edits for admins, autostart from operator up', () => {
    expect(editPermissions('viewer')).toEqual({ definition: false, autostart: false });
    expect(editPermissions('operator')).toEqual({ definition: false, autostart: true });
    expect(editPermissions('admin')).toEqual({ definition: true, autostart: true });
  });
});

describe('XML problems', () => {
  it('reads the schema validator\'s lines from errors[].reason', () => {
    const error = new ApiError(422, {
      title: 'Unprocessable Content',
      detail: 'the domain XML does not match libvirt\'s schema: line 7: element bogus: Relax-NG validity error',
      errors: [
        { field: 'body.xml', reason: 'line 7: element bogus: Relax-NG validity error : Element domain has extra content: bogus' },
        { field: 'body.xml', reason: 'fails to validate' },
      ],
    });
    expect(xmlProblems(error)).toEqual([{ line: 7, column: null, message: 'element bogus: Relax-NG validity error : Element domain has extra content: bogus' }]);
  });

  it('reads "at line N, column M" from a not-well-formed document\'s detail, and keeps libvirt\'s message without a line', () => {
    const parse = new ApiError(400, { title: 'Bad Request', detail: 'domain definition is not well-formed XML at line 3, column 9: unclosed tag' });
    expect(xmlProblems(parse)).toEqual([{ line: 3, column: 9, message: parse.detail }]);
    const libvirt = new ApiError(400, {
      title: 'Bad Request',
      detail: 'unsupported configuration: bad thing',
      libvirt: { code: 67, domain: 10, message: 'unsupported configuration: bad thing' },
    });
    expect(xmlProblems(libvirt)).toEqual([{ line: null, column: null, message: 'unsupported configuration: bad thing' }]);
    expect(xmlProblems(new Error('offline'))).toEqual([{ line: null, column: null, message: 'offline' }]);
  });

  it('turns located problems into CodeMirror diagnostics over their line, clamped to the document', () => {
    const state = EditorState.create({ doc: '<domain>\n  <name>a</name>\n  <bogus/>\n</domain>' });
    const diags = toDiagnostics(state, [
      { line: 3, column: null, message: 'extra content' },
      { line: 99, column: null, message: 'past the end' },
      { line: null, column: null, message: 'no line' },
    ]);
    expect(diags.map((d) => [state.sliceDoc(d.from, d.to), d.severity, d.message])).toEqual([
      ['<bogus/>', 'error', 'extra content'],
      ['</domain>', 'error', 'past the end'],
    ]);
    expect(clampLine(0, 4)).toBe(1);
  });
});
