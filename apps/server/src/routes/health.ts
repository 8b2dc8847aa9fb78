import { HealthSchema } from '@vireo/api';
import { SERVER_VERSION } from '../version.js';
import type { RouteModule } from './route-module.js';

export const healthRoutes: RouteModule = (app) => {
  app.get(
    '/api/v1/health',
    {
      config: { auth: { public: true } },
      schema: { tags: ['server'], summary: 'Is the server process up (says nothing about libvirt)', response: { 200: HealthSchema } },
    },
    () => ({ status: 'ok' as const, version: SERVER_VERSION }),
  );
};
