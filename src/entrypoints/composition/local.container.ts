// The embedded default on one machine: objects under <home>/bucket, the event store, reference
// index, facts and KPIs in SQLite at <home>/state.db (WAL), the state machine run in process.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Container } from 'inversify';
import { StreamingCsvDecoder } from '../../adapters/csv/streaming-csv-decoder.js';
import { FileSystemObjectStore } from '../../adapters/filesystem/filesystem-object-store.js';
import { acquireHomeLock } from '../../adapters/filesystem/home-lock.js';
import { InMemoryEventBus } from '../../adapters/in-memory/in-memory-event-bus.js';
import { JsonLinesLogger, type LogLevel } from '../../adapters/node/json-lines-logger.js';
import { Sha256Hasher } from '../../adapters/node/sha256-hasher.js';
import { SystemClock } from '../../adapters/node/system-clock.js';
import { ParquetWorkerCodec } from '../../adapters/parquet/parquet-worker-codec.js';
import { openSqlite } from '../../adapters/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../../adapters/sqlite/sqlite-event-store.js';
import { SqliteFactStore } from '../../adapters/sqlite/sqlite-fact-store.js';
import { SqliteKpiStore } from '../../adapters/sqlite/sqlite-kpi-store.js';
import { SqliteReferenceIndex } from '../../adapters/sqlite/sqlite-reference-index.js';
import {
  REFERENCE_WORKER_MAX_BYTES,
  REFERENCE_WORKER_MIN_BYTES,
  SqliteWorkerReferenceIndex,
} from '../../adapters/sqlite/sqlite-reference-worker-index.js';
import type { LandingPolicy } from '../../application/land-file.use-case.js';
import type { RuleSet } from '../../domain/validation/rules-config.codec.js';
import { CLOCK } from '../../ports/clock.port.js';
import { CSV_DECODER } from '../../ports/csv-decoder.port.js';
import { EVENT_BUS } from '../../ports/event-bus.port.js';
import { EVENT_STORE } from '../../ports/event-store.port.js';
import { FACT_STORE } from '../../ports/fact-store.port.js';
import { HASHER } from '../../ports/hasher.port.js';
import { KPI_STORE } from '../../ports/kpi-store.port.js';
import { LOGGER } from '../../ports/logger.port.js';
import { OBJECT_STORE } from '../../ports/object-store.port.js';
import { MAX_PREFETCH_ROWS, StagedFilePrefetch } from '../../application/staged-file-prefetch.js';
import { REFERENCE_INDEX } from '../../ports/reference-index.port.js';
import { STAGING_CODEC } from '../../ports/staging-codec.port.js';
import { applicationModule } from './application.module.js';
import { bindWorkerAnalytics } from './local-delta-worker.js';
import { bindLocalWorkflow } from './in-memory.container.js';
import { pipelineAppOf, type ExpectedFile, type PipelineApp } from './pipeline-app.js';
import { TOKENS } from './tokens.js';

export interface LocalOptions {
  /** state directory (the CLI's --home) */
  readonly home: string;
  readonly logLevel?: LogLevel;
  readonly policy?: LandingPolicy;
  /** the validation rules in force (default: the seed's) */
  readonly rules?: RuleSet;
  /** pending orders older than this many hours are reported stale */
  readonly staleHours?: number;
}

export const localApp = (options: LocalOptions): PipelineApp => {
  const home = resolve(options.home);
  const bucket = join(home, 'bucket');
  const dbPath = join(home, 'state.db');
  mkdirSync(bucket, { recursive: true });
  const db = openSqlite(dbPath);
  // kept only for the record, so gzip'd on disk: raw files once archived, group manifests
  const gzipped = ['archive/', 'groups/'];
  // a manifest is mostly base64 of hashes, where string matching finds little: Huffman coding
  // alone halves its deflate's CPU (~0.4 s at 1M items), spent while the register's worker ends
  const objects = new FileSystemObjectStore(bucket, { gzipped, huffmanOnly: ['groups/'] });
  // a process killed mid-write leaves a hidden temp file; clear those older than 15 minutes
  void objects.sweepAbandonedTemps(15 * 60_000).catch(() => undefined);
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(OBJECT_STORE).toConstantValue(objects);
  container.bind(EVENT_STORE).toConstantValue(new SqliteEventStore(db));
  container.bind(EVENT_BUS).toConstantValue(new InMemoryEventBus());
  // a big landing's register staged on a worker while the file decodes (local only: the
  // worker opens state.db by its path)
  const index = new SqliteWorkerReferenceIndex(new SqliteReferenceIndex(db), { path: dbPath });
  container.bind(REFERENCE_INDEX).toConstantValue(index);
  container.bind(FACT_STORE).toConstantValue(new SqliteFactStore(db));
  container.bind(KPI_STORE).toConstantValue(new SqliteKpiStore(db));
  container.bind(CLOCK).toConstantValue(new SystemClock());
  container.bind(HASHER).toConstantValue(new Sha256Hasher());
  container.bind(CSV_DECODER).toConstantValue(new StreamingCsvDecoder());
  // a big landed file's Parquet encode on a worker thread, beside the decode and the register
  const staging = new ParquetWorkerCodec();
  container.bind(STAGING_CODEC).toConstantValue(staging);
  container
    .bind(LOGGER)
    .toConstantValue(
      new JsonLinesLogger({ level: options.logLevel ?? 'warn', service: 'shop-pipeline' }),
    );
  if (options.policy !== undefined)
    container.bind(TOKENS.LandingPolicy).toConstantValue(options.policy);
  if (options.rules !== undefined)
    container.bind(TOKENS.ValidationRules).toConstantValue(options.rules);
  const stopDeltaWorker = bindWorkerAnalytics(container, objects, { path: bucket, gzipped });
  container.load(applicationModule);
  const workflow = bindLocalWorkflow(container);
  // while a big landing's register runs on the index's worker, the files its group's Validate
  // reads are decoded on this thread, which would otherwise wait idle, and then the workflow
  // engine the group runs next is loaded
  container
    .bind(TOKENS.StagedFilePrefetch)
    .toConstantValue(
      new StagedFilePrefetch(objects, staging, MAX_PREFETCH_ROWS, () => workflow.load()),
    );
  const where = [
    `objects (incoming/, staging/, reports/, quarantine/, archive/, delta/): ${bucket}`,
    `event log, grouping index, facts and KPIs (SQLite): ${dbPath}`,
  ];
  const app = pipelineAppOf(
    container,
    where,
    async () => {
      await stopDeltaWorker();
      await staging.close();
      await index.close();
      db.close();
    },
    options.staleHours,
  );
  return {
    ...app,
    // An order_items or orders file big enough for the register's worker, about to be delivered:
    // the worker starts now, its modules and connection loaded on the other core while this thread
    // copies the file into the bucket (mostly waiting on the disk), instead of at the start of its
    // landing, where the worker is what the landing ends up waiting for (docs/performance.md, round
    // 10). Idle until then it costs ~25-35 MB.
    prepare: (files) => {
      if (files.some(wantsRegisterWorker)) index.prewarm();
    },
  };
};

/**
 * a file whose landing the register's worker takes (when a core is spare at its start; an orders
 * landing, as LandFile gives its register's time at begin)
 */
const wantsRegisterWorker = ({ bytes, dataset }: ExpectedFile): boolean =>
  (dataset === 'order_items' || dataset === 'orders') &&
  bytes >= REFERENCE_WORKER_MIN_BYTES &&
  bytes <= REFERENCE_WORKER_MAX_BYTES;

export interface WriterOptions extends LocalOptions {
  /** how long to wait for another writer of the same home before giving up */
  readonly lockWaitMs: number;
  /** what this writer runs, shown to a writer that has to wait */
  readonly command: string;
}

/**
 * The app of a command that changes the home (ingest, watch, demo, retry, replay --rebuild): one
 * at a time per home, so two runs never land the same files or run the same workflows. Throws
 * HomeLockHeld (naming the holder) when the home stays busy for lockWaitMs.
 */
export const localWriterApp = async (options: WriterOptions): Promise<PipelineApp> => {
  const home = resolve(options.home);
  mkdirSync(home, { recursive: true });
  const lock = await acquireHomeLock(home, {
    waitMs: options.lockWaitMs,
    command: options.command,
  });
  try {
    const app = localApp(options);
    return {
      ...app,
      close: async () => {
        try {
          await app.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
};
