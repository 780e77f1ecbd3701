// The bytes of a landing's stored answer in ri_landings (kept only for a crash re-run). Brotli
// at quality 4 rather than gzip level 1: the 75 MB of packed JSON of a 1M-item landing is 25.9 MB
// instead of 35.0 MB, for ~0.8 s more CPU (measured on that record; decoding is as fast).
// Records stored before are still read: gzip'd packed JSON, or plain text.
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';

// lgwin 22 (the default, set so it cannot drift): a brotli stream then starts with a byte whose
// low nibble is 0xb, never gzip's 0x1f, so the two are told apart by their first bytes
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 22 },
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
