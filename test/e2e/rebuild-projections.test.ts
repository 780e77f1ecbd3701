// Issue 12, "replay --rebuild": the event log plus the staged Parquet it points to are the source
// of truth. Each stored projection (grouping index, facts, KPI store, Delta tables) is dropped in
// turn and rebuilt; the KPIs, the Delta contents and `status` then equal the live ones.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaAnalyticsTables } from '../../src/adapters/delta/delta-analytics-tables.js';
import { FileSystemObjectStore } from '../../src/adapters/filesystem/filesystem-object-store.js';
import { PROJECTION_NAMES } from '../../src/application/rebuild-projections.use-case.js';
import { sampleFiles } from '../../src/application/sample-files.js';
import { buildInMemoryContainer } from '../../src/entrypoints/composition/in-memory.container.js';
import { localApp } from '../../src/entrypoints/composition/local.container.js';
import { pipelineAppOf, type PipelineApp } from '../../src/entrypoints/composition/pipeline-app.js';
import { KPI_STORE, type KpiStore } from '../../src/ports/kpi-store.port.js';
import { cli, labData, removeTempDirs, tempDir } from './cli-harness.js';

afterAll(removeTempDirs);

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const ORDERS_H =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';

/** what a reader sees: KPIs of both stores, every Delta fact, and `status` */
const observe = async (app: PipelineApp, home: string) => {
  const delta = new DeltaAnalyticsTables(new FileSystemObjectStore(join(home, 'bucket')));
  const facts = (await delta.readFacts()).sort((a, b) => a.itemId.localeCompare(b.itemId));
  return {
    kpis: await app.kpis(),
    deltaKpis: await app.kpis({}, 'delta'),
    deltaFacts: facts,
    status: await app.status(),
  };
};

describe('replay --rebuild on the sample shop', () => {
  it('drops each projection in turn, rebuilds it from the log, and equals the live state', async () => {
    const home = tempDir('rebuild-sample');
    const app = localApp({ home, logLevel: 'silent' });
    try {
      for (const f of sampleFiles({ orders: 150, seed: 3 }))
        await app.deliver(f.path.split('/').at(-1) ?? f.path, enc(f.text), f.dataset);
      await app.processUntilIdle();
      // a correction that moves an order to another date: facts replaced, two dates touched
      const first = (await app.status()).groups.length;
      const moved = sampleFiles({ orders: 150, seed: 3 })[1]?.text.split('\n')[1] ?? '';
      const [id, user, , , ...rest] = moved.split(',');
      await app.deliver(
        'orders-fix.csv',
        enc(`${ORDERS_H}\n${[id, user, 'returned', '2025-01-02T00:00:00', ...rest].join(',')}\n`),
        'orders',
      );
      await app.processUntilIdle();
      expect((await app.status()).groups.length).toBe(first + 1);

      const live = await observe(app, home);
      expect(live.kpis.order.length).toBeGreaterThan(3);
      expect(live.deltaFacts.length).toBeGreaterThan(100);
      for (const projection of PROJECTION_NAMES) {
        const report = await app.rebuild([projection]);
        expect(report.rebuilt).toEqual([projection]);
        expect(report.differences, projection).toEqual([]);
        expect(await observe(app, home), projection).toEqual(live);
      }
      const all = await app.rebuild();
      expect(all.rebuilt).toEqual([...PROJECTION_NAMES]);
      expect(all.differences).toEqual([]);
      expect(await observe(app, home)).toEqual(live);
    } finally {
      await app.close();
    }
  });

  it('reports a projection that drifted from the log, and puts it right', async () => {
    const container = buildInMemoryContainer();
    const app = pipelineAppOf(container, [], async () => {});
    for (const f of sampleFiles({ orders: 40, seed: 9 }))
      await app.deliver(f.path.split('/').at(-1) ?? f.path, enc(f.text), f.dataset);
    await app.processUntilIdle();
    const live = await app.kpis();
    const store = container.get<KpiStore>(KPI_STORE);
    const [day] = (await store.queryTotals()).days;
    if (day === undefined) throw new Error('no KPI day');
    await store.replaceDates([day.date], { days: [{ ...day, orders: 999 }], categories: [] });
    const report = await app.rebuild(['kpis']);
    expect(report.differences.join('\n')).toMatch(/KPI store rows/);
    expect(await app.kpis()).toEqual(live);
  });
});

describe.skipIf(!existsSync(labData))(
  'replay --rebuild on the lab data (skipped when ../shared/fixtures/lab-data is absent)',
  () => {
    it('equals the live KPIs, Delta KPIs and status', () => {
      const home = tempDir('rebuild-lab');
      expect(cli(home, '--policy', 'quarantine-rows', 'ingest', labData).code).toBe(3);
      const read = () => ({
        kpis: cli(home, 'kpis', '--json').stdout,
        delta: cli(home, 'kpis', '--json', '--source', 'delta').stdout,
        status: cli(home, 'status', '--json').stdout,
      });
      const live = read();
      const run = cli(home, 'replay', '--rebuild');
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(run.stdout).toContain('equal to the live state');
      expect(read()).toEqual(live);
    });
  },
);
if (!existsSync(labData))
  console.warn(`lab data absent at ${labData}: its rebuild test is skipped`);
