// The SQLite reference index's worker (started by SqliteWorkerReferenceIndex): its own
// connection to the state file takes a landing's key batches as they arrive, while the landing's
// thread still decodes (SqliteReferenceIndex.openLanding / addToLanding: an order_items landing's
// IMMEDIATE transaction is opened at once and its set statements run batch by batch), then
// registers them (registerOpened): it answers the completion columns as soon as they are
// computed (the landing writes its staged object and manifest meanwhile), then writes the orders'
// states and the landing record, commits, and says so. A batch that failed fails the register,
// and the transaction rolls back; a failure after the answer is sent as failed instead of
// committed. Messages run one at a time, in order: the register awaits its record's compression
// (on the thread pool), and what comes after it waits.
import { parentPort, workerData } from 'node:worker_threads';
import type { CompletionColumns } from '../../domain/completion-columns.js';
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
        index.openLanding(request.staged, request.now);
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
      let answered = false;
      const answer = (completed: CompletionColumns, transfer: boolean): void => {
        answered = true;
        const reply: ReferenceReply = { kind: 'answer', completed };
        port.postMessage(reply, transfer ? completionBuffers(completed) : []);
      };
      let reply: ReferenceReply;
      try {
        if (failed !== null) throw failed;
        // answered early, not transferred: the landing record still reads the columns (the
        // location columns are shared, CompletionColumnsBuilder; the rest is cloned)
        const completed = await index.registerOpened(request.staged, request.now, (c) =>
          answer(c, false),
        );
        if (!answered) answer(completed, true);
        reply = { kind: 'committed' };
      } catch (e) {
        reply = { kind: 'failed', error: wireError(e) };
      }
      port.postMessage(reply);
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
