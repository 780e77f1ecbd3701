// A group whose GroupCompleted is stored but whose workflow never started (on AWS: every receive
// of the publish failed) stays `completed` forever. Once its silence passes the workflow's
// longest life, `status` shows it stuck and `retry` (no names) runs it, ending with the KPIs of a
// fault-free run. The clock is a ManualClock moved by the test.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/in-memory/manual-clock.js';
import { STUCK_AFTER_MS } from '../../../src/application/stuck-groups.js';
import { sampleShop } from '../../../src/domain/sample/sample-shop.js';
import { statusJson, statusText } from '../../../src/entrypoints/cli/status-render.js';
import {
  buildInMemoryContainer,
  inMemoryApp,
} from '../../../src/entrypoints/composition/in-memory.container.js';
import {
  pipelineAppOf,
  type PipelineApp,
} from '../../../src/entrypoints/composition/pipeline-app.js';
import { WORKFLOW_STARTER, type WorkflowStarter } from '../../../src/ports/workflow.port.js';

const shop = sampleShop({ orders: 8, seed: 5, products: 4 });
const text = (lines: Iterable<string>) => new TextEncoder().encode([...lines].join('\n') + '\n');
const land = async (app: PipelineApp): Promise<void> => {
  await app.deliver('items.csv', text(shop.orderItems), 'order_items');
  await app.deliver('orders.csv', text(shop.orders), 'orders');
  await app.deliver('products.csv', text(shop.products), 'products');
  await app.processUntilIdle();
};

describe('retry of a stuck group (its workflow never started)', () => {
  it('is shown stuck only past the limit, and retry brings it to the fault-free KPIs', async () => {
    const healthy = inMemoryApp();
    await land(healthy);
    const expected = await healthy.kpis();
    expect(expected.order.length).toBeGreaterThan(0);

    const clock = new ManualClock(Date.UTC(2025, 3, 1));
    const container = buildInMemoryContainer({ clock });
    const real = container.get<WorkflowStarter>(WORKFLOW_STARTER);
    const lost = { on: true };
    const starts: string[] = [];
    // every start is lost (no execution), but the caller hears nothing of it, as on AWS
    const starter: WorkflowStarter = {
      start: async (input) => {
        starts.push(input.groupId);
        return lost.on
          ? { executionName: `group-${input.groupId}`, alreadyStarted: false }
          : real.start(input);
      },
    };
    container.rebind(WORKFLOW_STARTER).toConstantValue(starter);
    const app = pipelineAppOf(container, [], async () => {});
    await land(app);
    lost.on = false;

    const groups = (await app.status()).groups;
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((g) => g.status === 'completed')).toBe(true);
    expect([...new Set(starts)].sort()).toEqual(groups.map((g) => g.groupId).sort());
    expect((await app.kpis()).order).toEqual([]);

    // just under the limit: the workflow might still start or run; nothing is stuck or retried
    clock.advance(STUCK_AFTER_MS);
    expect((await app.status()).stuck).toEqual([]);
    expect(await app.retry()).toEqual([]);

    clock.advance(1);
    const status = await app.status();
    const since = new Date(Date.UTC(2025, 3, 1)).toISOString();
    expect(status.stuck.map((g) => g.groupId).sort()).toEqual(groups.map((g) => g.groupId).sort());
    expect(status.stuck.every((g) => g.status === 'completed' && g.stuckSince === since)).toBe(
      true,
    );
    expect(statusText(status)).toContain(`Stuck groups (not terminal, silent > 8.2 h`);
    expect(statusText(status)).toContain(`: completed since ${since}`);
    const json = JSON.parse(statusJson(status)) as {
      stuck_total: number;
      groups: { stuck_since: string | null }[];
    };
    expect(json.stuck_total).toBe(groups.length);
    expect(json.groups.every((g) => g.stuck_since === since)).toBe(true);

    const retried = await app.retry();
    expect(retried).toHaveLength(groups.length);
    for (const r of retried) {
      expect(r).toMatchObject({ outcome: 'succeeded', status: 'archived', stuckSince: since });
    }
    expect(await app.kpis()).toEqual(expected);
    expect((await app.status()).stuck).toEqual([]);
    expect(await app.retry()).toEqual([]);
  });
});
