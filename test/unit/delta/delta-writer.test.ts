// What the writer puts in the log, checked against the protocol's action schemas, plus
// checkpoints, and a second reader (DuckDB) reading the checkpoint and data files we wrote.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { ORDER_KPIS_DAILY } from '../../../src/adapters/delta/delta-analytics-rows.js';
import { loadSnapshot } from '../../../src/adapters/delta/delta-snapshot.js';
import { DeltaTable } from '../../../src/adapters/delta/delta-table.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import type { Fact } from '../../../src/domain/kpi/kpi.types.js';
import { byItem, commitOf, order, racingStores } from './delta-test-support.js';

const scratch = mkdtempSync(join(tmpdir(), 'delta-writer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** 11 commits: versions 0..10 of each table, so version 10 is checkpointed. */
async function elevenCommits(): Promise<{
  store: InMemoryObjectStore;
  tables: DeltaAnalyticsTables;
  model: Fact[];
}> {
  const store = new InMemoryObjectStore();
  const tables = new DeltaAnalyticsTables(store);
  let model: Fact[] = [];
  for (let i = 0; i < 11; i += 1) {
    const facts = order(`o${i % 4}`, i % 3, 1 + (i % 2));
    const ids = new Set(facts.map((f) => f.orderId));
    const old = model
      .filter((f) => ids.has(f.orderId))
      .map((f) => new Date(f.orderCreatedAt).toISOString().slice(0, 10));
    model = [...model.filter((f) => !ids.has(f.orderId)), ...facts];
    await tables.commit(commitOf(`t${i}`, facts, model, old));
  }
  return { store, tables, model };
}

const built = elevenCommits();

const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
const isStringMap = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => x === null || typeof x === 'string');

type Json = Record<string, unknown>;

/** The required fields of PROTOCOL.md's action tables, with their types. */
function checkAction(action: Json, partitionColumns: readonly string[]): string[] {
  const keys = Object.keys(action);
  if (keys.length !== 1) return [`one action per line, got ${keys.join(',')}`];
  const [kind] = keys as [string];
  const a = action[kind] as Json;
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => !ok && problems.push(`${kind}.${what}`);
  switch (kind) {
    case 'add': {
      need(typeof a.path === 'string' && !String(a.path).startsWith('/'), 'path relative string');
      need(isStringMap(a.partitionValues), 'partitionValues map<string,string>');
      need(
        JSON.stringify(Object.keys(a.partitionValues as Json)) === JSON.stringify(partitionColumns),
        'partitionValues keys = partitionColumns',
      );
      need(isInt(a.size) && (a.size as number) > 0, 'size long');
      need(isInt(a.modificationTime), 'modificationTime long');
      need(typeof a.dataChange === 'boolean', 'dataChange boolean');
      const stats = JSON.parse(String(a.stats)) as Json;
      need(isInt(stats.numRecords), 'stats.numRecords');
      for (const k of ['minValues', 'maxValues', 'nullCount'])
        need(typeof stats[k] === 'object', `stats.${k}`);
      need(Object.values(stats.nullCount as Json).every(isInt), 'stats.nullCount longs');
      break;
    }
    case 'remove':
      need(typeof a.path === 'string', 'path');
      need(isInt(a.deletionTimestamp), 'deletionTimestamp long');
      need(typeof a.dataChange === 'boolean', 'dataChange boolean');
      break;
    case 'metaData': {
      need(typeof a.id === 'string', 'id');
      need(
        (a.format as Json).provider === 'parquet' && isStringMap((a.format as Json).options),
        'format',
      );
      const schema = JSON.parse(String(a.schemaString)) as { type: string; fields: Json[] };
      need(schema.type === 'struct', 'schemaString struct');
      need(
        schema.fields.every(
          (f) =>
            typeof f.name === 'string' &&
            typeof f.type === 'string' &&
            typeof f.nullable === 'boolean' &&
            typeof f.metadata === 'object',
        ),
        'schemaString fields',
      );
      const names = schema.fields.map((f) => f.name);
      need(
        Array.isArray(a.partitionColumns) &&
          (a.partitionColumns as string[]).every((c) => names.includes(c)),
        'partitionColumns in schema',
      );
      need(isStringMap(a.configuration), 'configuration map');
      need(isInt(a.createdTime), 'createdTime');
      break;
    }
    case 'protocol':
      need(a.minReaderVersion === 1 && a.minWriterVersion === 2, 'versions 1/2');
      break;
    case 'txn':
      need(
        typeof a.appId === 'string' && isInt(a.version) && isInt(a.lastUpdated),
        'appId/version/lastUpdated',
      );
      break;
    case 'commitInfo':
      need(isInt(a.timestamp) && typeof a.operation === 'string', 'timestamp/operation');
      break;
    default:
      problems.push(`unexpected action ${kind}`);
  }
  return problems;
}

describe('delta writer', () => {
  it('writes only actions with the protocol fields and types', async () => {
    const { store } = await built;
    for (const table of ['order_facts', 'category_kpis', 'order_kpis_daily']) {
      const logKeys = (await store.list(`delta/${table}/_delta_log/`))
        .map((o) => o.key)
        .filter((k) => k.endsWith('.json'));
      expect(logKeys).toHaveLength(11);
      const kindsSeen = new Set<string>();
      for (const [version, key] of logKeys.entries()) {
        const lines = new TextDecoder()
          .decode((await store.get(key)) ?? new Uint8Array())
          .trim()
          .split('\n');
        const actions = lines.map((l) => JSON.parse(l) as Json);
        const kinds = actions.map((a) => Object.keys(a)[0]);
        kinds.forEach((k) => kindsSeen.add(String(k)));
        if (version === 0) expect(kinds).toEqual(expect.arrayContaining(['protocol', 'metaData']));
        expect(kinds.filter((k) => k === 'commitInfo')).toHaveLength(1);
        expect(kinds.filter((k) => k === 'txn')).toHaveLength(1);
        for (const action of actions)
          expect(checkAction(action, ['order_date']), `${key}: ${JSON.stringify(action)}`).toEqual(
            [],
          );
        for (const action of actions.filter((a) => 'add' in a)) {
          const add = action.add as Json;
          expect(
            await store.get(`delta/${table}/${String(add.path)}`),
            String(add.path),
          ).not.toBeNull();
        }
      }
      // the sequence replaces partitions, so every action kind was checked at least once
      expect([...kindsSeen].sort()).toEqual(
        ['add', 'commitInfo', 'metaData', 'protocol', 'remove', 'txn'].sort(),
      );
    }
  });

  it('checkpoints version 10 and reads the same table from it as from the JSON commits', async () => {
    const { store, tables, model } = await built;
    const log = 'delta/order_facts/_delta_log/';
    const hint = JSON.parse(
      new TextDecoder().decode((await store.get(`${log}_last_checkpoint`)) ?? new Uint8Array()),
    ) as Json;
    expect(hint.version).toBe(10);
    expect(await store.get(`${log}00000000000000000010.checkpoint.parquet`)).not.toBeNull();

    const jsonOnly = new InMemoryObjectStore();
    for (const { key } of await store.list('delta/order_facts/')) {
      if (!key.includes('checkpoint'))
        await jsonOnly.put(key, (await store.get(key)) ?? new Uint8Array());
    }
    const fromCheckpoint = await loadSnapshot(store, 'delta/order_facts');
    const fromJson = await loadSnapshot(jsonOnly, 'delta/order_facts');
    expect([...fromCheckpoint.files.keys()].sort()).toEqual([...fromJson.files.keys()].sort());
    expect(
      [...fromCheckpoint.files.values()]
        .map((f) => ({ ...f, dataChange: true }))
        .sort((a, b) => a.path.localeCompare(b.path)),
    ).toEqual([...fromJson.files.values()].sort((a, b) => a.path.localeCompare(b.path)));
    expect(fromCheckpoint.metaData).toEqual(fromJson.metaData);
    expect(fromCheckpoint.protocol).toEqual(fromJson.protocol);
    expect([...fromCheckpoint.txns.keys()].sort()).toEqual([...fromJson.txns.keys()].sort());
    expect(byItem(await tables.readFacts())).toEqual(byItem(model));
    // a checkpoint-only log (JSON commits before it cleaned up) still reads the same rows
    const cleaned = new InMemoryObjectStore();
    for (const { key } of await store.list('delta/order_facts/')) {
      if (!/_delta_log\/0000000000000000000\d\.json$/.test(key))
        await cleaned.put(key, (await store.get(key)) ?? new Uint8Array());
    }
    expect(byItem(await new DeltaAnalyticsTables(cleaned).readFacts())).toEqual(byItem(model));
  });

  it('writes a checkpoint and data files that DuckDB reads with the protocol shape and types', async () => {
    const { store } = await built;
    const checkpoint = join(scratch, 'cp.parquet');
    writeFileSync(
      checkpoint,
      (await store.get('delta/order_facts/_delta_log/00000000000000000010.checkpoint.parquet')) ??
        new Uint8Array(),
    );
    const snapshot = await loadSnapshot(store, 'delta/order_facts');
    const [first] = snapshot.files.values();
    const data = join(scratch, 'data.parquet');
    writeFileSync(
      data,
      (await store.get(`delta/order_facts/${first?.path ?? ''}`)) ?? new Uint8Array(),
    );
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const counts = await db.runAndReadAll(
      `SELECT count(add) AS adds, count(metaData) AS metas, count(protocol) AS protocols, count(txn) AS txns,
              max(protocol.minWriterVersion) AS w, max(metaData.partitionColumns[1]) AS pc
       FROM read_parquet('${checkpoint}')`,
    );
    expect(counts.getRowObjectsJson()[0]).toEqual({
      adds: String(snapshot.files.size),
      metas: '1',
      protocols: '1',
      txns: '11',
      w: 2,
      pc: 'order_date',
    });
    const pv = await db.runAndReadAll(
      `SELECT add.partitionValues['order_date'] AS d FROM read_parquet('${checkpoint}') WHERE add IS NOT NULL`,
    );
    expect(
      pv
        .getRowObjectsJson()
        .map((r) => r.d)
        .sort(),
    ).toEqual([...snapshot.files.values()].map((f) => f.partitionValues.order_date).sort());
    const types = await db.runAndReadAll(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${data}'))`,
    );
    expect(
      Object.fromEntries(types.getRowObjectsJson().map((r) => [r.column_name, r.column_type])),
    ).toEqual({
      item_id: 'VARCHAR',
      order_id: 'VARCHAR',
      user_id: 'VARCHAR',
      order_status: 'VARCHAR',
      order_created_at: 'TIMESTAMP WITH TIME ZONE',
      product_id: 'VARCHAR',
      category: 'VARCHAR',
      sale_price: 'DECIMAL(18,2)',
    });
  });

  it('moves a commit that does not conflict to the next version unchanged', async () => {
    const store = new InMemoryObjectStore();
    const seed = new DeltaTable(store, 't', ORDER_KPIS_DAILY);
    await seed.commit(null, async () => ({
      operation: 'CREATE',
      removes: [],
      writes: [],
      partitions: new Set(),
    }));
    const row = (d: string) => ({
      order_date: d,
      total_orders: 1,
      total_revenue: 150, // cents: decimal(18,2) cells are unscaled integers
      total_items_sold: 2,
      return_rate: 0,
      unique_customers: 1,
    });
    const [sa, sb] = racingStores(store, 2);
    const plan = (d: string) => async () => ({
      operation: 'WRITE',
      removes: [],
      writes: [{ partitionValues: { order_date: d }, rows: [row(d)] }],
      partitions: new Set([JSON.stringify({ order_date: d })]),
    });
    let builds = 0;
    const counted = (d: string) => async () => ((builds += 1), plan(d)());
    const outcomes = await Promise.all([
      new DeltaTable(sa!, 't', ORDER_KPIS_DAILY).commit(null, counted('2025-03-01')),
      new DeltaTable(sb!, 't', ORDER_KPIS_DAILY).commit(null, counted('2025-03-02')),
    ]);
    expect(
      outcomes.map((o) => (o.kind === 'committed' ? [o.version, o.attempts] : o.kind)).sort(),
    ).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(builds).toBe(2); // no rebuild: different partitions
    expect((await seed.read()).map((r) => r.order_date).sort()).toEqual([
      '2025-03-01',
      '2025-03-02',
    ]);
  });
});
