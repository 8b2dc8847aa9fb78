export { parseXml, serializeXml, rootElement, XmlParseError } from './dom/parse.js';
export * as dom from './dom/nav.js';
export { canonicalLines, canonicalDiff, canonicallyEqual } from './dom/canonical.js';
export * from './builders/index.js';
export {
  validateXml,
  parseValidatorOutput,
  rootElementName,
  schemaKindOf,
  SchemaValidatorError,
  SCHEMA_KINDS,
  type SchemaKind,
  type ValidateOptions,
  type ValidationIssue,
  type ValidationResult,
  type ValidatorFailure,
} from './validate/validate.js';
export * from './views/index.js';
export * from './edits/index.js';
export {
  describeIdentity,
  deviceIdentityOf,
  deviceXml,
  findDevice,
  findDevices,
  sameMac,
  type DeviceIdentity,
  type PciAddress,
  type ScsiHostAddress,
  type UsbSource,
} from './devices.js';
export { hasSecrets, redactSecrets } from './redact.js';
