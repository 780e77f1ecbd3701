// The outcome of validating a file (at landing) or a group (in the workflow).
export type Severity = 'error' | 'warn';
export type RuleScope = 'file' | 'row' | 'group';

export type RuleId =
  | 'schema.columns'
  | 'schema.extra'
  | 'schema.duplicate-columns'
  | 'required.not-null'
  | 'type.parse'
  | 'unique.key'
  | 'unique.order-product'
  | 'domain.order-status'
  | 'domain.item-status'
  | 'range.non-negative'
  | 'range.num-of-item'
  | 'ref.item-user'
  // checks that span files, run in the workflow's Validate stage
  | 'group.item-count'
  | 'group.conflicting-versions'
  | 'group.references-present'
  // a landed file that is not usable CSV text (no rows were checked)
  | 'file.not-text'
  | 'file.empty'
  | 'file.malformed';

export interface RuleFailure {
  readonly file: string;
  /** 1-based line in the source CSV (0 when not tied to a line) */
  readonly line: number;
  readonly key: string | null;
  readonly column?: string;
  readonly value: string | null;
  readonly message: string;
}

export interface RuleResult {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly scope: RuleScope;
  readonly checked: number;
  readonly failed: number;
  /** at most the verdict's sample cap */
  readonly samples: readonly RuleFailure[];
}

export interface ValidationVerdict {
  /** the file key (landing) or group id (workflow) */
  readonly subject: string;
  readonly dataset: string | null;
  readonly ok: boolean;
  readonly rowsChecked: number;
  readonly rules: readonly RuleResult[];
}

export const DEFAULT_SAMPLE_CAP = 20;
