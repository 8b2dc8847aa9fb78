import { describe, expect, it } from 'vitest';
import { readStoragePool, readStorageVolume, XmlParseError } from '../../src/index.js';
import { fixtureText } from '../support/fixtures.js';


const text = (category: string, name: string): string => fixtureText(category, name);

describe('readStoragePool', () => {
  it('netfs: sizes, host, dir, format, protocol version, target permissions', () => {
    expect(readStoragePool(text('storagepool', 'pool-netfs-protocol-ver.xml'))).toEqual({
      type: 'netfs',
      name: 'nfsimages',
      uuid: '7641d5a8-af11-f730-a34e-0a7dfcede71f',
      capacityBytes: 0,
      allocationBytes: 0,
      availableBytes: 0,
      source: {
        hosts: [{ name: 'localhost' }],
        devices: [],
        dir: '/var/lib/libvirt/images',
        format: 'nfs',
        protocolVersion: '4.1',
      },
      target: { path: '/mnt', permissions: { mode: '0700', owner: 0, group: 0 } },
    });
  });

  it('converts capacity units to bytes', () => {
    const pool = readStoragePool(`
      <pool type='dir'><name>p</name>
        <capacity unit='GiB'>10</capacity><allocation unit='MB'>1500</allocation><available>4096</available>
        <target><path>/var/lib/libvirt/images</path></target>
      </pool>`);
    expect(pool).toMatchObject({ capacityBytes: 10 * 1024 ** 3, allocationBytes: 1.5e9, availableBytes: 4096 });
    expect(readStoragePool(text('storagepool', 'pool-disk-device-nopartsep.xml'))).toMatchObject({
      capacityBytes: 0,
      source: { devices: [{ path: '/dev/mapper/mpatha', partSeparator: false }], format: 'gpt' },
    });
  });

  it('RBD and Gluster: source name, hosts with ports, auth user', () => {
    expect(readStoragePool(text('storagepool', 'pool-rbd.xml')).source).toEqual({
      name: 'rbd',
      hosts: [
        { name: 'localhost', port: 6789 },
        { name: 'localhost', port: 6790 },
      ],
      devices: [],
      auth: { type: 'ceph', username: 'admin' },
    });
    expect(readStoragePool(text('storagepool', 'pool-gluster.xml')).source).toMatchObject({
      name: 'volume',
      hosts: [{ name: 'localhost' }],
    });
    // Elements in unusual order (source before name) and a custom namespace do not matter.
    expect(readStoragePool(text('storagepool', 'pool-rbd-ns-configopts.xml')).name).toBe('ceph');
  });

  it('iSCSI: target device, CHAP user, never the password', () => {
    const pool = readStoragePool(text('storagepool', 'pool-iscsi-vendor-product.xml'));
    expect(pool.source).toMatchObject({
      hosts: [{ name: 'iscsi.example.com' }],
      devices: [{ path: 'demo-target' }],
      auth: { type: 'chap', username: 'foobar' },
      vendor: 'test-vendor',
      product: 'test-product',
    });
    expect(JSON.stringify(pool)).not.toContain('frobbar');
    expect(readStoragePool(text('storagepool', 'pool-iscsi-auth.xml'))).toMatchObject({
      name: 'virtimages',
      source: { auth: { type: 'chap', username: 'admin' } },
      target: { path: '/dev/disk/by-path' },
    });
  });

  it('SCSI fc_host adapters, ZFS and vstorage sources', () => {
    expect(readStoragePool(text('storagepool', 'pool-scsi-type-fc-host-managed.xml')).source?.adapter).toEqual({
      type: 'fc_host',
      parent: 'scsi_host5',
      managed: true,
      wwnn: '20000000c9831b4b',
      wwpn: '10000000c9831b4b',
    });
    expect(readStoragePool(text('storagepool', 'pool-zfs-sourcedev.xml')).source).toMatchObject({
      name: 'testpool',
      devices: [{ path: '/dev/ada1' }],
    });
    expect(readStoragePool(text('storagepool', 'pool-vstorage.xml')).source?.name).toBe('vzstorage-cluster');
  });

  it('throws XmlParseError on another root', () => {
    expect(() => readStoragePool(text('storagevol', 'vol-file.xml'))).toThrow(XmlParseError);
  });
});

describe('readStorageVolume', () => {
  it('qcow2 with G capacity converted to bytes and a raw backing store', () => {
    expect(readStorageVolume(text('storagevol', 'vol-qcow2.xml'))).toEqual({
      name: 'OtherDemo.img',
      key: '/var/lib/libvirt/images/OtherDemo.img',
      capacityBytes: 5 * 1024 ** 3,
      allocationBytes: 294912,
      target: {
        path: '/var/lib/libvirt/images/OtherDemo.img',
        format: 'qcow2',
        permissions: { mode: '0644', owner: 0, group: 0, label: 'unconfined_u:object_r:virt_image_t:s0' },
      },
      backingStore: { path: '/dev/null', format: 'raw' },
    });
  });

  it('TiB and bytes units; block volumes; physical size', () => {
    expect(readStorageVolume(text('storagevol', 'vol-file.xml'))).toMatchObject({
      capacityBytes: 1024 ** 4,
      allocationBytes: 0,
    });
    expect(readStorageVolume(text('storagevol', 'vol-logical-backing.xml'))).toMatchObject({
      type: 'block',
      capacityBytes: 2080374784,
      target: { path: '/dev/HostVG/Swap' },
      backingStore: { path: '/dev/HostVG/snapshot' },
    });
    const vol = readStorageVolume(`
      <volume type='file'><name>a.qcow2</name>
        <capacity unit='bytes'>21474836480</capacity><allocation unit='KiB'>200</allocation>
        <physical unit='MB'>3</physical>
        <target><path>/images/a.qcow2</path><format type='qcow2'/></target>
      </volume>`);
    expect(vol).toMatchObject({ capacityBytes: 21474836480, allocationBytes: 204800, physicalBytes: 3e6 });
  });

  it('encryption format, compat and netdir volumes', () => {
    expect(readStorageVolume(text('storagevol', 'vol-luks.xml')).target).toMatchObject({
      format: 'luks',
      encryption: 'luks',
    });
    expect(readStorageVolume(text('storagevol', 'vol-qcow2-lazy.xml')).target).toMatchObject({ compat: '1.1' });
    expect(readStorageVolume(text('storagevol', 'vol-gluster-dir.xml'))).toMatchObject({
      type: 'netdir',
      target: { format: 'dir', path: 'gluster://example.com/vol/dir' },
    });
  });
});
