// Re-reads a raw CSV and keeps the rows that start at the given lines, as they were in the file
// (bad cells keep their raw text), with `_line` and `_reasons` columns: the quarantine file.
import { textOf } from './csv-text.js';
import { CsvTokenizer } from './csv-tokenizer.js';

const quote = (f: string): string =>
  /[",\r\n]/.test(f) || f.trim() !== f ? `"${f.replaceAll('"', '""')}"` : f;

const row = (fields: readonly string[]): string => `${fields.map(quote).join(',')}\n`;

export async function extractRows(
  source: AsyncIterable<Uint8Array>,
  reasons: ReadonlyMap<number, readonly string[]>,
): Promise<Uint8Array> {
  // not fatal: a quarantine copy of a file with a few bad bytes is still worth writing
  const text = textOf('quarantine', source, false);
  // no record limit: the rows asked for were already read once by the decoder
  const tokenizer = new CsvTokenizer(Number.MAX_SAFE_INTEGER);
  const out: string[] = [];
  let header = true;
  const onRecord = (fields: string[], line: number): void => {
    if (header) {
      out.push(row([...fields, '_line', '_reasons']));
      header = false;
      return;
    }
    const why = reasons.get(line);
    if (why !== undefined) out.push(row([...fields, String(line), why.join('; ')]));
  };
  try {
    for await (const chunk of text.chunks) tokenizer.push(chunk, onRecord);
    tokenizer.end(onRecord);
  } catch {
    // a malformed tail (e.g. an unterminated quote) ends the copy; the verdict already says why
  }
  return new TextEncoder().encode(out.join(''));
}
