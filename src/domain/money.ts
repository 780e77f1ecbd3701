// Money is integer cents everywhere in code. Sums are bigint so a total beyond 2^53 cents
// (~90 trillion) stays exact; a single price fits a number (parseMoney keeps it under 10^15).
// Stores get exact decimal strings ("1234.56") built from cents, never a float's digits.

/** integer cents to an exact 2-decimal string: 5 -> "0.05", -120 -> "-1.20" */
export const formatCents = (cents: bigint | number): string => {
  if (typeof cents === 'number') {
    if (!Number.isSafeInteger(cents))
      throw new RangeError(`${cents} is not a whole number of cents`);
    // exact for safe integers, and no bigint per row where a generator formats millions
    const abs = Math.abs(cents);
    return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  }
  const c = cents;
  const abs = c < 0n ? -c : c;
  return `${c < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * An exact decimal (as DynamoDB returns numbers: "12.5", "1E+2", "-0.05") to integer cents;
 * a value with a fraction of a cent is refused, never rounded.
 */
export const parseCents = (decimal: string): bigint => {
  const m = DECIMAL.exec(decimal.trim());
  if (m === null) throw new RangeError(`"${decimal}" is not a decimal number`);
  const [, sign = '', whole = '', frac = '', exp = '0'] = m;
  // digits * 10^(shift) cents, shift = exponent + 2 - fraction length
  const shift = Number(exp) + 2 - frac.length;
  let digits = BigInt(whole + frac);
  if (shift >= 0) digits *= 10n ** BigInt(shift);
  else {
    const unit = 10n ** BigInt(-shift);
    if (digits % unit !== 0n) throw new RangeError(`"${decimal}" has a fraction of a cent`);
    digits /= unit;
  }
  return sign === '-' ? -digits : digits;
};

/**
 * Cents as the JSON number a person reads: the double nearest to the exact decimal, whose
 * shortest form has at most two decimals and equals the decimal for |amount| < 2^46 (~70
 * trillion), where doubles are closer together than a cent.
 */
export const centsToAmount = (cents: bigint | number): number => Number(formatCents(cents));

/** cents / count rounded half away from zero to whole cents (0 when count is 0) */
export const divideCents = (cents: bigint, count: number): bigint => {
  if (count === 0) return 0n;
  const n = BigInt(count);
  const abs = cents < 0n ? -cents : cents;
  const q = (2n * abs + n) / (2n * n);
  return cents < 0n ? -q : q;
};
