#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so `npx shop-pipeline` works right after `npm ci`
// with no build step (`npm run build` is only for packaging; Lambda code is bundled by esbuild).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import(pathToFileURL(join(root, 'src', 'entrypoints', 'cli', 'main.ts')).href);
