// The text source as it was before the ASCII road (main 9f46327), kept as the oracle of
// csv-text.test.ts: strict UTF-8 through a streaming TextDecoder, NUL refused, lines counted.
// (firstInvalidUtf8, unchanged by the ASCII road, is the source's own.)
import { firstInvalidUtf8 } from '../../../src/adapters/csv/csv-text.js';
import type { FileProblem } from '../../../src/ports/csv-decoder.port.js';

export interface TextSource {
  /** set when the bytes stopped being text; the text generator then ends early */
  problem: FileProblem | undefined;
  chunks: AsyncGenerator<string>;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  let i = bytes.indexOf(10);
  while (i !== -1 && i < end) {
    n++;
    i = bytes.indexOf(10, i + 1);
  }
  return n;
}

export function textOf(file: string, source: AsyncIterable<Uint8Array>, fatal = true): TextSource {
  const out: TextSource = {
    problem: undefined,
    chunks: undefined as unknown as AsyncGenerator<string>,
  };
  const decoder = new TextDecoder('utf-8', { fatal });
  const notText = (line: number, what: string): FileProblem => ({
    _tag: 'NotText',
    line,
    message: `${file}, line ${line}: ${what}, so this is not CSV text; export the file as UTF-8 text (CSV) and land it again.`,
  });
  out.chunks = (async function* () {
    let lines = 1;
    for await (const bytes of source) {
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
