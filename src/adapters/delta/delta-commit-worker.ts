// The Delta commit worker's entry (started by DeltaWorkerTables): it opens the local bucket
// folder itself and commits each group's facts from their bytes, answering ok or the error.
// One commit at a time, in the order sent (the client sends one at a time anyway).
import { parentPort, workerData } from 'node:worker_threads';
import { FileSystemObjectStore } from '../filesystem/filesystem-object-store.js';
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

let chain: Promise<void> = Promise.resolve();
port.on('message', (request: CommitRequest) => {
  chain = chain.then(async () => {
    let reply: CommitReply;
    try {
      await tables.commitBatch(request.change, factBytesBatch(request.bytes));
      reply = { id: request.id, ok: true };
    } catch (e) {
      reply = { id: request.id, ok: false, error: wireError(e) };
    }
    port.postMessage(reply);
  });
});
