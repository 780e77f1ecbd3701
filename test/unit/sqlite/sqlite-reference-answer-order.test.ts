// The register's tail on the worker: the landing record's compression streams are made before the
// answer is told. Told the answer, the main thread may stop the worker (close() during a
// landing); a worker terminated while Node constructs a brotli stream aborts the whole process
// ("close before init" in node_zlib.cc: CI saw it once, in sqlite-reference-worker-index.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import { itemsFile, ordersFile, productsFile } from '../../contract/reference-index.contract.js';

const calls: string[] = [];

vi.mock('../../../src/adapters/sqlite/sqlite-landing-record.js', async (original) => {
  const real =
    await original<typeof import('../../../src/adapters/sqlite/sqlite-landing-record.js')>();
  return {
    ...real,
    completionsRecordPartsAsync: (...args: Parameters<typeof real.completionsRecordPartsAsync>) => {
      calls.push('record compression started');
      return real.completionsRecordPartsAsync(...args);
    },
  };
});

const scratch = mkdtempSync(join(tmpdir(), 'sqlite-ri-answer-order-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('SqliteReferenceIndex.registerOpened', () => {
  it("starts the record's compression before it tells the answer", async () => {
    const db = openSqlite(join(scratch, 'state.db'));
    const index = new SqliteReferenceIndex(db);
    const ids = Array.from({ length: 20 }, (_, o) => `o${o}`);
    await index.register(productsFile('p.csv', ['p1']), 1);
    await index.register(
      ordersFile(
        'o.csv',
        ids.map((id) => [id, 1]),
      ),
      2,
    );
    const items = itemsFile(
      'i.csv',
      ids.map((id) => [`${id}-i`, id, 'p1']),
    );
    const staged = {
      dataset: 'order_items' as const,
      fileKey: items.fileKey,
      stagedKey: items.stagedKey,
    };
    index.openLanding(staged);
    index.addToLanding(items);
    calls.length = 0;
    const completed = await index.registerOpened(staged, 3, (answer) =>
      calls.push(`answered ${answer.orderIds.length}`),
    );
    expect(completed.orderIds).toHaveLength(20);
    expect(calls).toEqual(['record compression started', 'answered 20']);
    db.close();
  });
});
