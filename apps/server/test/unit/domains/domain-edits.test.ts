import { parseXml, readDomain, serializeXml } from '@vireo/libvirt-xml';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/domains/domain-edits.js';
import { HttpProblem } from '../../../src/errors/http-problem.js';

const XML = `<domain type='qemu'>
  <!-- kept as it is -->
  <name>vm</name>
  <memory unit='KiB'>32768</memory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices><disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk></devices>
</domain>`;

describe('applyEdits', () => {
  it('applies the operations in order on the document and leaves the rest alone', () => {
    const doc = parseXml(XML);
    const { rename } = applyEdits(doc, [
      { op: 'title', title: 'T' },
      { op: 'description', description: 'D' },
      { op: 'memory', kib: 65536, current: true },
      { op: 'vcpus', max: 2, current: 1 },
      { op: 'cpuMode', mode: 'maximum' },
      { op: 'bootOrder', order: [{ kind: 'disk', target: 'vda' }] },
      { op: 'lifecycle', event: 'on_crash', action: 'restart' },
      { op: 'name', name: 'vm2' },
    ]);
    expect(rename).toBe('vm2');
    const xml = serializeXml(doc);
    expect(xml).toContain('<!-- kept as it is -->');
    const v = readDomain(xml);
    expect(v).toMatchObject({ name: 'vm', title: 'T', description: 'D', memoryKiB: 65536, currentMemoryKiB: 65536, onCrash: 'restart' });
    expect(v.vcpus).toMatchObject({ count: 2, current: 1 });
    expect(v.cpu?.mode).toBe('maximum');
    expect(v.bootOrder).toEqual([{ order: 1, kind: 'disk', label: 'vda' }]);
    expect(v.os.bootDevices).toEqual([]);
  });

  it('turns a refused edit into a 400 naming the operation and field', () => {
    const doc = parseXml(XML);
    let err: unknown;
    try {
      applyEdits(doc, [{ op: 'title', title: 'ok' }, { op: 'lifecycle', event: 'on_poweroff', action: 'coredump-destroy' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HttpProblem);
    expect((err as HttpProblem).status).toBe(400);
    expect((err as HttpProblem).errors?.[0]?.field).toBe('body.operations.1.on_poweroff');
  });
});
