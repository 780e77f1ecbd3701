// utf8Data writes ASCII text unit by unit (ascii-bytes.ts) and falls back to one native encode
// for other text: either way its bytes and offsets must be those of Node's UTF-8 encoder, value
// by value (a lone surrogate as U+FFFD, as Buffer.from writes it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiInto } from '../../../src/adapters/parquet/ascii-bytes.js';
import { utf8Data } from '../../../src/adapters/parquet/arrow-columns.js';

const value = fc.option(
  fc.oneof(
    fc.string({ maxLength: 6, unit: 'binary-ascii' }),
    fc.string({ maxLength: 6, unit: 'grapheme' }),
    fc.string({ maxLength: 4, unit: 'binary' }),
    fc.constantFrom('\u007f', '\u0080', '\uD800', 'a\uDC00b'),
  ),
  { nil: null },
);

describe('utf8Data', () => {
  it("gives Node's UTF-8 bytes and byte offsets of every value, nulls empty and unset", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 50 }), (values) => {
        const data = utf8Data(values);
        const encoded = values.map((v) => Buffer.from(v ?? '', 'utf8'));
        expect(Buffer.from(data.values)).toEqual(Buffer.concat(encoded));
        const offsets = [0];
        for (const e of encoded) offsets.push((offsets.at(-1) as number) + e.length);
        expect([...data.valueOffsets]).toEqual(offsets);
        expect(data.nullCount).toBe(values.filter((v) => v === null).length);
        values.forEach((v, i) => expect(data.getValid(i)).toBe(v !== null));
      }),
      { numRuns: 300 },
    );
  });

  it('asciiInto stops at the first unit above 0x7F', () => {
    const bytes = new Uint8Array(8);
    expect(asciiInto(['ab', null, 'c'], bytes, 1)).toBe(true);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0x61, 0x62, 0x63]);
    expect(asciiInto(['a', '\u0080'], new Uint8Array(3))).toBe(false);
    expect(asciiInto(['\u007f'], new Uint8Array(1))).toBe(true);
  });
});
