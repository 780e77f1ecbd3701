// CsvDecoder on the csv-parse library (streaming API): bytes -> strict text -> records -> typed
// column batches. Memory stays bounded: the parser is back-pressured by the for-await loop and at
// most one batch of columns is being filled at a time.
import { Readable } from 'node:stream';
import { parse, CsvError, type Info } from 'csv-parse';
import type {
  CsvDecodeEvent,
  CsvDecodeOptions,
  CsvDecoder,
  FileProblem,
} from '../../ports/csv-decoder.port.js';
import { ColumnBatchBuilder } from './column-batch-builder.js';
import { isProblem, matchHeader } from './csv-header.js';
import { extractRows } from './csv-quarantine.js';
import { textOf } from './csv-text.js';

export const DEFAULT_BATCH_SIZE = 65_536;
/** A record longer than this is refused: it bounds memory and no valid shop row comes near it. */
export const MAX_RECORD_CHARS = 1 << 20;

interface ParsedRecord {
  readonly record: string[];
  readonly info: Info;
}

export function csvParser() {
  return parse({
    info: true,
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n'],
    max_record_size: MAX_RECORD_CHARS,
  });
}

/** The source line where a record starts: the parser reports the line where it ends. */
export function startLine(r: ParsedRecord): number {
  let inner = 0;
  for (const f of r.record) {
    let i = f.indexOf('\n');
    while (i !== -1) {
      inner++;
      i = f.indexOf('\n', i + 1);
    }
  }
  return r.info.lines - inner;
}

export function malformed(file: string, err: unknown): FileProblem | undefined {
  if (!(err instanceof CsvError)) return undefined;
  const line = typeof err.lines === 'number' ? err.lines : undefined;
  const where = `${file}, line ${line ?? '?'}`;
  const how: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed; close the quote (write a quote inside a field as "")',
    CSV_MAX_RECORD_SIZE: `a record is longer than ${MAX_RECORD_CHARS} characters; check for a missing line break or a stray quote`,
    CSV_RECORD_INCONSISTENT_FIELDS_LENGTH:
      'the row has a different number of fields than the header; quote fields that contain commas',
    CSV_INVALID_CLOSING_QUOTE: 'a quote appears inside an unquoted field; quote the whole field and double the inner quote ("")',
  };
  return {
    _tag: 'Malformed',
    line,
    message: `${where}: ${how[err.code] ?? err.message}.`,
  };
}

export class CsvParseDecoder implements CsvDecoder {
  async *decode(
    source: AsyncIterable<Uint8Array>,
    file: string,
    options: CsvDecodeOptions = {},
  ): AsyncIterable<CsvDecodeEvent> {
    const text = textOf(file, source);
    const parser = Readable.from(text.chunks).pipe(csvParser());
    let builder: ColumnBatchBuilder | undefined;
    let failure: FileProblem | undefined;
    try {
      for await (const r of parser as AsyncIterable<ParsedRecord>) {
        if (builder === undefined) {
          const match = matchHeader(file, r.record, options.expectedDataset);
          if (isProblem(match)) {
            failure = match;
            break;
          }
          yield { kind: 'header', dataset: match.dataset, columns: match.columns, extra: match.extra };
          builder = new ColumnBatchBuilder(match.dataset, match.indexes, options.batchSize ?? DEFAULT_BATCH_SIZE);
          continue;
        }
        builder.push(r.record, startLine(r));
        if (builder.full) yield { kind: 'batch', ...builder.flush() };
      }
    } catch (err) {
      failure = malformed(file, err);
      if (failure === undefined && text.problem === undefined) throw err;
    } finally {
      parser.destroy();
    }
    // a text problem explains any parser error that followed it
    const problem = text.problem ?? failure ?? (builder === undefined ? empty(file) : undefined);
    if (problem !== undefined) {
      yield { kind: 'problem', problem };
      return;
    }
    if (builder !== undefined && builder.length > 0) yield { kind: 'batch', ...builder.flush() };
  }

  extractRows(
    source: AsyncIterable<Uint8Array>,
    reasons: ReadonlyMap<number, readonly string[]>,
  ): Promise<Uint8Array> {
    return extractRows(source, reasons);
  }
}

const empty = (file: string): FileProblem => ({
  _tag: 'Empty',
  line: 1,
  message: `${file}: the file is empty (no header line); export it again with its header row.`,
});
