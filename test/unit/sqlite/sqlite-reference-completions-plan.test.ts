// The completion query reads each touched order's items in item id order because of its plan
// (t_touched outermost, each order's row, then its items' primary key range), not because of an
// ORDER BY: the plan is checked here, so a change that would reorder the items (a sorter for
// the GROUP BY, another index for the items) fails before the decider's properties do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { referenceStatements } from '../../../src/adapters/sqlite/sqlite-reference-statements.js';

describe('the completion query', () => {
  it('scans the touched orders, then each order row and its items by key, sorting nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ri-plan-'));
    try {
      const db = openSqlite(join(dir, 'state.db'));
      const s = referenceStatements(db);
      const plan = db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${s.completions.source}`)
        .all()
        .map((r) => r.detail);
      expect(plan).toEqual([
        'SCAN t',
        'SEARCH o USING PRIMARY KEY (order_id=?)',
        'SEARCH i USING PRIMARY KEY (order_id=?) LEFT-JOIN',
      ]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
