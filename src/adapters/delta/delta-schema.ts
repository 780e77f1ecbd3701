// The Spark schema string of metaData (PROTOCOL.md "Schema Serialization Format") and the
// string form of partition values ("Partition Value Serialization").

export interface DeltaField {
  readonly name: string;
  /** primitive type name ('string', 'long', 'date', 'decimal(12,2)'...) or a nested type object */
  readonly type: string | Readonly<Record<string, unknown>>;
  readonly nullable: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface DeltaSchema {
  readonly type: 'struct';
  readonly fields: readonly DeltaField[];
}

export function parseSchemaString(schemaString: string): DeltaSchema {
  const parsed = JSON.parse(schemaString) as Partial<DeltaSchema>;
  if (parsed.type !== 'struct' || !Array.isArray(parsed.fields)) {
    throw new Error(`delta: schemaString is not a struct type: ${schemaString.slice(0, 80)}`);
  }
  return { type: 'struct', fields: parsed.fields };
}

export const schemaString = (fields: readonly DeltaField[]): string =>
  JSON.stringify({ type: 'struct', fields });

export const field = (name: string, type: string, nullable = true): DeltaField => ({
  name,
  type,
  nullable,
  metadata: {},
});

import { decimalType, unscaledOf } from './delta-decimal.js';

const NUMERIC = new Set(['byte', 'short', 'integer', 'long', 'float', 'double']);

/** Partition values are strings in the log; null, and an empty string of any type, are null. */
export function parsePartitionValue(type: DeltaField['type'], raw: string | null): unknown {
  if (raw === null || raw === '') return null;
  if (typeof type !== 'string') throw new Error('delta: nested partition column type');
  const decimal = decimalType(type);
  if (decimal) return unscaledOf(raw, decimal.scale);
  if (NUMERIC.has(type)) return Number(raw);
  if (type === 'boolean') return raw === 'true';
  if (type === 'date') return raw;
  if (type === 'timestamp' || type === 'timestamp_ntz') {
    // Spark writes 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC); some writers ISO-8601 with a zone.
    const iso = raw.includes('T') ? raw : raw.replace(' ', 'T');
    return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  }
  return raw;
}

export function serializePartitionValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}
