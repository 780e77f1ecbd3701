// One Delta table over the object-store port: snapshot reads, time travel, and optimistic
// commits (put-if-absent on the next `_delta_log/%020d.json`; on a lost race the winners are
// read, a logical conflict makes the plan be rebuilt on the new snapshot, else the same actions
// go to the next version), idempotent through `txn`, with a checkpoint every N commits.
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../../ports/object-store.port.js';
import { type AddAction, commitFileName, parseCommit, serializeCommit } from './delta-actions.js';
import {
  type CommitOutcome,
  type CommitPlan,
  type DeltaTableDefinition,
  type TxnId,
  commitActions,
  conflicts,
  ordered,
} from './delta-commit.js';
import { writeCheckpointFor } from './delta-checkpoint-writer.js';
import { encodeDataFile } from './delta-data-file.js';
import { statsJson } from './delta-stats.js';
import { type Row, readRows } from './delta-rows.js';
import { parseSchemaString } from './delta-schema.js';
import { type Snapshot, DeltaTableNotFound, loadSnapshot, logPrefix } from './delta-snapshot.js';

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
      const done = snapshot?.txns.get(txn?.appId ?? '');
      if (txn && done && done.version >= txn.version) return { kind: 'duplicate' };
      if (snapshot) this.assertWritable(snapshot);
      const plan = await build(snapshot);
      const adds = await this.writeFiles(plan);
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
          await this.discard(adds);
          snapshot = await this.snapshot();
          rebuild = true;
        } else version += 1;
      }
    }
    throw new DeltaConcurrentModification(this.root, attempts);
  }

  private async writeFiles(plan: CommitPlan): Promise<AddAction[]> {
    const dataFields = this.definition.fields.filter(
      (f) => !this.definition.partitionColumns.includes(f.name),
    );
    const adds: AddAction[] = [];
    for (const { partitionValues, rows } of plan.writes) {
      if (rows.length === 0) continue;
      const values = ordered(this.definition.partitionColumns, partitionValues);
      const dir = Object.entries(values)
        .map(([c, v]) => `${c}=${v ?? HIVE_NULL}/`)
        .join('');
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

  // Writing files of another shape into a table, or into one whose protocol needs writer
  // features this writer lacks, would corrupt it for every reader.
  private assertWritable({ protocol, metaData }: Snapshot): void {
    if (protocol.minWriterVersion > 2) {
      throw new Error(`delta: ${this.root} needs writer version ${protocol.minWriterVersion}`);
    }
    const names = (fields: readonly { name: string }[]) => fields.map((f) => f.name).join(',');
    const existing = parseSchemaString(metaData.schemaString).fields;
    if (
      names(existing) !== names(this.definition.fields) ||
      metaData.partitionColumns.join(',') !== this.definition.partitionColumns.join(',')
    ) {
      throw new Error(`delta: ${this.root} holds another table (columns ${names(existing)})`);
    }
  }

  private async checkpointIfDue(version: number): Promise<void> {
    if (version === 0 || version % this.checkpointInterval !== 0) return;
    const snapshot = await loadSnapshot(this.store, this.root, version);
    await writeCheckpointFor(this.store, this.root, snapshot, this.now());
  }
}
