// The gzip-ahead worker's entry (gzip-ahead.ts): it lowers its own thread's priority to the
// lowest, so it runs only on a core nothing else wants, and gzips the files asked one after the
// other, each into its temp file (the same bytes as the store's own gzip, serialGzip), synced.
// The file's identity is read before and checked after: a file replaced meanwhile is an error.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  readlinkSync,
  statSync,
  writeSync,
} from 'node:fs';
import { setPriority } from 'node:os';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { wireError } from '../node/worker-error.js';
import {
  identityOf,
  WorkerState,
  type GzipAheadReply,
  type GzipAheadRequest,
} from './gzip-ahead-protocol.js';
import { serialGzip } from './gzip-body.js';

const port = parentPort;
if (port === null) throw new Error('gzip-ahead-worker runs as a worker thread only');
/** shared with the store: see WorkerState */
const state = new Int32Array(workerData as SharedArrayBuffer);

/** the store asked this worker to stop: the job is dropped before its next zlib stream */
class Stopped extends Error {}
const checkNotStopped = (): void => {
  if (Atomics.load(state, 0) === WorkerState.STOP_ASKED) throw new Stopped();
};
const park = (): void => {
  Atomics.store(state, 0, WorkerState.STOPPED);
  Atomics.notify(state, 0);
};

/** nice 19 for this thread alone (Linux: /proc/thread-self names its task id); else as is */
const lowerPriority = (): void => {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // no /proc or not allowed: the work is the same, at the normal priority
  }
};
lowerPriority();

const gzipInto = ({ from, temp, partBytes }: GzipAheadRequest) => {
  const source = openSync(from, 'r');
  try {
    const before = identityOf(fstatSync(source, { bigint: true }));
    mkdirSync(dirname(temp), { recursive: true });
    const target = openSync(temp, 'wx');
    try {
      serialGzip(
        (into) => {
          // called before each part is read, so before each part's deflate: the only places
          // a stop is taken, never inside a zlib stream's construction
          checkNotStopped();
          return readSync(source, into, 0, into.length, null);
        },
        (bytes) => {
          for (let at = 0; at < bytes.length;) at += writeSync(target, bytes, at);
        },
        partBytes === undefined ? {} : { partBytes },
      );
      fsyncSync(target);
    } finally {
      closeSync(target);
    }
    // the path still names the file read, unchanged
    if (before !== identityOf(statSync(from, { bigint: true })))
      throw new Error(`${from} changed while it was gzip'd ahead`);
    return before;
  } finally {
    closeSync(source);
  }
};

port.on('message', (request: GzipAheadRequest) => {
  // stopped (or being stopped) before this job began: it is never started
  if (Atomics.compareExchange(state, 0, WorkerState.IDLE, WorkerState.BUSY) !== WorkerState.IDLE)
    return park();
  let reply: GzipAheadReply;
  try {
    reply = { id: request.id, ok: true, identity: gzipInto(request) };
  } catch (e) {
    if (e instanceof Stopped) return park();
    reply = { id: request.id, ok: false, error: wireError(e) };
  }
  // a stop asked during the last part: parked, the reply is not wanted any more
  if (Atomics.compareExchange(state, 0, WorkerState.BUSY, WorkerState.IDLE) !== WorkerState.BUSY)
    return park();
  port.postMessage(reply);
});
