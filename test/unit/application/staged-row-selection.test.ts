// The selection StagedRows makes from completion columns: each wanted hash taken once (its first
// row in the staged file), the rest left as missing; the whole batch answered as null.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pick, wantedHashes } from '../../../src/application/staged-row-selection.js';
import { completionColumnsOf } from '../../../src/domain/completion-columns.js';

const hash = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');

describe('staged row selection', () => {
  it('keeps the first row of each wanted hash and leaves the hashes no row has', () => {
    fc.assert(
      fc.property(fc.array(hash, { maxLength: 12 }), fc.uniqueArray(hash), (rows, wanted) => {
        const keys = new Set(wanted);
        const picked = pick(rows, keys);
        const expected = rows.flatMap((h, r) =>
          wanted.includes(h) && rows.indexOf(h) === r ? [r] : [],
        );
        if (expected.length === rows.length) expect(picked).toBeNull();
        else expect(picked).toEqual(expected);
        expect([...keys].sort()).toEqual(wanted.filter((h) => !rows.includes(h)).sort());
      }),
    );
  });

  it('collects the hashes of order rows, items and products per staged key', () => {
    const at = (stagedKey: string, h: string) => ({
      key: `incoming/${stagedKey}`,
      stagedKey,
      hash: h,
    });
    const columns = completionColumnsOf([
      {
        orderId: '1',
        fingerprint: 'f',
        createdAt: 0,
        order: at('o', 'h1'),
        items: [at('i', 'h2'), at('i2', 'h3')],
        products: [at('p', 'h4')],
      },
      // the same staged key under another raw file name shares one set
      {
        orderId: '2',
        fingerprint: 'f',
        createdAt: 0,
        order: { key: 'incoming/other', stagedKey: 'o', hash: 'h5' },
        items: [at('i', 'h6')],
        products: [at('p', 'h4')],
      },
    ]);
    const wanted = wantedHashes(columns);
    expect(Object.fromEntries([...wanted].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      o: ['h1', 'h5'],
      i: ['h2', 'h6'],
      i2: ['h3'],
      p: ['h4'],
    });
  });
});
