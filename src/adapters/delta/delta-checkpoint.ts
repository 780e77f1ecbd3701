// Parquet checkpoints (PROTOCOL.md "Checkpoints", V1 spec): one row per action, one struct column
// per action type (txn, add, remove, metaData, protocol); commitInfo is never checkpointed.
import * as arrow from 'apache-arrow';
import type { Action } from './delta-actions.js';
import { readParquetBytes, toPlain, writeParquetBytes } from './delta-parquet.js';

const ACTION_COLUMNS = ['txn', 'add', 'remove', 'metaData', 'protocol'] as const;

/** Reads the actions of a checkpoint file; unknown columns (cdc, stats_parsed...) are ignored. */
export function readCheckpoint(bytes: Uint8Array): Action[] {
  const table = readParquetBytes(bytes);
  const columns = ACTION_COLUMNS.flatMap((name) => {
    const column = table.getChild(name);
    return column ? [{ name, column }] : [];
  });
  const actions: Action[] = [];
  for (let i = 0; i < table.numRows; i += 1) {
    for (const { name, column } of columns) {
      const value = column.get(i) as unknown;
      if (value !== null && value !== undefined) {
        actions.push({ [name]: dropNulls(toPlain(value)) } as unknown as Action);
      }
    }
  }
  return actions;
}

// Absent optional fields come back as null struct members; the JSON form omits them.
function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

const utf8 = () => new arrow.Utf8();
const i64 = () => new arrow.Int64();
const f = (name: string, type: arrow.DataType, nullable = true) =>
  new arrow.Field(name, type, nullable);
const stringMap = () =>
  new arrow.Map_(
    new arrow.Field(
      'key_value',
      new arrow.Struct<{ key: arrow.Utf8; value: arrow.Utf8 }>([
        new arrow.Field('key', utf8(), false),
        new arrow.Field('value', utf8(), true),
      ]),
      false,
    ),
  );

const CHECKPOINT_TYPES = {
  txn: new arrow.Struct([f('appId', utf8()), f('version', i64()), f('lastUpdated', i64())]),
  add: new arrow.Struct([
    f('path', utf8()),
    f('partitionValues', stringMap()),
    f('size', i64()),
    f('modificationTime', i64()),
    f('dataChange', new arrow.Bool()),
    f('stats', utf8()),
    f('tags', stringMap()),
  ]),
  remove: new arrow.Struct([
    f('path', utf8()),
    f('deletionTimestamp', i64()),
    f('dataChange', new arrow.Bool()),
    f('extendedFileMetadata', new arrow.Bool()),
    f('partitionValues', stringMap()),
    f('size', i64()),
  ]),
  metaData: new arrow.Struct([
    f('id', utf8()),
    f('name', utf8()),
    f('description', utf8()),
    f('format', new arrow.Struct([f('provider', utf8()), f('options', stringMap())])),
    f('schemaString', utf8()),
    f('partitionColumns', new arrow.List(f('element', utf8()))),
    f('configuration', stringMap()),
    f('createdTime', i64()),
  ]),
  protocol: new arrow.Struct([
    f('minReaderVersion', new arrow.Int32()),
    f('minWriterVersion', new arrow.Int32()),
  ]),
};

type Cell = Record<string, unknown> | null;

// Arrow builders want Map values as JS Maps and int64 values as bigint.
function toArrowCell(type: arrow.DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type instanceof arrow.Int64) return BigInt(value as number);
  if (type instanceof arrow.Map_) return new Map(Object.entries(value as Record<string, unknown>));
  if (type instanceof arrow.Struct) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      type.children.map((child) => [child.name, toArrowCell(child.type, record[child.name])]),
    );
  }
  return value;
}

/** Builds a checkpoint from reconciled actions (each action on its own row). */
export function writeCheckpoint(actions: readonly Action[]): Uint8Array {
  const columns = Object.fromEntries(
    ACTION_COLUMNS.map((name) => {
      const type = CHECKPOINT_TYPES[name];
      const cells: Cell[] = actions.map((action) =>
        name in action
          ? (toArrowCell(type, (action as Record<string, unknown>)[name]) as Cell)
          : null,
      );
      return [name, arrow.vectorFromArray(cells, type)];
    }),
  );
  return writeParquetBytes(new arrow.Table(columns));
}
