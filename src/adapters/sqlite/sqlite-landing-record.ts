// A landing's stored answer (kept only for a crash re-run: the same landing registered again gets
// its first answer, so it forms the same group). Written as the columns' own bytes
// (sqlite-landing-columns.ts), each segment brotli'd at quality 1 as one row of ri_landing_parts,
// ri_landings holding COLUMNS. Before, the record was the columns' JSON, which cost as much to
// make as the group manifest's (made from the same columns right after): 1M items, ~1.1 s of CPU
// for the JSON record, ~0.1 s for the bytes. Records stored before are still read: the JSON in
// slices of 4M characters, each its own brotli stream and row (ri_landings holding an empty
// value); or one value brotli'd, gzip'd or plain text, of the column form, the packed form or a
// plain array of orders. Brotli at quality 1 (on the 72 MB JSON of the 1M-item landing: quality
// 2 1.25-1.34 s for 25.5 MB, 1 1.05-1.11 s for 26.5 MB, 0 0.91 s for 30.9 MB).
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  brotliCompress,
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  gunzipSync,
} from 'node:zlib';
import {
  completionColumnsJson,
  completionColumnsOf,
  decodeCompletionColumns,
  type CompletionColumns,
} from '../../domain/completion-columns.js';
import type { OrderCompletion } from '../../domain/order-completion.types.js';
import { PackedCompletionsC, unpackCompletions } from '../../domain/packed-completions.codec.js';
import { textSlicesOfParts } from '../../domain/text-slices.js';
import { completionSegments, completionsOfSegments } from './sqlite-landing-columns.js';

// lgwin 22 (the default, set so it cannot drift): a brotli stream then starts with a byte whose
// low nibble is 0xb, never gzip's 0x1f, so the two are told apart by their first bytes
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 22 },
};

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

const brotliOf = (bytes: Uint8Array) => ({
  ...BROTLI,
  params: { ...BROTLI.params, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength },
});

/** the stored form of one segment (or of a landing's JSON answer, as written before) */
export const landingRecord = (data: string | Uint8Array): Buffer => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return brotliCompressSync(bytes, brotliOf(bytes));
};

/** landingRecord of a segment, compressed on libuv's thread pool */
const landingRecordAsync = (bytes: Uint8Array): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    brotliCompress(bytes, brotliOf(bytes), (error, out) =>
      error === null ? resolve(out) : reject(error),
    ),
  );

/** the JSON text of a stored answer, whichever form it was stored in */
export const landingText = (stored: string | Buffer): string => {
  if (typeof stored === 'string') return stored;
  return (isGzip(stored) ? gunzipSync(stored) : brotliDecompressSync(stored)).toString('utf8');
};

/** characters of JSON a part holds: 4M, ~1.3 MB once compressed */
const PART_UNITS = 1 << 22;

/** what ri_landings holds for an answer stored as its columns' segments */
export const COLUMNS = Buffer.from('columns/1', 'latin1');

/** the stored parts of a landing's answer (ri_landings: COLUMNS), in order, made one at a time */
export function* completionsRecordParts(c: CompletionColumns): Generator<Buffer> {
  for (const segment of completionSegments(c)) yield landingRecord(segment);
}

/**
 * completionsRecordParts, the same bytes, compressed on libuv's thread pool while the caller's
 * thread goes on (the worker's register runs its per-order UPDATEs meanwhile: 1M items, ~0.4 s
 * of brotli taken off the register's tail). The columns must not change until it settles.
 */
export const completionsRecordPartsAsync = (c: CompletionColumns): Promise<Buffer[]> =>
  Promise.all(Array.from(completionSegments(c), landingRecordAsync));

/**
 * the parts of the JSON form written before (ri_landings: IN_PARTS), in order: still read, and
 * written by tests only
 */
export function* jsonRecordParts(c: CompletionColumns, units = PART_UNITS): Generator<Buffer> {
  for (const slice of textSlicesOfParts([completionColumnsJson(c)], units))
    yield landingRecord(slice);
}

/** what ri_landings holds for an answer stored as JSON in parts (written before COLUMNS) */
export const IN_PARTS = Buffer.alloc(0);

const inParts = (stored: string | Buffer): boolean =>
  Buffer.isBuffer(stored) && stored.length === 0;

/**
 * a stored answer as columns, whichever form it was stored in; `parts` reads the parts of one
 * stored in parts (in order)
 */
export const storedCompletions = (
  stored: string | Buffer,
  parts: () => Iterable<Buffer>,
): CompletionColumns => {
  if (Buffer.isBuffer(stored) && stored.equals(COLUMNS))
    return completionsOfSegments(
      (function* () {
        for (const p of parts()) yield brotliDecompressSync(p);
      })(),
    );
  const text = inParts(stored)
    ? Array.from(parts(), (p) => landingText(p)).join('')
    : landingText(stored);
  const json: unknown = JSON.parse(text);
  if (Array.isArray(json)) return completionColumnsOf(json as OrderCompletion[]);
  if (typeof json === 'object' && json !== null && 'orderIds' in json) {
    const columns = decodeCompletionColumns(json);
    if (columns instanceof Error) throw new Error(`ri_landings: ${columns.message}`);
    return columns;
  }
  // the packed form wrote a NaN created_at as JSON null, which its codec then refused
  const orders = (json as { orders?: unknown } | null)?.orders;
  if (Array.isArray(orders))
    for (const o of orders) if (Array.isArray(o) && o[2] === null) o[2] = NaN;
  const packed = PackedCompletionsC.decode(json);
  if (isLeft(packed)) throw new Error('ri_landings holds an unreadable completions record');
  return completionColumnsOf(unpackCompletions(packed.right));
};
