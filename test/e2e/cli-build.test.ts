// The CLI as `npm ci` leaves it: compiled by the build script into dist/, and started by
// bin/shop-pipeline.js from there (no TypeScript compiled at start). Built here into a scratch
// tree holding only what an install has (bin/, dist/, package.json, node_modules), so the bin
// cannot fall back to the sources.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, removeTempDirs, repoRoot, tempDir } from './cli-harness.js';

afterAll(removeTempDirs);

describe('the compiled CLI', () => {
  it('builds with tsc and answers --help and --version from dist/', () => {
    const tree = tempDir('built');
    const tsc = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        join(repoRoot, 'tsconfig.build.json'),
        '--outDir',
        join(tree, 'dist'),
      ],
      { encoding: 'utf8' },
    );
    expect(tsc.status, tsc.stdout).toBe(0);
    mkdirSync(join(tree, 'bin'));
    copyFileSync(bin, join(tree, 'bin', 'shop-pipeline.js'));
    copyFileSync(join(repoRoot, 'package.json'), join(tree, 'package.json'));
    symlinkSync(join(repoRoot, 'node_modules'), join(tree, 'node_modules'));
    expect(existsSync(join(tree, 'src'))).toBe(false);

    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(tree, 'bin', 'shop-pipeline.js'), ...args], {
        encoding: 'utf8',
      });
    const help = run('--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Examples');
    const version = run('--version');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
      scripts: Record<string, string>;
    };
    expect(version.stdout.trim()).toBe(pkg.version);
    // npm ci runs `prepare`, which builds dist/
    expect(pkg.scripts.prepare).toBe('npm run build');
  });
});
