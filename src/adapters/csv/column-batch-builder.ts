// Builds typed columns straight from CSV records: no row objects, one preallocated array per column.
import type { Column, ColumnBatch, ParseFailure } from '../../domain/columns.js';
import { SCHEMAS, type ColumnType, type DatasetName } from '../../domain/datasets.js';
import {
  parseIntegerAt,
  parseMoneyAt,
  parseTimestampInto,
  type Parsed,
} from '../../domain/values.js';

type ParseAt = (s: string, from: number, to: number) => Parsed;
// timestamps are written into their column by parseTimestampInto (no heap number per cell)
const PARSERS: Record<Exclude<ColumnType, 'string' | 'timestamp'>, ParseAt> = {
  int: parseIntegerAt,
  money: parseMoneyAt,
};

// Status values are stored lower case (the spec's domain rules are case-insensitive).
const LOWER_CASE = new Set(['orders.status', 'order_items.status']);

interface Slot {
  readonly name: string;
  readonly type: ColumnType;
  readonly index: number;
  /** raw status -> its lower-case form, one string per distinct value (see push) */
  readonly lower: Map<string, string> | undefined;
  strings: (string | null)[];
  numbers: Float64Array;
  valid: Uint8Array;
}

export class ColumnBatchBuilder {
  private readonly slots: Slot[];
  private lines: Uint32Array;
  private failures: ParseFailure[] = [];
  length = 0;

  constructor(
    private readonly dataset: DatasetName,
    indexes: readonly number[],
    private readonly capacity: number,
  ) {
    this.slots = SCHEMAS[dataset].columns.map((c, k) => ({
      name: c.name,
      type: c.type,
      index: indexes[k] ?? -1,
      lower: LOWER_CASE.has(`${dataset}.${c.name}`) ? new Map<string, string>() : undefined,
      strings: [],
      numbers: new Float64Array(0),
      valid: new Uint8Array(0),
    }));
    this.lines = new Uint32Array(0);
    this.reset();
  }

  private reset(): void {
    for (const s of this.slots) {
      if (s.type === 'string') s.strings = new Array<string | null>(this.capacity);
      else {
        s.numbers = new Float64Array(this.capacity);
        s.valid = new Uint8Array(this.capacity);
      }
    }
    this.lines = new Uint32Array(this.capacity);
    this.failures = [];
    this.length = 0;
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  push(record: readonly string[], line: number): void {
    const row = this.length;
    this.lines[row] = line;
    for (const s of this.slots) {
      const raw = record[s.index];
      if (s.type === 'string') {
        s.strings[row] =
          raw === undefined || raw === '' ? null : s.lower ? this.lowered(s.lower, raw) : raw;
        continue;
      }
      if (raw === undefined || raw === '') continue; // typed arrays start at 0 = null
      this.typed(s, row, line, raw, 0, raw.length);
    }
    this.length = row + 1;
  }

  /** push for a record given as spans of `text` (CsvTokenizer's OnSpans): only string cells
   *  are cut out of the text; number cells are parsed where they lie */
  pushSpans(text: string, starts: Int32Array, ends: Int32Array, count: number, line: number): void {
    const row = this.length;
    this.lines[row] = line;
    for (const s of this.slots) {
      const k = s.index;
      const from = k >= 0 && k < count ? (starts[k] as number) : 0;
      const to = k >= 0 && k < count ? (ends[k] as number) : 0;
      if (s.type === 'string') {
        const raw = from === to ? null : text.slice(from, to);
        s.strings[row] = raw === null ? null : s.lower ? this.lowered(s.lower, raw) : raw;
      } else if (from !== to) {
        this.typed(s, row, line, text, from, to);
      }
    }
    this.length = row + 1;
  }

  private typed(s: Slot, row: number, line: number, text: string, from: number, to: number): void {
    let problem: string | undefined;
    if (s.type === 'timestamp') problem = parseTimestampInto(text, from, to, s.numbers, row);
    else {
      const v = PARSERS[s.type as Exclude<ColumnType, 'string' | 'timestamp'>](text, from, to);
      if (typeof v === 'number') s.numbers[row] = v;
      else problem = v;
    }
    if (problem === undefined) {
      s.valid[row] = 1;
      return;
    }
    const raw = text.slice(from, to);
    this.failures.push({
      row,
      line,
      column: s.name,
      raw,
      message: `${s.name}: "${clip(raw)}" ${problem}`,
    });
  }

  // A status column holds a handful of values: every row shares one lower-case string per value
  // instead of keeping its own copy alive until the batch is staged (1M rows: 1M fewer strings
  // for the garbage collector to move). A file of many distinct values stops being cached.
  private lowered(cache: Map<string, string>, raw: string): string {
    const known = cache.get(raw);
    if (known !== undefined) return known;
    const lower = raw.toLowerCase();
    if (cache.size < 256) cache.set(raw, lower);
    return lower;
  }

  flush(): { batch: ColumnBatch; parseFailures: ParseFailure[] } {
    const n = this.length;
    const columns: Record<string, Column> = {};
    for (const s of this.slots) {
      if (s.type === 'string') {
        s.strings.length = n;
        columns[s.name] = { type: 'string', values: s.strings };
      } else {
        columns[s.name] = {
          type: s.type,
          values: s.numbers.subarray(0, n),
          valid: s.valid.subarray(0, n),
        };
      }
    }
    const out = {
      batch: { dataset: this.dataset, length: n, columns, lines: this.lines.subarray(0, n) },
      parseFailures: this.failures,
    };
    this.reset();
    return out;
  }
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
