// The in-place integer reader of the streamed manifest decode reads a run of array elements as
// JSON.parse reads it, or declines (appending nothing), so the caller's JSON.parse decides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integersInto } from '../../../src/domain/json-runs.js';

describe('integersInto', () => {
  it('appends what JSON.parse reads from the run, or nothing and false', () => {
    const spelled = fc.oneof(
      fc.integer().map(String),
      fc.integer({ min: -8.64e15, max: 8.64e15 }).map(String),
      fc.double().map((x) => JSON.stringify(x)),
      fc.constantFrom('-0', '01', '00', '1e3', '1.0', '-', '', 'null', '"1"', '9007199254740993'),
    );
    fc.assert(
      fc.property(fc.array(spelled, { minLength: 1, maxLength: 8 }), fc.nat(3), (parts, pad) => {
        const run = parts.join(',');
        // the run inside a longer text, as in a chunk
        const text = `${'x'.repeat(pad)}${run}]`;
        const into = [7];
        const read = integersInto(into, text, pad, pad + run.length);
        if (!read) expect(into).toEqual([7]);
        else expect(into).toEqual([7, ...(JSON.parse(`[${run}]`) as number[])]);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the integers JSON.stringify writes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }), { minLength: 1 }),
        (xs) => {
          const run = JSON.stringify(xs).slice(1, -1);
          const into: number[] = [];
          expect(integersInto(into, run, 0, run.length)).toBe(true);
          expect(into).toEqual(xs);
        },
      ),
    );
  });
});
