/** libvirtd helpers for this package's integration tests: the libvirt package's class-free helpers, plus open(). */
import { LibvirtConnection } from '@vireo/libvirt';
import { LIBVIRT_URI } from '../../../libvirt/test/support/libvirt.js';

export {
  daemonAvailable,
  domainType,
  LIBVIRT_URI,
  uniqueName,
  virsh,
  waitFor,
} from '../../../libvirt/test/support/libvirt.js';

export function open(uri = LIBVIRT_URI): Promise<LibvirtConnection> {
  return LibvirtConnection.open(uri);
}
