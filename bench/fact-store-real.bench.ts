// `npx tsx bench/fact-store-real.bench.ts [--dir .bench] [--cache KiB] [--sort key|item]
// [--autocheckpoint N] [--late-index]`: the Transform's two fact store steps (touchedBy,
// replaceOrders) on the bench shop's real group (the CSVs of `--dir` joined as the pipeline
// joins them: items in file order), in a fresh SQLite state file. Prints CPU and wall seconds of
// each, of a checkpoint after them, the bytes the replace read and wrote (/proc/self/io), the
// WAL's size and the process's peak RSS. The options are the variants round 8 measured.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '../src/adapters/sqlite/sqlite-database.js';
import { SqliteFactStore } from '../src/adapters/sqlite/sqlite-fact-store.js';
import type { FactColumns } from '../src/domain/kpi/fact-columns.js';
import { realGroup } from './real-group.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '.bench' },
    cache: { type: 'string' },
    autocheckpoint: { type: 'string' },
    'late-index': { type: 'boolean' },
    /** 'key': the facts in the table's key order; 'item': in item id order (text) */
    sort: { type: 'string' },
  },
});
const dir = values.dir as string;
const { orderIds, facts: built } = realGroup(dir);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const permuted = (order: number[]): FactColumns => ({
  length: order.length,
  itemId: order.map((i) => built.itemId[i] as string),
  orderId: order.map((i) => built.orderId[i] as string),
  userId: order.map((i) => built.userId[i] as string),
  orderStatus: order.map((i) => built.orderStatus[i] as string),
  orderCreatedAt: Float64Array.from(order, (i) => built.orderCreatedAt[i] as number),
  productId: order.map((i) => built.productId[i] as string),
  category: order.map((i) => built.category[i] ?? null),
  salePriceCents: order.map((i) => built.salePriceCents[i] as number),
});
const day = (i: number): number => Math.floor((built.orderCreatedAt[i] as number) / 86_400_000);
const byKey = (a: number, b: number): number =>
  day(a) - day(b) ||
  cmp(built.orderId[a] as string, built.orderId[b] as string) ||
  cmp(built.itemId[a] as string, built.itemId[b] as string);
const byItem = (a: number, b: number): number =>
  cmp(built.itemId[a] as string, built.itemId[b] as string);
const all = Array.from({ length: built.length }, (_, i) => i);
const facts =
  values.sort === 'key'
    ? permuted(all.sort(byKey))
    : values.sort === 'item'
      ? permuted(all.sort(byItem))
      : built;

const cpu = async <T>(step: () => Promise<T>): Promise<[T, number, number]> => {
  const t = process.cpuUsage();
  const w = performance.now();
  const result = await step();
  const u = process.cpuUsage(t);
  return [result, (u.user + u.system) / 1e6, (performance.now() - w) / 1e3];
};
const home = mkdtempSync(join(tmpdir(), 'fact-store-real-'));
try {
  const db = openSqlite(join(home, 'state.db'));
  if (values.cache !== undefined) db.pragma(`cache_size = -${values.cache}`);
  if (values.autocheckpoint !== undefined)
    db.pragma(`wal_autocheckpoint = ${values.autocheckpoint}`);
  const store = new SqliteFactStore(db);
  const [, tCpu, tWall] = await cpu(() => store.touchedBy(orderIds, facts));
  if (values['late-index'] === true) db.exec('DROP INDEX facts_item');
  const io = (): [number, number] => {
    const text = readFileSync('/proc/self/io', 'latin1');
    const field = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1] ?? 0);
    return [field('rchar'), field('wchar')];
  };
  const ioBefore = io();
  const [dates, rCpu, rWall] = await cpu(async () => {
    const d = await store.replaceOrders(orderIds, facts);
    if (values['late-index'] === true) db.exec('CREATE UNIQUE INDEX facts_item ON facts (item_id)');
    return d;
  });
  const ioAfter = io();
  const wal = statSync(join(home, 'state.db-wal')).size;
  const [, cCpu, cWall] = await cpu(async () => db.pragma('wal_checkpoint(TRUNCATE)'));
  console.log(
    JSON.stringify({
      facts: facts.length,
      dates: dates.length,
      touchedBy_cpu_wall_s: [tCpu, tWall].map((s) => Number(s.toFixed(2))),
      replaceOrders_cpu_wall_s: [rCpu, rWall].map((s) => Number(s.toFixed(2))),
      checkpoint_cpu_wall_s: [cCpu, cWall].map((s) => Number(s.toFixed(2))),
      replace_read_written_mb: [0, 1].map((k) =>
        Math.round(((ioAfter[k] as number) - (ioBefore[k] as number)) / 2 ** 20),
      ),
      wal_mb: Math.round(wal / 2 ** 20),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
