// Combining verdicts: the Validate stage merges the group-rule verdict with the row-rule
// verdicts re-run over the group's staged files.
import {
  DEFAULT_SAMPLE_CAP,
  type RuleFailure,
  type RuleId,
  type RuleResult,
  type RuleScope,
  type Severity,
  type ValidationVerdict,
} from './verdict.js';

/** Accumulates one rule's counts and a capped sample of its failures. */
export class RuleTally {
  checked = 0;
  failed = 0;
  private readonly samples: RuleFailure[] = [];

  constructor(
    readonly rule: RuleId,
    readonly severity: Severity,
    readonly scope: RuleScope,
    private readonly cap: number = DEFAULT_SAMPLE_CAP,
  ) {}

  pass(): void {
    this.checked++;
  }

  fail(failure: RuleFailure): void {
    this.checked++;
    this.failed++;
    if (this.samples.length < this.cap) this.samples.push(failure);
  }

  result(): RuleResult {
    return {
      rule: this.rule,
      severity: this.severity,
      scope: this.scope,
      checked: this.checked,
      failed: this.failed,
      samples: [...this.samples],
    };
  }
}

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
  const merged = new Map<
    RuleId,
    { base: RuleResult; checked: number; failed: number; samples: RuleFailure[] }
  >();
  let fileRows = 0;
  let groupRows = 0;
  for (const v of verdicts) {
    if (v.dataset === null) groupRows = Math.max(groupRows, v.rowsChecked);
    else fileRows += v.rowsChecked;
    for (const r of v.rules) {
      const m = merged.get(r.rule) ?? { base: r, checked: 0, failed: 0, samples: [] };
      m.checked += r.checked;
      m.failed += r.failed;
      for (const s of r.samples) if (m.samples.length < sampleCap) m.samples.push(s);
      merged.set(r.rule, m);
    }
  }
  const rules: RuleResult[] = [...merged.values()].map((m) => ({
    rule: m.base.rule,
    severity: m.base.severity,
    scope: m.base.scope,
    checked: m.checked,
    failed: m.failed,
    samples: m.samples,
  }));
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
