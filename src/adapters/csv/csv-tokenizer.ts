// A streaming RFC 4180 tokenizer: text chunks in, records (field arrays) out through a callback.
//
// Why not csv-parse (the library the decoder started with): on the 92 MB, 1,002,831-row
// order_items file of `npm run bench:io`, on this 2-core machine, measured in one process,
// csv-parse alone (records counted, no typing) used 3.5-3.8 s of CPU with default options and
// 6.4 s with the options the dialect needs (info for line numbers, CRLF-or-LF delimiters, a
// record size limit), i.e. ~150k rows/s: the bottleneck of the whole landing path. This scanner
// (charCodeAt loops, one reused field array, no per-record objects) uses 0.45 s of CPU for the
// same records (14x less; docs/performance.md). test/unit/io/csv-tokenizer.test.ts proves with
// fast-check that it yields exactly csv-parse's records (and fails where csv-parse fails) on
// fuzzed input, fed whole or cut into arbitrary chunks. A line with no quote (nearly every line
// of a shop export) is cut at the commas indexOf finds instead of char by char: 1.9 -> 1.6 s of
// CPU to decode the 1M-row order_items file (branch decode-speed).
//
// Dialect: ',' separator, '"' quote with '""' escape, records end at LF or CRLF (a lone CR is
// data), newlines allowed inside quoted fields, empty lines skipped, lines numbered by LF.

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export type CsvSyntaxCode = 'QuoteNotClosed' | 'InvalidQuote' | 'RecordTooLong';

export class CsvSyntaxError extends Error {
  constructor(
    readonly code: CsvSyntaxCode,
    /** the line where the offending record starts */
    readonly line: number,
  ) {
    super(`${code} in the record starting at line ${line}`);
  }
}

/** Called with a reused array: copy it if you keep it. `line` is where the record starts. */
export type OnRecord = (fields: string[], line: number) => void;

/** A record with no quote, as spans of `text`: field k is `text.slice(starts[k], ends[k])`
 *  (a CR before the LF already dropped), k < count. The arrays are reused. Lets the caller
 *  parse a number cell where it lies instead of cutting a string out for it first. */
export type OnSpans = (
  text: string,
  starts: Int32Array,
  ends: Int32Array,
  count: number,
  line: number,
) => void;

const INCOMPLETE = -1;

function countLf(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export class CsvTokenizer {
  private rest = '';
  private line = 1;
  private readonly fields: string[] = [];
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private count = 0;
  private lfs = 0;
  /** in `run`: the next comma at or after the record being read (-1: none left) */
  private nextComma = -1;

  constructor(private readonly maxRecordChars: number) {}

  /** `onSpans`, when given, receives the records with no quote (nearly all) in place of
   *  `onRecord`; records with a quote always go to `onRecord` */
  push(text: string, onRecord: OnRecord, onSpans?: OnSpans): void {
    this.run(this.rest.length === 0 ? text : this.rest + text, false, onRecord, onSpans);
  }

  end(onRecord: OnRecord, onSpans?: OnSpans): void {
    if (this.rest.length > 0) this.run(this.rest, true, onRecord, onSpans);
    this.rest = '';
  }

  private run(s: string, final: boolean, onRecord: OnRecord, onSpans?: OnSpans): void {
    const n = s.length;
    let pos = 0;
    // the next LF, quote and comma at or after `pos` (each found once, so scanning stays linear)
    let nextLf = -1;
    let nextQuote = s.indexOf('"');
    this.nextComma = s.indexOf(',');
    while (pos < n) {
      const c = s.charCodeAt(pos);
      if (c === LF) {
        pos++;
        this.line++;
        continue;
      }
      if (c === CR && pos + 1 < n && s.charCodeAt(pos + 1) === LF) {
        pos += 2;
        this.line++;
        continue;
      }
      if (c === CR && pos + 1 === n && !final) break;
      if (nextLf < pos) nextLf = s.indexOf('\n', pos);
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = s.indexOf('"', pos);
      // most lines hold no quote: their fields are cut between commas found by indexOf
      const plain = nextLf !== -1 && (nextQuote === -1 || nextQuote > nextLf);
      if (plain && this.nextComma !== -1 && this.nextComma < pos) {
        this.nextComma = s.indexOf(',', pos);
      }
      if (plain && onSpans !== undefined) {
        const end = this.plainSpans(s, pos, nextLf);
        if (end - pos > this.maxRecordChars) throw new CsvSyntaxError('RecordTooLong', this.line);
        onSpans(s, this.starts, this.ends, this.count, this.line);
        this.line++;
        pos = end;
        continue;
      }
      const end = plain ? this.plainRecord(s, pos, nextLf) : this.record(s, pos, final);
      if (end === INCOMPLETE) break;
      if (end - pos > this.maxRecordChars) throw new CsvSyntaxError('RecordTooLong', this.line);
      onRecord(this.fields, this.line);
      this.line += this.lfs;
      pos = end;
    }
    this.rest = pos === 0 ? s : s.slice(pos);
    if (this.rest.length > this.maxRecordChars)
      throw new CsvSyntaxError('RecordTooLong', this.line);
  }

  /** Reads a record with no quote that ends at the LF at `lf` into `fields`; returns lf + 1. */
  private plainRecord(s: string, pos: number, lf: number): number {
    const fields = this.fields;
    fields.length = 0;
    let i = pos;
    let comma = this.nextComma;
    while (comma !== -1 && comma < lf) {
      fields.push(s.slice(i, comma));
      i = comma + 1;
      comma = s.indexOf(',', i);
    }
    this.nextComma = comma;
    // the last field drops the CR of a CRLF
    fields.push(s.slice(i, lf > i && s.charCodeAt(lf - 1) === CR ? lf - 1 : lf));
    this.lfs = 1;
    return lf + 1;
  }

  /** plainRecord as spans: into `starts`, `ends` and `count`; returns lf + 1 */
  private plainSpans(s: string, pos: number, lf: number): number {
    let n = 0;
    let i = pos;
    let comma = this.nextComma;
    while (comma !== -1 && comma < lf) {
      this.span(n++, i, comma);
      i = comma + 1;
      // an empty field (most of a row's optional timestamps) needs no search
      comma = s.charCodeAt(i) === COMMA ? i : s.indexOf(',', i);
    }
    this.nextComma = comma;
    this.span(n++, i, lf > i && s.charCodeAt(lf - 1) === CR ? lf - 1 : lf);
    this.count = n;
    return lf + 1;
  }

  private span(k: number, start: number, end: number): void {
    if (k === this.starts.length) {
      const starts = new Int32Array(k * 2);
      const ends = new Int32Array(k * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[k] = start;
    this.ends[k] = end;
  }

  /** Reads one record at `pos` into `fields`; returns where the next one starts, or INCOMPLETE. */
  private record(s: string, pos: number, final: boolean): number {
    const n = s.length;
    const fields = this.fields;
    fields.length = 0;
    let lfs = 0;
    let i = pos;
    for (;;) {
      if (i >= n) {
        // after a separator at the very end of the input: one last empty field
        if (!final) return INCOMPLETE;
        fields.push('');
        this.lfs = lfs;
        return n;
      }
      let c = s.charCodeAt(i);
      if (c === QUOTE) {
        const open = i;
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = s.indexOf('"', from);
          if (q === -1 || (q + 1 === n && !final)) {
            if (!final) return INCOMPLETE;
            throw new CsvSyntaxError('QuoteNotClosed', this.line);
          }
          if (s.charCodeAt(q + 1) === QUOTE) {
            value += s.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += s.slice(from, q);
          i = q + 1;
          break;
        }
        lfs += countLf(s, open, i);
        fields.push(value);
        if (i >= n) {
          this.lfs = lfs;
          return n;
        }
        c = s.charCodeAt(i);
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === LF) {
          this.lfs = lfs + 1;
          return i + 1;
        }
        if (c === CR) {
          if (i + 1 === n && !final) return INCOMPLETE;
          if (s.charCodeAt(i + 1) === LF) {
            this.lfs = lfs + 1;
            return i + 2;
          }
        }
        throw new CsvSyntaxError('InvalidQuote', this.line);
      }
      let j = i;
      while (j < n) {
        c = s.charCodeAt(j);
        if (c === COMMA || c === LF || c === QUOTE) break;
        j++;
      }
      if (j >= n) {
        if (!final) return INCOMPLETE;
        fields.push(s.slice(i, n));
        this.lfs = lfs;
        return n;
      }
      if (c === QUOTE) throw new CsvSyntaxError('InvalidQuote', this.line);
      if (c === COMMA) {
        fields.push(s.slice(i, j));
        i = j + 1;
        continue;
      }
      fields.push(s.slice(i, j > i && s.charCodeAt(j - 1) === CR ? j - 1 : j));
      this.lfs = lfs + 1;
      return j + 1;
    }
  }
}
