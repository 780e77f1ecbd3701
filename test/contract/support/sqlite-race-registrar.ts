// Child process for the two-process race: registers the same rows as its twin and prints the order ids it was told completed.
import { openSqlite } from '../../../src/adapters/sqlite/sqlite-database.js';
import { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import type { LandingKeys } from '../../../src/ports/reference-index.port.js';
import { itemsFile, ordersFile, productsFile } from '../reference-index.contract.js';

const [path = '', who = 'a', countText = '50', startAt = '0'] = process.argv.slice(2);
const n = Number(countText);
// both twins land in the same order (items, then products, then order rows), so they reach
// each order's completing landing at about the same moment
const landings: LandingKeys[] = [];
for (let o = 0; o < n; o++) {
  landings.push(itemsFile(`i${o}-${who}.csv`, [[`o${o}-i`, `o${o}`, 'p1']]));
}
landings.push(productsFile(`p-${who}.csv`, ['p1']));
for (let o = 0; o < n; o++) {
  // each twin lands its own copy of every file (other key, same rows): a real re-delivery
  landings.push(ordersFile(`o${o}-${who}.csv`, [[`o${o}`, 1]]));
}
const index = new SqliteReferenceIndex(openSqlite(path));
// a shared start time, so the twins overlap however long each took to boot
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const completed: string[] = [];
for (const landing of landings) {
  completed.push(...(await index.register(landing, 0)).orderIds);
}
process.stdout.write(JSON.stringify(completed));
