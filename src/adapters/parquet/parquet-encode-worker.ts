// The staging encode worker's entry (started by ParquetWorkerCodec, one per staged file): it feeds
// each IPC buffer (made here from batches sent as buffers: arrow-wire.ts) to the same
// ParquetStreamEncoder the inline writer uses and, on `finish`, answers the file's bytes, or the
// first error, after which it ignores the rest.
import { parentPort, workerData } from 'node:worker_threads';
import { wireError } from '../node/worker-error.js';
import { fromWire, stagingTypes } from './arrow-wire.js';
import type { EncodeReply, EncodeRequest, EncodeWorkerSetup } from './parquet-encode-protocol.js';
import { ParquetStreamEncoder, ipcStreamOf } from './parquet-stream-encoder.js';

const port = parentPort;
if (port === null) throw new Error('parquet-encode-worker runs as a worker thread only');
const { rowGroupRows, dataset } = workerData as EncodeWorkerSetup;
const types = dataset === undefined ? undefined : stagingTypes(dataset);

const encoder = new ParquetStreamEncoder(rowGroupRows);
let failed = false;

const answer = (reply: EncodeReply): void => {
  if (reply.ok) port.postMessage(reply, [reply.bytes.buffer as ArrayBuffer]);
  else port.postMessage(reply);
};
const fail = (e: unknown): void => {
  failed = true;
  answer({ ok: false, error: wireError(e) });
};

port.on('message', (request: EncodeRequest) => {
  if (failed) return;
  if ('ipc' in request || 'batches' in request) {
    try {
      if ('ipc' in request) encoder.push(request.ipc);
      else {
        if (types === undefined)
          throw new Error('batches sent to a worker set up without a dataset');
        encoder.push(ipcStreamOf(fromWire(request.batches, types)));
      }
    } catch (e) {
      fail(e);
    }
    return;
  }
  encoder.finish().then((bytes) => answer({ ok: true, bytes }), fail);
});
