// One Delta table over the object-store port: snapshot reads, time travel, and optimistic
// commits (put-if-absent on the next `_delta_log/%020d.json`; on a lost race the winners are
// read, a logical conflict makes the plan be rebuilt on the new snapshot, else the same actions
// go to the next version), idempotent through `txn`, with a checkpoint every N commits followed
// by the cleanup of expired log entries.
import type { ObjectStore } from '../../ports/object-store.port.js';
import { type AddAction, commitFileName, parseCommit, serializeCommit } from './delta-actions.js';
import {
  type CommitOutcome,
  type CommitPlan,
  type DeltaTableDefinition,
  type EncodedFile,
  type PartitionWrite,
  type TxnId,
  commitActions,
  conflicts,
  ordered,
} from './delta-commit.js';
import { unexpiredTxns, writeCheckpointFor } from './delta-checkpoint-writer.js';
import { type PartitionColumns, columnsOfRows } from './delta-columns.js';
import { encodeColumnsFile } from './delta-data-file.js';
import { cleanUpExpiredLog } from './delta-log-cleanup.js';
import { dataFileName, logPath } from './delta-paths.js';
import { type Row, dataFileKey, readRows } from './delta-rows.js';
import type { DeltaField } from './delta-schema.js';
import { type Snapshot, DeltaTableNotFound, loadSnapshot, logPrefix } from './delta-snapshot.js';
import { type VacuumReport, vacuumTable } from './delta-vacuum.js';
import { assertRemovesAllowed, assertWritable } from './delta-writer-checks.js';

export interface DeltaTableOptions {
  readonly now?: () => number;
  readonly maxAttempts?: number;
  readonly checkpointInterval?: number;
}

export class DeltaConcurrentModification extends Error {
  constructor(
    readonly root: string,
    readonly attempts: number,
  ) {
    super(`delta: ${root}: gave up after ${attempts} attempts lost to concurrent commits`);
    this.name = 'DeltaConcurrentModification';
  }
}

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

  /** rows of the live files (those keep accepts) at version, the latest by default */
  async read(version?: number, keep: (file: AddAction) => boolean = () => true): Promise<Row[]> {
    const snapshot = await this.snapshot(version);
    if (!snapshot) return [];
    return this.readFiles(snapshot, [...snapshot.files.values()].filter(keep));
  }

  async readFiles(snapshot: Snapshot, files: readonly AddAction[]): Promise<Row[]> {
    const only = new Map(files.map((f) => [f.path, f]));
    return readRows(this.store, this.root, { ...snapshot, files: only });
  }

  async commit(
    txn: TxnId | null,
    build: (snapshot: Snapshot | null) => Promise<CommitPlan>,
  ): Promise<CommitOutcome> {
    let snapshot = await this.snapshot();
    let attempts = 0;
    while (attempts < this.maxAttempts) {
      // an expired txn no longer proves the transaction ran (its effect may be long replaced)
      const txns = snapshot ? unexpiredTxns(snapshot, this.now()) : new Map();
      const done = txns.get(txn?.appId ?? '');
      if (txn && done && done.version >= txn.version) return { kind: 'duplicate' };
      if (snapshot) assertWritable(this.root, snapshot, this.definition);
      const plan = await build(snapshot);
      if (snapshot) assertRemovesAllowed(this.root, snapshot, plan.removes);
      const adds = [
        ...(await this.writeFiles(plan.writes, true)),
        ...(await this.writeFiles(plan.rearranged?.writes ?? [], false)),
      ];
      const actions = commitActions(this.definition, snapshot, plan, adds, txn, this.now());
      let version = (snapshot?.version ?? -1) + 1;
      let rebuild = false;
      while (!rebuild && attempts < this.maxAttempts) {
        attempts += 1;
        const key = `${logPrefix(this.root)}${commitFileName(version)}`;
        if (await this.store.putIfAbsent(key, serializeCommit(actions))) {
          await this.checkpointIfDue(version);
          return { kind: 'committed', version, attempts };
        }
        const winner = parseCommit(
          new TextDecoder().decode((await this.store.get(key)) ?? new Uint8Array()),
        );
        if (
          txn &&
          winner.some(
            (a) => 'txn' in a && a.txn.appId === txn.appId && a.txn.version >= txn.version,
          )
        ) {
          await this.discard(adds);
          return { kind: 'duplicate' };
        }
        if (conflicts(this.definition.partitionColumns, winner, plan)) {
          // re-plan from the snapshot that includes the winner: the removes and the rows kept
          // are computed again, the caller's rows are written again
          await this.discard(adds);
          snapshot = await this.snapshot();
          rebuild = true;
        } else version += 1;
      }
    }
    throw new DeltaConcurrentModification(this.root, attempts);
  }

  /** deletes files no version within the retention needs (see delta-vacuum.ts) */
  async vacuum(options: { retainHours?: number; force?: boolean } = {}): Promise<VacuumReport> {
    const snapshot = await this.snapshot();
    if (!snapshot) return { root: this.root, deleted: [], bytes: 0, kept: 0 };
    return vacuumTable(this.store, this.root, snapshot, this.now(), options);
  }

  private async writeFiles(
    writes: readonly PartitionWrite[],
    dataChange: boolean,
  ): Promise<AddAction[]> {
    const dataFields = this.definition.fields.filter(
      (f) => !this.definition.partitionColumns.includes(f.name),
    );
    const adds: AddAction[] = [];
    const plain = this.definition.plainColumns ?? [];
    for (const write of writes) {
      const file = await ('encode' in write
        ? write.encode(dataFields, plain)
        : encoded(dataFields, plain, write));
      if (file === null || file.rows === 0) continue;
      const values = ordered(this.definition.partitionColumns, write.partitionValues);
      const path = logPath(dataFileName(values, this.now()));
      await this.store.put(dataFileKey(this.root, path), file.bytes);
      adds.push({
        path,
        partitionValues: values,
        size: file.bytes.length,
        modificationTime: this.now(),
        dataChange,
        stats: file.stats,
      });
    }
    return adds;
  }

  // Files of a commit that lost are unreferenced: removing them keeps the table folder clean.
  private async discard(adds: readonly AddAction[]): Promise<void> {
    await Promise.all(adds.map((a) => this.store.delete(dataFileKey(this.root, a.path))));
  }

  private async checkpointIfDue(version: number): Promise<void> {
    if (version === 0 || version % this.checkpointInterval !== 0) return;
    const snapshot = await loadSnapshot(this.store, this.root, version);
    await writeCheckpointFor(this.store, this.root, snapshot, this.now());
    await cleanUpExpiredLog(this.store, this.root, snapshot, this.now());
  }
}

/** the file of rows or columns; null (nothing to write) when there are none */
async function encoded(
  dataFields: readonly DeltaField[],
  plain: readonly string[],
  write: { readonly rows: readonly Row[] } | { readonly columns: PartitionColumns },
): Promise<EncodedFile | null> {
  const columns =
    'columns' in write
      ? write.columns
      : columnsOfRows(
          dataFields.map((f) => f.name),
          write.rows,
        );
  if (columns.length === 0) return null;
  return encodeColumnsFile(dataFields, columns, plain);
}
