import type { Task } from '@vireo/api';
import { SpecError, EditError, XmlParseError } from '@vireo/libvirt-xml';
import { HttpProblem } from '../errors/http-problem.js';
import { mapLibvirtError } from '../errors/libvirt-status.js';

/**
 * A failed task's error as clients see it: the same choices as the HTTP error mapper (libvirt's code and message
 * kept, our own problems as written, input errors as 400), and nothing at all of an unexpected error's message.
 */
export function taskError(err: unknown, taskId: string): NonNullable<Task['error']> {
  if (err instanceof HttpProblem) return { status: err.status, title: err.title, detail: err.detail ?? err.title };
  if (err instanceof SpecError || err instanceof EditError || err instanceof XmlParseError) {
    return { status: 400, title: 'Bad Request', detail: err.message };
  }
  const libvirt = mapLibvirtError(err);
  if (libvirt) {
    return {
      status: libvirt.status,
      title: libvirt.title,
      detail: libvirt.libvirt?.message ?? libvirt.title,
      ...(libvirt.libvirt && { libvirt: libvirt.libvirt }),
    };
  }
  return { status: 500, title: 'Internal Server Error', detail: `internal error (task ${taskId})` };
}
