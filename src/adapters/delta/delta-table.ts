// One Delta table over the object-store port: snapshot reads, time travel, and optimistic
// commits (put-if-absent on the next `_delta_log/%020d.json`; on a lost race the winners are
// read, a logical conflict makes the plan be rebuilt on the new snapshot, else the same actions
// go to the next version), idempotent through `txn`, with a checkpoint every N commits.
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../../ports/object-store.port.js';
import {
  type Action,
  type AddAction,
  type PartitionValues,
  type TxnAction,
  commitFileName,
  parseCommit,
  serializeCommit,
} from './delta-actions.js';
import { writeCheckpointFor } from './delta-checkpoint-writer.js';
import { encodeDataFile, statsJson } from './delta-data-file.js';
import { type Row, readRows } from './delta-rows.js';
import { type DeltaField, schemaString } from './delta-schema.js';
import { type Snapshot, DeltaTableNotFound, loadSnapshot, logPrefix } from './delta-snapshot.js';

export interface DeltaTableDefinition {
  /** every column, partition columns included */
  readonly fields: readonly DeltaField[];
  readonly partitionColumns: readonly string[];
}

export interface CommitPlan {
  readonly operation: string;
  /** live files this commit replaces */
  readonly removes: readonly AddAction[];
  /** new files, one per entry */
  readonly writes: readonly { readonly partitionValues: PartitionValues; readonly rows: readonly Row[] }[];
  /** partition keys (partitionKey) read or replaced: a concurrent commit touching one conflicts */
  readonly partitions: ReadonlySet<string>;
}

export type CommitOutcome =
  | { readonly kind: 'committed'; readonly version: number; readonly attempts: number }
  | { readonly kind: 'duplicate' };

export interface DeltaTableOptions {
  readonly now?: () => number;
  readonly maxAttempts?: number;
  readonly checkpointInterval?: number;
}

export class DeltaConcurrentModification extends Error {
  constructor(readonly root: string, readonly attempts: number) {
    super(`delta: ${root}: gave up after ${attempts} attempts lost to concurrent commits`);
    this.name = 'DeltaConcurrentModification';
  }
}

export const partitionKey = (values: PartitionValues): string => JSON.stringify(values);

const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

export class DeltaTable {
  private readonly now: () => number;
  private readonly maxAttempts: number;
  private readonly checkpointInterval: number;

  constructor(
    private readonly store: ObjectStore,
    readonly root: string,
    readonly definition: DeltaTableDefinition,
    options: DeltaTableOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.checkpointInterval = options.checkpointInterval ?? 10;
  }

  /** null when the table does not exist yet */
  async snapshot(version?: number): Promise<Snapshot | null> {
    try {
      return await loadSnapshot(this.store, this.root, version);
    } catch (e) {
      if (e instanceof DeltaTableNotFound) return null;
      throw e;
    }
  }

  async read(version?: number): Promise<Row[]> {
    const snapshot = await this.snapshot(version);
    return snapshot ? readRows(this.store, this.root, snapshot) : [];
  }

  async commit(
    txn: Omit<TxnAction, 'lastUpdated'> | null,
    build: (snapshot: Snapshot | null) => Promise<CommitPlan>,
  ): Promise<CommitOutcome> {
    let snapshot = await this.snapshot();
    let attempts = 0;
    while (attempts < this.maxAttempts) {
      const done = snapshot?.txns.get(txn?.appId ?? '');
      if (txn && done && done.version >= txn.version) return { kind: 'duplicate' };
      const plan = await build(snapshot);
      const adds = await this.writeFiles(plan);
      const actions = this.actions(snapshot, plan, adds, txn);
      let version = (snapshot?.version ?? -1) + 1;
      let rebuild = false;
      while (!rebuild && attempts < this.maxAttempts) {
        attempts += 1;
        const key = `${logPrefix(this.root)}${commitFileName(version)}`;
        if (await this.store.putIfAbsent(key, serializeCommit(actions))) {
          await this.checkpointIfDue(version);
          return { kind: 'committed', version, attempts };
        }
        const winner = parseCommit(new TextDecoder().decode((await this.store.get(key)) ?? new Uint8Array()));
        if (txn && winner.some((a) => 'txn' in a && a.txn.appId === txn.appId && a.txn.version >= txn.version)) {
          await this.discard(adds);
          return { kind: 'duplicate' };
        }
        if (this.conflicts(winner, plan)) {
          await this.discard(adds);
          snapshot = await this.snapshot();
          rebuild = true;
        } else version += 1;
      }
    }
    throw new DeltaConcurrentModification(this.root, attempts);
  }

  private conflicts(winner: readonly Action[], plan: CommitPlan): boolean {
    const removed = new Set(plan.removes.map((r) => r.path));
    return winner.some((a) => {
      if ('metaData' in a || 'protocol' in a) return true;
      const file = 'add' in a ? a.add : 'remove' in a ? a.remove : null;
      if (!file) return false;
      if (removed.has(file.path)) return true;
      // a remove without partitionValues cannot be placed: assume the worst
      return !file.partitionValues || plan.partitions.has(partitionKey(this.ordered(file.partitionValues)));
    });
  }

  private ordered(values: PartitionValues): PartitionValues {
    return Object.fromEntries(this.definition.partitionColumns.map((c) => [c, values[c] ?? null]));
  }

  private async writeFiles(plan: CommitPlan): Promise<AddAction[]> {
    const dataFields = this.definition.fields.filter((f) => !this.definition.partitionColumns.includes(f.name));
    const adds: AddAction[] = [];
    for (const { partitionValues, rows } of plan.writes) {
      if (rows.length === 0) continue;
      const values = this.ordered(partitionValues);
      const dir = Object.entries(values).map(([c, v]) => `${c}=${v ?? HIVE_NULL}/`).join('');
      const path = `${dir}part-00000-${randomUUID()}-c000.snappy.parquet`;
      const bytes = encodeDataFile(dataFields, rows);
      await this.store.put(`${this.root}/${path}`, bytes);
      adds.push({
        path,
        partitionValues: values,
        size: bytes.length,
        modificationTime: this.now(),
        dataChange: true,
        stats: statsJson(dataFields, rows),
      });
    }
    return adds;
  }

  // Files of a commit that lost are unreferenced: removing them keeps the table folder clean.
  private async discard(adds: readonly AddAction[]): Promise<void> {
    await Promise.all(adds.map((a) => this.store.delete(`${this.root}/${a.path}`)));
  }

  private actions(snapshot: Snapshot | null, plan: CommitPlan, adds: readonly AddAction[], txn: Omit<TxnAction, 'lastUpdated'> | null): Action[] {
    const now = this.now();
    const actions: Action[] = [
      {
        commitInfo: {
          timestamp: now,
          operation: plan.operation,
          operationParameters: { partitionBy: JSON.stringify(this.definition.partitionColumns) },
          readVersion: snapshot?.version ?? -1,
          isBlindAppend: plan.removes.length === 0,
          engineInfo: 'shop-pipeline delta writer',
        },
      },
    ];
    if (!snapshot) {
      actions.push({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
      actions.push({
        metaData: {
          id: randomUUID(),
          format: { provider: 'parquet', options: {} },
          schemaString: schemaString(this.definition.fields),
          partitionColumns: [...this.definition.partitionColumns],
          configuration: {},
          createdTime: now,
        },
      });
    }
    if (txn) actions.push({ txn: { ...txn, lastUpdated: now } });
    for (const r of plan.removes) {
      actions.push({
        remove: {
          path: r.path,
          deletionTimestamp: now,
          dataChange: true,
          extendedFileMetadata: true,
          partitionValues: r.partitionValues,
          size: r.size,
        },
      });
    }
    adds.forEach((add) => actions.push({ add }));
    return actions;
  }

  private async checkpointIfDue(version: number): Promise<void> {
    if (version === 0 || version % this.checkpointInterval !== 0) return;
    const snapshot = await loadSnapshot(this.store, this.root, version);
    await writeCheckpointFor(this.store, this.root, snapshot, this.now());
  }
}
