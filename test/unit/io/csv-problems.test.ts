import { describe, expect, it } from 'vitest';
import { MAX_RECORD_CHARS } from '../../../src/adapters/csv/streaming-csv-decoder.js';
import { ITEMS_HEADER, ORDERS_HEADER, PRODUCTS_HEADER, column, decodeAll } from './csv-helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('files that are not usable CSV', () => {
  it('missing column: MissingColumns naming the column and the dataset', async () => {
    const header = ITEMS_HEADER.replace(',sale_price', '');
    const { problem, events } = await decodeAll(`${header}\n1,1,1,1,delivered,,,,\n`);
    expect(events.filter((e) => e.kind !== 'problem')).toEqual([]);
    expect(problem).toMatchObject({ _tag: 'MissingColumns', line: 1, dataset: 'order_items' });
    expect(problem?.message).toContain('lacks column(s) sale_price');
    expect(problem?.message).toContain('incoming/test.csv, line 1');
  });

  it('names the real header line when blank lines come first', async () => {
    const { problem } = await decodeAll(`\n\n${ITEMS_HEADER.replace(',sale_price', '')}\n`);
    expect(problem).toMatchObject({ _tag: 'MissingColumns', line: 3 });
    expect(problem?.message).toContain('line 3 (header)');
  });

  it('a header that agrees with the landing folder decodes', async () => {
    const { events } = await decodeAll(`${PRODUCTS_HEADER}\n`, { expectedDataset: 'products' });
    expect(events).toMatchObject([{ kind: 'header', dataset: 'products' }]);
  });

  it('duplicate column: DuplicateColumns naming it', async () => {
    const { problem } = await decodeAll(`${PRODUCTS_HEADER},cost\n1,s,1,C,N,B,2,D,3\n`);
    expect(problem).toMatchObject({ _tag: 'DuplicateColumns', line: 1 });
    expect(problem?.message).toContain('column "cost" appears more than once');
  });

  it('unknown header: UnknownHeader naming the closest datasets and what they lack', async () => {
    const { problem } = await decodeAll('when,amount,shop\n2025-01-01,3,x\n');
    expect(problem?._tag).toBe('UnknownHeader');
    expect(problem?.message).toContain('[when, amount, shop] match no dataset');
    expect(problem?.message).toMatch(/Closest: \w+ \(missing [^)]+\); \w+ \(missing/);
  });

  it('header of another dataset than the landing folder: DatasetMismatch', async () => {
    const { problem } = await decodeAll(`${PRODUCTS_HEADER}\n`, { expectedDataset: 'orders' });
    expect(problem).toMatchObject({ _tag: 'DatasetMismatch', dataset: 'products' });
    expect(problem?.message).toContain(
      'landed under incoming/orders/; move it to incoming/products/',
    );
  });

  it('bad number: the cell becomes null plus a parse failure with line, column and raw text', async () => {
    const { batches, failures, problem } = await decodeAll(
      `${PRODUCTS_HEADER}\n1,s,1.00,C,N,B,2.00,D\n2,s,abc,C,N,B,2.00,D\n`,
    );
    expect(problem).toBeUndefined();
    expect(column(batches, 'cost')).toEqual([100, null]);
    expect(failures).toEqual([
      {
        row: 1,
        line: 3,
        column: 'cost',
        raw: 'abc',
        message: expect.stringContaining('cost: "abc" expected a decimal amount'),
      },
    ]);
  });

  it('bad timestamp: null plus a parse failure saying which forms are accepted', async () => {
    const { batches, failures } = await decodeAll(
      `${ORDERS_HEADER}\n1,9,pending,30/03/2025 16:14,,,,1\n`,
    );
    expect(column(batches, 'created_at')).toEqual([null]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ line: 2, column: 'created_at', raw: '30/03/2025 16:14' });
    expect(failures[0]?.message).toContain(
      'expected an ISO 8601 timestamp like 2025-03-30T16:14:26',
    );
  });

  it('unterminated quote: Malformed with the line where the quote opens', async () => {
    const { problem } = await decodeAll(
      `${PRODUCTS_HEADER}\n1,s,1,C,N,B,2,D\n2,s,1,C,"open,B,2,D\n3,s,1,C,N,B,2,D\n`,
    );
    expect(problem).toMatchObject({ _tag: 'Malformed', line: 3 });
    expect(problem?.message).toContain('line 3: a quoted field is never closed');
  });

  it('a row with more fields than the header: Malformed with its line', async () => {
    const { problem } = await decodeAll(
      `${PRODUCTS_HEADER}\n1,s,1,C,N,B,2,D\n2,s,1,C,Shoes, Bags,B,2,D\n`,
    );
    expect(problem).toMatchObject({ _tag: 'Malformed', line: 3 });
    expect(problem?.message).toContain('quote fields that contain commas');
  });

  it('empty file: Empty', async () => {
    for (const input of ['', '\n\n', '\uFEFF']) {
      const { problem, events } = await decodeAll(input);
      expect(events).toHaveLength(1);
      expect(problem).toMatchObject({ _tag: 'Empty' });
      expect(problem?.message).toContain('the file is empty (no header line)');
    }
  });

  it('header only: a header event and zero rows, no problem', async () => {
    const { events } = await decodeAll(`${ORDERS_HEADER}\n`);
    expect(events).toEqual([
      { kind: 'header', dataset: 'orders', columns: ORDERS_HEADER.split(','), extra: [] },
    ]);
  });

  it('invalid UTF-8: NotText naming the line', async () => {
    const bytes = concat(
      enc(`${PRODUCTS_HEADER}\n1,s,1,C,N,B,2,D\n2,s,1,C,`),
      Uint8Array.of(0xc3, 0x28),
      enc(',B,2,D\n'),
    );
    for (const chunk of [1, 2, 3, 4, 5, 1 << 16]) {
      const { problem } = await decodeAll(bytes, {}, chunk);
      expect(problem).toMatchObject({ _tag: 'NotText', line: 3 });
      expect(problem?.message).toContain('line 3: holds bytes that are not valid UTF-8');
    }
  });

  it('NUL byte: NotText naming the line', async () => {
    const bytes = concat(
      enc(`${PRODUCTS_HEADER}\n1,s,1,C,N,B,2,D\n2,s,1,C,N`),
      Uint8Array.of(0),
      enc('B,2,D\n'),
    );
    const { problem } = await decodeAll(bytes, {}, 5);
    expect(problem).toMatchObject({ _tag: 'NotText', line: 3 });
    expect(problem?.message).toContain('holds a NUL byte');
  });

  it('a single 30 MB line: Malformed (record too long), without reading it whole', async () => {
    const huge = 'x'.repeat(30 * 1024 * 1024);
    const bytes = enc(`${PRODUCTS_HEADER}\n1,s,1,C,${huge},B,2,D\n`);
    const { problem, batches } = await decodeAll(bytes, {}, 1 << 16);
    expect(batches).toEqual([]);
    expect(problem).toMatchObject({ _tag: 'Malformed', line: 2 });
    expect(problem?.message).toContain(`a record is longer than ${MAX_RECORD_CHARS} characters`);
  });
});
