// Which staged rows a group's completion columns name, worked out from the columns themselves:
// per staged file a set of the wanted content hashes, then each staged row kept when its hash is
// taken out of that set. The set is a typed open-addressing table of hash words (HashWordSet):
// no string and no object per wanted row (a 1M-item group names ~2.3M rows).
import type { CompletionColumns, LocationColumns } from '../domain/completion-columns.js';
import { HashWordSet } from '../domain/hash-word-set.js';

/** the staged keys a group's rows live in, each with the raw file it was staged from */
export const stagedSources = (c: CompletionColumns): Map<string, string> => {
  const sources = new Map<string, string>();
  for (const [key, stagedKey] of c.files) sources.set(stagedKey, key);
  return sources;
};

/** what a group wants of one staged file */
export interface Wanted {
  readonly hashes: HashWordSet;
  /** wanted hashes that are not 16 hex digits: no staged row has them, so they are missing */
  readonly odd: Set<string>;
}

/** per staged key, how many locations name it: the room its set needs */
export const wantedCounts = (c: CompletionColumns): Map<string, number> => {
  const perFile = new Uint32Array(c.files.length);
  for (const { file } of [c.orders, c.items, c.products])
    for (const f of file) perFile[f] = (perFile[f] as number) + 1;
  const counts = new Map<string, number>();
  c.files.forEach(([, s], f) => counts.set(s, (counts.get(s) ?? 0) + (perFile[f] as number)));
  return counts;
};

/**
 * the content hashes the group names in one staged file (the content hash covers the key
 * columns, so it names the row within its staged file); built from the location columns when
 * that file is read, so only its table is held then: all at once, a 3M-item group's tables were
 * ~190 MB (9 bytes a slot, sized for every location) alive through the read of its biggest file
 */
export const wantedIn = (c: CompletionColumns, stagedKey: string, capacity: number): Wanted => {
  const wanted: Wanted = { hashes: new HashWordSet(capacity), odd: new Set() };
  // files holding the same staged key share one set
  const mine = Uint8Array.from(c.files, ([, s]) => (s === stagedKey ? 1 : 0));
  for (const l of [c.orders, c.items, c.products]) {
    // a column names the files of one dataset: most staged files need none of its rows, and
    // the one that does needs them all (no test per row)
    const named = filesNamedBy(l, c.files.length);
    let some = false;
    let all = true;
    for (let f = 0; f < named.length; f++) {
      if (named[f] !== 1) continue;
      if (mine[f] === 1) some = true;
      else all = false;
    }
    if (!some) continue;
    const { file, hi, lo, odd } = l;
    for (let j = 0; j < file.length; j++) {
      if (!all && mine[file[j] as number] !== 1) continue;
      const text = odd.size === 0 ? undefined : odd.get(j);
      if (text === undefined) wanted.hashes.add(hi[j] as number, lo[j] as number);
      else wanted.odd.add(text);
    }
  }
  return wanted;
};

/** per location column, which file indexes it names (1): worked out once per column */
const named = new WeakMap<LocationColumns, Uint8Array>();

const filesNamedBy = (l: LocationColumns, fileCount: number): Uint8Array => {
  let files = named.get(l);
  if (files === undefined || files.length !== fileCount) {
    files = new Uint8Array(fileCount);
    for (const f of l.file) files[f] = 1;
    named.set(l, files);
  }
  return files;
};

/** wanted hashes no row has taken (yet) */
export const missingOf = (wanted: Wanted): number => wanted.hashes.size + wanted.odd.size;

/**
 * the rows whose hash `wanted` holds, each taken out of it (one row per version, even when a
 * file holds the same row twice); null when that is every row. `words`: [lo, hi] per row
 * (rowHashWords' layout).
 */
export const pick = (words: Uint32Array, wanted: HashWordSet): Uint32Array | null => {
  const n = words.length >>> 1;
  let rows: Uint32Array | null = null;
  let kept = 0;
  for (let r = 0; r < n; r++) {
    const taken = wanted.take(words[2 * r + 1] as number, words[2 * r] as number);
    if (rows === null) {
      if (taken) continue;
      // the first row left out: the rows before it were all kept
      rows = new Uint32Array(n);
      for (let i = 0; i < r; i++) rows[i] = i;
      kept = r;
    } else if (taken) rows[kept++] = r;
  }
  return rows === null ? null : rows.subarray(0, kept);
};
