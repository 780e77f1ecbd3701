// The CLI turns Node's module compile cache on before it loads its modules, and hands the folder
// to its worker threads through the environment; NODE_DISABLE_COMPILE_CACHE turns it off.
import module from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enableCompileCache } from '../../../src/entrypoints/cli/compile-cache.js';

const cacheDir = (): string | undefined =>
  (module as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.();

describe('enableCompileCache', () => {
  it('leaves the cache off when NODE_DISABLE_COMPILE_CACHE is set', () => {
    const env: NodeJS.ProcessEnv = { NODE_DISABLE_COMPILE_CACHE: '1' };
    expect(enableCompileCache(env)).toBeUndefined();
    expect(env['NODE_COMPILE_CACHE']).toBeUndefined();
  });

  it('turns the cache on in the folder named, and names it to the workers', () => {
    const folder = mkdtempSync(join(tmpdir(), 'compile-cache-'));
    const env: NodeJS.ProcessEnv = { NODE_COMPILE_CACHE: folder };
    expect(enableCompileCache(env)).toBe(folder);
    expect(env['NODE_COMPILE_CACHE']).toBe(folder);
    expect(cacheDir()?.startsWith(folder)).toBe(true);
  });

  it('by default puts the folder it chose in the environment', () => {
    const env: NodeJS.ProcessEnv = {};
    const folder = enableCompileCache(env);
    expect(folder).toBeDefined();
    expect(env['NODE_COMPILE_CACHE']).toBe(folder);
  });
});
