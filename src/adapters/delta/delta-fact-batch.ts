// What the order_facts merge (delta-analytics-plans.ts) reads of a group's new facts. Two forms:
// the fact columns themselves (the inline commit), and their UTF-8 bytes in the commit worker
// (delta-fact-bytes.ts), which encodes a date of new facts straight from the bytes and decodes
// strings only where the merge needs them (ids to look up in live files, rows appended to rows
// kept from a rewritten file).
import type { FactColumns } from '../../domain/kpi/fact-columns.js';
import { FACT_COLUMNS, factSources } from './delta-analytics-rows.js';
import type { EncodedFile } from './delta-commit.js';
import { type PartitionColumns, columnsView } from './delta-columns.js';
import type { DeltaField } from './delta-schema.js';

/** a date's file: its columns, or a file encoded when the writer gets to it */
export type FactFile =
  | { readonly columns: PartitionColumns }
  | {
      readonly encode: (
        dataFields: readonly DeltaField[],
        plain: readonly string[],
      ) => Promise<EncodedFile>;
    };

export interface FactBatch {
  readonly length: number;
  /** orders.created_at of each fact, UTC epoch ms (the partition) */
  readonly orderCreatedAt: Float64Array;
  /** the orders whose facts are replaced as a whole */
  orderIds(): readonly string[];
  /** the values of FACT_COLUMNS, in that order (factSources' form) */
  sources(): readonly ArrayLike<unknown>[];
  /** the file of a date that only has new facts: the rows `rows` */
  newDate(rows: readonly number[]): FactFile;
}

export const factColumnsBatch = (orderIds: readonly string[], facts: FactColumns): FactBatch => ({
  length: facts.length,
  orderCreatedAt: facts.orderCreatedAt,
  orderIds: () => orderIds,
  sources: () => factSources(facts),
  // a view: the date's columns are copied out when the file is written, not held for all dates
  newDate: (rows) => ({ columns: columnsView(FACT_COLUMNS, factSources(facts), rows) }),
});
