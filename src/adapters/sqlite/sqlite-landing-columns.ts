// A landing's answer as the stored record's segments: the columns' own bytes, not their JSON.
// The JSON of a 1M-item answer (73 MB) cost ~0.65 s of CPU to make and ~0.45 s to brotli, and it
// was made a second time for the group manifest; the typed columns (file index and the hash's two
// words per location) are copied as they are (~20 ms for 1M items, 19 MB once brotli'd, where the
// JSON was 26.6 MB). Text columns (order ids, fingerprints) stay JSON, in slices of 65,536 entries.
// Segment order (nothing else is stored; the counts in the header give every segment's length):
//   header JSON {files, counts, odd hashes}; orderIds; fingerprints (JSON slices);
//   createdAt (float64, NaN for null); items and products per order (uint32 counts); then
//   file, hi, lo (uint32) of orders, items, products. Numbers little-endian, in slices of 1M.
import type { CompletionColumns } from '../../domain/completion-columns.js';
import type { LocationColumns } from '../../domain/location-columns.js';

const STRINGS_PER_SEGMENT = 65_536;
const NUMBERS_PER_SEGMENT = 1 << 20;

// typed arrays are copied as their memory; on a big-endian host each segment is swapped
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

type Numbers = Uint32Array | Float64Array;

function* numberSegments(a: Numbers): Generator<Uint8Array> {
  for (let start = 0; start < a.length; start += NUMBERS_PER_SEGMENT) {
    const part = a.subarray(start, start + NUMBERS_PER_SEGMENT);
    const bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    yield LITTLE_ENDIAN ? bytes : swapped(part);
  }
}

/** the little-endian bytes of `a` (only used on a big-endian host) */
const swapped = (a: Numbers): Uint8Array => {
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++)
    if (a instanceof Float64Array) view.setFloat64(i * 8, a[i] as number, true);
    else view.setUint32(i * 4, a[i] as number, true);
  return out;
};

function* stringSegments(a: readonly string[]): Generator<Uint8Array> {
  for (let start = 0; start < a.length; start += STRINGS_PER_SEGMENT)
    yield Buffer.from(JSON.stringify(a.slice(start, start + STRINGS_PER_SEGMENT)), 'utf8');
}

const LOCATIONS = ['orders', 'items', 'products'] as const;

/**
 * an order's items (products) as a count, not as the offset: a few small numbers compress to
 * almost nothing, where the offsets did not (1M items: 1.13 MB each once brotli'd)
 */
const counts = (starts: readonly number[]): Uint32Array =>
  Uint32Array.from(
    { length: starts.length - 1 },
    (_, i) => (starts[i + 1] as number) - (starts[i] as number),
  );

/** offsets from counts, 0 first */
const startsOf = (n: Uint32Array): number[] => {
  const out = new Array<number>(n.length + 1);
  out[0] = 0;
  for (let i = 0; i < n.length; i++) out[i + 1] = (out[i] as number) + (n[i] as number);
  return out;
};

/** the record's segments, in order, made one at a time */
export function* completionSegments(c: CompletionColumns): Generator<Uint8Array> {
  const header = {
    files: c.files,
    counts: LOCATIONS.map((name) => c[name].file.length),
    odd: LOCATIONS.map((name) => [...c[name].odd]),
  };
  yield Buffer.from(JSON.stringify(header), 'utf8');
  yield* stringSegments(c.orderIds);
  yield* stringSegments(c.fingerprints);
  yield* numberSegments(Float64Array.from(c.createdAt, (x) => x ?? Number.NaN));
  yield* numberSegments(counts(c.itemStart));
  yield* numberSegments(counts(c.productStart));
  for (const name of LOCATIONS) {
    const l = c[name];
    for (const column of [l.file, l.hi, l.lo]) yield* numberSegments(column);
  }
}

interface Header {
  files: [string, string][];
  counts: number[];
  odd: [number, string][][];
}

/** why `starts` (made from counts: they never decrease) do not end at `total`, or null */
const startsProblem = (starts: readonly number[], total: number): string | null =>
  starts[starts.length - 1] === total ? null : 'counts do not add up to the locations';

/** completionSegments read back, segment by segment (an Error when they do not fit) */
export const completionsOfSegments = (segments: Iterable<Uint8Array>): CompletionColumns => {
  const it = segments[Symbol.iterator]();
  const next = (): Uint8Array => {
    const r = it.next();
    if (r.done === true) throw new Error('ri_landing_parts: the record ends early');
    return r.value;
  };
  const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString();
  const header = JSON.parse(text(next())) as Header;
  const n = header.counts[0] ?? 0;
  const strings = (): string[] => {
    const out: string[] = [];
    while (out.length < n) for (const s of JSON.parse(text(next())) as string[]) out.push(s);
    return out;
  };
  const numbers = <T extends Numbers>(make: (length: number) => T, length: number): T => {
    const out = make(length);
    const bytes = new Uint8Array(out.buffer);
    for (let at = 0; at < out.byteLength;) {
      const segment = next();
      if (at + segment.length > bytes.length) throw new Error('ri_landing_parts: a long segment');
      bytes.set(segment, at);
      at += segment.length;
    }
    if (!LITTLE_ENDIAN) {
      const view = new DataView(out.buffer);
      for (let i = 0; i < length; i++)
        out[i] =
          out instanceof Float64Array ? view.getFloat64(i * 8, true) : view.getUint32(i * 4, true);
    }
    return out;
  };
  const orderIds = strings();
  const fingerprints = strings();
  const createdAt = Array.from(
    numbers((k) => new Float64Array(k), n),
    (x) => (Number.isNaN(x) ? null : x),
  );
  const itemStart = startsOf(numbers((k) => new Uint32Array(k), n));
  const productStart = startsOf(numbers((k) => new Uint32Array(k), n));
  const located = LOCATIONS.map((_, i): LocationColumns => {
    const count = header.counts[i] ?? 0;
    const u32 = (): Uint32Array => numbers((k) => new Uint32Array(k), count);
    return { file: u32(), hi: u32(), lo: u32(), odd: new Map(header.odd[i]) };
  });
  if (it.next().done !== true) throw new Error('ri_landing_parts: the record is longer');
  const [orders, items, products] = located as [LocationColumns, LocationColumns, LocationColumns];
  const problem =
    startsProblem(itemStart, items.file.length) ??
    startsProblem(productStart, products.file.length) ??
    (located.every((l) => l.file.every((f) => f < header.files.length))
      ? null
      : 'a location names no listed file');
  if (problem !== null) throw new Error(`ri_landing_parts: ${problem}`);
  return {
    files: header.files,
    orderIds,
    fingerprints,
    createdAt,
    orders,
    itemStart,
    items,
    productStart,
    products,
  };
};
