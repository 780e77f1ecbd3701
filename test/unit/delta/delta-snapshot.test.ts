// Log replay rules on hand-written logs: reconciliation, stray files, checkpoint selection.
import { describe, expect, it } from 'vitest';
import {
  type Action,
  checkpointFileName,
  commitFileName,
} from '../../../src/adapters/delta/delta-actions.js';
import { writeCheckpoint } from '../../../src/adapters/delta/delta-checkpoint.js';
import {
  DeltaTableNotFound,
  DeltaVersionNotFound,
  loadSnapshot,
} from '../../../src/adapters/delta/delta-snapshot.js';
import { DeltaTable } from '../../../src/adapters/delta/delta-table.js';
import { ORDER_KPIS_DAILY } from '../../../src/adapters/delta/delta-analytics-rows.js';
import { parsePartitionValue } from '../../../src/adapters/delta/delta-schema.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';

const protocol: Action = { protocol: { minReaderVersion: 1, minWriterVersion: 2 } };
const metaData = {
  metaData: {
    id: 'm',
    format: { provider: 'parquet', options: {} },
    schemaString:
      '{"type":"struct","fields":[{"name":"x","type":"long","nullable":true,"metadata":{}}]}',
    partitionColumns: [],
    configuration: {},
    createdTime: 1,
  },
};
const add = (path: string): Action => ({
  add: { path, partitionValues: {}, size: 1, modificationTime: 1, dataChange: true },
});
const remove = (path: string) => ({ remove: { path, deletionTimestamp: 2, dataChange: true } });

async function logOf(commits: object[][]): Promise<InMemoryObjectStore> {
  const store = new InMemoryObjectStore();
  for (const [v, actions] of commits.entries()) {
    await store.put(
      `t/_delta_log/${commitFileName(v)}`,
      actions.map((a) => JSON.stringify(a)).join('\n'),
    );
  }
  return store;
}

const paths = async (store: InMemoryObjectStore, version?: number) => [
  ...(await loadSnapshot(store, 't', version)).files.keys(),
];

describe('delta log replay', () => {
  it('reconciles adds and removes by path, a re-added path being live again', async () => {
    const store = await logOf([
      [protocol, metaData, add('a'), add('b')],
      [remove('a'), add('c')],
      [add('a'), remove('b')],
    ]);
    expect(await paths(store, 0)).toEqual(['a', 'b']);
    expect(await paths(store, 1)).toEqual(['b', 'c']);
    expect((await paths(store)).sort()).toEqual(['a', 'c']);
    expect([...(await loadSnapshot(store, 't')).tombstones.keys()]).toEqual(['b']);
  });

  it('keeps the latest txn per appId and the latest metaData', async () => {
    const store = await logOf([
      [protocol, metaData, { txn: { appId: 'x', version: 1 } }],
      [{ txn: { appId: 'x', version: 2 } }, { metaData: { ...metaData.metaData, id: 'm2' } }],
    ]);
    const s = await loadSnapshot(store, 't');
    expect(s.txns.get('x')?.version).toBe(2);
    expect(s.metaData.id).toBe('m2');
  });

  it('ignores .crc files, .tmp folders and other names in _delta_log', async () => {
    const store = await logOf([[protocol, metaData, add('a')]]);
    await store.put(`t/_delta_log/.tmp/${commitFileName(1)}`, JSON.stringify(add('x')));
    await store.put(`t/_delta_log/${commitFileName(1).replace('.json', '.crc')}`, '{}');
    await store.put(`t/_delta_log/.${commitFileName(0)}.crc`, 'crc');
    expect((await loadSnapshot(store, 't')).version).toBe(0);
  });

  it('refuses a gap in the log, a missing version and a missing table', async () => {
    const store = await logOf([[protocol, metaData]]);
    await store.put(`t/_delta_log/${commitFileName(2)}`, JSON.stringify(add('a')));
    await expect(loadSnapshot(store, 't')).rejects.toBeInstanceOf(DeltaVersionNotFound);
    await expect(loadSnapshot(store, 't', 7)).rejects.toBeInstanceOf(DeltaVersionNotFound);
    await expect(loadSnapshot(store, 'nothing')).rejects.toBeInstanceOf(DeltaTableNotFound);
  });

  it('refuses tables that need a newer reader', async () => {
    const store = await logOf([
      [{ protocol: { minReaderVersion: 3, minWriterVersion: 7 } }, metaData],
    ]);
    await expect(loadSnapshot(store, 't')).rejects.toThrow(/reader version 3/);
  });

  it('uses the newest complete checkpoint when _last_checkpoint is stale or wrong', async () => {
    const store = await logOf([[protocol, metaData, add('a')], [add('b')], [add('c')]]);
    // the checkpoint claims a file the JSON never added: reading it proves it was used
    await store.put(
      `t/_delta_log/${checkpointFileName(1)}`,
      writeCheckpoint([protocol, metaData, add('only-in-checkpoint')]),
    );
    await store.put('t/_delta_log/_last_checkpoint', '{"version":5,"size":3}');
    expect((await paths(store)).sort()).toEqual(['c', 'only-in-checkpoint']);
    expect(await paths(store, 0)).toEqual(['a']); // time travel before the checkpoint: JSON only
    // an incomplete multi-part checkpoint at version 2 is ignored
    await store.put(
      `t/_delta_log/${commitFileName(2).replace('.json', '')}.checkpoint.0000000001.0000000002.parquet`,
      writeCheckpoint([protocol, metaData]),
    );
    expect((await paths(store)).sort()).toEqual(['c', 'only-in-checkpoint']);
  });

  it('types partition values by the schema type', () => {
    expect(parsePartitionValue('integer', '4')).toBe(4);
    expect(parsePartitionValue('date', '2025-03-01')).toBe('2025-03-01');
    expect(parsePartitionValue('timestamp', '2025-03-01 10:00:00.5')).toBe(
      Date.UTC(2025, 2, 1, 10, 0, 0, 500),
    );
    expect(parsePartitionValue('boolean', 'true')).toBe(true);
    expect(parsePartitionValue('string', null)).toBeNull();
  });

  it('refuses to write into a table of another shape', async () => {
    const store = await logOf([[protocol, metaData]]);
    const table = new DeltaTable(store, 't', ORDER_KPIS_DAILY);
    await expect(
      table.commit(null, async () => ({
        operation: 'WRITE',
        removes: [],
        writes: [],
        partitions: new Set(),
      })),
    ).rejects.toThrow(/another table/);
  });
});
