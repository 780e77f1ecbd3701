// gzip for the objects the embedded bucket keeps only for the record (raw files in archive/,
// group manifests): the body is compressed as it comes and read back chunk by chunk.
// Level 1: on the benchmark's 92 MB order_items CSV it gives 26.3 MB in 0.7 s of CPU, where
// level 6 gives 22.8 MB in 2.2 s.
import { Readable, type Transform, pipeline } from 'node:stream';
import {
  constants,
  crc32,
  createGunzip,
  deflateRaw,
  deflateRawSync,
  type ZlibOptions,
} from 'node:zlib';
import type { ObjectBody } from '../../ports/object-store.port.js';
import { utf8Parts } from '../../domain/text-slices.js';

const GZIP_LEVEL = 1;
// gunzip works on the threadpool one output chunk at a time, and each chunk is one consumer
// step: 256 KB chunks (not the default 16 KB) make ~16x fewer round trips (the 92 MB CSV
// gunzip'd in ~0.9 s of wall instead of ~1.4 s, busy machine)
const CHUNK_SIZE = 256 * 1024;
/** a pipeline's output as chunks; an error anywhere in it ends the iteration with that error */
const through = (source: AsyncIterable<Uint8Array>, zlib: Transform): AsyncIterable<Uint8Array> =>
  pipeline(Readable.from(source, { objectMode: false }), zlib, () => undefined);

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** text encoded a slice at a time (a 75 MB manifest is never copied whole into bytes) */
async function* encodedSlices(text: string): AsyncIterable<Uint8Array> {
  yield* utf8Parts([text]);
}

/**
 * Compressing is cut into parts deflated on the threadpool at the same time (as pigz does), not
 * one zlib stream: one stream is one thread, and the main thread sat idle waiting on it (1M-item
 * ingest: ~1 s while the 72 MB manifest was written, ~0.6 s in Archive). Each part but the last
 * ends with a sync flush (a byte-aligned, non-final block), so the parts joined are one deflate
 * stream; one gzip header and one trailer (CRC-32 and size of the whole body) around it make an
 * ordinary single-member gzip file, whose trailer still gives the object's size.
 */
const PART_BYTES = 1 << 20;
/** parts in flight: the threadpool has 4 threads by default */
const PARTS_AT_ONCE = 4;
/** a part's deflated size at most (level 1 on text: ~30-45%; a larger output still works) */
const DEFLATE_CHUNK = PART_BYTES;
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3); // deflate, fastest, unix

/**
 * Huffman coding alone (zlib's Z_HUFFMAN_ONLY), no string matching: for bodies whose bytes
 * rarely repeat, mostly base64 of hashes (a group manifest: the 1M-item one, 42.8 MB, gives
 * 23.8 MB in ~0.35 s of CPU where level 1's matching gives 22.2 MB in ~0.75 s). Still one
 * ordinary deflate stream: any gunzip reads it, as fast.
 */
export interface GzipOptions {
  readonly huffmanOnly?: boolean;
}

/** a part's deflate options: every part but the last ends byte-aligned, not final */
const partOptions = (last: boolean, { huffmanOnly = false }: GzipOptions = {}): ZlibOptions => ({
  level: GZIP_LEVEL,
  ...(huffmanOnly ? { strategy: constants.Z_HUFFMAN_ONLY } : {}),
  // the whole part's output in one buffer: zlib's 16 KB default made ~20 round trips per
  // part through the main thread (its callback, a copy, the next write)
  chunkSize: DEFLATE_CHUNK,
  finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
});

/** the member's trailer: the CRC-32 and the size (mod 2^32) of the whole body */
const trailerOf = (crc: number, total: number): Buffer => {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(total % 2 ** 32, 4);
  return trailer;
};

const deflated = (part: Uint8Array, options: ZlibOptions): Promise<Uint8Array> =>
  new Promise((resolve, reject) =>
    deflateRaw(part, options, (error, out) => (error ? reject(error) : resolve(out))),
  );

/** the body's bytes in parts of `partBytes` (the last one possibly shorter, or empty) */
async function* partsOf(
  source: AsyncIterable<Uint8Array>,
  partBytes: number,
): AsyncIterable<Uint8Array> {
  let held: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length;) {
      const take = Math.min(partBytes - size, chunk.length - at);
      held.push(chunk.subarray(at, at + take));
      size += take;
      at += take;
      if (size === partBytes) {
        yield held.length === 1 ? (held[0] as Uint8Array) : Buffer.concat(held);
        held = [];
        size = 0;
      }
    }
  }
  yield Buffer.concat(held);
}

/** a body gzip'd (one member), compressed a part at a time on several threads */
export async function* parallelGzip(
  source: AsyncIterable<Uint8Array>,
  { partBytes = PART_BYTES, partsAtOnce = PARTS_AT_ONCE, huffmanOnly = false } = {},
): AsyncIterable<Uint8Array> {
  yield GZIP_HEADER;
  const inFlight: Promise<Uint8Array>[] = [];
  let crc = 0;
  let total = 0;
  let previous: Uint8Array | undefined;
  // a part is deflated once the next is known to exist: only the last ends the stream
  const send = (part: Uint8Array, last: boolean): void => {
    const out = deflated(part, partOptions(last, { huffmanOnly }));
    out.catch(() => undefined); // awaited in order below; not an unhandled rejection meanwhile
    inFlight.push(out);
  };
  for await (const part of partsOf(source, partBytes)) {
    crc = crc32(part, crc);
    total += part.length;
    if (previous !== undefined) send(previous, false);
    previous = part;
    while (inFlight.length >= partsAtOnce) yield await (inFlight.shift() as Promise<Uint8Array>);
  }
  send(previous ?? new Uint8Array(0), true);
  while (inFlight.length > 0) yield await (inFlight.shift() as Promise<Uint8Array>);
  yield trailerOf(crc, total);
}

/**
 * The same member as parallelGzip, made on the calling thread a part after the other (for a
 * worker thread whose priority is lowered: the threadpool's deflates would run at the normal
 * one). `read` fills the buffer from the body's next bytes and says how many (0 at its end).
 */
export function serialGzip(
  read: (into: Buffer) => number,
  write: (bytes: Uint8Array) => void,
  { partBytes = PART_BYTES } = {},
): void {
  write(GZIP_HEADER);
  let crc = 0;
  let total = 0;
  let previous: Buffer | undefined;
  // two part buffers in turn (one read into while the other waits to be deflated): a fresh one
  // per part was ~45 MB of the worker's RSS before the collector caught up
  const buffers = [Buffer.allocUnsafe(partBytes), Buffer.allocUnsafe(partBytes)];
  for (let turn = 0; ; turn ^= 1) {
    const part = buffers[turn] as Buffer;
    let size = 0;
    while (size < partBytes) {
      const n = read(part.subarray(size));
      if (n === 0) break;
      size += n;
    }
    const body = part.subarray(0, size);
    crc = crc32(body, crc);
    total += size;
    if (previous !== undefined) write(deflateRawSync(previous, partOptions(false)));
    previous = body;
    // a short part is the last one (an exact multiple of partBytes ends with an empty part, as
    // partsOf's does)
    if (size < partBytes) break;
  }
  write(deflateRawSync(previous, partOptions(true)));
  write(trailerOf(crc, total));
}

export const gzipChunks = (
  body: ObjectBody,
  { huffmanOnly = false }: GzipOptions = {},
): AsyncIterable<Uint8Array> => {
  const source =
    typeof body === 'string'
      ? encodedSlices(body)
      : body instanceof Uint8Array
        ? single(body)
        : body;
  return parallelGzip(source, { huffmanOnly });
};

const isGzip = (chunk: Uint8Array | undefined): boolean =>
  chunk !== undefined && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;

/**
 * the stored chunks gunzip'd; an object written plain (before its prefix was gzip'd, in an
 * older home) is given back as it is: no text file starts with the gzip magic (0x8b is never
 * the second byte of UTF-8 text)
 */
export async function* gunzipChunks(stored: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const chunks = stored[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done === true) return;
  async function* all(): AsyncIterable<Uint8Array> {
    yield first.value;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next())
      yield next.value;
  }
  try {
    if (isGzip(first.value)) yield* through(all(), createGunzip({ chunkSize: CHUNK_SIZE }));
    else yield* all();
  } finally {
    // a reader that stops early (the manifest's head only) closes the stored file too
    await chunks.return?.();
  }
}

/** whether a file's first bytes are the gzip magic */
export const startsWithGzip = isGzip;
