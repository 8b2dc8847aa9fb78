// Writes gzip and brotli copies beside every text asset of the build (dist/), which the server sends to browsers
// that accept them (@fastify/static's preCompressed): the bundle goes over the wire compressed without the server
// compressing anything per request.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|map|wasm)$/;
// Below this, headers outweigh the saving.
const MIN_BYTES = 1024;

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (entry.isFile() && COMPRESSIBLE.test(entry.name)) yield p;
  }
}

let raw = 0;
let gz = 0;
let br = 0;
for await (const file of files(dist)) {
  if ((await stat(file)).size < MIN_BYTES) continue;
  const data = await readFile(file);
  const g = gzipSync(data, { level: 9 });
  const b = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  await writeFile(`${file}.gz`, g);
  await writeFile(`${file}.br`, b);
  raw += data.length;
  gz += g.length;
  br += b.length;
}
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
process.stdout.write(`precompressed ${kb(raw)} of assets: gzip ${kb(gz)}, brotli ${kb(br)}\n`);
