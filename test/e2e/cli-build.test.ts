// The CLI as `npm ci` leaves it: compiled by the build script into dist/, and started by
// bin/shop-pipeline.js from there (no TypeScript compiled at start). Built here into a scratch
// tree holding only what an install has (bin/, dist/, package.json, node_modules), so the bin
// cannot fall back to the sources.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../src/adapters/delta/delta-analytics-tables.js';
import { FileSystemObjectStore } from '../../src/adapters/filesystem/filesystem-object-store.js';
import { bin, removeTempDirs, repoRoot, tempDir } from './cli-harness.js';

afterAll(removeTempDirs);

describe('the compiled CLI', () => {
  it('builds with tsc and answers --help and --version from dist/', async () => {
    const tree = tempDir('built');
    const tsc = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        join(repoRoot, 'tsconfig.build.json'),
        '--outDir',
        join(tree, 'dist'),
      ],
      { encoding: 'utf8' },
    );
    expect(tsc.status, tsc.stdout).toBe(0);
    mkdirSync(join(tree, 'bin'));
    copyFileSync(bin, join(tree, 'bin', 'shop-pipeline.js'));
    copyFileSync(join(repoRoot, 'package.json'), join(tree, 'package.json'));
    symlinkSync(join(repoRoot, 'node_modules'), join(tree, 'node_modules'));
    expect(existsSync(join(tree, 'src'))).toBe(false);

    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(tree, 'bin', 'shop-pipeline.js'), ...args], {
        encoding: 'utf8',
      });
    const help = run('--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Examples');
    const version = run('--version');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
      scripts: Record<string, string>;
    };
    expect(version.stdout.trim()).toBe(pkg.version);
    // npm ci runs `prepare`, which builds dist/
    expect(pkg.scripts.prepare).toBe('npm run build');

    // an ingest whose group is big enough for the Delta commit worker (DELTA_WORKER_MIN_FACTS):
    // with a core to spare the compiled worker entry runs from dist/ (else the commit is inline),
    // and either way the process ends by itself with every fact committed
    // the local workflow reads the state machine's definition from infra/, as an install has it
    mkdirSync(join(tree, 'infra', 'state-machine'), { recursive: true });
    const asl = join('infra', 'state-machine', 'pipeline.asl.json');
    copyFileSync(join(repoRoot, asl), join(tree, asl));
    const shop = tempDir('worker-shop');
    const files = writeShop(shop, 8_000, 3); // 24,000 items
    const home = tempDir('worker-home');
    const ingest = spawnSync(
      process.execPath,
      [join(tree, 'bin', 'shop-pipeline.js'), '--home', home, 'ingest', ...files],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect([ingest.status, ingest.signal], ingest.stderr).toEqual([0, null]);
    expect(ingest.stderr).toContain('0 rejected');
    expect(ingest.stderr).toContain('1 group workflow(s) run');
    const tables = new DeltaAnalyticsTables(new FileSystemObjectStore(join(home, 'bucket')));
    const facts = await tables.readFacts();
    expect([facts.length, new Set(facts.map((f) => f.itemId)).size]).toEqual([24_000, 24_000]);

    // the staging encode worker from dist/ (this shop's files are below its size threshold, so
    // it is forced here): the compiled entry starts, gives the inline writer's bytes, and the
    // process ends by itself
    // a module file, not --eval: a worker inherits the process's execArgv (--input-type)
    const check = join(tree, 'staging-worker-check.mjs');
    writeFileSync(check, stagingWorkerScript(join(tree, 'dist')));
    const staged = spawnSync(process.execPath, [check], { encoding: 'utf8', timeout: 120_000 });
    expect([staged.status, staged.signal, staged.stderr]).toEqual([0, null, '']);
    expect(staged.stdout.trim()).toBe('worker bytes equal: true');
    // the reference index's register worker from dist/ (that ingest's landings are below its
    // size limit, so it is started here directly, on every landing)
    const dist = (path: string) => JSON.stringify(pathToFileURL(join(tree, 'dist', path)).href);
    const script = join(tempDir('worker-index'), 'register.mjs');
    writeFileSync(
      script,
      `const { openSqlite } = await import(${dist('adapters/sqlite/sqlite-database.js')});
       const { SqliteReferenceIndex } = await import(${dist('adapters/sqlite/sqlite-reference-index.js')});
       const { SqliteWorkerReferenceIndex } = await import(${dist('adapters/sqlite/sqlite-reference-worker-index.js')});
       const path = ${JSON.stringify(join(tempDir('worker-index-home'), 'state.db'))};
       const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(openSqlite(path)),
         { path, minBytes: 0, spareCore: () => true });
       const staging = index.begin('order_items', { fileKey: 'i.csv', stagedKey: 'staging/i.parquet', bytes: 1 });
       staging.add({ dataset: 'order_items', itemIds: ['i1'], orderIds: ['o1'],
         productIds: ['p1'], hashes: ['h1'] });
       const answer = await staging.register('i.csv', 'staging/i.parquet', 1);
       console.log(answer.orderIds.length, (await index.pending())[0].landedItems);`,
    );
    const registered = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect([registered.status, registered.stderr, registered.stdout.trim()]).toEqual([
      0,
      '',
      '0 1',
    ]);
  });
});

/** stages one products batch with the compiled worker codec (forced) and the inline codec */
function stagingWorkerScript(dist: string): string {
  const url = (f: string) =>
    JSON.stringify(pathToFileURL(join(dist, 'adapters', 'parquet', f)).href);
  return `
    import { ParquetWorkerCodec } from ${url('parquet-worker-codec.js')};
    import { ParquetStagingCodec } from ${url('parquet-staging-codec.js')};
    const n = 1000;
    const text = (f) => ({ type: 'string', values: Array.from({ length: n }, (_, i) => f(i)) });
    const money = { type: 'money', values: Float64Array.from({ length: n }, (_, i) => i * 7), valid: new Uint8Array(n).fill(1) };
    const batch = { dataset: 'products', length: n, lines: Uint32Array.from({ length: n }, (_, i) => i + 2),
      columns: { id: text(String), sku: text((i) => 'S' + i), cost: money, category: text((i) => 'C' + (i % 4)),
        name: text((i) => 'P' + i), brand: text(() => 'B'), retail_price: money, department: text(() => 'D') } };
    const write = (codec) => { const w = codec.writer('products'); w.append(batch); return w.finish(); };
    const worker = await write(new ParquetWorkerCodec({ rowGroupRows: 256, minRows: 1, spareCore: () => true }));
    const inline = await write(new ParquetStagingCodec({ rowGroupRows: 256 }));
    console.log('worker bytes equal: ' + Buffer.from(worker).equals(Buffer.from(inline)));
  `;
}

/** products, `orders` orders of `items` items each over three days, as a shop exports them */
function writeShop(dir: string, orders: number, items: number): string[] {
  const products = ['id,sku,cost,category,name,brand,retail_price,department'];
  for (let p = 1; p <= 50; p++) products.push(`${p},SKU-${p},1.00,Cat${p % 5},P${p},B,2.00,D`);
  const orderRows = [
    'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item',
  ];
  const itemRows = [
    'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price',
  ];
  for (let o = 1; o <= orders; o++) {
    const at = `2025-03-0${1 + (o % 3)}T10:00:00`;
    orderRows.push(`${o},${o % 900},processing,${at},,,,${items}`);
    for (let i = 0; i < items; i++) {
      const id = (o - 1) * items + i + 1;
      itemRows.push(
        `${id},${o},${o % 900},${1 + (id % 50)},processing,${at},,,,${10 + (id % 90)}.25`,
      );
    }
  }
  const paths = ['products', 'orders', 'order_items'].map((n) => join(dir, `${n}.csv`));
  [products, orderRows, itemRows].forEach((rows, i) =>
    writeFileSync(paths[i] as string, `${rows.join('\n')}\n`),
  );
  return paths;
}
