// CsvDecoder: bytes -> strict text -> records (CsvTokenizer) -> typed column batches. Memory stays
// bounded: one text chunk and one batch of columns at a time; the source is pulled only as fast
// as the consumer takes batches. (csv-parse was the first choice; csv-tokenizer.ts says why not.)
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
import { CsvSyntaxError, CsvTokenizer, type CsvSyntaxCode } from './csv-tokenizer.js';

export const DEFAULT_BATCH_SIZE = 65_536;
/** A record longer than this is refused: it bounds memory and no valid shop row comes near it. */
export const MAX_RECORD_CHARS = 1 << 20;

const HOW: Record<CsvSyntaxCode, string> = {
  QuoteNotClosed:
    'a quoted field is never closed; close the quote (write a quote inside a field as "")',
  InvalidQuote:
    'a quote appears inside a field or right after a closing quote; quote the whole field and double inner quotes ("")',
  RecordTooLong: `a record is longer than ${MAX_RECORD_CHARS} characters; check for a missing line break or a stray quote`,
};

const malformed = (file: string, line: number, what: string): FileProblem => ({
  _tag: 'Malformed',
  line,
  message: `${file}, line ${line}: ${what}.`,
});

const empty = (file: string): FileProblem => ({
  _tag: 'Empty',
  line: 1,
  message: `${file}: the file is empty (no header line); export it again with its header row.`,
});

/** thrown from the record callback to stop tokenizing once the file is known to be unusable */
const STOP = Symbol('stop');

export class StreamingCsvDecoder implements CsvDecoder {
  async *decode(
    source: AsyncIterable<Uint8Array>,
    file: string,
    options: CsvDecodeOptions = {},
  ): AsyncIterable<CsvDecodeEvent> {
    const text = textOf(file, source);
    const tokenizer = new CsvTokenizer(MAX_RECORD_CHARS);
    const ready: CsvDecodeEvent[] = [];
    let builder: ColumnBatchBuilder | undefined;
    let width = 0;
    let failure: FileProblem | undefined;
    const onRecord = (fields: string[], line: number): void => {
      if (builder === undefined) {
        const match = matchHeader(file, fields, options.expectedDataset, line);
        if (isProblem(match)) {
          failure = match;
          throw STOP;
        }
        ready.push({
          kind: 'header',
          dataset: match.dataset,
          columns: match.columns,
          extra: match.extra,
        });
        builder = new ColumnBatchBuilder(
          match.dataset,
          match.indexes,
          options.batchSize ?? DEFAULT_BATCH_SIZE,
        );
        width = fields.length;
        return;
      }
      if (fields.length !== width) {
        failure = malformed(
          file,
          line,
          `the row has ${fields.length} fields but the header has ${width}; quote fields that contain commas`,
        );
        throw STOP;
      }
      builder.push(fields, line);
      if (builder.full) ready.push({ kind: 'batch', ...builder.flush() });
    };
    // a record with no quote: number cells are parsed in place (the header is cut into fields)
    const onSpans = (
      text: string,
      starts: Int32Array,
      ends: Int32Array,
      count: number,
      line: number,
    ): void => {
      if (builder === undefined || count !== width) {
        const fields: string[] = [];
        for (let k = 0; k < count; k++) fields.push(text.slice(starts[k], ends[k]));
        onRecord(fields, line);
        return;
      }
      builder.pushSpans(text, starts, ends, count, line);
      if (builder.full) ready.push({ kind: 'batch', ...builder.flush() });
    };
    try {
      for await (const chunk of text.chunks) {
        tokenizer.push(chunk, onRecord, onSpans);
        yield* ready.splice(0);
      }
      if (text.problem === undefined) tokenizer.end(onRecord, onSpans);
    } catch (err) {
      if (err instanceof CsvSyntaxError) failure = malformed(file, err.line, HOW[err.code]);
      else if (err !== STOP) throw err;
    }
    // a text problem explains any syntax error that followed it
    const problem = text.problem ?? failure ?? (builder === undefined ? empty(file) : undefined);
    if (problem !== undefined) {
      yield { kind: 'problem', problem };
      return;
    }
    yield* ready.splice(0);
    if (builder !== undefined && builder.length > 0) yield { kind: 'batch', ...builder.flush() };
  }

  extractRows(
    source: AsyncIterable<Uint8Array>,
    reasons: ReadonlyMap<number, readonly string[]>,
  ): Promise<Uint8Array> {
    return extractRows(source, reasons);
  }
}
