import { describe, expect, it } from 'vitest';
import { startHarness } from '../../helpers/harness.js';

describe('start-up refuses routes without an explicit access rule', () => {
  it('fails when a route declares no auth', async () => {
    await expect(startHarness({ deps: { extraRoutes: [(app) => void app.get('/api/v1/forgotten', () => 'oops')] } })).rejects.toThrow(
      'route GET /api/v1/forgotten declares no access rule',
    );
  });

  it('fails for a change without one, after other routes of the module registered', async () => {
    await expect(
      startHarness({
        deps: {
          extraRoutes: [
            (app) => {
              app.get('/api/v1/things', { config: { auth: { role: 'viewer' } } }, () => []);
              app.delete('/api/v1/things/:id', () => 'gone');
            },
          ],
        },
      }),
    ).rejects.toThrow('route DELETE /api/v1/things/:id declares no access rule');
  });

  it('fails when a viewer could change something other than their own account', async () => {
    await expect(
      startHarness({
        deps: { extraRoutes: [(app) => void app.post('/api/v1/hosts/:host/domains', { config: { auth: { role: 'viewer' } } }, () => 'made')] },
      }),
    ).rejects.toThrow(/POST \/api\/v1\/hosts\/:host\/domains lets viewers change something/);
  });

  it('starts with declared routes', async () => {
    const h = await startHarness({
      deps: { extraRoutes: [(app) => void app.post('/api/v1/hosts/:host/probe', { config: { auth: { role: 'operator' } } }, () => 'made')] },
    });
    expect(h.routes.some((r) => r.method === 'POST' && r.url === '/api/v1/hosts/:host/probe')).toBe(true);
    await h.close();
  });
});
