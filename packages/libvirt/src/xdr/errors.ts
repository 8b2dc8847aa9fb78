/** Raised for any malformed XDR input or any value that cannot be encoded. Decoders throw nothing else. */
export class XdrError extends Error {
  override readonly name = 'XdrError';
  constructor(message: string) {
    super(message);
  }
}
