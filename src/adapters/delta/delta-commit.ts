// The pure half of a commit: the plan a writer computes, the actions it becomes, and whether a
// commit that won the race conflicts with it (PROTOCOL.md leaves conflict rules to writers; this
// one treats any file change in a partition the plan read or replaced, any removal of a file it
// removes, and any metaData/protocol change as a conflict).
import { randomUUID } from 'node:crypto';
import type { Action, AddAction, PartitionValues, TxnAction } from './delta-actions.js';
import type { Row } from './delta-rows.js';
import { type DeltaField, schemaString } from './delta-schema.js';
import type { Snapshot } from './delta-snapshot.js';

export interface DeltaTableDefinition {
  /** every column, partition columns included */
  readonly fields: readonly DeltaField[];
  readonly partitionColumns: readonly string[];
}

export interface CommitPlan {
  readonly operation: string;
  /** live files this commit replaces */
  readonly removes: readonly AddAction[];
  /** new files, one per entry */
  readonly writes: readonly {
    readonly partitionValues: PartitionValues;
    readonly rows: readonly Row[];
  }[];
  /** partition keys (partitionKey) read or replaced: a concurrent commit touching one conflicts */
  readonly partitions: ReadonlySet<string>;
}

export type CommitOutcome =
  | { readonly kind: 'committed'; readonly version: number; readonly attempts: number }
  | { readonly kind: 'duplicate' };

export type TxnId = Omit<TxnAction, 'lastUpdated'>;

/** partition values in the table's partition column order, absent ones null */
export const ordered = (columns: readonly string[], values: PartitionValues): PartitionValues =>
  Object.fromEntries(columns.map((c) => [c, values[c] ?? null]));

export const partitionKey = (values: PartitionValues): string => JSON.stringify(values);

export function conflicts(
  partitionColumns: readonly string[],
  winner: readonly Action[],
  plan: CommitPlan,
): boolean {
  const removed = new Set(plan.removes.map((r) => r.path));
  return winner.some((a) => {
    if ('metaData' in a || 'protocol' in a) return true;
    const file = 'add' in a ? a.add : 'remove' in a ? a.remove : null;
    if (!file) return false;
    if (removed.has(file.path)) return true;
    // a remove without partitionValues cannot be placed: assume the worst
    if (!file.partitionValues) return true;
    return plan.partitions.has(partitionKey(ordered(partitionColumns, file.partitionValues)));
  });
}

export function commitActions(
  definition: DeltaTableDefinition,
  snapshot: Snapshot | null,
  plan: CommitPlan,
  adds: readonly AddAction[],
  txn: TxnId | null,
  now: number,
): Action[] {
  const actions: Action[] = [
    {
      commitInfo: {
        timestamp: now,
        operation: plan.operation,
        operationParameters: { partitionBy: JSON.stringify(definition.partitionColumns) },
        readVersion: snapshot?.version ?? -1,
        isBlindAppend: plan.removes.length === 0,
        engineInfo: 'shop-pipeline delta writer',
      },
    },
  ];
  if (!snapshot) {
    actions.push({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
    actions.push({
      metaData: {
        id: randomUUID(),
        format: { provider: 'parquet', options: {} },
        schemaString: schemaString(definition.fields),
        partitionColumns: [...definition.partitionColumns],
        configuration: {},
        createdTime: now,
      },
    });
  }
  if (txn) actions.push({ txn: { ...txn, lastUpdated: now } });
  for (const r of plan.removes) {
    const { path, partitionValues, size } = r;
    const remove = { path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true };
    actions.push({ remove: { ...remove, partitionValues, size } });
  }
  adds.forEach((add) => actions.push({ add }));
  return actions;
}
