// The hand-written tokenizer must agree with csv-parse (the reference library) on any input.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, CsvTokenizer } from '../../../src/adapters/csv/csv-tokenizer.js';

type Outcome = { ok: true; records: string[][] } | { ok: false };

function reference(text: string): Outcome {
  try {
    const records = parse(text, {
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
      relax_column_count: true,
    }) as string[][];
    return { ok: true, records };
  } catch {
    return { ok: false };
  }
}

/** `spans`: take records with no quote as spans (OnSpans), cut into strings here */
function ours(chunks: readonly string[], spans = false): Outcome & { lines?: number[] } {
  const t = new CsvTokenizer(1 << 20);
  const records: string[][] = [];
  const lines: number[] = [];
  const on = (f: string[], line: number) => {
    records.push([...f]);
    lines.push(line);
  };
  const onSpans = spans
    ? (text: string, starts: Int32Array, ends: Int32Array, count: number, line: number) =>
        on(
          Array.from({ length: count }, (_, k) => text.slice(starts[k], ends[k])),
          line,
        )
    : undefined;
  try {
    for (const c of chunks) t.push(c, on, onSpans);
    t.end(on, onSpans);
    return { ok: true, records, lines };
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { ok: false };
    throw e;
  }
}

/** cuts `text` at the given fractions */
const cut = (text: string, at: readonly number[]): string[] => {
  const points = [...new Set(at.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
};

const csvText = fc
  .array(fc.constantFrom('a', 'bc', ',', '"', '""', '\n', '\r\n', '\r', ' ', 'é', '🎉'), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));

/** well-formed CSV: random fields, quoted when needed or at random */
const wellFormed = fc
  .array(
    fc.array(
      fc.tuple(
        fc.string({ unit: fc.constantFrom('x', ',', '"', '\n', '\r\n', ' ', 'ü') }),
        fc.boolean(),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map((rows) =>
    rows
      .map((r) =>
        r
          .map(([f, q]) =>
            q || /[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f,
          )
          .join(','),
      )
      .join('\n'),
  );

/** lines without quotes (the tokenizer's indexOf fast path), now and then one with a quote */
const mostlyPlain = fc
  .array(
    fc.oneof(
      {
        weight: 30,
        arbitrary: fc.constantFrom('a', 'bc', ',', ',,', '\n', '\r\n', '\r', ' ', 'é'),
      },
      { weight: 1, arbitrary: fc.constantFrom('"', '"x,\ny"', '""') },
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

describe('CsvTokenizer agrees with csv-parse', () => {
  it('on mostly unquoted text, whole and in chunks, with the same lines', () => {
    fc.assert(
      fc.property(
        mostlyPlain,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (text, at) => {
          const whole = ours([text]);
          expect(whole).toMatchObject(reference(text));
          expect(ours(cut(text, at))).toEqual(whole);
          expect(ours([text], true)).toEqual(whole);
          expect(ours(cut(text, at), true)).toEqual(whole);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on fuzzed text, fed whole', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        expect(ours([text])).toMatchObject(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('on fuzzed text, fed in arbitrary chunks', () => {
    fc.assert(
      fc.property(
        csvText,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (text, at) => {
          expect(ours(cut(text, at))).toMatchObject(reference(text));
          expect(ours(cut(text, at), true)).toMatchObject(reference(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on well-formed CSV, with lines where records start', () => {
    fc.assert(
      fc.property(
        wellFormed,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
        (text, at) => {
          const got = ours(cut(text, at));
          expect(got).toMatchObject(reference(text));
          // a record starts one line after the previous one's last line
          let expected = 1;
          expect(got.ok).toBe(true);
          (got.ok ? got.records : []).forEach((r, k) => {
            expect(got.lines?.[k]).toBe(expected);
            expected += r.join(',').split('\n').length;
          });
        },
      ),
    );
  });

  it('refuses a record longer than the limit, naming its line', () => {
    const t = new CsvTokenizer(10);
    const err = (() => {
      try {
        t.push('a,b\nccccccccccccccccc', () => undefined);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ code: 'RecordTooLong', line: 2 });
  });
});
