// gzip for the objects the embedded bucket keeps only for the record (raw files in archive/,
// group manifests): node:zlib streams, so an object is compressed and read back chunk by chunk.
// Level 1: on the benchmark's 92 MB order_items CSV it gives 26.3 MB in 0.7 s of CPU, where
// level 6 gives 22.8 MB in 2.2 s.
import { Readable, type Transform, pipeline } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { ObjectBody } from '../../ports/object-store.port.js';
import { utf8Parts } from '../../domain/text-slices.js';

const GZIP_LEVEL = 1;
// zlib works on the threadpool one output chunk at a time, and each compressed chunk is one file
// write: 256 KB chunks (not the default 16 KB) make ~16x fewer round trips; on the 92 MB CSV
// gzip took ~1.0 s of wall instead of ~1.4 s, and gunzip ~0.9 s instead of ~1.4 s, busy machine
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

export const gzipChunks = (body: ObjectBody): AsyncIterable<Uint8Array> => {
  const source =
    typeof body === 'string'
      ? encodedSlices(body)
      : body instanceof Uint8Array
        ? single(body)
        : body;
  return through(source, createGzip({ level: GZIP_LEVEL, chunkSize: CHUNK_SIZE }));
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
