import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INT_EXPECTED,
  MONEY_EXPECTED,
  MONEY_TOO_PRECISE,
  TIMESTAMP_EXPECTED,
  parseInteger,
  parseIntegerAt,
  parseMoney,
  parseMoneyAt,
  parseTimestamp,
  parseTimestampAt,
  parseTimestampInto,
} from '../../../src/domain/values.js';
import { oldParseTimestampAt } from './values-oracle.js';

const utc = (s: string): number => Date.parse(s);

describe('parseTimestamp', () => {
  it.each([
    ['2025-03-30T16:14:26', '2025-03-30T16:14:26.000Z'],
    ['2025-03-30 16:14:26', '2025-03-30T16:14:26.000Z'],
    ['2025-03-30T16:14', '2025-03-30T16:14:00.000Z'],
    ['2025-03-30T16:14:26.5', '2025-03-30T16:14:26.500Z'],
    ['2025-03-30T16:14:26.12', '2025-03-30T16:14:26.120Z'],
    ['2025-03-30T16:14:26.123456', '2025-03-30T16:14:26.123Z'],
    ['2025-03-30T16:14:26Z', '2025-03-30T16:14:26.000Z'],
    ['2025-03-30 16:14:26 UTC', '2025-03-30T16:14:26.000Z'],
    ['2025-03-30T16:14:26+02:00', '2025-03-30T14:14:26.000Z'],
    ['2025-03-30T16:14:26-0530', '2025-03-30T21:44:26.000Z'],
    // offsets that cross midnight, a month end and a year end
    ['2025-03-31T01:30:00+02:00', '2025-03-30T23:30:00.000Z'],
    ['2025-03-31T23:30:00-01:00', '2025-04-01T00:30:00.000Z'],
    ['2025-01-01T00:15:00.250+0100', '2024-12-31T23:15:00.250Z'],
    ['2024-02-29 23:59:59.999 UTC', '2024-02-29T23:59:59.999Z'],
  ])('%s is %s', (raw, iso) => {
    expect(parseTimestamp(raw)).toBe(utc(iso));
  });

  it.each([
    '2025-03-30',
    '2025/03/30 16:14:26',
    '2025-13-01T00:00:00',
    '2025-02-29T00:00:00',
    '2025-03-30T24:00:00',
    '2025-03-30T16:14:26.',
    '2025-03-30T16:14:26+2',
    '2025-03-30T16:14:26 CET',
    '2025-03-30T16:14:26Zjunk',
    'yesterday',
    '',
  ])('refuses %j with what was expected', (raw) => {
    expect(parseTimestamp(raw)).toBe(TIMESTAMP_EXPECTED);
  });

  it('agrees with Date for every instant, in every zone form', () => {
    const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2100, 0, 1) });
    const offset = fc.integer({ min: -14 * 60, max: 14 * 60 });
    fc.assert(
      fc.property(
        instant,
        offset,
        fc.constantFrom('T', ' '),
        fc.boolean(),
        (t, off, sep, colon) => {
          const local = new Date(t + off * 60_000).toISOString().slice(0, 23).replace('T', sep);
          const a = Math.abs(off);
          const hh = String(Math.floor(a / 60)).padStart(2, '0');
          const mm = String(a % 60).padStart(2, '0');
          const zone = `${off < 0 ? '-' : '+'}${hh}${colon ? ':' : ''}${mm}`;
          expect(parseTimestamp(`${local}${zone}`)).toBe(t);
        },
      ),
    );
  });
});

describe('parseMoney', () => {
  it.each([
    ['81.64', 8164],
    ['81.6', 8160],
    ['81', 8100],
    ['0.07', 7],
    ['-12.30', -1230],
    ['1234567.89', 123456789],
  ])('%s is %d cents', (raw, cents) => {
    expect(parseMoney(raw)).toBe(cents);
  });

  it('refuses more than 2 decimals instead of rounding', () => {
    expect(parseMoney('19.999')).toBe(MONEY_TOO_PRECISE);
    expect(MONEY_TOO_PRECISE).toMatch(/more than 2 decimals/);
  });

  it.each(['abc', '1,50', '.5', '5.', '1e3', '12.3x', '-', '', ' 1.00', '$3'])(
    'refuses %j',
    (raw) => {
      expect(parseMoney(raw)).toBe(MONEY_EXPECTED);
    },
  );

  it('is exact for every amount with 2 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const a = Math.abs(cents);
        const text = `${cents < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
        expect(parseMoney(text)).toBe(cents);
      }),
    );
  });
});

describe('parseInteger', () => {
  it('reads whole numbers', () => {
    expect(parseInteger('3')).toBe(3);
    expect(parseInteger('-2')).toBe(-2);
    expect(Object.is(parseInteger('-0'), 0)).toBe(true);
  });

  it.each(['2.5', '2.0', 'x', '', '1234567890123456', '1e2'])('refuses %j', (raw) => {
    expect(parseInteger(raw)).toBe(INT_EXPECTED);
  });
});

describe('parsing a span of a longer text (as the CSV decoder does)', () => {
  // cells near the shapes the parsers accept, between neighbours that would change the answer
  // if a parser read past its span (digits, a colon, a zone letter, a decimal point)
  const chars = fc.constantFrom(...'0123456789-:.TtZz +UTCutc,'.split(''));
  const text = fc.array(chars, { maxLength: 4 }).map((a) => a.join(''));
  const cell = fc.oneof(
    text,
    fc.array(chars, { maxLength: 30 }).map((a) => a.join('')),
    fc
      .tuple(
        fc.date({ min: new Date(-1e13), max: new Date(1e13), noInvalidDate: true }),
        fc.nat(14),
        text,
      )
      .map(([d, cut, rest]) => d.toISOString().slice(0, 10 + cut) + rest),
    fc.tuple(fc.integer(), fc.nat(999)).map(([w, f]) => `${w}.${f}`),
  );

  it('answers exactly what the cell alone answers', () => {
    fc.assert(
      fc.property(text, cell, text, (before, x, after) => {
        const s = before + x + after;
        const [from, to] = [before.length, before.length + x.length];
        expect(parseTimestampAt(s, from, to)).toBe(parseTimestamp(x));
        expect(parseMoneyAt(s, from, to)).toBe(parseMoney(x));
        expect(parseIntegerAt(s, from, to)).toBe(parseInteger(x));
      }),
      { numRuns: 3000 },
    );
  });

  // the unrolled parser (round 11) against the one it replaced, on near-timestamps: any digit
  // replaced by a non-digit, a separator moved, fields out of range, zones and fractions
  it('parses exactly as the parser before round 11, and Into writes only a value', () => {
    const unit = fc.constantFrom(...'0123456789-:T t.Z+ UTCz/'.split(''));
    const nearTimestamp = fc
      .tuple(
        fc.date({ min: new Date(-1e13), max: new Date(1e13), noInvalidDate: true }),
        fc.nat(30),
        fc.array(fc.tuple(fc.nat(29), unit), { maxLength: 3 }),
        fc.constantFrom('', 'Z', '.5', '.123456', '+02:00', '-0130', ' UTC', ' utc', '+24:00'),
      )
      .map(([d, cut, edits, zone]) => {
        const chars = (d.toISOString().slice(0, 19 + (cut % 6)) + zone).split('');
        for (const [at, c] of edits) if (at < chars.length) chars[at] = c;
        return chars.join('');
      });
    fc.assert(
      fc.property(text, fc.oneof(nearTimestamp, cell), text, (before, x, after) => {
        const s = before + x + after;
        const [from, to] = [before.length, before.length + x.length];
        const expected = oldParseTimestampAt(s, from, to);
        expect(parseTimestampAt(s, from, to)).toBe(expected);
        const out = new Float64Array([7, 7]);
        const problem = parseTimestampInto(s, from, to, out, 1);
        if (typeof expected === 'number') {
          expect(problem).toBeUndefined();
          expect([...out]).toEqual([7, expected]);
        } else {
          expect(problem).toBe(expected);
          expect([...out]).toEqual([7, 7]);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
