// Combining verdicts: the Validate stage merges the group-rule verdict with the row-rule
// verdicts re-run over the group's staged files.
import { RuleCounter } from './rule-counter.js';
import {
  DEFAULT_SAMPLE_CAP,
  type RuleId,
  type RuleResult,
  type ValidationVerdict,
} from './verdict.js';

export const hasErrors = (rules: readonly RuleResult[]): boolean =>
  rules.some((r) => r.severity === 'error' && r.failed > 0);

/**
 * Sums counts per rule (rules keep the order of first appearance) and caps the samples.
 * rowsChecked: file verdicts (dataset set) cover distinct files and add up; a group verdict
 * (dataset null) covers those same rows again, so it counts only if it saw more.
 */
export const mergeVerdicts = (
  subject: string,
  verdicts: readonly ValidationVerdict[],
  sampleCap: number = DEFAULT_SAMPLE_CAP,
): ValidationVerdict => {
  // keyed by rule and severity: a rules file can make one rule warn on some columns only
  const merged = new Map<`${RuleId}|${string}`, RuleCounter>();
  let fileRows = 0;
  let groupRows = 0;
  for (const v of verdicts) {
    if (v.dataset === null) groupRows = Math.max(groupRows, v.rowsChecked);
    else fileRows += v.rowsChecked;
    for (const r of v.rules) {
      const key = `${r.rule}|${r.severity}` as const;
      const counter = merged.get(key) ?? new RuleCounter(r.rule, r.severity, r.scope, sampleCap);
      counter.add(r);
      merged.set(key, counter);
    }
  }
  const rules = [...merged.values()].map((c) => c.result());
  const datasets = new Set(verdicts.map((v) => v.dataset));
  const [only] = datasets;
  return {
    subject,
    dataset: datasets.size === 1 && only !== undefined ? only : null,
    ok: !hasErrors(rules),
    rowsChecked: Math.max(fileRows, groupRows),
    rules,
  };
};
