// The SQLite reference index's worker (started by SqliteWorkerReferenceIndex): its own
// connection to the state file takes a landing's key batches as they arrive, while the landing's
// thread still decodes (SqliteReferenceIndex.openLanding / addToLanding: an order_items landing's
// IMMEDIATE transaction is opened at once and its set statements run batch by batch), then
// registers them (registerOpened) and answers the completion columns. A batch that failed fails
// the register, and the transaction rolls back. Messages run one at a time, in order: the
// register awaits its record's compression (on the thread pool), and what comes after it waits.
import { parentPort, workerData } from 'node:worker_threads';
import { wireError } from '../node/worker-error.js';
import { openSqlite } from './sqlite-database.js';
import { SqliteReferenceIndex } from './sqlite-reference-index.js';
import {
  completionBuffers,
  type ReferenceReply,
  type ReferenceRequest,
  type ReferenceWorkerSetup,
} from './sqlite-reference-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('sqlite-reference-worker runs as a worker thread only');
const setup = workerData as ReferenceWorkerSetup;
const index = new SqliteReferenceIndex(openSqlite(setup.path));

let failed: unknown = null;
const handle = async (request: ReferenceRequest): Promise<void> => {
  switch (request.kind) {
    case 'open':
      failed = null;
      try {
        index.openLanding(request.staged);
      } catch (e) {
        failed = e;
      }
      return;
    case 'abandon':
      failed = null;
      index.abandonLanding();
      return;
    case 'add':
      if (failed !== null) return;
      try {
        index.addToLanding(request.keys);
      } catch (e) {
        failed = e;
      }
      return;
    case 'register': {
      let reply: ReferenceReply;
      try {
        if (failed !== null) throw failed;
        reply = { ok: true, completed: await index.registerOpened(request.staged, request.now) };
      } catch (e) {
        reply = { ok: false, error: wireError(e) };
      }
      port.postMessage(reply, reply.ok ? completionBuffers(reply.completed) : []);
      // the landing's TEMP rows go now, not at the next landing (the answer is already sent),
      // and a transaction a failure left open rolls back
      failed = null;
      index.abandonLanding();
    }
  }
};
let queue = Promise.resolve();
port.on('message', (request: ReferenceRequest) => {
  queue = queue.then(() => handle(request));
});
