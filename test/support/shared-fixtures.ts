// The shared fixtures live beside the repository (../shared/fixtures), not in it. A clone without
// them must still pass: tests that need one skip, and this says why on the console, once per
// fixture, because a skipped suite alone does not tell the reader what was missing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');
const warned = new Set<string>();

export interface SharedFixture {
  readonly path: string;
  readonly present: boolean;
}

export const sharedFixture = (...parts: string[]): SharedFixture => {
  const path = join(repoRoot, '..', 'shared', 'fixtures', ...parts);
  const present = existsSync(path);
  if (!present && !warned.has(path)) {
    warned.add(path);
    console.warn(`[skip] ${path} is absent: the tests that read it are skipped`);
  }
  return { path, present };
};
