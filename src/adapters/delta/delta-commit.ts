// The pure half of a commit: the plan a writer computes, the actions it becomes, and whether a
// commit that won the race conflicts with it (PROTOCOL.md leaves conflict rules to writers; this
// one treats any file change in a partition the plan read or replaced, any removal of a file it
// removes, and any metaData/protocol change as a conflict). A plan may also compact files
// (`rearranged`): the same rows in fewer files, recorded with dataChange: false.
import { randomUUID } from 'node:crypto';
import type { Action, AddAction, PartitionValues, TxnAction } from './delta-actions.js';
import type { PartitionColumns } from './delta-columns.js';
import type { Row } from './delta-rows.js';
import { type DeltaField, schemaString } from './delta-schema.js';
import type { Snapshot } from './delta-snapshot.js';

export interface DeltaTableDefinition {
  /** every column, partition columns included */
  readonly fields: readonly DeltaField[];
  readonly partitionColumns: readonly string[];
  /** table properties set when the table is created */
  readonly configuration?: Readonly<Record<string, string>>;
  /**
   * data columns whose Parquet pages get no dictionary: unique or nearly unique values (ids, a
   * timestamp per order), for which parquet-rs builds a dictionary until it overflows and then
   * drops it. Writing them plain took 2.2x less time for a date of 143k facts, in a smaller file.
   */
  readonly plainColumns?: readonly string[];
}

/** a data file as its producer encoded it (Parquet bytes, the add action's stats JSON) */
export interface EncodedFile {
  readonly rows: number;
  readonly bytes: Uint8Array;
  readonly stats: string;
}

/**
 * one new file: its rows, or the same as columns (a big write, no object per row), or a file
 * its producer encodes when the writer gets to it (given the data fields), one at a time
 */
export type PartitionWrite =
  | { readonly partitionValues: PartitionValues; readonly rows: readonly Row[] }
  | { readonly partitionValues: PartitionValues; readonly columns: PartitionColumns }
  | {
      readonly partitionValues: PartitionValues;
      readonly encode: (
        dataFields: readonly DeltaField[],
        plain: readonly string[],
      ) => Promise<EncodedFile>;
    };

export interface CommitPlan {
  readonly operation: string;
  /** live files this commit replaces (dataChange: true) */
  readonly removes: readonly AddAction[];
  /** new files, one per entry (dataChange: true) */
  readonly writes: readonly PartitionWrite[];
  /** compaction in the same commit: the same rows in fewer files (dataChange: false) */
  readonly rearranged?: {
    readonly removes: readonly AddAction[];
    readonly writes: readonly PartitionWrite[];
  };
  /** partition keys (partitionKey) read or replaced: a concurrent commit touching one conflicts */
  readonly partitions: ReadonlySet<string>;
}

export type CommitOutcome =
  | { readonly kind: 'committed'; readonly version: number; readonly attempts: number }
  | { readonly kind: 'duplicate' };

export type TxnId = Omit<TxnAction, 'lastUpdated'>;

/** partition values in the table's partition column order, absent (and empty) ones null */
export const ordered = (columns: readonly string[], values: PartitionValues): PartitionValues =>
  Object.fromEntries(columns.map((c) => [c, values[c] === '' ? null : (values[c] ?? null)]));

export const partitionKey = (values: PartitionValues): string => JSON.stringify(values);

export function conflicts(
  partitionColumns: readonly string[],
  winner: readonly Action[],
  plan: CommitPlan,
): boolean {
  const removed = new Set(allRemoves(plan).map((r) => r.path));
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

export const allRemoves = (plan: CommitPlan): AddAction[] => [
  ...plan.removes,
  ...(plan.rearranged?.removes ?? []),
];

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
        isBlindAppend: allRemoves(plan).length === 0,
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
        configuration: { ...definition.configuration },
        createdTime: now,
      },
    });
  }
  if (txn) actions.push({ txn: { ...txn, lastUpdated: now } });
  const rearranged = new Set(plan.rearranged?.removes.map((r) => r.path));
  for (const { path, partitionValues, size } of allRemoves(plan)) {
    const dataChange = !rearranged.has(path);
    const remove = { path, deletionTimestamp: now, dataChange, extendedFileMetadata: true };
    actions.push({ remove: { ...remove, partitionValues, size } });
  }
  adds.forEach((add) => actions.push({ add }));
  return actions;
}
