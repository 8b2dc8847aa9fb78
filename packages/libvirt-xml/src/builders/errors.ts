/**
 * A builder's input that cannot become a valid definition. Thrown before any XML exists, so a wizard can point at
 * the offending field (`field` is a dotted path into the spec, e.g. `disks[1].size`) instead of relaying whatever
 * libvirt says on define.
 */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
