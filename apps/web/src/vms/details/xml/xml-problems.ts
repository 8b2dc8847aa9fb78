/**
 * Where the server says an XML definition is wrong. The schema check (virt-xml-validate) reports each problem as
 * `errors[].reason` "line N: element E: message"; a document that is not well-formed comes back as a 400 whose
 * detail says "at line N, column M"; libvirt's own refusals (on define) name no line.
 */
import { ApiError } from '../../../api/client.js';
import { errorMessage } from '../../../components/notify.js';

export interface XmlProblem {
  /** 1-based; null when the server named no line. */
  line: number | null;
  column: number | null;
  message: string;
}

const REASON_LINE = /^line (\d+): (.*)$/s;
const DETAIL_LINE = /\bat line (\d+)(?:, column (\d+))?/;

export function xmlProblems(error: unknown): XmlProblem[] {
  if (error instanceof ApiError) {
    const located = error.fields.flatMap((f): XmlProblem[] => {
      const m = REASON_LINE.exec(f.reason);
      return m ? [{ line: Number(m[1]), column: null, message: m[2]! }] : [];
    });
    if (located.length > 0) return located;
    const m = error.detail === undefined ? null : DETAIL_LINE.exec(error.detail);
    if (m) return [{ line: Number(m[1]), column: m[2] === undefined ? null : Number(m[2]), message: error.detail! }];
    if (error.fields.length > 0) return error.fields.map((f) => ({ line: null, column: null, message: f.reason }));
  }
  return [{ line: null, column: null, message: errorMessage(error) }];
}

/** A problem's line within a document of `lines` lines (the validator may point one past the end). */
export function clampLine(line: number, lines: number): number {
  return Math.min(Math.max(1, line), Math.max(1, lines));
}
