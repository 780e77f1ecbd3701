import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeEvent, decodePipelineEvent } from '../../../src/domain/events.codec.js';
import type { PipelineEvent, RecordedEvent } from '../../../src/domain/events.js';

const meta = {
  id: 'group-g1:1',
  streamId: 'group-g1',
  version: 1,
  position: 42,
  occurredAt: '2025-03-01T10:00:00.000Z',
};
const events: PipelineEvent[] = [
  {
    type: 'FileLanded',
    data: {
      fileKey: 'incoming/orders/a.csv',
      dataset: 'orders',
      contentHash: 'abc',
      rows: 10,
      stagedKey: 'staging/orders/a.parquet',
      reportKey: 'reports/a/verdict.json',
      warnings: [{ rule: 'schema.extra', failed: 1 }],
      quarantinedRows: 0,
    },
  },
  {
    type: 'FileRejected',
    data: {
      fileKey: 'incoming/x.csv',
      dataset: null,
      contentHash: 'def',
      reason: 'no known header',
      reportKey: 'reports/x/verdict.json',
      quarantineKey: null,
      errors: [{ rule: 'schema.columns', failed: 1 }],
    },
  },
  {
    type: 'GroupCompleted',
    data: { groupId: 'g1', fileKey: 'f', orderCount: 2, manifestKey: 'groups/g1/manifest.json' },
  },
  { type: 'Validated', data: { groupId: 'g1', reportKey: 'r', warnings: [] } },
  {
    type: 'ValidationFailed',
    data: { groupId: 'g1', reportKey: 'r', errors: [{ rule: 'group.item-count', failed: 1 }] },
  },
  { type: 'Transformed', data: { groupId: 'g1', facts: 5, dates: ['2025-03-01'] } },
  { type: 'TransformFailed', data: { groupId: 'g1', error: 'boom' } },
  { type: 'Archived', data: { groupId: 'g1', files: ['incoming/orders/a.csv'] } },
  {
    type: 'OrdersStale',
    data: { orderIds: ['O1'], olderThanHours: 24, asOf: '2025-03-02T00:00:00Z' },
  },
];

describe('event codecs', () => {
  it.each(events.map((e) => [e.type, e] as const))(
    'decodes a %s as recorded and sent over JSON',
    (_t, e) => {
      const recorded: RecordedEvent = { ...e, ...meta };
      expect(decodeEvent(JSON.parse(JSON.stringify(recorded)))).toEqual(E.right(recorded));
      expect(decodePipelineEvent(JSON.parse(JSON.stringify(e)))).toEqual(E.right(e));
    },
  );

  it('rejects an unknown event type', () => {
    expect(E.isLeft(decodeEvent({ ...meta, type: 'FileExploded', data: {} }))).toBe(true);
  });

  it('names the path of a wrong field', () => {
    const bad = {
      ...meta,
      type: 'GroupCompleted',
      data: { groupId: 'g1', fileKey: 'f', orderCount: 'two', manifestKey: 'm' },
    };
    const out = decodeEvent(bad);
    expect(E.isLeft(out) && out.left).toContain('orderCount');
  });

  it('rejects an event without its store metadata, and a fractional version', () => {
    expect(E.isLeft(decodeEvent(events[3]))).toBe(true);
    expect(E.isLeft(decodeEvent({ ...events[3], ...meta, version: 1.5 }))).toBe(true);
  });

  it('rejects an unknown dataset name', () => {
    const e = events[0] as PipelineEvent & { type: 'FileLanded' };
    expect(E.isLeft(decodePipelineEvent({ ...e, data: { ...e.data, dataset: 'customers' } }))).toBe(
      true,
    );
  });
});
