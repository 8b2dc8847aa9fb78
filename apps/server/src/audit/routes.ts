import { AuditListSchema, AuditQuerySchema } from '@vireo/api';
import type { RouteModule } from '../routes/route-module.js';

export const auditRoutes: RouteModule = (app, services) => {
  app.get(
    '/api/v1/audit',
    {
      config: { auth: { role: 'admin' } },
      schema: {
        tags: ['audit'],
        summary: 'The audit log of changes, newest first',
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema },
      },
    },
    (request) => services.audit.list(request.query),
  );
};
