import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dev server proxies the API (and the events WebSocket) to a running Vireo server; its self-signed
// certificate is accepted (`secure: false`). VIREO_DEV_API overrides the target.
const target = process.env['VIREO_DEV_API'] ?? 'https://127.0.0.1:8443';

export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // One CSS file, no inline style tags: the server's CSP allows only 'self' styles and scripts.
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': { target, secure: false, changeOrigin: false, ws: true },
    },
  },
});
