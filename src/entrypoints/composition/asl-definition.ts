// The one state machine definition, read from infra/ for local runs (AWS gets it through CDK).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ASL_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'infra',
  'state-machine',
  'pipeline.asl.json',
);

export const readAslDefinition = (): string => readFileSync(ASL_PATH, 'utf8');
