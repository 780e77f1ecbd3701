// Facts in SQLite keyed by item id, a group's orders replaced in one transaction (old and new
// dates returned). An order's customer, status and time are in its facts_orders row (one per
// order and day), not on each fact (schema step 14); reads join it by its key.
import { utcDate, utcDayNumber } from '../../domain/dates.js';
import { factDates, type FactColumns } from '../../domain/kpi/fact-columns.js';
import type { Fact, KpiTotals } from '../../domain/kpi/kpi.types.js';
import type { FactStore } from '../../ports/fact-store.port.js';
import type { SqliteDb } from './sqlite-database.js';
import { idKey, idText, type IdKey } from './sqlite-id-key.js';
import { kpiTotalsQuery, ORDER_OF } from './sqlite-kpi-totals.js';
import { sqlitePeriodTotals } from './sqlite-period-totals.js';
import type { RollUp } from '../../domain/kpi/kpi-periods.js';
import { byOrderThenItem, touchedDates } from '../shared/fact-rows.js';
import { clearTables } from './sqlite-clear.js';
import { totalKpisOfColumns } from '../../domain/kpi/column-totals.js';
import { totalsOfDates } from '../../domain/kpi/kpi-totals.js';

interface FactRow {
  order_id: IdKey;
  item_id: IdKey;
  user_id: IdKey;
  order_status: string;
  order_created_at: number;
  product_id: IdKey;
  category: string | null;
  sale_price_cents: number;
}

const toFact = (r: FactRow): Fact => ({
  itemId: idText(r.item_id),
  orderId: idText(r.order_id),
  userId: idText(r.user_id),
  orderStatus: r.order_status,
  orderCreatedAt: r.order_created_at,
  productId: idText(r.product_id),
  category: r.category,
  salePriceCents: r.sale_price_cents,
});

/**
 * A stored id's placeholder: a number is bound as a double by better-sqlite3, so it is CAST to
 * INTEGER (a column without affinity would keep it REAL, 8 bytes); text as it is. A statement is
 * prepared per combination of numeric ids (a mask, bit per id column), on first use.
 */
const idParam = (numeric: number): string => (numeric !== 0 ? 'CAST(? AS INTEGER)' : '?');

/**
 * The facts whose `column` is in the JSON array bound, as a join led by the array: one index
 * seek per id. `IN (SELECT ...)` first builds a temporary index of all the ids (1M item ids:
 * 0.45 s of CPU on an empty table against 0.07 s, 0.74 s against 0.38 s on a full one).
 */
const LISTED = (column: string) =>
  `json_each(?) AS listed CROSS JOIN facts ON facts.${column} = listed.value`;

// facts hold their date as a UTC day number (schema step 8: a third of the bytes of the text in
// the key and in both indexes); the port speaks YYYY-MM-DD
const DATE = `date(order_day * 86400, 'unixepoch')`;
const dayOf = (epochMs: number): number => {
  utcDate(epochMs); // throws on an invalid time, as the text column's writer did
  return utcDayNumber(epochMs);
};

/**
 * Ids go to SQLite as JSON arrays of this many: a 3M-fact group's ids as one array were two
 * strings of ~10-30 MB, each copied by SQLite and parsed again by json_each, twice (touchedBy,
 * replaceOrders), beside the group's facts. In pieces the transient stays a few MB.
 */
const IDS_PER_ARRAY = 50_000;

/**
 * The orders a replace removes (replacedOrders), as JSON arrays of IDS_PER_ARRAY ids: the listed
 * ones, then the facts' orders. A repeat is harmless to the queries (DISTINCT dates, an idempotent
 * DELETE), so only a fact's order equal to the previous fact's is skipped (an order's facts are
 * adjacent): no Set of every order of the group.
 */
function* orderArrays(
  orderIds: readonly string[],
  facts: FactColumns,
  size: number,
): Generator<string> {
  // a plain loop per id, a yield per array (a delegated generator per id cost ~0.2 s at 1M)
  let chunk: IdKey[] = [];
  for (const id of orderIds) {
    chunk.push(idKey(id));
    if (chunk.length < size) continue;
    yield JSON.stringify(chunk);
    chunk = [];
  }
  let previous: string | undefined;
  for (const id of facts.orderId) {
    if (id === previous) continue;
    previous = id;
    chunk.push(idKey(id));
    if (chunk.length < size) continue;
    yield JSON.stringify(chunk);
    chunk = [];
  }
  if (chunk.length > 0) yield JSON.stringify(chunk);
}

/** the facts' distinct UTC day numbers (an order's facts are adjacent: one Set add a run) */
const factDays = (facts: FactColumns): number[] => {
  const days = new Set<number>();
  let previous = NaN;
  for (let i = 0; i < facts.length; i++) {
    const day = utcDayNumber(facts.orderCreatedAt[i] as number);
    if (day !== previous) days.add(day);
    previous = day;
  }
  return [...days];
};

/** the facts' item ids as JSON arrays of IDS_PER_ARRAY */
function* itemArrays(facts: FactColumns, size: number): Generator<string> {
  for (let i = 0; i < facts.length; i += size)
    yield JSON.stringify(facts.itemId.slice(i, i + size).map(idKey));
}

/** the listed orders' rows of facts_orders (schema step 12), as `o` */
const LISTED_ORDERS =
  'json_each(?) AS listed CROSS JOIN facts_orders AS o ON o.order_id = listed.value';

/**
 * A prepared statement. Its values are passed as arguments (`run(...values)`), not as one array:
 * better-sqlite3 then reads each from the call instead of getting it from the array (1M facts:
 * 0.1-0.4 CPU s less).
 */
interface Runnable {
  run(...values: unknown[]): { changes: number };
}

/** the statement of `rows` rows whose ids are numeric as `mask` tells (see idParam) */
type Statements = (rows: number, mask: number) => Runnable;

/** statements made by `make`, prepared on first use */
const statementsOf = (make: (rows: number, mask: number) => Runnable): Statements => {
  const made = new Map<number, Runnable>();
  return (rows, mask) => {
    const key = rows * 64 + mask;
    let statement = made.get(key);
    if (statement === undefined) {
      statement = make(rows, mask);
      made.set(key, statement);
    }
    return statement;
  };
};

/**
 * Rows of `width` values bound in `values`, ROWS_PER_INSERT of them, with their masks: one
 * statement where every row has the same mask (every group of a shop with numeric ids, or with
 * none), else one statement a row. Returns the rows inserted.
 */
const runRows = (
  statements: Statements,
  values: unknown[],
  masks: Uint8Array,
  width: number,
): number => {
  const mask = masks[0] as number;
  if (masks.every((m) => m === mask))
    return statements(ROWS_PER_INSERT, mask).run(...values).changes;
  let inserted = 0;
  for (let r = 0; r < ROWS_PER_INSERT; r++)
    inserted += statements(1, masks[r] as number).run(
      ...values.slice(r * width, (r + 1) * width),
    ).changes;
  return inserted;
};

/** the 5 values of an order's row of facts_orders, its ids' placeholders as `mask` tells */
const orderValues = (mask: number): string =>
  `(${idParam(mask & 1)}, ?, ${idParam(mask & 2)}, ?, ?)`;

/**
 * Each (order, day) of the facts into facts_orders with the order's customer, status and time
 * (schema step 14: stored once per order, not on each of its items' rows), ROWS_PER_INSERT a
 * statement by INSERT OR IGNORE: an order's facts are adjacent, so only a fact of the same
 * order and day as the previous one is skipped. Calls `each(values, masks, n)` with every block
 * of rows (n of them, the last block short); returns the rows it was given.
 */
const orderRows = (
  facts: FactColumns,
  each: (values: unknown[], masks: Uint8Array, n: number) => void,
): number => {
  const values = new Array<unknown>(ROWS_PER_INSERT * ORDER_WIDTH);
  const masks = new Uint8Array(ROWS_PER_INSERT);
  let n = 0;
  let rows = 0;
  let order: string | undefined;
  let day = NaN;
  for (let i = 0; i < facts.length; i++) {
    const o = facts.orderId[i] as string;
    const created = facts.orderCreatedAt[i] as number;
    const d = dayOf(created);
    if (o === order && d === day) continue;
    order = o;
    day = d;
    const stored = idKey(o);
    const user = idKey(facts.userId[i] as string);
    masks[n] = (typeof stored === 'number' ? 1 : 0) | (typeof user === 'number' ? 2 : 0);
    const at = n * ORDER_WIDTH;
    values[at] = stored;
    values[at + 1] = d;
    values[at + 2] = user;
    values[at + 3] = facts.orderStatus[i];
    values[at + 4] = created;
    rows += 1;
    if (++n < ROWS_PER_INSERT) continue;
    each(values, masks, n);
    n = 0;
  }
  if (n > 0) each(values, masks, n);
  return rows;
};

/** values in facts_orders per order row */
const ORDER_WIDTH = 5;

/**
 * The facts' orders into facts_orders. A row of the same (order, day) may be there already: one
 * that outlived its facts (its items moved to another order: readers check the facts), or the
 * group repeats the pair apart from its first run. So INSERT OR IGNORE (no statement journal,
 * see ROWS_PER_INSERT) first, and where it ignored a row, every row again by INSERT OR REPLACE,
 * one a statement: the order's own customer, status and time win (the last of the group's).
 */
const insertOrders = (facts: FactColumns, ignore: Statements, replace: Statements): void => {
  let inserted = 0;
  const given = orderRows(facts, (values, masks, n) => {
    if (n === ROWS_PER_INSERT) inserted += runRows(ignore, values, masks, ORDER_WIDTH);
    else
      for (let k = 0; k < n; k++)
        inserted += ignore(1, masks[k] as number).run(
          ...values.slice(k * ORDER_WIDTH, (k + 1) * ORDER_WIDTH),
        ).changes;
  });
  if (inserted === given) return;
  orderRows(facts, (values, masks, n) => {
    for (let k = 0; k < n; k++)
      replace(1, masks[k] as number).run(...values.slice(k * ORDER_WIDTH, (k + 1) * ORDER_WIDTH));
  });
};

/**
 * rows per INSERT OR IGNORE statement: 64 rows of 9 values bind in one call (12% less CPU than
 * 1). Only where no row can conflict: a multi-row statement that may abort (INSERT OR REPLACE
 * on NOT NULL columns) keeps a statement journal of every page it changes, spilled to a temp
 * file past 64 KB (1M facts: ~470k page writes, 1.5-2 CPU s); INSERT OR IGNORE never aborts.
 */
const ROWS_PER_INSERT = 64;

/** values in a fact's row: the order's customer, status and time are in facts_orders */
const FACT_WIDTH = 6;

/** the 6 values of a fact's row, its ids' placeholders as `mask` tells (bits 1, 2, 4) */
const factValues = (mask: number): string =>
  `(${idParam(mask & 1)}, ${idParam(mask & 2)}, ?, ${idParam(mask & 4)}, ?, ?)`;

/** fact `i` as the 6 values of the INSERT, into `values` from `at`; returns its ids' mask */
const bindFact = (values: unknown[], at: number, facts: FactColumns, i: number): number => {
  const order = idKey(facts.orderId[i] as string);
  const item = idKey(facts.itemId[i] as string);
  const product = idKey(facts.productId[i] as string);
  values[at] = order;
  values[at + 1] = item;
  values[at + 2] = dayOf(facts.orderCreatedAt[i] as number);
  values[at + 3] = product;
  values[at + 4] = facts.category[i] ?? null;
  values[at + 5] = facts.salePriceCents[i];
  return (
    (typeof order === 'number' ? 1 : 0) |
    (typeof item === 'number' ? 2 : 0) |
    (typeof product === 'number' ? 4 : 0)
  );
};

/** the facts by multi-row statements of ROWS_PER_INSERT (then one by one); the rows inserted */
const insertNew = (facts: FactColumns, statements: Statements): number => {
  const values = new Array<unknown>(ROWS_PER_INSERT * FACT_WIDTH);
  const masks = new Uint8Array(ROWS_PER_INSERT);
  let inserted = 0;
  let i = 0;
  for (; i + ROWS_PER_INSERT <= facts.length; i += ROWS_PER_INSERT) {
    for (let r = 0; r < ROWS_PER_INSERT; r++)
      masks[r] = bindFact(values, r * FACT_WIDTH, facts, i + r);
    inserted += runRows(statements, values, masks, FACT_WIDTH);
  }
  const single = new Array<unknown>(FACT_WIDTH);
  for (; i < facts.length; i++) {
    const mask = bindFact(single, 0, facts, i);
    inserted += statements(1, mask).run(...single).changes;
  }
  return inserted;
};

/** the facts one statement each (INSERT OR REPLACE) */
const replaceFacts = (facts: FactColumns, statements: Statements): void => {
  const single = new Array<unknown>(FACT_WIDTH);
  for (let i = 0; i < facts.length; i++) {
    const mask = bindFact(single, 0, facts, i);
    statements(1, mask).run(...single);
  }
};

/**
 * Fact writes made through each connection. PRAGMA data_version tells commits of OTHER
 * connections only, and total_changes() counts every table (the KPI store shares the
 * connection and writes between two aggregations), so the fact writes of this connection are
 * counted here, by every SqliteFactStore on it.
 */
const factWrites = new WeakMap<SqliteDb, number>();
const countWrite = (db: SqliteDb): void => void factWrites.set(db, (factWrites.get(db) ?? 0) + 1);

/**
 * What touchedBy found for a group, kept for the replace that follows it: where it found no
 * date at all (none of the orders or items has a fact: every first delivery), the replace
 * skips its two lookups (~0.5 s of CPU at 1M), as long as no fact was written in between
 * (`token`, version()'s value when touchedBy began, read again inside the replace's
 * transaction).
 */
interface UntouchedGroup {
  readonly token: string;
  readonly orderIds: readonly string[];
  readonly facts: FactColumns;
}

/**
 * The KPI totals of the facts the last replace wrote, where the days they fall on held no other
 * fact (and the replace stored every fact as given): then those are all the facts of those
 * dates, and kpiTotals of them answers from here (totalKpisOfColumns, ~0.3 s at 1M against
 * ~1.1 s for SQLite's aggregation) while `token` (read inside the replace's transaction, so no
 * other connection's commit can fall between) is still the store's version.
 */
interface WrittenTotals {
  readonly token: string;
  readonly dates: ReadonlySet<string>;
  readonly totals: KpiTotals;
}

export class SqliteFactStore implements FactStore {
  private readonly replaceTx;
  private readonly byDate;
  private readonly counter;
  private readonly datesOfOrders: (ordersJson: string) => string[];
  private readonly datesOfItems: (itemsJson: string) => string[];
  private readonly totals;
  private readonly dataVersion;
  private readonly dayHasFacts;
  private readonly hasFacts: () => boolean;

  private readonly idsPerArray: number;
  private untouched: UntouchedGroup | null = null;
  private written: WrittenTotals | null = null;

  /** options.idsPerArray: ids per JSON array bound (IDS_PER_ARRAY; tests make it small) */
  constructor(
    private readonly db: SqliteDb,
    options: { readonly idsPerArray?: number } = {},
  ) {
    this.idsPerArray = options.idsPerArray ?? IDS_PER_ARRAY;
    // set-based: a group's order and item ids go to SQLite as JSON arrays (IDS_PER_ARRAY ids
    // each), so a 1M-item replace is a few statements instead of a lookup per order and item
    // an order's days from facts_orders (schema step 12), kept only where facts remain
    const datesOfOrders = db.prepare<[string], { d: string }>(
      `SELECT DISTINCT ${DATE} AS d FROM ${LISTED_ORDERS}
       WHERE EXISTS (SELECT 1 FROM facts f WHERE f.order_day = o.order_day AND f.order_id = o.order_id)`,
    );
    const datesOfItems = db.prepare<[string], { d: string }>(
      `SELECT DISTINCT ${DATE} AS d FROM ${LISTED('item_id')}`,
    );
    // the listed orders' facts as key ranges (order_day, order_id), then their days
    const remove = db.prepare<[string]>(
      `DELETE FROM facts WHERE (order_day, order_id) IN
         (SELECT o.order_day, o.order_id FROM ${LISTED_ORDERS})`,
    );
    const removeDays = db.prepare<[string]>(
      `DELETE FROM facts_orders WHERE (order_id, order_day) IN
         (SELECT o.order_id, o.order_day FROM ${LISTED_ORDERS})`,
    );
    const ordersSql = (verb: string, rows: number, mask: number) =>
      `${verb} INTO facts_orders (order_id, order_day, user_id, order_status, order_created_at)
       VALUES ${Array<string>(rows).fill(orderValues(mask)).join(', ')}`;
    const ordersIgnoring = statementsOf((rows, mask) =>
      db.prepare<unknown[]>(ordersSql('INSERT OR IGNORE', rows, mask)),
    );
    const ordersReplacing = statementsOf((rows, mask) =>
      db.prepare<unknown[]>(ordersSql('INSERT OR REPLACE', rows, mask)),
    );
    const insertSql = (verb: string, rows: number, mask: number) =>
      `${verb} INTO facts (order_id, item_id, order_day, product_id, category, sale_price_cents)
       VALUES ${Array<string>(rows).fill(factValues(mask)).join(', ')}`;
    // where no fact has a group's item id (every item new, or its order's facts deleted above):
    // no row conflicts, so IGNORE drops nothing and needs no statement journal
    const insertNewRows = statementsOf((rows, mask) =>
      db.prepare<unknown[]>(insertSql('INSERT OR IGNORE', rows, mask)),
    );
    // INSERT OR REPLACE: the unique item_id index drops a moved item's old fact. One row a
    // statement: a single-row statement keeps no statement journal (see ROWS_PER_INSERT).
    const replaceRows = statementsOf((rows, mask) =>
      db.prepare<unknown[]>(insertSql('INSERT OR REPLACE', rows, mask)),
    );
    this.datesOfOrders = (orders: string): string[] => datesOfOrders.all(orders).map((r) => r.d);
    // an item moved from another order: its old date changes too
    this.datesOfItems = (items: string): string[] => datesOfItems.all(items).map((r) => r.d);
    this.byDate = db.prepare<[string], FactRow>(
      `SELECT f.order_id, f.item_id, o.user_id, o.order_status, o.order_created_at, f.product_id,
         f.category, f.sale_price_cents
       FROM facts AS f CROSS JOIN ${ORDER_OF('f')} WHERE f.order_day = unixepoch(?) / 86400`,
    );
    this.totals = kpiTotalsQuery(db);
    this.counter = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM facts');
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.dayHasFacts = db
      .prepare<[number], number>('SELECT EXISTS (SELECT 1 FROM facts WHERE order_day = ?)')
      .pluck();
    const anyFact = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM facts)').pluck();
    this.hasFacts = () => anyFact.get() === 1;
    this.replaceTx = db.transaction((orderIds: readonly string[], facts: FactColumns) => {
      // touchedBy's answer holds if it was for these orders and facts and no fact moved since
      const untouched = this.untouched;
      this.untouched = null;
      // or no fact at all is stored (read under the write lock): no order or item has a date
      const known =
        (untouched !== null &&
          untouched.orderIds === orderIds &&
          untouched.facts === facts &&
          untouched.token === this.token()) ||
        !this.hasFacts();
      countWrite(db);
      const removed = new Set<string>();
      if (!known)
        for (const orders of orderArrays(orderIds, facts, this.idsPerArray)) {
          const dates = this.datesOfOrders(orders);
          dates.forEach((d) => removed.add(d));
          // orders without a date have no fact to delete (every order of a first delivery)
          if (dates.length > 0) {
            remove.run(orders);
            removeDays.run(orders);
          }
        }
      // the listed orders' facts are gone: an item found now is under another order (moved)
      let moved = false;
      if (!known)
        for (const items of itemArrays(facts, this.idsPerArray)) {
          const dates = this.datesOfItems(items);
          if (dates.length > 0) moved = true;
          dates.forEach((d) => removed.add(d));
        }
      // the facts' days without any fact now: after the insert, the facts are all of theirs
      const days = factDays(facts);
      const alone = days.every((day) => this.dayHasFacts.get(day) === 0);
      // IGNORE inserts every row unless the group repeats an item id or a value is NULL (NaN):
      // then REPLACE again over them, as it would have (the last fact of an item kept, a NULL
      // throws)
      let whole = !moved;
      if (moved || insertNew(facts, insertNewRows) < facts.length) {
        whole = false;
        replaceFacts(facts, replaceRows);
      }
      insertOrders(facts, ordersIgnoring, ordersReplacing);
      // read while the write lock is held: no other connection's commit comes before it
      return { dates: touchedDates(removed, facts), alone: alone && whole, token: this.token() };
    });
  }

  /** version()'s value */
  private token(): string {
    return `${this.dataVersion.get() ?? 0}:${factWrites.get(this.db) ?? 0}`;
  }

  async replaceOrders(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
    this.written = null;
    const { dates, alone, token } = this.replaceTx.immediate(orderIds, facts);
    // after the commit: the lock is not held while the totals are added up
    if (alone)
      this.written = { token, dates: new Set(factDates(facts)), totals: totalKpisOfColumns(facts) };
    return dates;
  }

  async version(): Promise<string | null> {
    return this.token();
  }

  async touchedBy(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
    this.untouched = null;
    const token = this.token();
    const before = new Set<string>();
    // no fact stored (a first delivery into a new state): no order or item has a date, so the
    // two lookups, their JSON arrays and index seeks (1M items: ~0.4 s, 3M: ~1.2 s) are skipped
    if (this.hasFacts()) {
      for (const orders of orderArrays(orderIds, facts, this.idsPerArray))
        this.datesOfOrders(orders).forEach((d) => before.add(d));
      for (const items of itemArrays(facts, this.idsPerArray))
        this.datesOfItems(items).forEach((d) => before.add(d));
    }
    if (before.size === 0) this.untouched = { token, orderIds, facts };
    return touchedDates(before, facts);
  }

  async forDates(dates: readonly string[]): Promise<Fact[]> {
    const rows = [...new Set(dates)].flatMap((d) => this.byDate.all(d));
    return rows.map(toFact).sort(byOrderThenItem);
  }

  async kpiTotals(dates: readonly string[]): Promise<KpiTotals> {
    const written = this.written;
    if (written !== null && written.token === this.token()) {
      if (dates.every((d) => written.dates.has(d))) return totalsOfDates(written.totals, dates);
    } else this.written = null;
    return this.totals(dates);
  }

  async periodTotals(dates: readonly string[], by: RollUp): Promise<KpiTotals> {
    return sqlitePeriodTotals(this.db, dates, by);
  }

  async count(): Promise<number> {
    return this.counter.get()?.n ?? 0;
  }

  async reset(): Promise<void> {
    this.written = null;
    this.untouched = null;
    countWrite(this.db);
    clearTables(this.db, { names: ['facts', 'facts_orders'] });
  }
}
