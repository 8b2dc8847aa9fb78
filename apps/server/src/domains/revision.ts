import { createHmac, randomBytes } from 'node:crypto';
import { HttpProblem } from '../errors/http-problem.js';
import { ProblemType } from '@vireo/api';

/**
 * Revision tokens (ETags) of domain definitions: a keyed hash of the INACTIVE|SECURE document. Keyed, because
 * viewers receive the ETag but not the graphics passwords in the document: a plain hash would let them test guesses
 * of a short VNC password offline. The key is per process, so ETags change when the server restarts (a client then
 * refetches once).
 */
export class RevisionSigner {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  etag(definitionXml: string): string {
    return `"${createHmac('sha256', this.key).update(definitionXml, 'utf8').digest('base64url').slice(0, 27)}"`;
  }
}

/** The entity tag of an If-Match header, without a weak prefix; undefined when the header is missing. */
export function parseIfMatch(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  return value.startsWith('W/') ? value.slice(2) : value;
}

/** 428: changes to a definition must say which revision they are based on. */
export function revisionRequired(what: string): HttpProblem {
  return new HttpProblem(428, 'Precondition Required', {
    detail: `${what} needs an If-Match header with the ETag of the definition it is based on (GET the domain first)`,
  });
}

/** The current definition, sent with a 409 so the client can show what changed or merge. */
export interface CurrentDefinition {
  etag: string;
  xml: string;
  redacted: string[];
}

/** 409: the definition changed since the client read it (another user, `virsh edit`). */
export class DefinitionConflict extends HttpProblem {
  constructor(
    detail: string,
    readonly current: CurrentDefinition,
  ) {
    super(409, 'Conflict', { type: ProblemType.conflict, detail, headers: { etag: current.etag } });
  }
}
