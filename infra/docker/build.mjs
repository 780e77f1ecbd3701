// Bundles the three ECS task mains into dist/ for the image (run by infra/Dockerfile).
// ESM output keeps top-level await and ESM-only packages working; the banner gives bundled
// CommonJS code (parquet-wasm's node build) the require and __dirname it expects.
import { copyFile, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';

const banner = [
  "import { createRequire as __imgCreateRequire } from 'node:module';",
  "import { fileURLToPath as __imgFileUrlToPath } from 'node:url';",
  "import { dirname as __imgDirname } from 'node:path';",
  'const require = __imgCreateRequire(import.meta.url);',
  'const __filename = __imgFileUrlToPath(import.meta.url);',
  'const __dirname = __imgDirname(__filename);',
].join(' ');

await mkdir('dist', { recursive: true });
await build({
  entryPoints: {
    validate: 'src/entrypoints/ecs/validate.main.ts',
    transform: 'src/entrypoints/ecs/transform.main.ts',
    ingest: 'src/entrypoints/ecs/ingest.main.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  mainFields: ['module', 'main'],
  sourcemap: true,
  minify: true,
  banner: { js: banner },
  logLevel: 'info',
});
// parquet-wasm reads its .wasm next to the code that loads it.
await copyFile('node_modules/parquet-wasm/node/parquet_wasm_bg.wasm', 'dist/parquet_wasm_bg.wasm');
await copyFile('infra/docker/run.mjs', 'dist/run.mjs');
