import type { RouteModule } from '../routes/route-module.js';
import { registerSocketRoute } from '../security/websocket.js';

export const eventRoutes: RouteModule = (app, { eventSockets }) => {
  registerSocketRoute(app, {
    url: '/api/v1/events',
    role: 'viewer',
    summary: 'Live state: a snapshot, then numbered deltas, stats ticks and heartbeats; ?since=<seq>&epoch=<epoch> to catch up',
    handler: (socket, request) => eventSockets.attach(socket, request.query),
  });
};
