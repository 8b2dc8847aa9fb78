import { TaskParamsSchema, TaskSchema } from '@vireo/api';
import { notFound } from '../errors/http-problem.js';
import type { RouteModule } from '../routes/route-module.js';

export const taskRoutes: RouteModule = (app, { tasks }) => {
  app.get(
    '/api/v1/tasks/:id',
    {
      config: { auth: { role: 'viewer' } },
      schema: {
        tags: ['tasks'],
        summary: 'A long operation: progress, state, error (kept an hour after it ends)',
        params: TaskParamsSchema,
        response: { 200: TaskSchema },
      },
    },
    (request) => {
      const task = tasks.get(request.params.id);
      if (!task) throw notFound(`no task ${request.params.id} (finished tasks are kept for an hour)`);
      return task;
    },
  );
};
