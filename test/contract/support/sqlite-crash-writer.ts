// Child process for the crash test: writes to the embedded state until it is killed.
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteEventStore } from '../../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import { itemsFile, ordersFile } from '../reference-index.contract.js';
import { landed } from '../event-store.contract.js';

const db = openSqlite(process.argv[2] ?? '');
const events = new SqliteEventStore(db);
const index = new SqliteReferenceIndex(db);
const ROWS = 200;

for (let f = 0; ; f++) {
  const ids = Array.from({ length: ROWS }, (_, i) => `f${f}-o${i}`);
  await index.register(
    ordersFile(
      `o${f}.csv`,
      ids.map((id) => [id, 1]),
    ),
    f,
  );
  await index.register(
    itemsFile(
      `i${f}.csv`,
      ids.map((id) => [`${id}-i`, id, 'p1']),
    ),
    f,
  );
  await events.append(`file-${f}`, [landed(1), landed(2), landed(3)], 0, 't');
  if (f === 2) process.stdout.write('ready\n');
}
