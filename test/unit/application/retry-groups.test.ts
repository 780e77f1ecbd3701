// `retry`: a group whose workflow ended TransformFailed (a fault that outlived the workflow's own
// retries) is run again once the fault is gone, appending only the events it was missing.
import type { RollUp } from '../../../src/domain/kpi/kpi-periods.js';
import type { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { InMemoryFactStore } from '../../../src/adapters/in-memory/in-memory-fact-store.js';
import { buildInMemoryContainer } from '../../../src/entrypoints/composition/in-memory.container.js';
import {
  pipelineAppOf,
  type PipelineApp,
} from '../../../src/entrypoints/composition/pipeline-app.js';
import type { DatasetName } from '../../../src/domain/datasets.js';
import type { ColumnBatch } from '../../../src/domain/columns.js';
import type { Fact, KpiTotals } from '../../../src/domain/kpi/kpi.types.js';
import { FACT_STORE, type FactStore } from '../../../src/ports/fact-store.port.js';
import {
  STAGING_CODEC,
  type StagingCodec,
  type StagingFileWriter,
  type HashedBatch,
  type StagingReadOptions,
} from '../../../src/ports/staging-codec.port.js';
import type { FactColumns } from '../../../src/domain/kpi/fact-columns.js';

/** a disk that is full until the test frees it */
const outage = { on: true };
const diskFull = (): never => {
  throw new Error('ENOSPC: no space left on device');
};

class FullDiskFactStore implements FactStore {
  constructor(private readonly inner: FactStore) {}
  replaceOrders(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
    return outage.on ? Promise.reject(diskFull()) : this.inner.replaceOrders(orderIds, facts);
  }
  forDates(dates: readonly string[]): Promise<Fact[]> {
    return this.inner.forDates(dates);
  }
  periodTotals(dates: readonly string[], by: RollUp): Promise<KpiTotals> {
    return this.inner.periodTotals(dates, by);
  }
  kpiTotals(dates: readonly string[]): Promise<KpiTotals> {
    return this.inner.kpiTotals(dates);
  }
  count(): Promise<number> {
    return this.inner.count();
  }
  reset(): Promise<void> {
    return this.inner.reset();
  }
  touchedBy(orderIds: readonly string[], facts: FactColumns): Promise<string[]> {
    return this.inner.touchedBy(orderIds, facts);
  }
  version(): Promise<string | null> {
    return this.inner.version();
  }
}

/** staged files cannot be read back: the Validate task itself crashes */
class UnreadableStagingCodec implements StagingCodec {
  constructor(private readonly inner: StagingCodec) {}
  writer(dataset: DatasetName): StagingFileWriter {
    return this.inner.writer(dataset);
  }
  read(
    bytes: Uint8Array,
    dataset: DatasetName,
    o?: StagingReadOptions,
  ): AsyncIterable<ColumnBatch> {
    if (outage.on) diskFull();
    return this.inner.read(bytes, dataset, o);
  }
  readHashed(
    bytes: Uint8Array,
    dataset: DatasetName,
    o?: StagingReadOptions,
  ): AsyncIterable<HashedBatch> {
    if (outage.on) diskFull();
    return this.inner.readHashed(bytes, dataset, o);
  }
}

const files: [DatasetName, string][] = [
  [
    'products',
    'id,sku,cost,category,name,brand,retail_price,department\np1,S,1.00,Toys,Ball,Acme,2.00,Kids',
  ],
  [
    'orders',
    'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item\n1,u1,delivered,2025-03-01T08:00:00,,,,1',
  ],
  [
    'order_items',
    'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price\ni1,1,u1,p1,delivered,,,,,3.50',
  ],
];

const landAll = async (app: PipelineApp): Promise<void> => {
  for (const [dataset, text] of files) {
    await app.deliver(`${dataset}.csv`, new TextEncoder().encode(text), dataset);
  }
  await app.processUntilIdle();
};

const groupEventTypes = async (app: PipelineApp): Promise<string[]> =>
  (await app.eventLog())
    .filter((e) => 'groupId' in e.data && e.type !== 'FileLanded')
    .map((e) => e.type);

const failedApp = async (breakIt: (c: Container) => void): Promise<PipelineApp> => {
  outage.on = true;
  const container = buildInMemoryContainer();
  breakIt(container);
  const app = pipelineAppOf(container, [], async () => {});
  await landAll(app);
  return app;
};

describe('RetryGroups', () => {
  it('completes a group whose Transform failed for good, once, and then finds nothing', async () => {
    const app = await failedApp((c) =>
      c.rebind(FACT_STORE).toConstantValue(new FullDiskFactStore(new InMemoryFactStore())),
    );
    // the touched dates are recorded before the facts write that fails
    expect(await groupEventTypes(app)).toEqual([
      'GroupCompleted',
      'Validated',
      'FactsReplaced',
      'TransformFailed',
    ]);
    expect((await app.kpis()).order).toEqual([]);

    // still broken: the group fails again and says why
    const again = await app.retry();
    expect(again).toMatchObject([{ outcome: 'failed', status: 'transform-failed' }]);
    expect(again[0]?.reason).toContain('ENOSPC');

    outage.on = false;
    const [result, ...rest] = await app.retry();
    expect(rest).toEqual([]);
    expect(result).toMatchObject({ outcome: 'succeeded', status: 'archived', reason: null });
    expect(await groupEventTypes(app)).toEqual([
      'GroupCompleted',
      'Validated',
      'FactsReplaced',
      'TransformFailed',
      'Transformed',
      'Archived',
    ]);
    expect((await app.kpis()).order).toMatchObject([
      { order_date: '2025-03-01', total_orders: 1, total_revenue: 3.5 },
    ]);
    expect(await app.retry()).toEqual([]);
    // naming a done group retries nothing either
    expect(await app.retry([result?.groupId ?? ''])).toMatchObject([
      { outcome: 'skipped', status: 'archived' },
    ]);
    expect((await groupEventTypes(app)).filter((t) => t === 'Transformed')).toHaveLength(1);
  });

  it('validates first when the Validate task itself crashed', async () => {
    const app = await failedApp((c) => {
      const codec = c.get<StagingCodec>(STAGING_CODEC);
      c.rebind(STAGING_CODEC).toConstantValue(new UnreadableStagingCodec(codec));
    });
    expect(await groupEventTypes(app)).toEqual(['GroupCompleted', 'TransformFailed']);

    outage.on = false;
    expect(await app.retry()).toMatchObject([{ outcome: 'succeeded' }]);
    expect(await groupEventTypes(app)).toEqual([
      'GroupCompleted',
      'TransformFailed',
      'Validated',
      'FactsReplaced',
      'Transformed',
      'Archived',
    ]);
    expect((await app.kpis()).order).toHaveLength(1);
  });

  it('does not retry an unknown group', async () => {
    outage.on = false;
    const app = pipelineAppOf(buildInMemoryContainer(), [], async () => {});
    expect(await app.retry(['nope'])).toEqual([
      {
        groupId: 'nope',
        outcome: 'skipped',
        status: 'unknown',
        reason: 'no such group',
        stuckSince: null,
      },
    ]);
  });
});
