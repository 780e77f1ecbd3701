// The feature flags and defaults of cdk.json, for apps not started by the CDK CLI (tests, tsx):
// the CLI passes them itself, and its values still win over these.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './layout.js';

export const cdkJsonContext = (): Record<string, unknown> => {
  const parsed: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const context =
    typeof parsed === 'object' && parsed !== null && 'context' in parsed ? parsed.context : {};
  return typeof context === 'object' && context !== null ? { ...context } : {};
};
