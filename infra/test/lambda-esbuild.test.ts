// The fidelity tests bundle the Lambdas with esbuild directly, from the stack's own BUNDLING:
// every field of BUNDLING must reach esbuild as CDK passes it, and a field the mapping does not
// know must stop the build rather than be dropped.
import { describe, expect, it } from 'vitest';
import { BUNDLING } from '../lib/functions.js';
import { esbuildOptionsOf } from '../lib/lambda-esbuild.js';

describe('the Lambdas bundling as esbuild options', () => {
  it('carries every BUNDLING field CDK turns into an esbuild flag', () => {
    expect(esbuildOptionsOf(BUNDLING)).toEqual({
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: BUNDLING.target,
      mainFields: BUNDLING.mainFields,
      minify: BUNDLING.minify,
      sourcemap: BUNDLING.sourceMap,
      external: BUNDLING.externalModules,
      banner: { js: BUNDLING.banner },
      logLevel: BUNDLING.logLevel,
    });
  });

  it('refuses a BUNDLING field it does not map', () => {
    expect(() => esbuildOptionsOf({ ...BUNDLING, define: { X: '1' } })).toThrow(/define/);
  });
});
