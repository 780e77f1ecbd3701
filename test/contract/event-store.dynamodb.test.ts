// The EventStore against DynamoDbEventStore on DynamoDB Local (the real DynamoDB engine).
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { DynamoDbEventStore } from '../../src/adapters/dynamodb/dynamodb-event-store.js';
import { createTable } from '../../src/adapters/dynamodb/dynamodb-table-setup.js';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import type { PipelineEvent } from '../../src/domain/events.js';
import { localDynamoClient, uniqueName } from '../integration/aws-clients.js';
import { describeEventStoreContract } from './event-store.contract.js';

const client = localDynamoClient();
afterAll(() => client.destroy());

const freshStore = async (): Promise<DynamoDbEventStore> => {
  const table = uniqueName('events');
  await createTable(client, TABLES.events, table);
  return new DynamoDbEventStore(client, table);
};

const transformed = (groupId: string, facts: number): PipelineEvent => ({
  type: 'Transformed',
  data: { groupId, facts, dates: ['2025-03-01'] },
});

describeEventStoreContract('DynamoDbEventStore (DynamoDB Local)', async () => {
  const table = uniqueName('events');
  await createTable(client, TABLES.events, table);
  return {
    port: new DynamoDbEventStore(client, table),
    cleanup: async () => void (await client.send(new DeleteTableCommand({ TableName: table }))),
  };
});

describe('DynamoDbEventStore (DynamoDB Local) under contention', () => {
  let store: DynamoDbEventStore;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('racing appends at one expected version: exactly one wins, the rest see a conflict', async () => {
    const racers = 8;
    const results = await Promise.all(
      Array.from({ length: racers }, (_, i) =>
        store.append('group-race', [transformed('race', i)], 0, '2026-01-01T00:00:00.000Z'),
      ),
    );
    const winners = results.filter(isRight);
    expect(winners).toHaveLength(1);
    for (const r of results.filter(isLeft)) {
      expect(r.left).toEqual({
        _tag: 'ConcurrencyConflict',
        streamId: 'group-race',
        expectedVersion: 0,
        actualVersion: 1,
      });
    }
    const stream = await store.readStream('group-race');
    expect(stream.map((e) => e.version)).toEqual([1]);
    expect(stream[0]?.data).toEqual(winners[0]?.right[0]?.data);
  });

  it('racing appenders that retry from the head they read build one gapless stream', async () => {
    const writer = async (w: number): Promise<void> => {
      for (let n = 0; n < 3;) {
        const head = (await store.readStream('group-retry')).length;
        const r = await store.append(
          'group-retry',
          [transformed(`w${w}`, n)],
          head,
          '2026-01-01T00:00:00.000Z',
        );
        if (isRight(r)) n++;
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    const stream = await store.readStream('group-retry');
    expect(stream.map((e) => e.version)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('refuses an expected version beyond the head (no gaps) and appends all-or-nothing', async () => {
    await store.append('file-a', [transformed('a', 1)], 0, '2026-01-01T00:00:00.000Z');
    const ahead = await store.append(
      'file-a',
      [transformed('a', 2)],
      5,
      '2026-01-01T00:00:00.000Z',
    );
    expect(isLeft(ahead) && ahead.left.actualVersion).toBe(1);
    const two = await store.append(
      'file-a',
      [transformed('a', 2), transformed('a', 3)],
      1,
      '2026-01-01T00:00:01.000Z',
    );
    expect(isRight(two) && two.right.map((e) => [e.id, e.version])).toEqual([
      ['file-a:2', 2],
      ['file-a:3', 3],
    ]);
  });

  it('readAll gives every stream in one gapless global order, resumable after a position', async () => {
    const s = await freshStore();
    await Promise.all(
      ['x', 'y', 'z'].map(async (id) => {
        for (let v = 0; v < 3; v++) {
          await s.append(`file-${id}`, [transformed(id, v)], v, '2026-01-01T00:00:00.000Z');
        }
      }),
    );
    const all = await s.readAll(0);
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
    for (const id of ['x', 'y', 'z']) {
      expect(all.filter((e) => e.streamId === `file-${id}`).map((e) => e.version)).toEqual([
        1, 2, 3,
      ]);
    }
    expect((await s.readAll(4, 3)).map((e) => e.position)).toEqual([5, 6, 7]);
    expect(await s.readAll(9)).toEqual([]);
    expect(await s.readStream('file-none')).toEqual([]);
  });
});
