// The layer rules refuse a domain file that imports the AWS SDK or an adapter.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const probeDir = join(root, 'src', 'domain', '__layer_probe__');

const cruise = (): { code: number; output: string } => {
  try {
    const output = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        'src/domain',
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'err',
      ],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return { code: 0, output };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, output: `${err.stdout}${err.stderr}` };
  }
};

describe('layer rules (dependency-cruiser)', () => {
  afterEach(() => rmSync(probeDir, { recursive: true, force: true }));

  it('accepts the domain as it is', () => {
    const result = cruise();
    expect(result.output).not.toMatch(/domain-is-pure/);
    expect(result.code).toBe(0);
  });

  it('refuses a domain file that imports @aws-sdk/client-s3', () => {
    mkdirSync(probeDir, { recursive: true });
    writeFileSync(
      join(probeDir, 'bad.ts'),
      "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;\n",
    );
    const result = cruise();
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/domain-is-pure/);
  });

  it('refuses a domain file that imports an adapter or node:fs', () => {
    mkdirSync(probeDir, { recursive: true });
    writeFileSync(
      join(probeDir, 'bad.ts'),
      "import { InMemoryObjectStore } from '../../adapters/in-memory/in-memory-object-store.js';\nexport const s = InMemoryObjectStore;\n",
    );
    writeFileSync(
      join(probeDir, 'worse.ts'),
      "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
    );
    const result = cruise();
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/domain-is-pure[^\n]*\n?[^\n]*bad\.ts/);
    expect(result.output).toMatch(/domain-is-pure[^\n]*\n?[^\n]*worse\.ts/);
  }, 60_000);
});
