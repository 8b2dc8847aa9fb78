import type { DomainEdit } from '@vireo/api';
import {
  EditError,
  setBootOrder,
  setCpuMode,
  setCurrentMemory,
  setDescription,
  setFirmware,
  setGraphicsListen,
  setLifecycleAction,
  setMemory,
  setTitle,
  setVcpus,
  switchGraphicsToVnc,
  type parseXml,
} from '@vireo/libvirt-xml';
import { HttpProblem } from '../errors/http-problem.js';
import { ProblemType } from '@vireo/api';

type Doc = ReturnType<typeof parseXml>;

/**
 * Applies typed edits, in order, to the definition document (INACTIVE|SECURE, as libvirt gave it). A rename is
 * not an edit of the document (libvirt refuses a define that changes the name of an existing UUID): it is returned
 * for the caller to do with virDomainRename after the define.
 */
export function applyEdits(doc: Doc, operations: readonly DomainEdit[]): { rename: string | undefined } {
  let rename: string | undefined;
  operations.forEach((op, i) => {
    try {
      switch (op.op) {
        case 'name':
          rename = op.name;
          break;
        case 'title':
          setTitle(doc, op.title);
          break;
        case 'description':
          setDescription(doc, op.description);
          break;
        case 'memory':
          setMemory(doc, op.kib, op.current === undefined ? {} : { current: op.current });
          break;
        case 'currentMemory':
          setCurrentMemory(doc, op.kib);
          break;
        case 'vcpus':
          setVcpus(doc, {
            max: op.max,
            ...(op.current !== undefined && { current: op.current }),
            ...(op.placement !== undefined && { placement: op.placement }),
            ...(op.topology !== undefined && { topology: op.topology }),
          });
          break;
        case 'cpuMode':
          setCpuMode(doc, {
            mode: op.mode,
            ...(op.model !== undefined && { model: op.model }),
            ...(op.fallback !== undefined && { fallback: op.fallback }),
            ...(op.dropFeatures !== undefined && { dropFeatures: op.dropFeatures }),
          });
          break;
        case 'bootOrder':
          setBootOrder(doc, op.order);
          break;
        case 'firmware':
          setFirmware(doc, op.kind, {
            ...(op.secureBoot !== undefined && { secureBoot: op.secureBoot }),
            ...(op.autoselect !== undefined && { autoselect: op.autoselect }),
          });
          break;
        case 'graphicsType':
          switchGraphicsToVnc(doc);
          break;
        case 'graphicsListen':
          setGraphicsListen(doc, op.address);
          break;
        case 'lifecycle':
          setLifecycleAction(doc, op.event, op.action);
          break;
      }
    } catch (err) {
      if (err instanceof EditError) {
        throw new HttpProblem(400, 'Bad Request', {
          type: ProblemType.validation,
          detail: `operation ${i} (${op.op}): ${err.message}`,
          errors: [{ field: `body.operations.${i}.${err.field}`, reason: err.message }],
        });
      }
      throw err;
    }
  });
  return { rename };
}
