import {
  CallTimeoutError,
  ConnectionClosedError,
  ErrorCode,
  LibvirtError,
  TransportError,
} from '@vireo/libvirt';

/** How a libvirt failure reads over HTTP. */
export interface LibvirtMapping {
  status: number;
  title: string;
  /** libvirt's own error, when the daemon reported one. */
  libvirt?: { code: number; domain: number; message: string };
}

const CONFLICT_CODES: ReadonlySet<number> = new Set([
  ErrorCode.OPERATION_INVALID, // e.g. starting a running domain
  ErrorCode.DOM_EXIST,
  ErrorCode.STORAGE_VOL_EXIST,
  ErrorCode.RESOURCE_BUSY,
]);

const BAD_REQUEST_CODES: ReadonlySet<number> = new Set([
  ErrorCode.INVALID_ARG,
  ErrorCode.XML_ERROR,
  ErrorCode.XML_INVALID_SCHEMA,
  ErrorCode.CONFIG_UNSUPPORTED,
  ErrorCode.ARGUMENT_UNSUPPORTED,
]);

const UNSUPPORTED_CODES: ReadonlySet<number> = new Set([ErrorCode.NO_SUPPORT, ErrorCode.OPERATION_UNSUPPORTED]);
const DENIED_CODES: ReadonlySet<number> = new Set([ErrorCode.OPERATION_DENIED, ErrorCode.ACCESS_DENIED]);
const TIMEOUT_CODES: ReadonlySet<number> = new Set([ErrorCode.OPERATION_TIMEOUT, ErrorCode.AGENT_UNRESPONSIVE]);

function statusOf(err: LibvirtError): { status: number; title: string } {
  if (err.isNotFound) return { status: 404, title: 'Not Found' };
  if (CONFLICT_CODES.has(err.code)) return { status: 409, title: 'Conflict' };
  if (BAD_REQUEST_CODES.has(err.code)) return { status: 400, title: 'Bad Request' };
  if (DENIED_CODES.has(err.code)) return { status: 403, title: 'Forbidden' };
  if (UNSUPPORTED_CODES.has(err.code)) return { status: 501, title: 'Not Implemented' };
  if (TIMEOUT_CODES.has(err.code)) return { status: 504, title: 'Gateway Timeout' };
  return { status: 500, title: 'libvirt error' };
}

/** The HTTP reading of an error from `@vireo/libvirt`, or null if it is not one. */
export function mapLibvirtError(err: unknown): LibvirtMapping | null {
  if (err instanceof LibvirtError) {
    return {
      ...statusOf(err),
      libvirt: { code: err.code, domain: err.domain, message: err.libvirtMessage },
    };
  }
  // The daemon went away or cannot be reached: the request may succeed once the host manager reconnects.
  if (err instanceof ConnectionClosedError || err instanceof TransportError) {
    return { status: 503, title: 'libvirt unavailable' };
  }
  if (err instanceof CallTimeoutError) return { status: 504, title: 'libvirt did not answer in time' };
  return null;
}
