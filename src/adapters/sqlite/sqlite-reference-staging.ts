// A landing's key columns into a TEMP table, many rows per statement: each run of a prepared
// statement costs a round trip through better-sqlite3 whatever its size, so 1M rows one by one
// spent more time binding than inserting (measured: 1M rows of 4 strings, 1.07 s of CPU one by
// one, 0.67 s 50 at a time). 32 rows a statement measured ~8% under 64 (0.55 s against 0.60 s
// for 1M rows; 256 no better than 64, 8 worse): a smaller statement's binding stays in cache.
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from './sqlite-database.js';
import { integerKey } from './sqlite-id-key.js';

const ROWS_PER_STATEMENT = 32;

type Value = string | number | null;

/** the SELECT list of a chunked insert's VALUES columns, the first `keys` of them ids */
const selectList = (width: number, keys: number): string =>
  Array.from({ length: width }, (_, c) =>
    c < keys ? integerKey(`column${c + 1}`) : `column${c + 1}`,
  ).join(', ');

export class ChunkedInsert {
  private readonly many: Statement<[Value[]]>;
  private readonly one: Statement<[Value[]]>;
  private readonly args: Value[];

  constructor(
    db: SqliteDb,
    table: string,
    private readonly width: number,
    /** how many of the first columns are id keys (integerKey) */
    keys = 0,
  ) {
    const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    // rowid order is the VALUES order
    const sql = (rows: number): string =>
      `INSERT INTO ${table} SELECT ${selectList(width, keys)} FROM (VALUES ` +
      Array.from({ length: rows }, () => row).join(', ') +
      ')';
    this.many = db.prepare<[Value[]]>(sql(ROWS_PER_STATEMENT));
    this.one = db.prepare<[Value[]]>(sql(1));
    this.args = new Array<Value>(width * ROWS_PER_STATEMENT).fill(null);
  }

  /** inserts rows 0..n-1 in order; `fill` writes row i's values into out[at], out[at + 1]... */
  run(n: number, fill: (i: number, out: Value[], at: number) => void): void {
    const { args, width } = this;
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= n; i += ROWS_PER_STATEMENT) {
      for (let r = 0; r < ROWS_PER_STATEMENT; r++) fill(i + r, args, r * width);
      this.many.run(args);
    }
    const last = new Array<Value>(width).fill(null);
    for (; i < n; i++) {
      fill(i, last, 0);
      this.one.run(last);
    }
  }
}

/**
 * Row hash words (rowHashWords' layout: row r's low word at [2r], high at [2r + 1]) as the 8
 * bytes ri_items keeps (the high word first, big-endian: lower(hex()) of them is hexOfWords)
 */
export const hashBytes = (words: Uint32Array): Buffer => {
  const out = Buffer.alloc(words.length * 4);
  if (LITTLE_ENDIAN) {
    // each row's two words in memory are its hash as a little-endian 64-bit number
    out.set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
    out.swap64();
  } else {
    for (let r = 0; 2 * r < words.length; r++) {
      out.writeUInt32BE(words[2 * r + 1] as number, 8 * r);
      out.writeUInt32BE(words[2 * r] as number, 8 * r + 4);
    }
  }
  return out;
};

type Bound = Value | Buffer;

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * ChunkedInsert for rows whose last column is an 8-byte hash: the hashes of a statement's rows
 * are bound as one blob that SQL cuts (substr), not as a 16-character string each. 1M items
 * measured 1.07 -> 1.02-1.10 s to insert, and the ri_items upsert 0.62 -> 0.49 s (its storedHash
 * test is then one length() of a blob); no hex string per row is made or kept (3M rows: ~120 MB).
 */
export class ChunkedHashInsert {
  private readonly many: Statement<[Bound[]]>;
  private readonly one: Statement<[Bound[]]>;
  private readonly args: Bound[];

  constructor(
    db: SqliteDb,
    table: string,
    /** columns before the hash */
    private readonly width: number,
    /** how many of the first columns are id keys (integerKey) */
    keys = 0,
  ) {
    const columns = selectList(width, keys);
    // the blob's `?` comes first in the text, so it is the first value bound; rowid order is
    // the VALUES order, as with ChunkedInsert
    const sql = (rows: number): string =>
      `INSERT INTO ${table} SELECT ${columns}, substr(?, column${width + 1}, 8) FROM (VALUES ` +
      Array.from(
        { length: rows },
        (_, r) => `(${Array.from({ length: width }, () => '?').join(', ')}, ${8 * r + 1})`,
      ).join(', ') +
      ')';
    this.many = db.prepare<[Bound[]]>(sql(ROWS_PER_STATEMENT));
    this.one = db.prepare<[Bound[]]>(sql(1));
    this.args = new Array<Bound>(1 + width * ROWS_PER_STATEMENT).fill(null);
  }

  /** inserts rows 0..n-1 in order, row i's hash the bytes [8i, 8i + 8) of `hashes` */
  run(n: number, hashes: Buffer, fill: (i: number, out: Value[], at: number) => void): void {
    const { args, width } = this;
    const values = args as Value[];
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= n; i += ROWS_PER_STATEMENT) {
      args[0] = hashes.subarray(8 * i, 8 * (i + ROWS_PER_STATEMENT));
      for (let r = 0; r < ROWS_PER_STATEMENT; r++) fill(i + r, values, 1 + r * width);
      this.many.run(args);
    }
    const last = new Array<Bound>(1 + width).fill(null);
    for (; i < n; i++) {
      last[0] = hashes.subarray(8 * i, 8 * i + 8);
      fill(i, last as Value[], 1);
      this.one.run(last);
    }
  }
}
