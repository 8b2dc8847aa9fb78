import { OsVariantListSchema, OsVariantQuerySchema } from '@vireo/api';
import type { RouteModule } from '../routes/route-module.js';

const VIEWER = { auth: { role: 'viewer' as const } };

export const osinfoRoutes: RouteModule = (app, { osinfo }) => {
  app.get(
    '/api/v1/osinfo',
    {
      config: VIEWER,
      schema: {
        tags: ['osinfo'],
        summary: 'Operating systems of the osinfo database (newest first) with recommended resources and devices; ?eol=true adds end-of-life ones',
        querystring: OsVariantQuerySchema,
        response: { 200: OsVariantListSchema },
      },
    },
    (request) => osinfo.list(request.query.eol === 'true'),
  );
};
