// A landing's stored answer (kept only for a crash re-run): the JSON of its completion columns,
// brotli'd at quality 1. On the 21.6 MB columns JSON of a 300k-item landing, quality 4 took
// 0.64 s of CPU for 7.1 MB, quality 2 0.20 s for 7.7 MB, gzip -1 0.29 s for 9.6 MB; on the 72 MB
// JSON of the 1M-item landing, quality 2 1.25-1.34 s for 25.5 MB, quality 1 1.05-1.11 s for
// 26.5 MB, quality 0 0.91 s for 30.9 MB; decoding costs the same whichever.
// The JSON is compressed in parts of 4M characters, each its own brotli stream and its own row of
// ri_landing_parts (ri_landings then holds an empty value): the whole text was copied into one
// buffer and compressed into a growing one, ~1.6x the text's size on top of it at the end of the
// biggest register (a 3M-item landing: 216 MB of JSON). Records stored before are still read:
// one value brotli'd, gzip'd or plain text, of the packed form or of a plain array of orders.
import { isLeft } from 'fp-ts/lib/Either.js';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import {
  completionColumnsJsonParts,
  completionColumnsOf,
  decodeCompletionColumns,
  type CompletionColumns,
} from '../../domain/completion-columns.js';
import type { OrderCompletion } from '../../domain/order-completion.types.js';
import { PackedCompletionsC, unpackCompletions } from '../../domain/packed-completions.codec.js';
import { textSlicesOfParts } from '../../domain/text-slices.js';

// lgwin 22 (the default, set so it cannot drift): a brotli stream then starts with a byte whose
// low nibble is 0xb, never gzip's 0x1f, so the two are told apart by their first bytes
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 22 },
};

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** the stored form of a landing's JSON answer */
export const landingRecord = (json: string): Buffer =>
  brotliCompressSync(Buffer.from(json, 'utf8'), {
    ...BROTLI,
    params: { ...BROTLI.params, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(json) },
  });

/** the JSON text of a stored answer, whichever form it was stored in */
export const landingText = (stored: string | Buffer): string => {
  if (typeof stored === 'string') return stored;
  return (isGzip(stored) ? gunzipSync(stored) : brotliDecompressSync(stored)).toString('utf8');
};

/** characters of JSON a part holds: 4M, ~1.3 MB once compressed */
const PART_UNITS = 1 << 22;

/** the stored parts of a landing's answer, in order, made one at a time */
export function* completionsRecordParts(
  c: CompletionColumns,
  units = PART_UNITS,
): Generator<Buffer> {
  // the same slices as of the whole text, which is never made (~200 MB at 3M items)
  for (const slice of textSlicesOfParts(completionColumnsJsonParts(c), units))
    yield landingRecord(slice);
}

/** what ri_landings holds for an answer stored in parts */
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
