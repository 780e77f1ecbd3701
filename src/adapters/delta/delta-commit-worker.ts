// The Delta commit worker's entry (started by DeltaWorkerTables): it opens the local bucket
// folder itself and commits each group's facts from their bytes, answering ok or the error.
// The client starts one worker per commit and stops it after the answer.
import { parentPort, workerData } from 'node:worker_threads';
import { FileSystemObjectStore } from '../filesystem/filesystem-object-store.js';
import { V8MemoryReclaim } from '../node/v8-memory-reclaim.js';
import { DeltaAnalyticsTables } from './delta-analytics-tables.js';
import { factBytesBatch } from './delta-fact-bytes.js';
import {
  type CommitReply,
  type CommitRequest,
  type DeltaWorkerSetup,
  wireError,
} from './delta-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('delta-commit-worker runs as a worker thread only');
const setup = workerData as DeltaWorkerSetup;
const store = new FileSystemObjectStore(setup.bucket, { gzipped: [...setup.gzipped] });
const tables = new DeltaAnalyticsTables(store, { prefix: setup.prefix });
const memory = new V8MemoryReclaim();

let chain: Promise<void> = Promise.resolve();
port.on('message', (request: CommitRequest) => {
  chain = chain.then(async () => {
    let reply: CommitReply;
    try {
      await tables.commitBatch(
        request.change,
        factBytesBatch(request.bytes, () => memory.reclaim()),
      );
      reply = { ok: true };
    } catch (e) {
      reply = { ok: false, error: wireError(e) };
    }
    port.postMessage(reply);
  });
});
