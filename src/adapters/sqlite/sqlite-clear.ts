// Empties a projection's tables (replay --rebuild drops a projection before rebuilding it from
// the log). By name prefix or list, so a table added to a projection later is emptied too.
import type { SqliteDb } from './sqlite-database.js';

const tablesLike = (db: SqliteDb, prefix: string): string[] =>
  db
    .prepare<[number, string], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?",
    )
    .all(prefix.length, prefix)
    .map((r) => r.name);

/** deletes every row of the named tables (and of tables starting with `prefix`), atomically */
export const clearTables = (
  db: SqliteDb,
  tables: { readonly names?: readonly string[]; readonly prefix?: string },
): void => {
  const all = [
    ...(tables.names ?? []),
    ...(tables.prefix === undefined ? [] : tablesLike(db, tables.prefix)),
  ];
  db.transaction(() => {
    for (const name of new Set(all)) db.prepare(`DELETE FROM "${name.replace(/"/g, '""')}"`).run();
  })();
};
