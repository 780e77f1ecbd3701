// Settings from outside the command line: a JSON config file (--config, $SHOP_PIPELINE_CONFIG,
// or ./shop-pipeline.config.json when present) and the validation rules file (--rules,
// $SHOP_PIPELINE_RULES). Precedence: command line, then environment, then config file, then
// the built-in default.
import { existsSync, readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import {
  parseRules,
  SEED_RULES,
  type RuleSet,
} from '../../domain/validation/rules-config.codec.js';
import { UsageError } from './usage-error.js';

export const DEFAULT_CONFIG_FILE = 'shop-pipeline.config.json';

const ConfigFileC = t.exact(
  t.partial({
    home: t.string,
    policy: t.keyof({ 'reject-file': null, 'quarantine-rows': null }),
    staleHours: t.number,
    verbose: t.boolean,
    rules: t.string,
  }),
  'ConfigFile',
);
export type ConfigFile = t.TypeOf<typeof ConfigFileC>;

const readJson = (path: string, what: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read the ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

/** the config file named, or the default one when it exists; {} when there is none */
export const loadConfig = (path: string | undefined): ConfigFile => {
  const file = path ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (file === undefined) return {};
  const decoded = ConfigFileC.decode(readJson(file, 'config file'));
  if (isLeft(decoded))
    throw new UsageError(`config file ${file}: ${PathReporter.report(decoded).join('; ')}`);
  const extra = Object.keys(readJson(file, 'config file') as object).filter(
    (k) => !['home', 'policy', 'staleHours', 'verbose', 'rules'].includes(k),
  );
  if (extra.length > 0)
    throw new UsageError(
      `config file ${file}: unknown setting(s) ${extra.join(', ')} ` +
        '(known: home, policy, staleHours, verbose, rules)',
    );
  if (decoded.right.staleHours !== undefined && !(decoded.right.staleHours > 0))
    throw new UsageError(`config file ${file}: staleHours must be a number > 0`);
  return decoded.right;
};

/** the rules in force: the file's (validated), or the seed's when no file is named */
export const loadRules = (path: string | undefined): RuleSet => {
  if (path === undefined) return SEED_RULES;
  const parsed = parseRules(readJson(path, 'rules file'));
  if (isLeft(parsed)) throw new UsageError(`rules file ${path}:\n  ${parsed.left.join('\n  ')}`);
  return parsed.right;
};
