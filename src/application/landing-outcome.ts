// What landing a file gives back: landed (or already landed), or rejected with its verdict.
import type { DatasetName } from '../domain/datasets.js';
import type { RuleCount } from '../domain/events.js';
import type { ValidationVerdict } from '../domain/validation/verdict.js';

export type LandingPolicy = 'reject-file' | 'quarantine-rows';

export interface LandedFile {
  readonly _tag: 'Landed' | 'Duplicate';
  readonly fileKey: string;
  readonly contentHash: string;
  readonly dataset: DatasetName | null;
  readonly rows: number;
  readonly warnings: readonly RuleCount[];
  readonly quarantinedRows: number;
  /** error rules of the rows set aside (quarantine-rows policy) */
  readonly errors: readonly RuleCount[];
  readonly reportKey: string | null;
  /** groups formed by this landing (orders it completed) */
  readonly groups: readonly { readonly groupId: string; readonly orderCount: number }[];
}

export interface RejectedFile {
  readonly _tag: 'Rejected';
  readonly fileKey: string;
  readonly contentHash: string;
  readonly dataset: DatasetName | null;
  readonly reason: string;
  readonly reportKey: string;
  readonly quarantineKey: string | null;
  readonly errors: readonly RuleCount[];
  readonly verdict: ValidationVerdict;
}
