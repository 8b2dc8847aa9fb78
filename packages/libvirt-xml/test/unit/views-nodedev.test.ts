import { describe, expect, it } from 'vitest';
import { readNodeDevice, XmlParseError, type NodeDeviceView } from '../../src/index.js';
import { fixtureText } from '../support/fixtures.js';


function fixture(name: string): NodeDeviceView {
  return readNodeDevice(fixtureText('nodedev', name));
}

const vfs = ['0000:02:00.2', '0000:02:00.3', '0000:02:00.4', '0000:02:00.5'];

describe('readNodeDevice: PCI', () => {
  it('address, ids, class, IOMMU group, NUMA node and PCIe links', () => {
    const d = fixture('pci_0000_02_10_7_sriov.xml');
    expect(d).toMatchObject({ name: 'pci_0000_02_10_7', parent: 'pci_0000_00_04_0', capabilities: ['pci'] });
    expect(d.pci).toMatchObject({
      address: { domain: 0, bus: 2, slot: 16, function: 7, canonical: '0000:02:10.7' },
      class: '0xffffff',
      vendor: { id: '0x8086', name: 'Intel Corporation' },
      product: { id: '0x10ca', name: '82576 Virtual Function' },
      iommuGroup: { number: 31, addresses: [{ canonical: '0000:02:10.7' }] },
      numaNode: 0,
      pciExpress: { capability: { port: 0, speed: 2.5, width: 4 }, status: { width: 0 } },
      isBridge: false,
    });
  });

  it('a VF names its physical function', () => {
    const pci = fixture('pci_0000_02_10_7_sriov.xml').pci;
    expect(pci?.physicalFunction).toEqual({ domain: 0, bus: 2, slot: 0, function: 1, canonical: '0000:02:00.1' });
    expect(pci?.virtualFunctions).toBeUndefined();
  });

  it('a PF lists its VFs with totalvfs (maxCount)', () => {
    const pci = fixture('pci_0000_02_10_7_sriov_pf_vfs_all.xml').pci;
    expect(pci?.virtualFunctions?.maxCount).toBe(7);
    expect(pci?.virtualFunctions?.addresses.map((a) => a.canonical)).toEqual(vfs);
    const noMax = fixture('pci_0000_02_10_7_sriov_vfs.xml').pci?.virtualFunctions;
    expect(noMax?.maxCount).toBeUndefined();
    expect(noMax?.addresses.map((a) => a.canonical)).toEqual(vfs);
    expect(fixture('pci_0000_02_10_7_sriov_zero_vfs_max_count.xml').pci?.virtualFunctions).toEqual({
      maxCount: 3,
      addresses: [],
    });
    expect(fixture('pci_82579LM_network_adapter.xml')).toMatchObject({
      driver: 'e1000e',
      pci: { virtualFunctions: { addresses: [] } },
    });
  });

  it('bridges, IOMMU groups with several members, link speeds', () => {
    expect(fixture('pci_0000_02_10_7_sriov_pf_vfs_all_header_type.xml').pci?.isBridge).toBe(true);
    const root = fixture('pci_0000_00_1c_0_header_type.xml').pci;
    expect(root?.isBridge).toBe(true);
    expect(root?.pciExpress).toEqual({
      capability: { port: 1, speed: 5, width: 1 },
      status: { speed: 2.5, width: 1 },
    });
    const wifi = fixture('pci_8086_4238_pcie_wireless.xml').pci;
    expect(wifi?.iommuGroup?.number).toBe(8);
    expect(wifi?.iommuGroup?.addresses).toHaveLength(8);
    expect(wifi?.iommuGroup?.addresses[5]?.canonical).toBe('0000:0d:00.0');
    expect(fixture('pci_8086_0c0c_snd_hda_intel.xml').pci?.pciExpress).toEqual({});
  });

  it('mdev types offered by a parent device', () => {
    expect(fixture('pci_0000_02_10_7_mdev_types.xml').pci?.mdevTypes).toEqual([
      { id: 'foo1', name: 'bar1', deviceAPI: 'vfio-pci', availableInstances: 1 },
      { id: 'foo2', name: 'bar2', deviceAPI: 'vfio-pci', availableInstances: 2 },
    ]);
  });
});

describe('readNodeDevice: other capabilities', () => {
  it('mdev devices', () => {
    expect(fixture('mdev_d069d019_36ea_4111_8f0a_8c9a70e21366.xml')).toMatchObject({
      parent: 'pci_0000_00_02_0',
      capabilities: ['mdev'],
      mdev: { type: 'i915-GVTg_V5_8', uuid: 'd069d019-36ea-4111-8f0a-8c9a70e21366', attributes: [] },
    });
    expect(fixture('mdev_autostart.xml').mdev?.attributes).toEqual([
      { name: 'example-attribute', value: 'attribute-value' },
    ]);
  });

  it('net devices', () => {
    expect(fixture('net_00_13_02_b9_f9_d3.xml').net).toEqual({
      interface: 'eth0',
      mac: '00:13:02:b9:f9:d3',
      subtype: '80211',
      features: [],
    });
    const up = readNodeDevice(`
      <device><name>net_eth0</name><capability type='net'>
        <interface>eth0</interface><address>52:54:00:00:00:01</address>
        <link state='up' speed='1000'/><feature name='rx'/><feature name='tx'/>
        <capability type='80203'/>
      </capability></device>`);
    expect(up.net).toEqual({
      interface: 'eth0',
      mac: '52:54:00:00:00:01',
      linkState: 'up',
      linkSpeed: 1000,
      subtype: '80203',
      features: ['rx', 'tx'],
    });
  });

  it('USB devices and interfaces', () => {
    expect(fixture('usb_device_1d6b_1_0000_00_1d_0_if0.xml').usbInterface).toEqual({
      number: 0,
      class: 9,
      subclass: 0,
      protocol: 0,
    });
    const dev = readNodeDevice(`
      <device><name>usb_1_2</name><parent>usb_usb1</parent>
        <driver><name>usb</name></driver>
        <capability type='usb_device'>
          <bus>1</bus><device>3</device>
          <product id='0x0002'>2.0 root hub</product><vendor id='0x1d6b'>Linux Foundation</vendor>
        </capability>
      </device>`);
    expect(dev.usbDevice).toEqual({
      bus: 1,
      device: 3,
      vendor: { id: '0x1d6b', name: 'Linux Foundation' },
      product: { id: '0x0002', name: '2.0 root hub' },
    });
  });

  it('storage, SCSI host, DRM and the computer', () => {
    expect(fixture('storage_serial_SATA_HTS721010G9SA00_MPCZ12Y0GNGWSE.xml').storage).toEqual({
      block: '/dev/sda',
      bus: 'scsi',
      driveType: 'disk',
      model: 'HTS721010G9SA00',
      vendor: 'ATA',
      sizeBytes: 100030242816,
    });
    expect(fixture('pci_8086_27c5_scsi_host.xml').scsiHost).toEqual({ host: 0, capabilities: [] });
    expect(fixture('drm_renderD129.xml')).toMatchObject({
      path: '/sys/devices/pci0000:00/0000:00:02.0/drm/renderD129',
      devnodes: [
        { type: 'dev', path: '/dev/dri/renderD129' },
        { type: 'link', path: '/dev/dri/by-path/pci-0000:00:02.0-render' },
      ],
      drm: { type: 'render' },
    });
    expect(fixture('computer.xml').system).toEqual({
      vendor: 'LENOVO',
      version: 'ThinkPad T60p',
      firmwareVendor: 'LENOVO',
      firmwareVersion: '79ETE1WW (2.21 )',
    });
  });

  it('ignores capability types it does not know, and throws on another root', () => {
    const d = readNodeDevice("<device><name>x</name><capability type='constructor'/><capability type='ccw'/></device>");
    expect(d.capabilities).toEqual(['constructor', 'ccw']);
    expect(Object.keys(d).sort()).toEqual(['capabilities', 'devnodes', 'name', 'parent', 'path', 'driver'].sort());
    expect(() => readNodeDevice('<pool/>')).toThrow(XmlParseError);
  });
});
