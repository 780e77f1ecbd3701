// The landing row rules, run again in the Validate stage over the group's staged rows (defence
// in depth: staged data that was altered or mis-staged is caught before it reaches the KPIs).
import type { GroupData, SourcedBatch } from '../domain/group-data.js';
import { createFileValidator } from '../domain/validation/file-validator.js';
import { SEED_RULES, type RuleSet } from '../domain/validation/rules-config.codec.js';
import type { ValidationVerdict } from '../domain/validation/verdict.js';

/** the rules in force at landing, so a rule turned off there does not fail the group here */
export const stagedRowRulesWith =
  (rules: RuleSet) =>
  (data: GroupData): ValidationVerdict[] => {
    const byFile = new Map<string, SourcedBatch[]>();
    for (const sourced of [...data.orders, ...data.items, ...data.products]) {
      const key = `${sourced.batch.dataset}\u0000${sourced.file}`;
      const batches = byFile.get(key);
      if (batches === undefined) byFile.set(key, [sourced]);
      else batches.push(sourced);
    }
    return [...byFile.values()].map((batches) => {
      const first = batches[0] as SourcedBatch;
      const validator = createFileValidator({
        file: first.file,
        dataset: first.batch.dataset,
        extraColumns: [],
        rules,
        expectedRows: batches.reduce((n, s) => n + s.batch.length, 0),
      });
      for (const { batch } of batches) validator.add(batch, []);
      return validator.finish().verdict;
    });
  };

export const stagedRowRules = stagedRowRulesWith(SEED_RULES);
