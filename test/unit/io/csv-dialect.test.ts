import { describe, expect, it } from 'vitest';
import {
  PRODUCTS_HEADER,
  ORDERS_HEADER,
  column,
  decodeAll,
  decoder,
  lines,
} from './csv-helpers.js';

const product = (id: string, name = 'Lamp') => `${id},sku-${id},1.50,Home,${name},Acme,3.00,Home`;

describe('CSV dialect', () => {
  it('reads a file with a UTF-8 BOM', async () => {
    const { events, batches, problem } = await decodeAll(
      `\uFEFF${PRODUCTS_HEADER}\n${product('1')}\n`,
    );
    expect(problem).toBeUndefined();
    expect(events[0]).toMatchObject({ kind: 'header', dataset: 'products', extra: [] });
    expect(column(batches, 'id')).toEqual(['1']);
  });

  it('reads CRLF line ends (no stray carriage return in the last column)', async () => {
    const { batches } = await decodeAll(
      `${PRODUCTS_HEADER}\r\n${product('1')}\r\n${product('2')}\r\n`,
    );
    expect(column(batches, 'department')).toEqual(['Home', 'Home']);
    expect(lines(batches)).toEqual([2, 3]);
  });

  it('keeps a comma inside a quoted field', async () => {
    const { batches } = await decodeAll(`${PRODUCTS_HEADER}\n1,s,1.00,"Shoes, Bags",N,B,2.00,D\n`);
    expect(column(batches, 'category')).toEqual(['Shoes, Bags']);
  });

  it('reads a doubled quote as one quote', async () => {
    const { batches } = await decodeAll(
      `${PRODUCTS_HEADER}\n1,s,1.00,C,"The ""Pro"" Kit",B,2.00,D\n`,
    );
    expect(column(batches, 'name')).toEqual(['The "Pro" Kit']);
  });

  it('keeps a newline inside a quoted field and numbers lines by where rows start', async () => {
    const csv = `${PRODUCTS_HEADER}\n1,s,1.00,C,"two\nlines",B,2.00,D\n2,s,1.00,C,"three\r\nlines\nhere",B,2.00,D\n3,s,1.00,C,N,B,2.00,D\n`;
    const { batches } = await decodeAll(csv);
    expect(column(batches, 'name')).toEqual(['two\nlines', 'three\r\nlines\nhere', 'N']);
    expect(lines(batches)).toEqual([2, 4, 7]);
  });

  it('keeps non-ASCII text intact across chunk borders', async () => {
    const name = 'Crème brûlée — 日本語 🎉';
    for (const chunk of [1, 2, 3, 5]) {
      const { batches } = await decodeAll(`${PRODUCTS_HEADER}\n${product('1', name)}\n`, {}, chunk);
      expect(column(batches, 'name')).toEqual([name]);
    }
  });

  it('ignores trailing empty lines (and a last line without a newline)', async () => {
    const a = await decodeAll(`${PRODUCTS_HEADER}\n${product('1')}\n\n\n`);
    const b = await decodeAll(`${PRODUCTS_HEADER}\n${product('1')}`);
    expect(a.problem).toBeUndefined();
    expect(column(a.batches, 'id')).toEqual(['1']);
    expect(column(b.batches, 'id')).toEqual(['1']);
  });

  it('trims header names and accepts any column order, reporting extra columns', async () => {
    const header = ' name , id,sku ,cost,category,brand,retail_price,department, note ';
    const { events, batches } = await decodeAll(`${header}\nLamp,1,s,1.00,C,B,2.00,D,x\n`);
    expect(events[0]).toMatchObject({ kind: 'header', dataset: 'products', extra: ['note'] });
    expect(column(batches, 'name')).toEqual(['Lamp']);
    expect(column(batches, 'cost')).toEqual([100]);
  });

  it('makes empty fields null and lower-cases order status', async () => {
    const csv = `${ORDERS_HEADER}\n1,9,DELIVERED,2025-03-30T16:14:26,,,,2\n`;
    const { batches } = await decodeAll(csv);
    expect(column(batches, 'status')).toEqual(['delivered']);
    expect(column(batches, 'returned_at')).toEqual([null]);
    expect(column(batches, 'created_at')).toEqual([Date.UTC(2025, 2, 30, 16, 14, 26)]);
    expect(column(batches, 'num_of_item')).toEqual([2]);
  });

  it('reads every timestamp form, offsets crossing midnight included', async () => {
    const forms = [
      ['2025-03-31T01:30:00+02:00', Date.UTC(2025, 2, 30, 23, 30)],
      ['2025-03-31 01:30:00+0200', Date.UTC(2025, 2, 30, 23, 30)],
      ['2025-03-30T23:30:00.5-01:00', Date.UTC(2025, 2, 31, 0, 30, 0, 500)],
      ['2025-03-30 23:30:00 UTC', Date.UTC(2025, 2, 30, 23, 30)],
      ['2025-03-30T23:30:00Z', Date.UTC(2025, 2, 30, 23, 30)],
      ['2025-03-30T23:30:00', Date.UTC(2025, 2, 30, 23, 30)],
    ] as const;
    const csv = forms.map(([t], i) => `${i},9,pending,${t},,,,1`).join('\n');
    const { batches, failures } = await decodeAll(`${ORDERS_HEADER}\n${csv}\n`);
    expect(failures).toEqual([]);
    expect(column(batches, 'created_at')).toEqual(forms.map(([, ms]) => ms));
  });

  it('streams: pulls only the chunks needed for the batches taken', async () => {
    let pulled = 0;
    async function* endless(): AsyncIterable<Uint8Array> {
      yield new TextEncoder().encode(`${PRODUCTS_HEADER}\n`);
      const chunk = new TextEncoder().encode(`${product('1')}\n`.repeat(100));
      for (;;) {
        pulled++;
        yield chunk;
      }
    }
    let rows = 0;
    for await (const e of decoder.decode(endless(), 'endless.csv', { batchSize: 1000 })) {
      if (e.kind === 'batch') rows += e.batch.length;
      if (rows >= 3000) break;
    }
    expect(rows).toBe(3000);
    expect(pulled).toBeLessThanOrEqual(31);
  });

  it('cuts batches at the batch size and keeps going', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => product(String(i))).join('\n');
    const { batches } = await decodeAll(`${PRODUCTS_HEADER}\n${rows}\n`, { batchSize: 4 });
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(lines(batches)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
