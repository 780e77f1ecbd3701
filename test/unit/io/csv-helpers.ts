// Helpers for the I/O tests: bytes in, decode events out.
import type { ColumnBatch, ParseFailure } from '../../../src/domain/columns.js';
import { StreamingCsvDecoder } from '../../../src/adapters/csv/streaming-csv-decoder.js';
import type {
  CsvDecodeEvent,
  CsvDecodeOptions,
  FileProblem,
} from '../../../src/ports/csv-decoder.port.js';

export const decoder = new StreamingCsvDecoder();

export async function* bytesOf(input: string | Uint8Array, chunk = 7): AsyncIterable<Uint8Array> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  // small chunks: every multi-byte character, CRLF and quote gets split across chunk borders
  for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
}

export interface Decoded {
  readonly events: CsvDecodeEvent[];
  readonly batches: ColumnBatch[];
  readonly failures: ParseFailure[];
  readonly problem: FileProblem | undefined;
}

export async function decodeAll(
  input: string | Uint8Array,
  options: CsvDecodeOptions = {},
  chunk = 7,
): Promise<Decoded> {
  const events: CsvDecodeEvent[] = [];
  for await (const e of decoder.decode(bytesOf(input, chunk), 'incoming/test.csv', options))
    events.push(e);
  const batches: ColumnBatch[] = [];
  const failures: ParseFailure[] = [];
  let problem: FileProblem | undefined;
  for (const e of events) {
    if (e.kind === 'batch') {
      batches.push(e.batch);
      failures.push(...e.parseFailures);
    } else if (e.kind === 'problem') problem = e.problem;
  }
  return { events, batches, failures, problem };
}

/** One column of all batches, as plain values (null for empty). */
export function column(batches: readonly ColumnBatch[], name: string): (string | number | null)[] {
  const out: (string | number | null)[] = [];
  for (const b of batches) {
    const c = b.columns[name];
    if (c === undefined) throw new Error(`no column ${name}`);
    for (let i = 0; i < b.length; i++) {
      out.push(
        c.type === 'string'
          ? (c.values[i] ?? null)
          : c.valid[i] === 1
            ? (c.values[i] ?? null)
            : null,
      );
    }
  }
  return out;
}

export const lines = (batches: readonly ColumnBatch[]): number[] =>
  batches.flatMap((b) => [...b.lines]);

export const PRODUCTS_HEADER = 'id,sku,cost,category,name,brand,retail_price,department';
export const ORDERS_HEADER =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
export const ITEMS_HEADER =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
