// What every EventStore adapter must do (in-memory, SQLite, DynamoDB).
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordedEventId, type PipelineEvent } from '../../src/domain/events.js';
import type { EventStore } from '../../src/ports/event-store.port.js';

export type EventStoreFactory = () => Promise<{ port: EventStore; cleanup: () => Promise<void> }>;

const AT = '2024-01-02T03:04:05.000Z';
export const landed = (n: number): PipelineEvent => ({
  type: 'FileLanded',
  data: {
    fileKey: `incoming/orders/f${n}.csv`,
    dataset: 'orders',
    contentHash: `hash-${n}`,
    rows: n,
    stagedKey: `staging/orders/f${n}.parquet`,
    reportKey: `reports/f${n}.json`,
    warnings: [{ rule: 'schema.extra', failed: 1 }],
    quarantinedRows: 0,
  },
});
const rejected: PipelineEvent = {
  type: 'FileRejected',
  data: {
    fileKey: 'incoming/x.csv',
    dataset: null,
    contentHash: 'h',
    reason: 'not CSV text: "quoted", ünïcode',
    reportKey: 'reports/x.json',
    quarantineKey: null,
    errors: [],
  },
};

export function describeEventStoreContract(adapterName: string, factory: EventStoreFactory) {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ port: store, cleanup } = await factory());
    });
    afterEach(async () => cleanup());

    it('reads an absent stream as empty and an empty log as empty', async () => {
      expect(await store.readStream('file-none')).toEqual([]);
      expect(await store.readAll(0)).toEqual([]);
    });

    it('appends to a new stream at version 0 and records ids, versions, positions and time', async () => {
      const r = await store.append('file-a', [landed(1), rejected], 0, AT);
      expect(isRight(r)).toBe(true);
      const expected = [
        {
          ...landed(1),
          id: recordedEventId('file-a', 1),
          streamId: 'file-a',
          version: 1,
          position: 1,
          occurredAt: AT,
        },
        {
          ...rejected,
          id: recordedEventId('file-a', 2),
          streamId: 'file-a',
          version: 2,
          position: 2,
          occurredAt: AT,
        },
      ];
      expect(isRight(r) && r.right).toEqual(expected);
      expect(await store.readStream('file-a')).toEqual(expected);
    });

    it('refuses a stale expected version with ConcurrencyConflict and appends nothing', async () => {
      await store.append('s', [landed(1)], 0, AT);
      const r = await store.append('s', [landed(2), landed(3)], 0, AT);
      expect(isLeft(r) && r.left).toEqual({
        _tag: 'ConcurrencyConflict',
        streamId: 's',
        expectedVersion: 0,
        actualVersion: 1,
      });
      const ahead = await store.append('s', [landed(2)], 5, AT);
      expect(isLeft(ahead) && ahead.left.actualVersion).toBe(1);
      expect((await store.readStream('s')).map((e) => e.version)).toEqual([1]);
      expect(await store.readAll(0)).toHaveLength(1);
    });

    it('racing appends at one version have exactly one winner', async () => {
      await store.append('race', [landed(0)], 0, AT);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.append('race', [landed(i + 1), landed(100 + i)], 1, AT),
        ),
      );
      expect(results.filter(isRight)).toHaveLength(1);
      const stream = await store.readStream('race');
      expect(stream.map((e) => e.version)).toEqual([1, 2, 3]);
      expect(await store.readAll(0)).toHaveLength(3);
    });

    it('reads a stream in version order after several appends', async () => {
      for (let v = 0; v < 5; v++) await store.append('g', [landed(v)], v, AT);
      const stream = await store.readStream('g');
      expect(stream.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
      expect(stream.map((e) => (e.type === 'FileLanded' ? e.data.rows : -1))).toEqual([
        0, 1, 2, 3, 4,
      ]);
    });

    it('readAll returns every stream in increasing positions, after a position, up to a limit', async () => {
      await store.append('a', [landed(1)], 0, AT);
      await store.append('b', [landed(2), landed(3)], 0, AT);
      await store.append('a', [landed(4)], 1, AT);
      const all = await store.readAll(0);
      expect(all.map((e) => [e.streamId, e.version])).toEqual([
        ['a', 1],
        ['b', 1],
        ['b', 2],
        ['a', 2],
      ]);
      const positions = all.map((e) => e.position);
      expect(positions.every((p, i) => i === 0 || p > (positions[i - 1] as number))).toBe(true);
      const second = positions[1] as number;
      expect((await store.readAll(second)).map((e) => e.position)).toEqual(positions.slice(2));
      expect((await store.readAll(0, 2)).map((e) => e.position)).toEqual(positions.slice(0, 2));
      expect(await store.readAll(positions[3] as number)).toEqual([]);
    });

    it('appending no events at the current version succeeds and records nothing', async () => {
      const r = await store.append('empty', [], 0, AT);
      expect(isRight(r) && r.right).toEqual([]);
      expect(await store.readAll(0)).toEqual([]);
    });
  });
}
