/**
 * Bad input to an edit: a value libvirt would reject, a device that is not there, a combination that cannot stand.
 * `field` names what was wrong in libvirt's own terms (`memory`, `vcpu.current`, `disk.target`), so a form can put
 * the message next to the right control.
 */
export class EditError extends Error {
  override readonly name = 'EditError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
