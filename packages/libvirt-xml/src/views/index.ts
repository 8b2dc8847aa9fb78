/**
 * Typed read views: plain JSON-serialisable objects for the UI, never DOM nodes. Exported by name (not `export *`)
 * so the package index stays free of clashes with the builders' and edits' helpers.
 */
export { unitScale, scaledBytes, scaledKiB } from './units.js';
export {
  formatPciAddress,
  type BandwidthLimitView,
  type BandwidthView,
  type DeviceAddressView,
  type PciAddressView,
  type VirtualPortView,
  type VlanTagView,
  type VlanView,
} from './common.js';
export {
  readDomain,
  type BootEntryView,
  type ClockView,
  type CpuFeatureView,
  type CpuTopologyView,
  type CpuView,
  type DomainView,
  type HypervFeatureView,
  type OsView,
  type VcpuView,
} from './domain.js';
export {
  type BackingStoreView,
  type ControllerView,
  type DiskSourceView,
  type DiskView,
  type NetworkHostView,
} from './domain-disks.js';
export {
  type HostdevView,
  type InterfaceSourceView,
  type InterfaceView,
  type ScsiSourceView,
  type UsbSourceView,
} from './domain-net.js';
export {
  graphicsPasswords,
  type CharDeviceView,
  type DevicesView,
  type FilesystemView,
  type GraphicsListenView,
  type GraphicsView,
  type InputView,
  type MemballoonView,
  type RngView,
  type SoundView,
  type TpmView,
  type VideoView,
  type WatchdogView,
} from './domain-devices.js';
export {
  readNetwork,
  netmaskPrefix,
  type DhcpHostView,
  type DhcpRangeView,
  type NetworkDnsView,
  type NetworkForwardView,
  type NetworkIpView,
  type NetworkView,
  type PortgroupView,
} from './network.js';
export {
  readStoragePool,
  readStorageVolume,
  type PermissionsView,
  type StoragePoolSourceView,
  type StoragePoolView,
  type StorageVolumeView,
} from './storage.js';
export {
  readNodeDevice,
  type HardwareIdView,
  type MdevTypeView,
  type NetDeviceView,
  type NodeDeviceView,
  type PciDeviceView,
  type PciLinkView,
  type UsbDeviceView,
} from './nodedev.js';
export {
  readCapabilities,
  readDomainCapabilities,
  type CapabilitiesView,
  type CpuModelView,
  type DomainCapabilitiesView,
  type GuestCapabilityView,
  type GuestDomainTypeView,
  type MachineView,
  type SupportView,
} from './capabilities.js';
