// Bytes to text for the CSV parser: strict UTF-8 (a fatal streaming TextDecoder, which also drops
// a leading BOM) and no NUL byte. A file failing either is not CSV text; the line is reported.
//
// ASCII bytes (nearly every shop export) take a faster road with the same text: Node's streaming
// TextDecoder goes through ICU (0.65 s of CPU for the 92 MB order_items file), and each 256 KB
// chunk became one string in V8's large-object space, whose fresh pages cost ~4 ms a MB to touch
// on this machine. An ASCII chunk (buffer.isAscii) is copied into a reused 64 KB buffer and cut
// after its last LF into latin1 strings (the same characters), small enough for the young
// generation, and ending on a line so the tokenizer rarely joins a record's rest to the next text.
// At the first chunk that is not ASCII the rest of the file goes the TextDecoder way (from the
// start when it is the first chunk, so a BOM is still dropped), after the text held back so far.
// Before any problem is reported, all text of the bytes before it has been handed out, as the
// TextDecoder did, so a syntax error earlier in the file is still the one reported.
import { isAscii } from 'node:buffer';
import type { FileProblem } from '../../ports/csv-decoder.port.js';

export interface TextSource {
  /** set when the bytes stopped being text; the text generator then ends early */
  problem: FileProblem | undefined;
  chunks: AsyncGenerator<string>;
}

const LF = 10;
/** the ASCII road's text pieces at most (under V8's 128 KB large-object limit) */
export const PIECE_BYTES = 64 * 1024;

/** LF bytes in bytes[0, end): four at a time (one indexOf call per line cost ~0.1 s at 1M rows) */
export function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  let i = 0;
  const head = Math.min(end, (4 - (bytes.byteOffset & 3)) & 3);
  for (; i < head; i++) if (bytes[i] === LF) n++;
  const words = (end - i) >> 2;
  if (words > 0) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      // a byte equal to LF becomes 0; exact zero-byte count per word (no false positives)
      const y = (w[k] as number) ^ 0x0a0a0a0a;
      const t = ~(((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y | 0x7f7f7f7f);
      if (t !== 0) n += popcount(t);
    }
    i += words << 2;
  }
  for (; i < end; i++) if (bytes[i] === LF) n++;
  return n;
}

const popcount = (x: number): number => {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
};

/** Offset of the first byte that starts an invalid UTF-8 sequence (bytes.length if none). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const len =
      b < 0x80
        ? 1
        : b >= 0xc2 && b < 0xe0
          ? 2
          : b >= 0xe0 && b < 0xf0
            ? 3
            : b >= 0xf0 && b < 0xf5
              ? 4
              : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined) return bytes.length; // cut at the chunk end: judged with the next chunk
      if ((c & 0xc0) !== 0x80) return i;
    }
    i += len;
  }
  return bytes.length;
}

export function textOf(file: string, source: AsyncIterable<Uint8Array>, fatal = true): TextSource {
  const out: TextSource = {
    problem: undefined,
    chunks: undefined as unknown as AsyncGenerator<string>,
  };
  const notText = (line: number, what: string): FileProblem => ({
    _tag: 'NotText',
    line,
    message: `${file}, line ${line}: ${what}, so this is not CSV text; export the file as UTF-8 text (CSV) and land it again.`,
  });
  out.chunks = (async function* () {
    const chunks = source[Symbol.asyncIterator]();
    // 1 + the LFs of the bytes before the chunk at hand
    let lines = 1;
    let read = 0;
    let next = await chunks.next();
    if (fatal) {
      const ascii = new AsciiText();
      for (; next.done !== true; next = await chunks.next()) {
        const bytes = next.value;
        if (!isAscii(bytes)) break;
        read += bytes.length;
        // an ASCII chunk holds no NUL but as a byte 0, found by indexOf as before
        const nul = bytes.indexOf(0);
        if (nul !== -1) {
          yield* ascii.rest();
          out.problem = notText(
            lines + countNewlines(bytes, nul),
            'holds a NUL byte (binary data)',
          );
          return;
        }
        lines += countNewlines(bytes, bytes.length);
        yield* ascii.add(bytes);
      }
      yield* ascii.rest();
      if (next.done === true) return;
    }
    // past the ASCII road (or never on it): the streaming decoder, as the file's first decoder
    // when no byte came before (it drops a leading BOM), else one that keeps a BOM as text
    const decoder = new TextDecoder('utf-8', { fatal, ignoreBOM: read > 0 });
    for (; next.done !== true; next = await chunks.next()) {
      const bytes = next.value;
      const nul = fatal ? bytes.indexOf(0) : -1;
      if (nul !== -1) {
        out.problem = notText(lines + countNewlines(bytes, nul), 'holds a NUL byte (binary data)');
        return;
      }
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        // not found in this chunk: the bad sequence began with bytes held from the previous one
        const found = firstInvalidUtf8(bytes);
        const at = found === bytes.length ? 0 : found;
        out.problem = notText(
          lines + countNewlines(bytes, at),
          'holds bytes that are not valid UTF-8',
        );
        return;
      }
      lines += countNewlines(bytes, bytes.length);
      if (text.length > 0) yield text;
    }
    try {
      const tail = decoder.decode();
      if (tail.length > 0) yield tail;
    } catch {
      out.problem = notText(lines, 'ends in the middle of a UTF-8 character');
    }
  })();
  return out;
}

/** ASCII bytes as latin1 text of at most PIECE_BYTES, cut after a piece's last LF */
class AsciiText {
  private readonly buffer = Buffer.allocUnsafe(PIECE_BYTES);
  /** bytes held at the buffer's start: after the last LF cut so far */
  private held = 0;

  /** the chunk's text up to its last LF, in pieces (a record's start is held for the next) */
  *add(bytes: Uint8Array): Generator<string> {
    const { buffer } = this;
    for (let at = 0; at < bytes.length;) {
      const take = Math.min(PIECE_BYTES - this.held, bytes.length - at);
      buffer.set(bytes.subarray(at, at + take), this.held);
      this.held += take;
      at += take;
      // a full piece with no LF (a record longer than a piece) is cut anywhere: ASCII may be
      if (this.held === PIECE_BYTES || at === bytes.length)
        yield* this.cut(this.held === PIECE_BYTES);
    }
  }

  private *cut(anywhere: boolean): Generator<string> {
    const { buffer } = this;
    const lf = this.held === 0 ? -1 : buffer.lastIndexOf(LF, this.held - 1);
    const cut = lf !== -1 ? lf + 1 : anywhere ? this.held : 0;
    if (cut === 0) return;
    yield buffer.toString('latin1', 0, cut);
    buffer.copyWithin(0, cut, this.held);
    this.held -= cut;
  }

  /** the text held back */
  *rest(): Generator<string> {
    if (this.held === 0) return;
    const text = this.buffer.toString('latin1', 0, this.held);
    this.held = 0;
    yield text;
  }
}
