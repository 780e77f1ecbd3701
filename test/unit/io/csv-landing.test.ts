// Decoder + file validator together: the verdict a landed file gets, and its quarantine file.
import { describe, expect, it } from 'vitest';
import { createFileValidator } from '../../../src/domain/validation/file-validator.js';
import { ITEMS_HEADER, PRODUCTS_HEADER, bytesOf, decoder } from './csv-helpers.js';

async function land(csv: string) {
  let validator: ReturnType<typeof createFileValidator> | undefined;
  for await (const e of decoder.decode(bytesOf(csv), 'incoming/f.csv')) {
    if (e.kind === 'header') {
      validator = createFileValidator({
        file: 'incoming/f.csv',
        dataset: e.dataset,
        extraColumns: e.extra,
      });
    } else if (e.kind === 'batch') validator?.add(e.batch, e.parseFailures);
    else throw new Error(e.problem.message);
  }
  if (validator === undefined) throw new Error('no header');
  return validator.finish();
}

const item = (id: string, price: string, status = 'delivered') =>
  `${id},o1,u1,p${id},${status},2025-03-01T10:00:00,,,,${price}`;

describe('landing a file', () => {
  it('negative price: range.non-negative on its line, with the amount', async () => {
    const r = await land(`${ITEMS_HEADER}\n${item('1', '5.00')}\n${item('2', '-5.25')}\n`);
    expect(r.verdict.ok).toBe(false);
    const rule = r.verdict.rules.find((x) => x.rule === 'range.non-negative');
    expect(rule?.samples).toEqual([
      {
        file: 'incoming/f.csv',
        line: 3,
        key: '2',
        column: 'sale_price',
        value: '-5.25',
        message: 'sale_price is negative (-5.25); amounts must be 0 or more',
      },
    ]);
  });

  it('duplicate key: unique.key on the repeat, naming the first line', async () => {
    const r = await land(
      `${ITEMS_HEADER}\n${item('7', '1')}\n${item('8', '1')}\n${item('7', '2')}\n`,
    );
    const rule = r.verdict.rules.find((x) => x.rule === 'unique.key');
    expect(rule).toMatchObject({
      failed: 1,
      samples: [
        { line: 4, key: '7', message: 'id "7" repeats (first on line 2); keep one row per id' },
      ],
    });
  });

  it('upper-case item statuses are stored lower case and pass', async () => {
    const r = await land(`${ITEMS_HEADER}\n${item('1', '1', 'Shipped')}\n`);
    expect(r.verdict.rules.find((x) => x.rule === 'domain.item-status')?.failed).toBe(0);
  });

  it('extracts failing rows as they were in the file, with _line and _reasons', async () => {
    const csv = `${PRODUCTS_HEADER}\r\n1,s,1.00,C,"a, ""b""",B,2.00,D\r\n2,s,abc,C,"multi\nline",B,2.00,D\r\n3,s,-1.00,C,N,B,2.00,D\r\n`;
    const r = await land(csv);
    expect([...r.failingLines.keys()]).toEqual([3, 5]);
    const out = new TextDecoder().decode(await decoder.extractRows(bytesOf(csv), r.failingLines));
    const [why3] = r.failingLines.get(3) ?? [];
    const [why5] = r.failingLines.get(5) ?? [];
    expect(out).toBe(
      `${PRODUCTS_HEADER},_line,_reasons\n` +
        `2,s,abc,C,"multi\nline",B,2.00,D,3,"${why3?.replaceAll('"', '""')}"\n` +
        `3,s,-1.00,C,N,B,2.00,D,5,${why5}\n`,
    );
    expect(why3).toContain('type.parse: cost: "abc" expected a decimal amount');
    expect(why5).toBe('range.non-negative: cost is negative (-1.00); amounts must be 0 or more');
  });
});
