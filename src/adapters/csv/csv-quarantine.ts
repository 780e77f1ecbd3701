// Re-reads a raw CSV and keeps the rows that start at the given lines, as they were in the file
// (bad cells keep their raw text), with `_line` and `_reasons` columns: the quarantine file.
import { Readable } from 'node:stream';
import { csvParser, startLine } from './csv-parse-decoder.js';
import { textOf } from './csv-text.js';
import type { Info } from 'csv-parse';

const quote = (f: string): string =>
  /[",\r\n]/.test(f) || f.trim() !== f ? `"${f.replaceAll('"', '""')}"` : f;

const row = (fields: readonly string[]): string => `${fields.map(quote).join(',')}\n`;

export async function extractRows(
  source: AsyncIterable<Uint8Array>,
  reasons: ReadonlyMap<number, readonly string[]>,
): Promise<Uint8Array> {
  // not fatal: a quarantine copy of a file with a few bad bytes is still worth writing
  const text = textOf('quarantine', source, false);
  const parser = Readable.from(text.chunks).pipe(csvParser());
  const out: string[] = [];
  let header = true;
  try {
    for await (const r of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      if (header) {
        out.push(row([...r.record, '_line', '_reasons']));
        header = false;
        continue;
      }
      const line = startLine(r);
      const why = reasons.get(line);
      if (why !== undefined) out.push(row([...r.record, String(line), why.join('; ')]));
    }
  } catch {
    // a malformed tail (e.g. an unterminated quote) ends the copy; the verdict already says why
  } finally {
    parser.destroy();
  }
  return new TextEncoder().encode(out.join(''));
}
