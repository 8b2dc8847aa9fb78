import type { HostSummary, InstallMedia, OsVariant, StoragePool } from '@vireo/api';

const GIB = 1024 ** 3;

export function osVariant(shortId: string, overrides: Partial<OsVariant> = {}): OsVariant {
  return {
    id: `http://example.org/${shortId}`,
    shortId,
    name: shortId,
    vendor: null,
    family: 'linux',
    distro: null,
    version: null,
    releaseDate: '2023-06-10',
    eolDate: null,
    eol: false,
    recommended: { memoryBytes: 2 * GIB, vcpus: 2, storageBytes: 20 * GIB },
    minimum: { memoryBytes: 1 * GIB, storageBytes: 10 * GIB },
    devices: { virtioDisk: true, virtioNet: true, tpm2: false, uefi: false, secureBoot: false },
    cloudImage: false,
    ...overrides,
  };
}

export const debian12 = osVariant('debian12', { id: 'http://debian.org/debian/12', name: 'Debian 12', releaseDate: '2023-06-10' });
export const win11 = osVariant('win11', {
  id: 'http://microsoft.com/win/11',
  name: 'Microsoft Windows 11',
  family: 'winnt',
  releaseDate: '2021-10-05',
  recommended: { memoryBytes: 4 * GIB, vcpus: 2, storageBytes: 64 * GIB },
  minimum: { memoryBytes: 4 * GIB, storageBytes: 64 * GIB },
  devices: { virtioDisk: false, virtioNet: false, tpm2: true, uefi: true, secureBoot: true },
});
export const debian9 = osVariant('debian9', { id: 'http://debian.org/debian/9', name: 'Debian 9', releaseDate: '2017-06-17', eol: true, eolDate: '2022-06-30' });

export const isoInPool: InstallMedia = {
  name: 'debian.iso',
  source: { type: 'volume', pool: 'isos', volume: 'debian.iso' },
  path: '/srv/isos/debian.iso',
  sizeBytes: 650 * 1024 * 1024,
  virtualSizeBytes: 650 * 1024 * 1024,
  kind: 'iso',
  format: 'iso',
  origin: 'isos',
};
export const isoInDir: InstallMedia = {
  name: 'alpine.iso',
  source: { type: 'file', path: '/srv/iso-dir/alpine.iso' },
  path: '/srv/iso-dir/alpine.iso',
  sizeBytes: 60 * 1024 * 1024,
  virtualSizeBytes: 60 * 1024 * 1024,
  kind: 'iso',
  format: 'iso',
  origin: '/srv/iso-dir',
};
export const cloudImage: InstallMedia = {
  name: 'debian-12-genericcloud.qcow2',
  source: { type: 'volume', pool: 'default', volume: 'debian-12-genericcloud.qcow2' },
  path: '/var/lib/libvirt/images/debian-12-genericcloud.qcow2',
  sizeBytes: 400 * 1024 * 1024,
  virtualSizeBytes: 2 * GIB,
  kind: 'disk-image',
  format: 'qcow2',
  origin: 'default',
};
export const rawImage: InstallMedia = {
  name: 'old.img',
  source: { type: 'volume', pool: 'default', volume: 'old.img' },
  path: '/var/lib/libvirt/images/old.img',
  sizeBytes: 8 * GIB,
  virtualSizeBytes: 8 * GIB,
  kind: 'disk-image',
  format: 'raw',
  origin: 'default',
};

export function pool(name: string, overrides: Partial<StoragePool> = {}): StoragePool {
  return {
    name,
    uuid: `uuid-${name}`,
    type: 'dir',
    active: true,
    autostart: true,
    persistent: true,
    path: `/var/lib/libvirt/${name}`,
    capacityBytes: 100 * GIB,
    allocationBytes: 10 * GIB,
    availableBytes: 90 * GIB,
    ...overrides,
  };
}

export function hostSummary(): HostSummary {
  return {
    id: 'local',
    uri: 'qemu:///system',
    health: { state: 'connected', since: '2024-01-01T00:00:00.000Z', lastError: null, attempts: 0 },
    hostname: 'kvm1',
    arch: 'x86_64',
    cpu: { model: 'x', count: 8, mhz: 2000, sockets: 1, cores: 4, threads: 2, numaNodes: 1 },
    memory: { totalBytes: 32 * GIB, freeBytes: 12 * GIB },
    libvirtVersion: '9.0.0',
    hypervisor: { type: 'QEMU', version: '7.2.0' },
    kvm: { available: true, detail: '' },
    uptimeSeconds: 100,
    loadAverage: [0, 0, 0],
  };
}
