// What this writer refuses to write, with a reason a person can act on: tables of another
// shape, writer protocol features it does not implement (a writer must honour every one the
// table declares), invariants it cannot evaluate, and data-changing removes in an
// append-only table.
import type { AddAction } from './delta-actions.js';
import type { DeltaTableDefinition } from './delta-commit.js';
import { type DeltaField, parseSchemaString } from './delta-schema.js';
import type { Snapshot } from './delta-snapshot.js';

/** writer features this writer honours (appendOnly by refusing removes, invariants by refusing) */
const SUPPORTED_WRITER_FEATURES = new Set(['appendOnly', 'invariants']);
const LEGACY_FEATURES: Record<number, string> = {
  3: 'checkConstraints',
  4: 'changeDataFeed, generatedColumns',
  5: 'columnMapping',
  6: 'identityColumns',
};

const hasInvariant = (f: DeltaField): boolean =>
  'delta.invariants' in f.metadata ||
  (typeof f.type === 'object' &&
    Array.isArray(f.type.fields) &&
    (f.type.fields as DeltaField[]).some(hasInvariant));

const names = (fields: readonly { name: string }[]): string =>
  fields.map((f) => f.name.toLowerCase()).join(',');
// the same columns with the same types: decimal files in a double column would break readers
const shape = (fields: readonly DeltaField[]): string =>
  fields.map((f) => `${f.name.toLowerCase()}:${JSON.stringify(f.type)}`).join(',');

export function assertWritable(
  root: string,
  { protocol, metaData }: Snapshot,
  definition: DeltaTableDefinition,
): void {
  const { minWriterVersion } = protocol;
  const features = (protocol as { writerFeatures?: readonly string[] }).writerFeatures ?? [];
  const unknown = features.filter((f) => !SUPPORTED_WRITER_FEATURES.has(f));
  if (minWriterVersion >= 7 && unknown.length > 0) {
    throw new Error(
      `delta: ${root} needs writer features this writer lacks: ${unknown.join(', ')}`,
    );
  }
  if (minWriterVersion > 2 && minWriterVersion < 7) {
    const needs = LEGACY_FEATURES[minWriterVersion] ?? 'unknown features';
    throw new Error(`delta: ${root} needs writer version ${minWriterVersion} (${needs})`);
  }
  if (minWriterVersion > 7) {
    throw new Error(`delta: ${root} needs writer version ${minWriterVersion}`);
  }
  const existing = parseSchemaString(metaData.schemaString).fields;
  const withInvariant = existing.filter(hasInvariant).map((f) => f.name);
  if (withInvariant.length > 0) {
    throw new Error(
      `delta: ${root} has invariants on ${withInvariant.join(', ')}, which this writer cannot check`,
    );
  }
  // Delta column names are case-insensitive
  if (
    shape(existing) !== shape(definition.fields) ||
    names(metaData.partitionColumns.map((name) => ({ name }))) !==
      names(definition.partitionColumns.map((name) => ({ name })))
  ) {
    throw new Error(`delta: ${root} holds another table (columns ${shape(existing)})`);
  }
}

export function assertRemovesAllowed(
  root: string,
  { metaData }: Snapshot,
  dataChangeRemoves: readonly AddAction[],
): void {
  const appendOnly = (metaData.configuration['delta.appendOnly'] ?? '').toLowerCase() === 'true';
  if (appendOnly && dataChangeRemoves.length > 0) {
    throw new Error(
      `delta: ${root} is append-only (delta.appendOnly=true): refusing to remove ` +
        `${dataChangeRemoves.length} file(s)`,
    );
  }
}
