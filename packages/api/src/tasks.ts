import { z } from 'zod';
import { HostIdSchema } from './hosts.js';
import { LibvirtProblemSchema } from './problem.js';

export const TaskStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type TaskState = z.infer<typeof TaskStateSchema>;

/**
 * A long operation (managed save, a create that makes volumes, a delete that removes them). Its changes are sent on
 * the events channel as `task` messages; `GET /api/v1/tasks/:id` reads it until it expires (an hour after it ends).
 */
export const TaskSchema = z.object({
  id: z.string(),
  kind: z.string().describe('e.g. domain.managedsave, domain.create, domain.delete'),
  host: HostIdSchema,
  target: z.string().nullable().describe('what it acts on, e.g. the domain UUID'),
  state: TaskStateSchema,
  progress: z.number().min(0).max(1),
  /** What the task is doing now, for a progress line. */
  step: z.string().nullable(),
  error: z
    .object({ status: z.number().int(), title: z.string(), detail: z.string(), libvirt: LibvirtProblemSchema.optional() })
    .nullable(),
  /** What the task produced, e.g. the created domain's UUID. */
  result: z.record(z.string(), z.string()).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Task = z.infer<typeof TaskSchema>;

export const TaskParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const TaskAcceptedSchema = z.object({ task: TaskSchema });
export type TaskAccepted = z.infer<typeof TaskAcceptedSchema>;
