// The server as it runs in production: dist/ (tsc's output) bundled and minified by esbuild into bundle/. One file of
// minified code instead of ~700 modules of sources roughly halves what V8 keeps of the server's code (source
// strings, scope data), about 6 MiB of RSS: the difference between an idle server under and over 90 MB (bench/).
// Packages with native addons or files of their own beside their code stay outside, resolved from node_modules.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outdir = here('../bundle');

const EXTERNAL = [
  'better-sqlite3', // native addon
  '@node-rs/argon2', // native addon, per platform
  'ssh2', // optional native parts; loaded only for remote hosts
  '@fastify/static', // serves files relative to its own package
  '@fastify/swagger-ui', // its UI's files live in its package
];

await rm(outdir, { recursive: true, force: true });
await build({
  // main.ts starts the certificate generator beside itself (tls/certificate.ts): both land at the bundle's root.
  entryPoints: { main: here('../dist/main.js'), 'generate-certificate': here('../dist/tls/generate-certificate.js') },
  outdir,
  bundle: true,
  splitting: true, // what main.ts imports lazily (YAML, osinfo's parser, PNG) stays out of start-up
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true, // class and function names stay in logs and error names
  legalComments: 'none',
  sourcemap: false,
  external: EXTERNAL,
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __vireoRequire } from 'node:module'; const require = __vireoRequire(import.meta.url);" },
  logLevel: 'warning',
});
