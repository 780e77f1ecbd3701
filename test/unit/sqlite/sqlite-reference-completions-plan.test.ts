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
      const plan = (sql: string) =>
        db
          .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all()
          .map((r) => r.detail);
      for (const query of [
        s.completions,
        s.completionsIntegerItems,
        s.sqlCompletions,
        s.sqlCompletionsIntegerItems,
      ])
        expect(plan(query.source)).toEqual([
          'SCAN t',
          'SEARCH o USING PRIMARY KEY (order_id=?)',
          'SEARCH i USING PRIMARY KEY (order_id=?) LEFT-JOIN',
        ]);
      // a landing's own orders' rows in the same order (the touched orders' key order), which
      // ownCompletions walks in step with the completion query over t_sql
      expect(plan(s.orderRowsAlone.source)).toEqual([
        'SCAN t',
        'SEARCH o USING PRIMARY KEY (order_id=?) LEFT-JOIN',
      ]);
      expect(plan(s.orderRows.source)).toEqual([
        'SCAN t',
        'SEARCH o USING PRIMARY KEY (order_id=?) LEFT-JOIN',
        'CORRELATED SCALAR SUBQUERY 1',
        'SEARCH q USING PRIMARY KEY (order_id=?)',
      ]);
      // whether an item id is TEXT: one seek of the item ids' index, not a scan of ri_items
      expect(plan(s.itemIdText.source)).toEqual([
        'SEARCH ri_items USING COVERING INDEX ri_items_id (item_id>?)',
      ]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
