// Which staged rows a group's completion columns name, worked out from the columns themselves:
// per staged file a set of the wanted content hashes, then each staged row kept when its hash is
// taken out of that set. The set is a typed open-addressing table of hash words (HashWordSet):
// no string and no object per wanted row (a 1M-item group names ~2.3M rows).
import type { CompletionColumns, LocationColumns } from '../domain/completion-columns.js';
import { firstSlot, HashWordSet, tableSlots } from '../domain/hash-word-set.js';

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
 * Which of a location column's rows are in the staged file(s) marked in `mine`: a column names
 * the files of one dataset, so most staged files need none of its rows, and the one that does
 * usually needs them all (then no test per row)
 */
const scopeIn = (
  l: Parameters<typeof filesNamedBy>[0],
  mine: Uint8Array,
  files: number,
): 'none' | 'some' | 'all' => {
  const named = filesNamedBy(l, files);
  let some = false;
  let all = true;
  for (let f = 0; f < named.length; f++) {
    if (named[f] !== 1) continue;
    if (mine[f] === 1) some = true;
    else all = false;
  }
  return !some ? 'none' : all ? 'all' : 'some';
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
    const scope = scopeIn(l, mine, c.files.length);
    if (scope === 'none') continue;
    const all = scope === 'all';
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

/** rows a batch of a staged file holds at most (STAGED_BATCH_ROWS): a row is (batch, offset) */
const BATCH_SPAN = 65_536;

/**
 * A staged file's rows by content hash: its first row of each hash, as (batch, offset). Built
 * by StagedFilePrefetch while the register runs beside (the main thread is idle then), over the
 * batches it decoded, so a group that wants the file's rows finds them without building a set of
 * every location it names (pickIndexed). Holds only slots (4 bytes each, at most half full) and
 * the batches' own hash words.
 */
export class StagedRowIndex {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  /** each batch's hash words ([lo, hi] per row), as decoded */
  readonly words: Uint32Array[] = [];
  private entries = 0;
  /** no hash is held by two rows: a row matched in order is then its hash's only row */
  private unique = true;
  /** false once a batch did not fit (more rows than the capacity, or a batch too long) */
  private fits = true;

  /** `capacity`: the rows the file holds (the landing counted them) */
  constructor(capacity: number) {
    const slots = tableSlots(capacity);
    this.slots = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  /** the index can answer for the file: every batch it was given fitted */
  get usable(): boolean {
    return this.fits;
  }

  get distinct(): boolean {
    return this.unique;
  }

  /** the next batch's hash words, in file order */
  add(words: Uint32Array): void {
    const n = words.length >>> 1;
    const b = this.words.length;
    this.words.push(words);
    if (!this.fits) return;
    if (n > BATCH_SPAN || b >= BATCH_SPAN - 1 || (this.entries + n) * 2 > this.slots.length) {
      this.fits = false;
      return;
    }
    const slots = this.slots;
    for (let o = 0; o < n; o++) {
      const lo = words[2 * o] as number;
      const hi = words[2 * o + 1] as number;
      const at = this.probe(hi, lo);
      // a hash seen before keeps its first row
      if (slots[at] !== 0) {
        this.unique = false;
        continue;
      }
      slots[at] = b * BATCH_SPAN + o + 1;
      this.entries++;
    }
  }

  /** the code (batch * BATCH_SPAN + offset) of the first row with this hash, or -1 */
  find(hi: number, lo: number): number {
    const code = this.slots[this.probe(hi >>> 0, lo >>> 0)] as number;
    return code - 1;
  }

  /** the slot holding the hash, or the empty one where it would go */
  private probe(hi: number, lo: number): number {
    const { slots, mask, words } = this;
    for (let at = firstSlot(hi, lo, mask); ; at = (at + 1) & mask) {
      const code = slots[at] as number;
      if (code === 0) return at;
      const row = code - 1;
      const w = words[Math.floor(row / BATCH_SPAN)] as Uint32Array;
      const o = 2 * (row % BATCH_SPAN);
      if (w[o] === lo && w[o + 1] === hi) return at;
    }
  }
}

const EMPTY_ROWS = new Uint32Array(0);

/** what a group takes of one staged file, found with the file's StagedRowIndex */
export interface IndexedPick {
  /** per batch, its rows taken (ascending; none: the batch is skipped), null when every row is */
  readonly rows: (Uint32Array | null)[];
  /** the distinct wanted hashes (wantedIn's `hashes.size`, before any is taken) */
  readonly expected: number;
  /** as missingOf after every batch was picked */
  readonly missing: number;
}

/**
 * The rows wantedIn and pick select of a staged file, batch by batch, the same answer, with the
 * file's index instead of a set of every location: each location the group names in the file is
 * looked for among its rows, first at the row after the last one found (a group formed by the
 * file that completed it names the file's rows mostly in file order), else in the index; the
 * row found is its hash's first row, as pick takes it. No table as big as the locations, and
 * most locations cost a compare in order instead of a lookup each in a set and the index.
 */
export const pickIndexed = (
  c: CompletionColumns,
  stagedKey: string,
  index: StagedRowIndex,
): IndexedPick => {
  const words = index.words;
  const taken = words.map((w) => new Uint8Array(w.length >>> 1));
  let found = 0;
  // wanted hashes no row holds, once each; odd ones (not 16 hex digits) never match a row
  const absent = new Set<string>();
  const odd = new Set<string>();
  // the row after the last one found: only when each hash has one row (else the first is taken)
  let nb = index.distinct ? 0 : words.length;
  let no = 0;
  const mine = Uint8Array.from(c.files, ([, s]) => (s === stagedKey ? 1 : 0));
  for (const l of [c.orders, c.items, c.products]) {
    const scope = scopeIn(l, mine, c.files.length);
    if (scope === 'none') continue;
    const all = scope === 'all';
    const { file, hi, lo } = l;
    const oddText = l.odd;
    for (let j = 0; j < file.length; j++) {
      if (!all && mine[file[j] as number] !== 1) continue;
      const text = oddText.size === 0 ? undefined : oddText.get(j);
      if (text !== undefined) {
        odd.add(text);
        continue;
      }
      const h = hi[j] as number;
      const w = lo[j] as number;
      let b = nb;
      let o = no;
      const next = words[b];
      if (next === undefined || next[2 * o] !== w || next[2 * o + 1] !== h) {
        const code = index.find(h, w);
        if (code < 0) {
          absent.add(`${h}:${w}`);
          continue;
        }
        b = Math.floor(code / BATCH_SPAN);
        o = code % BATCH_SPAN;
      }
      const marks = taken[b] as Uint8Array;
      if (marks[o] === 0) {
        marks[o] = 1;
        found++;
      }
      if (index.distinct) {
        // the row after: the next batch's first once past this batch's last
        o++;
        if (o === marks.length) {
          b++;
          o = 0;
        }
        nb = b;
        no = o;
      }
    }
  }
  // as StagedRows hands them over after pick: a batch with no row taken is skipped, and once
  // every wanted hash is taken (none absent) the file's later batches are not read
  let left = found + absent.size;
  let stopped = false;
  const rows = taken.map((marks): Uint32Array | null => {
    if (stopped) return EMPTY_ROWS;
    let kept = 0;
    for (let r = 0; r < marks.length; r++) kept += marks[r] as number;
    if (kept === 0 && marks.length > 0) return EMPTY_ROWS;
    left -= kept;
    stopped = left === 0;
    if (kept === marks.length) return null;
    const out = new Uint32Array(kept);
    for (let r = 0, k = 0; r < marks.length; r++) if (marks[r] === 1) out[k++] = r;
    return out;
  });
  return { rows, expected: found + absent.size, missing: absent.size + odd.size };
};
