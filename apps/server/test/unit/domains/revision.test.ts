import { describe, expect, it } from 'vitest';
import { parseIfMatch, RevisionSigner } from '../../../src/domains/revision.js';

describe('definition revisions', () => {
  it('is a quoted, keyed hash: stable for a document, different for another or another key', () => {
    const signer = new RevisionSigner(Buffer.alloc(32, 1));
    const a = signer.etag('<domain/>');
    expect(a).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(signer.etag('<domain/>')).toBe(a);
    expect(signer.etag('<domain> </domain>')).not.toBe(a);
    expect(new RevisionSigner(Buffer.alloc(32, 2)).etag('<domain/>')).not.toBe(a);
  });

  it('reads If-Match with or without the weak prefix', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch(' "abc" ')).toBe('"abc"');
    expect(parseIfMatch('W/"abc"')).toBe('"abc"');
  });
});
