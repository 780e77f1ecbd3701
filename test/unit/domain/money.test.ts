import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToAmount, divideCents, formatCents, parseCents } from '../../../src/domain/money.js';

describe('money: integer cents and exact decimal strings', () => {
  it('formats cents as an exact 2-decimal string', () => {
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(-120)).toBe('-1.20');
    expect(formatCents(9223372036854775n)).toBe('92233720368547.75');
    expect(() => formatCents(0.5)).toThrow(RangeError);
  });

  it('parses the decimal forms DynamoDB returns, refusing fractions of a cent', () => {
    expect(parseCents('0.3')).toBe(30n);
    expect(parseCents('-0.05')).toBe(-5n);
    expect(parseCents('1E+2')).toBe(10000n);
    expect(parseCents('1.5e-1')).toBe(15n);
    expect(parseCents('92233720368547.75')).toBe(9223372036854775n);
    expect(() => parseCents('0.001')).toThrow(RangeError);
    expect(() => parseCents('1,5')).toThrow(RangeError);
  });

  it('round-trips every cents value through its decimal string', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (c) => {
        expect(parseCents(formatCents(c))).toBe(c);
      }),
    );
  });

  it('prints amounts with at most two decimals, equal to the exact decimal below 2^46', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 46n) * 100n + 1n, max: 2n ** 46n * 100n - 1n }), (c) => {
        const printed = JSON.stringify(centsToAmount(c));
        expect(printed).toMatch(/^-?\d+(\.\d{1,2})?$/);
        expect(parseCents(printed)).toBe(c);
      }),
    );
    expect(centsToAmount(10n + 20n)).toBe(0.3);
  });

  it('divides cents rounding half away from zero', () => {
    expect(divideCents(5n, 2)).toBe(3n);
    expect(divideCents(-5n, 2)).toBe(-3n);
    expect(divideCents(4n, 3)).toBe(1n);
    expect(divideCents(7n, 0)).toBe(0n);
  });
});
