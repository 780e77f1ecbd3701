// Counts for one rule: rows are checked in bulk (a column at a time) or one by one, and only
// failures cost an object (and only the first `cap` of them are kept as samples). Serves the file
// rules, the group rules and the merging of verdicts.
import type { RuleFailure, RuleId, RuleResult, RuleScope, Severity } from './verdict.js';

export class RuleCounter {
  checked = 0;
  failed = 0;
  private readonly samples: RuleFailure[] = [];

  constructor(
    readonly rule: RuleId,
    readonly severity: Severity,
    readonly scope: RuleScope,
    private readonly cap: number,
  ) {}

  /** `n` more rows checked (failures among them are counted by `fail`) */
  check(n: number): void {
    this.checked += n;
  }

  fail(failure: RuleFailure): void {
    this.failed++;
    if (this.samples.length < this.cap) this.samples.push(failure);
  }

  /** folds in another count of the same rule (merging verdicts); samples stay capped */
  add(other: RuleResult): void {
    this.checked += other.checked;
    this.failed += other.failed;
    for (const s of other.samples) if (this.samples.length < this.cap) this.samples.push(s);
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
