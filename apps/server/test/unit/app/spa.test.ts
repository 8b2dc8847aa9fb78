// The built web app: files as they are, index.html for client-side routes, never for /api; absent build: API only.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, tmpDir, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  const root = tmpDir('vireo-web-');
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Vireo</title><div id="root"></div>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  const app = 'export const big = 1;\n'.repeat(200);
  writeFileSync(path.join(root, 'assets', 'app-def.js'), app);
  writeFileSync(path.join(root, 'assets', 'app-def.js.gz'), gzipSync(app));
  writeFileSync(path.join(root, 'assets', 'app-def.js.br'), brotliCompressSync(app));
  h = await startHarness({ deps: { webRoot: root } });
});
afterAll(async () => {
  await h.close();
});

describe('the web app', () => {
  it('serves index.html at / and for client-side routes, without credentials, revalidated', async () => {
    for (const url of ['/', '/host', '/login?redirect=%2Fhost', '/vms/x/y']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it('serves the hashed assets as immutable', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('sends the build\'s brotli or gzip copy to browsers that accept it, the original to others', async () => {
    const original = 'export const big = 1;\n'.repeat(200);
    const br = await h.app.inject({ method: 'GET', url: '/assets/app-def.js', headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(original);
    const gz = await h.app.inject({ method: 'GET', url: '/assets/app-def.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(original);
    const plain = await h.app.inject({ method: 'GET', url: '/assets/app-def.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(original);
    // The copies are not files of their own: asked for by name, the page answers.
    const byName = await h.app.inject({ method: 'GET', url: '/assets/app-def.js.br' });
    expect(byName.headers['content-type']).toMatch(/text\/html/);
  });

  it('never answers /api paths with the page', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('serves only files of the build', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/..%2f..%2fetc%2fpasswd' });
    expect(res.body).not.toContain('root:');
  });
});

describe('without a build', () => {
  it('serves the API only', async () => {
    const bare = await startHarness({ deps: { webRoot: tmpDir('vireo-empty-') } });
    try {
      expect((await bare.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
      expect((await bare.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
