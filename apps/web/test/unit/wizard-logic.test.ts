// The wizard's pure logic: form -> create request, OS defaults, cloud-config YAML, validation, server errors.
import { DEFAULT_POOL, DomainCreateRequestSchema } from '@vireo/api';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildCloudConfig, checkUserData } from '../../src/vms/wizard/cloud-config.js';
import { DEFAULT_POOL_NAME, DEFAULT_POOL_PATH, preferredPool } from '../../src/vms/wizard/default-pool.js';
import { applyOsDefaults, initialForm, toCreateRequest, withMedia, type WizardForm } from '../../src/vms/wizard/form.js';
import { osOptions, matchesWords } from '../../src/vms/wizard/os-options.js';
import { fieldOfServerPath, firstStepWithError, serverErrors, stepErrors, validateForm } from '../../src/vms/wizard/validate.js';
import { cloudImage, debian12, debian9, isoInDir, isoInPool, rawImage, win11 } from './wizard-fixtures.js';


function form(patch: Partial<WizardForm> = {}): WizardForm {
  return { ...initialForm(), name: 'vm1', media: isoInPool, diskPool: 'default', ...patch };
}

describe('form -> create request', () => {
  it('ISO in a pool: a CD-ROM of the volume and a new qcow2 disk in the chosen pool; valid for the contract', () => {
    const req = toCreateRequest(form({ memory: 1536, memoryUnit: 'MiB', vcpus: 3, diskSizeGiB: 8 }), { kvm: true }, true);
    expect(req.start).toBe(true);
    expect(req.spec).toMatchObject({
      name: 'vm1',
      type: 'kvm',
      memory: { value: 1536, unit: 'MiB' },
      vcpus: 3,
      graphics: { type: 'vnc' },
      cdroms: [{ source: { type: 'volume', pool: 'isos', volume: 'debian.iso' } }],
      disks: [{ source: { type: 'volume', pool: 'default', volume: 'vm1.qcow2' }, create: true, size: { value: 8192, unit: 'MiB' }, format: 'qcow2', bus: 'virtio' }],
    });
    expect(req.spec.interfaces).toBeUndefined();
    expect(req.spec.firmware).toBeUndefined();
    expect(req.cloudInit).toBeUndefined();
    expect(DomainCreateRequestSchema.safeParse(req).success).toBe(true);
  });

  it('ISO from a directory is a file CD-ROM; without a new disk there are no disks; qemu without KVM', () => {
    const req = toCreateRequest(form({ media: isoInDir, newDisk: false }), { kvm: false }, false);
    expect(req.spec.cdroms).toEqual([{ source: { type: 'file', path: '/srv/iso-dir/alpine.iso' } }]);
    expect(req.spec.disks).toBeUndefined();
    expect(req.spec.type).toBe('qemu');
    expect(req.start).toBe(false);
  });

  it('import uses the image itself as the disk, in its own format, nothing created', () => {
    const req = toCreateRequest(form({ source: 'import', media: rawImage, diskBus: 'sata' }), { kvm: true }, true);
    expect(req.spec.disks).toEqual([{ source: { type: 'volume', pool: 'default', volume: 'old.img' }, format: 'raw', bus: 'sata' }]);
    expect(req.spec.cdroms).toBeUndefined();
  });

  it('cloud image: a new disk cloned from it, and cloud-init user-data from the form; raw editor wins', () => {
    const f = form({
      source: 'cloud',
      media: cloudImage,
      diskSizeGiB: 10,
      cloudInit: { hostname: '', user: 'ann', password: '', sshKeys: 'ssh-ed25519 AAAA ann@x', packages: 'htop', useRaw: false, raw: '' },
    });
    const req = toCreateRequest(f, { kvm: true }, true);
    expect(req.spec.disks?.[0]).toMatchObject({ create: true, cloneFrom: { pool: 'default', volume: 'debian-12-genericcloud.qcow2' }, size: { value: 10240, unit: 'MiB' } });
    expect(req.cloudInit?.hostname).toBe('vm1');
    expect(req.cloudInit?.pool).toBe('default');
    expect(req.cloudInit?.userData.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(req.cloudInit!.userData)).toMatchObject({ packages: ['htop'], users: ['default', { name: 'ann', ssh_authorized_keys: ['ssh-ed25519 AAAA ann@x'] }] });
    expect(DomainCreateRequestSchema.safeParse(req).success).toBe(true);

    const raw = toCreateRequest({ ...f, cloudInit: { ...f.cloudInit, useRaw: true, raw: '#cloud-config\nruncmd: [ls]\n' } }, { kvm: true }, true);
    expect(raw.cloudInit?.userData).toBe('#cloud-config\nruncmd: [ls]\n');
  });

  it('PXE boots from the NIC; networks map to network, bridge and macvtap sources', () => {
    const pxe = toCreateRequest(form({ source: 'pxe', media: null, network: 'network', networkTarget: 'isolated' }), { kvm: true }, true);
    expect(pxe.spec.pxe).toBe(true);
    expect(pxe.spec.interfaces).toEqual([{ source: { type: 'network', network: 'isolated' }, model: 'virtio' }]);
    expect(toCreateRequest(form({ network: 'bridge', networkTarget: 'br0' }), { kvm: true }, true).spec.interfaces?.[0]?.source).toEqual({ type: 'bridge', bridge: 'br0' });
    expect(toCreateRequest(form({ network: 'direct', networkTarget: 'eno1', nicModel: 'e1000e' }), { kvm: true }, true).spec.interfaces).toEqual([
      { source: { type: 'direct', dev: 'eno1', mode: 'bridge' }, model: 'e1000e' },
    ]);
  });

  it('firmware, TPM, graphics and the osinfo id', () => {
    const spec = toCreateRequest(form({ firmware: 'uefi-secure', tpm: true, graphics: 'spice', os: debian12 }), { kvm: true }, true).spec;
    expect(spec).toMatchObject({ firmware: 'uefi', secureBoot: true, tpm: true, graphics: { type: 'spice' }, osinfo: 'http://debian.org/debian/12' });
    expect(toCreateRequest(form({ firmware: 'uefi' }), { kvm: true }, true).spec.secureBoot).toBeUndefined();
  });
});

describe('OS defaults', () => {
  it('fills recommended memory, vCPUs, disk size and virtio devices', () => {
    const f = applyOsDefaults(form({ memory: 512, memoryUnit: 'MiB', vcpus: 1, diskSizeGiB: 1 }), debian12);
    expect(f).toMatchObject({ memory: 2, memoryUnit: 'GiB', vcpus: 2, diskSizeGiB: 20, diskBus: 'virtio', nicModel: 'virtio', tpm: false, firmware: 'bios' });
    expect(toCreateRequest(f, { kvm: true }, true).spec.osinfo).toBe(debian12.id);
  });

  it('Windows 11: SATA and e1000e, TPM 2.0, UEFI with Secure Boot, local clock', () => {
    const f = applyOsDefaults(form(), win11);
    expect(f).toMatchObject({ memory: 4, memoryUnit: 'GiB', diskSizeGiB: 64, diskBus: 'sata', nicModel: 'e1000e', tpm: true, firmware: 'uefi-secure' });
    expect(toCreateRequest(f, { kvm: true }, true).spec).toMatchObject({ clock: 'localtime', features: { hyperv: true } });
  });

  it('memory not a whole GiB is given in MiB; clearing the OS keeps the values', () => {
    const odd = { ...debian12, recommended: { ...debian12.recommended, memoryBytes: 1536 * 1024 * 1024 } };
    expect(applyOsDefaults(form(), odd)).toMatchObject({ memory: 1536, memoryUnit: 'MiB' });
    const cleared = applyOsDefaults(applyOsDefaults(form(), win11), null);
    expect(cleared).toMatchObject({ os: null, memory: 4, tpm: true });
  });

  it('lists recent first, end-of-life only when asked; search matches every word', () => {
    expect(osOptions([debian9, win11, debian12], false).map((o) => o.shortId)).toEqual(['debian12', 'win11']);
    expect(osOptions([debian9, win11, debian12], true).map((o) => o.shortId)).toEqual(['debian12', 'win11', 'debian9']);
    expect(matchesWords('Debian 12', 'deb 12')).toBe(true);
    expect(matchesWords('Debian 12', 'deb 11')).toBe(false);
  });
});

describe('cloud-config YAML', () => {
  it('writes #cloud-config with the user, password, keys and packages, quoted as YAML needs', () => {
    const text = buildCloudConfig({ hostname: 'web01', user: 'ann', password: 'p: "x" #1', sshKeys: 'ssh-ed25519 AAAA a\n\n# comment\nssh-rsa BBBB b', packages: 'htop, curl\nvim' });
    expect(text.split('\n')[0]).toBe('#cloud-config');
    expect(parse(text)).toEqual({
      hostname: 'web01',
      users: [
        'default',
        {
          name: 'ann',
          groups: ['sudo'],
          shell: '/bin/bash',
          sudo: 'ALL=(ALL) NOPASSWD:ALL',
          lock_passwd: false,
          plain_text_passwd: 'p: "x" #1',
          ssh_authorized_keys: ['ssh-ed25519 AAAA a', 'ssh-rsa BBBB b'],
        },
      ],
      ssh_pwauth: true,
      package_update: true,
      packages: ['htop', 'curl', 'vim'],
    });
    expect(checkUserData(text)).toBeNull();
  });

  it('keys without a user go to the default user; an empty form is just the header', () => {
    expect(parse(buildCloudConfig({ hostname: '', user: '', password: '', sshKeys: 'ssh-ed25519 K', packages: '' }))).toEqual({ ssh_authorized_keys: ['ssh-ed25519 K'] });
    expect(buildCloudConfig({ hostname: '', user: '', password: '', sshKeys: '', packages: '' })).toBe('#cloud-config\n');
  });

  it('hand-written user-data: header, syntax errors with their line, mapping', () => {
    expect(checkUserData('')).toMatchObject({ kind: 'empty' });
    expect(checkUserData('users: []\n')).toMatchObject({ kind: 'header', line: 1 });
    const bad = checkUserData('#cloud-config\npackages:\n  - htop\n bad: [\n');
    expect(bad?.kind).toBe('syntax');
    expect(bad?.line).toBeGreaterThanOrEqual(3);
    expect(bad?.message).not.toBe('');
    expect(checkUserData('#cloud-config\n- a\n- b\n')).toMatchObject({ kind: 'not-a-mapping' });
    expect(checkUserData('#cloud-config\n')).toBeNull();
  });
});

describe('validation', () => {
  const ctx = { existingNames: ['taken'] };

  it('a good form has no errors', () => {
    expect(validateForm(form(), ctx)).toEqual({});
  });

  it('name required, no slash, unique against the VM list', () => {
    expect(validateForm(form({ name: '  ' }), ctx).name).toEqual({ key: 'nameRequired' });
    expect(validateForm(form({ name: 'a/b' }), ctx).name).toEqual({ key: 'nameInvalid' });
    expect(validateForm(form({ name: 'taken' }), ctx).name).toEqual({ key: 'nameTaken', values: { name: 'taken' } });
  });

  it('media per source; a cloud image must be in a pool', () => {
    expect(validateForm(form({ media: null }), ctx).media).toEqual({ key: 'mediaRequired.iso' });
    expect(validateForm(form({ source: 'pxe', media: null, network: 'network', networkTarget: 'n' }), ctx).media).toBeUndefined();
    const fileImage = { ...cloudImage, source: { type: 'file' as const, path: '/srv/x.qcow2' } };
    expect(validateForm(form({ source: 'cloud', media: fileImage }), ctx).media).toEqual({ key: 'cloudImageInPool' });
  });

  it('memory at least the OS minimum and above 0; vCPUs whole; disk size above 0 with a pool', () => {
    expect(validateForm(form({ os: win11, memory: 2, memoryUnit: 'GiB' }), ctx).memory).toEqual({ key: 'memoryMinimum', values: { minimum: 4096, os: 'Microsoft Windows 11' } });
    expect(validateForm(form({ os: win11, memory: 4, memoryUnit: 'GiB' }), ctx).memory).toBeUndefined();
    expect(validateForm(form({ memory: 0 }), ctx).memory).toEqual({ key: 'memoryPositive' });
    expect(validateForm(form({ memory: Number.NaN }), ctx).memory).toEqual({ key: 'memoryPositive' });
    expect(validateForm(form({ vcpus: 1.5 }), ctx).vcpus).toEqual({ key: 'vcpusRange' });
    expect(validateForm(form({ diskSizeGiB: 0 }), ctx).diskSize).toEqual({ key: 'diskSizePositive' });
    expect(validateForm(form({ diskPool: '' }), ctx).diskPool).toEqual({ key: 'poolRequired' });
    expect(validateForm(form({ diskPool: '', newDisk: false, diskSizeGiB: 0 }), ctx)).toEqual({});
  });

  it('a cloud image copy is at least the image\'s virtual size; picking the image grows the disk to it', () => {
    const cloud = form({ source: 'cloud', media: cloudImage, diskSizeGiB: 1 });
    expect(validateForm(cloud, ctx).diskSize).toEqual({ key: 'diskSizeImage', values: { size: 2 } });
    expect(withMedia({ ...cloud, media: null }, cloudImage).diskSizeGiB).toBe(2);
    expect(withMedia({ ...cloud, media: null, diskSizeGiB: 30 }, cloudImage).diskSizeGiB).toBe(30);
  });

  it('PXE needs a NIC; a network kind needs its target', () => {
    expect(validateForm(form({ source: 'pxe', media: null }), ctx).network).toEqual({ key: 'pxeNeedsNic' });
    expect(validateForm(form({ network: 'bridge' }), ctx).network).toEqual({ key: 'networkTarget.bridge' });
  });

  it('raw user-data is checked only when in use, with the line of a YAML error', () => {
    const cloud = form({ source: 'cloud', media: cloudImage });
    expect(validateForm(cloud, ctx).userData).toBeUndefined();
    const bad = validateForm({ ...cloud, cloudInit: { ...cloud.cloudInit, useRaw: true, raw: '#cloud-config\na: [\n' } }, ctx).userData;
    expect(bad).toMatchObject({ key: 'userDataSyntax' });
  });

  it('errors by step, and the first step with one', () => {
    const errors = validateForm(form({ name: '', diskSizeGiB: 0 }), ctx);
    expect(Object.keys(stepErrors(errors, 'storage'))).toEqual(['diskSize']);
    expect(firstStepWithError(errors)).toBe('source');
    expect(firstStepWithError({})).toBeNull();
  });
});

describe('server errors -> fields', () => {
  it('maps problem+json field paths to the wizard fields', () => {
    expect(fieldOfServerPath('body.spec.memory')).toBe('memory');
    expect(fieldOfServerPath('body.spec.name')).toBe('name');
    expect(fieldOfServerPath('body.spec.disks[0].size')).toBe('diskSize');
    expect(fieldOfServerPath('body.spec.disks[0].source.pool')).toBe('diskPool');
    expect(fieldOfServerPath('body.spec.disks[0].cloneFrom')).toBe('media');
    expect(fieldOfServerPath('body.spec.interfaces[0].source.network')).toBe('network');
    expect(fieldOfServerPath('body.spec.pxe')).toBe('network');
    expect(fieldOfServerPath('body.spec.secureBoot')).toBe('firmware');
    expect(fieldOfServerPath('body.cloudInit.userData')).toBe('userData');
    expect(fieldOfServerPath('body.spec.clock')).toBe('form');
  });

  it('field errors beside fields; a 409 at the name; anything else form-wide with libvirt\'s words', () => {
    expect(serverErrors({ status: 400, message: 'bad', fields: [{ field: 'body.spec.memory', reason: 'must be more than 0' }] })).toEqual({
      memory: { text: 'must be more than 0' },
    });
    expect(serverErrors({ status: 409, message: 'host local already has a domain named vm1', fields: [] })).toEqual({
      name: { text: 'host local already has a domain named vm1' },
    });
    expect(serverErrors({ status: 500, message: 'internal', fields: [], libvirt: { message: 'unsupported configuration: X' } })).toEqual({
      form: { text: 'unsupported configuration: X' },
    });
  });
});

describe('default pool', () => {
  it('is the contract\'s, and is preferred when active', () => {
    expect({ name: DEFAULT_POOL_NAME, path: DEFAULT_POOL_PATH }).toEqual(DEFAULT_POOL);
    expect(preferredPool([{ name: 'a', active: true }, { name: 'default', active: true }])).toBe('default');
    expect(preferredPool([{ name: 'default', active: false }, { name: 'b', active: true }])).toBe('b');
    expect(preferredPool([])).toBe('');
  });
});

