// The group manifest decoded as its bytes stream in: at 3M items the manifest is ~220 MB of JSON,
// and reading it whole (the bytes, then one string, then the text without its hash arrays) set
// the ingest's peak RSS. Here only the text not yet consumed (about one chunk) is held: the big
// arrays are parsed a run of complete elements at a time (JSON.parse of each run, so escapes and
// odd values are read exactly as JSON.parse reads them) and the hash arrays straight into words.
// Only the column form exactly as encodeManifestBytes writes it is streamed (no whitespace, keys
// in its order), with each location column compact (its base64 decoded a run of whole quads at a
// time) or, as written up to round 9, with hash arrays; any other text (an older form, a hand-written or broken manifest) makes `finish`
// answer null, and the caller decodes the whole text with decodeManifest, so both ways give the
// same answer by construction for every other input.
import type { Either } from 'fp-ts/lib/Either.js';
import { LocationColumnsBuilder } from './location-columns.js';
import { atWidth, type LiftedHashes } from './location-columns.codec.js';
import { Base64Decoder } from './json-bytes-base64.js';
import { HEX_VALUES, IndexColumn, NotStreamed, escaped, integersInto } from './json-runs.js';
import {
  decodeManifestColumns,
  type GroupManifest,
  type ManifestInvalid,
} from './group-manifest.codec.js';
import { QUOTE, BACKSLASH, COMMA, OPEN, CLOSE } from './json-bytes.js';

/** the file list is small; a longer one is not a manifest written today */
const MAX_FILES_TEXT = 1 << 24;

/** the bytes decoded to text at once */
const PIECE = 32 * 1024;

/** the most locations a column is given room for up front (a manifest saying more is wrong) */
const MAX_RESERVED = 1 << 26;

/** the bytes a base64 string is given room for first (it grows by doubling) */
const BASE64_ROOM = 1 << 16;

const CLOSE_BRACE = 0x7d;

/** where a base64 string's bytes go, in whole units, as they are decoded */
interface Base64Sink {
  start(): void;
  take(bytes: Uint8Array): void;
  end(): void;
}

/** the big-endian 32-bit word of bytes[b, b + 4) */
const wordAt = (bytes: Uint8Array, b: number): number =>
  (((bytes[b] as number) << 24) |
    ((bytes[b + 1] as number) << 16) |
    ((bytes[b + 2] as number) << 8) |
    (bytes[b + 3] as number)) >>>
  0;

/** a step consumes text from `at`; true once its part of the manifest is read */
type Step = () => boolean;

export class ManifestStreamDecoder {
  private readonly utf8 = new TextDecoder();
  private text = '';
  private at = 0;
  private step = 0;
  private failed = false;
  /** inside a hash array: whether an element comes next (after its `[` or a comma) */
  private open = false;
  private element = false;
  private readonly json: Record<string, unknown> = {};
  private readonly completions: Record<string, unknown> = {};
  private readonly lifted: LiftedHashes[] = [];
  private hashes = new LocationColumnsBuilder(0);
  /** a compact column read up to its hashes, waiting for its `at` or its end */
  private compact: { readonly file: Uint32Array; readonly hashes: LiftedHashes } | null = null;
  /** inside a base64 string: its bytes so far */
  private b64: Base64Decoder | null = null;
  private readonly steps: readonly Step[];

  constructor() {
    const c = this.completions;
    // how many locations each column holds is known before it comes (the orders', their item
    // and product offsets), so its typed arrays are made that size once, never grown and copied
    const located = (name: string, index: number, count: () => number): Step[] => {
      const file = new IndexColumn();
      const column: { file: Uint32Array; hash: number } = { file: file.values, hash: index };
      c[name] = column;
      return [
        this.literal(`,"${name}":{"file":`),
        this.start(() => file.reserve(count())),
        this.values(file.scratch, () => file.append()),
        this.literal(',"hash":'),
        this.start(() => {
          column.file = file.build();
        }),
        this.hashValue(count, column),
        this.compactTail(count, column),
        this.literal('}'),
      ];
    };
    const last = (name: string) => (): number => {
      const starts = c[name] as number[];
      return Math.max(0, Math.min(starts[starts.length - 1] ?? 0, MAX_RESERVED));
    };
    const orderCount = (): number => Math.min((c.orderIds as string[]).length, MAX_RESERVED);
    const array = <T>(name: string): Step => this.values((c[name] = [] as T[]) as T[]);
    this.steps = [
      this.literal('{"groupId":'),
      this.string('groupId'),
      this.literal(',"fileKey":'),
      this.string('fileKey'),
      this.literal(',"completions":{"files":'),
      this.files(),
      this.literal(',"orderIds":'),
      this.strings((c.orderIds = [])),
      this.literal(',"fingerprints":'),
      this.strings((c.fingerprints = [])),
      this.literal(',"createdAt":'),
      array('createdAt'),
      ...located('orders', 0, orderCount),
      this.literal(',"itemStart":'),
      array('itemStart'),
      ...located('items', 1, last('itemStart')),
      this.literal(',"productStart":'),
      array('productStart'),
      ...located('products', 2, last('productStart')),
      this.literal('}}'),
    ];
    this.json.completions = c;
  }

  /** feeds the next bytes; false once the text is known not to be the streamed form */
  push(bytes: Uint8Array): boolean {
    // in pieces: a text of more than ~128 KB is a large object to V8, which a scavenge of the
    // young generation does not free (the store's gunzip gives 256 KB chunks)
    for (let at = 0; at < bytes.length && !this.failed; at += PIECE)
      this.run(this.utf8.decode(bytes.subarray(at, at + PIECE), { stream: true }));
    return !this.failed;
  }

  /** the manifest decoded (as decodeManifest decodes it), or null: decode the whole text */
  finish(): Either<ManifestInvalid, GroupManifest> | null {
    if (!this.failed) this.run(this.utf8.decode());
    if (this.failed || this.step < this.steps.length || this.at < this.text.length) return null;
    return decodeManifestColumns(this.json, this.lifted);
  }

  private run(more: string): void {
    // joined, not concatenated: a flat string (a cons string is read through an indirection on
    // every charCodeAt of the loops below)
    this.text = [this.text.slice(this.at), more].join('');
    this.at = 0;
    try {
      while (this.step < this.steps.length && (this.steps[this.step] as Step)()) this.step++;
    } catch {
      // NotStreamed, or JSON.parse refusing a run: the whole text decides
      this.failed = true;
    }
  }

  /** runs `f` once, consuming nothing */
  private start(f: () => void): Step {
    return () => {
      f();
      return true;
    };
  }

  private literal(expected: string): Step {
    return () => {
      const have = this.text.length - this.at;
      const n = Math.min(have, expected.length);
      if (this.text.slice(this.at, this.at + n) !== expected.slice(0, n)) throw new NotStreamed();
      if (have < expected.length) return false;
      this.at += expected.length;
      return true;
    };
  }

  /** the end of the JSON string starting at `from` (its closing quote), or -1: more text needed */
  private stringEnd(from: number): number {
    if (this.text.charCodeAt(from) !== QUOTE) throw new NotStreamed();
    let q = this.text.indexOf('"', from + 1);
    while (q >= 0 && escaped(this.text, q, from)) q = this.text.indexOf('"', q + 1);
    return q;
  }

  private string(name: string): Step {
    return () => {
      if (this.at >= this.text.length) return false;
      const end = this.stringEnd(this.at);
      if (end < 0) return false;
      this.json[name] = JSON.parse(this.text.slice(this.at, end + 1)) as unknown;
      this.at = end + 1;
      return true;
    };
  }

  /** the file list, up to the key that follows it (`,"` cannot occur outside its strings) */
  private files(): Step {
    return () => {
      const end = this.text.indexOf(',"orderIds":', this.at);
      if (end < 0) {
        if (this.text.length - this.at > MAX_FILES_TEXT) throw new NotStreamed();
        return false;
      }
      this.completions.files = JSON.parse(this.text.slice(this.at, end)) as unknown;
      this.at = end;
      return true;
    };
  }

  /** `[` read: true when the array is already closed (empty) */
  private opened(): boolean | null {
    if (this.open) return false;
    if (this.text.length - this.at < 2) return null;
    if (this.text.charCodeAt(this.at) !== OPEN) throw new NotStreamed();
    this.at++;
    this.open = true;
    this.element = true;
    if (this.text.charCodeAt(this.at) !== CLOSE) return false;
    this.at++;
    this.open = false;
    return true;
  }

  /** the elements from `at` to `end` (a run of whole elements) appended to `into` */
  private take<T>(into: T[], end: number): void {
    if (end === this.at) throw new NotStreamed(); // `[,` or `,]`
    if (integersInto(into as unknown as number[], this.text, this.at, end)) return;
    for (const x of JSON.parse(`[${this.text.slice(this.at, end)}]`) as T[]) into.push(x);
  }

  /** an array of numbers or nulls (nothing in them is a comma or a bracket); `flush` sees each
   *  run appended to `into` */
  private values<T>(into: T[], flush: () => void = () => undefined): Step {
    const step = this.valuesStep(into);
    return () => {
      const done = step();
      flush();
      return done;
    };
  }

  private valuesStep<T>(into: T[]): Step {
    return () => {
      const opened = this.opened();
      if (opened !== false) return opened === true;
      const close = this.text.indexOf(']', this.at);
      if (close < 0) {
        const comma = this.text.lastIndexOf(',');
        if (comma < this.at) return false;
        this.take(into, comma);
        this.at = comma + 1;
        return false;
      }
      this.take(into, close);
      this.at = close + 1;
      this.open = false;
      return true;
    };
  }

  /** an array of strings, each run of whole ones parsed at once */
  private strings(into: string[]): Step {
    return () => {
      const opened = this.opened();
      if (opened !== false) return opened === true;
      let next = this.at;
      let done = -1;
      let runEnd = -1;
      while (next < this.text.length) {
        const end = this.stringEnd(next);
        if (end < 0 || end + 1 >= this.text.length) break;
        const after = this.text.charCodeAt(end + 1);
        runEnd = end + 1;
        if (after === CLOSE) {
          done = end + 2;
          break;
        }
        if (after !== COMMA) throw new NotStreamed();
        next = end + 2;
      }
      if (runEnd < 0) return false;
      this.take(into, runEnd);
      this.at = done < 0 ? runEnd + 1 : done;
      if (done < 0) return false;
      this.open = false;
      return true;
    };
  }

  /**
   * a column's `hash`: the array of hash texts (the form written up to round 9) or the compact
   * form's base64 of their bytes, one per file index read before it, decoded straight into words
   * as the text comes (then its `at` may follow: compactTail)
   */
  private hashValue(count: () => number, column: { file: Uint32Array }): Step {
    const array = this.hashArray();
    let hi = new Uint32Array(0);
    let lo = new Uint32Array(0);
    let n = 0;
    const base64 = this.base64String(8, {
      start: () => {
        hi = new Uint32Array(column.file.length);
        lo = new Uint32Array(column.file.length);
        n = 0;
      },
      take: (bytes) => {
        if (n + bytes.length / 8 > hi.length) throw new NotStreamed();
        for (let b = 0; b < bytes.length; b += 8, n++) {
          hi[n] = wordAt(bytes, b);
          lo[n] = wordAt(bytes, b + 4);
        }
      },
      end: () => {
        if (n !== hi.length) throw new NotStreamed();
        this.compact = { file: column.file, hashes: { hi, lo, odd: new Map() } };
      },
    });
    let mode: 'open' | 'array' | 'base64' = 'open';
    return () => {
      if (mode === 'open') {
        if (this.at >= this.text.length) return false;
        if (this.text.charCodeAt(this.at) === QUOTE) mode = 'base64';
        else {
          mode = 'array';
          this.hashes = new LocationColumnsBuilder(count());
        }
      }
      return mode === 'array' ? array() : base64();
    };
  }

  /**
   * after a compact column's hashes: its end, or its `at` (the index of each location among the
   * distinct ones, spelled out into the column's `count` locations as it comes)
   */
  private compactTail(count: () => number, column: { file: Uint32Array }): Step {
    const done = (file: Uint32Array, hashes: LiftedHashes): true => {
      column.file = file;
      this.lifted.push(hashes);
      this.compact = null;
      return true;
    };
    const key = this.literal(',"at":');
    let file = new Uint32Array(0);
    let hi = new Uint32Array(0);
    let lo = new Uint32Array(0);
    let n = 0;
    let width: 2 | 4 = 2;
    const at = this.base64String(() => width, {
      start: () => {
        const size = count();
        file = new Uint32Array(size);
        hi = new Uint32Array(size);
        lo = new Uint32Array(size);
        n = 0;
      },
      take: (bytes) => {
        const d = this.compact as { file: Uint32Array; hashes: LiftedHashes };
        const distinct = d.file.length;
        if (n + bytes.length / width > file.length) throw new NotStreamed();
        for (let b = 0; b < bytes.length; b += width, n++) {
          const j =
            width === 2
              ? (bytes[b] as number) | ((bytes[b + 1] as number) << 8)
              : ((bytes[b] as number) |
                  ((bytes[b + 1] as number) << 8) |
                  ((bytes[b + 2] as number) << 16) |
                  ((bytes[b + 3] as number) << 24)) >>>
                0;
          if (j >= distinct) throw new NotStreamed();
          file[n] = d.file[j] as number;
          hi[n] = d.hashes.hi[j] as number;
          lo[n] = d.hashes.lo[j] as number;
        }
      },
      end: () => {
        if (n !== file.length) throw new NotStreamed();
        done(file, { hi, lo, odd: new Map() });
      },
    });
    let phase: 'open' | 'key' | 'at' = 'open';
    return () => {
      const compact = this.compact;
      if (compact === null) return true; // the array form: lifted as it was read
      if (phase === 'open') {
        if (this.at >= this.text.length) return false;
        if (this.text.charCodeAt(this.at) === CLOSE_BRACE)
          return done(compact.file, compact.hashes);
        width = atWidth(compact.file.length);
        phase = 'key';
      }
      if (phase === 'key') {
        if (!key()) return false;
        phase = 'at';
      }
      return at();
    };
  }

  /**
   * a JSON string of base64, its bytes handed to `sink` in whole units as they are decoded (a
   * sink throws NotStreamed when they do not fit)
   */
  private base64String(unit: number | (() => number), sink: Base64Sink): Step {
    return () => {
      if (this.b64 === null) {
        if (this.at >= this.text.length) return false;
        if (this.text.charCodeAt(this.at) !== QUOTE) throw new NotStreamed();
        this.at++;
        this.b64 = new Base64Decoder(BASE64_ROOM);
        sink.start();
      }
      const close = this.text.indexOf('"', this.at);
      // whole quads only until the string's end is seen (a quad may come cut between pieces)
      const end = close < 0 ? this.at + ((this.text.length - this.at) & ~3) : close;
      if (!this.b64.push(this.text, this.at, end)) throw new NotStreamed();
      this.at = end;
      this.b64.drain(typeof unit === 'number' ? unit : unit(), sink.take);
      if (close < 0) return false;
      this.at = close + 1;
      const rest = this.b64.finish();
      this.b64 = null;
      if (rest === null || rest.length !== 0) throw new NotStreamed();
      sink.end();
      return true;
    };
  }

  /** a `hash` array, straight into words as liftHashArrays reads it */
  private hashArray(): Step {
    return () => {
      const opened = this.opened();
      if (opened === null) return false;
      if (opened === true) return this.lift();
      const { text, hashes } = this;
      let i = this.at;
      let element = this.element;
      try {
        for (;;) {
          if (i >= text.length) return false;
          if (!element) {
            const c = text.charCodeAt(i++);
            if (c === CLOSE) {
              this.at = i;
              return this.lift();
            }
            if (c !== COMMA) throw new NotStreamed();
            element = true;
            continue;
          }
          if (text.charCodeAt(i) !== QUOTE) throw new NotStreamed();
          // the usual case: 16 lowercase hex digits (hexWord's, read by table) and the quote
          let hi = 0;
          let lo = 0;
          let bad = text.charCodeAt(i + 17) === QUOTE ? 0 : -1;
          for (let k = i + 1; k < i + 9 && bad >= 0; k++) {
            const d = HEX_VALUES[text.charCodeAt(k)] as number;
            bad |= d;
            hi = (hi << 4) | d;
          }
          for (let k = i + 9; k < i + 17 && bad >= 0; k++) {
            const d = HEX_VALUES[text.charCodeAt(k)] as number;
            bad |= d;
            lo = (lo << 4) | d;
          }
          if (bad >= 0) {
            hashes.addWords(0, hi >>> 0, lo >>> 0);
            i += 18;
          } else {
            let end = i + 1;
            while (end < text.length && text.charCodeAt(end) !== QUOTE)
              end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
            if (end >= text.length) return false;
            hashes.add(0, JSON.parse(text.slice(i, end + 1)) as string);
            i = end + 1;
          }
          element = false;
        }
      } finally {
        // where the next call goes on (an element is consumed whole or not at all)
        if (this.open) {
          this.at = i;
          this.element = element;
        }
      }
    };
  }

  /** the hash array read: its words are the next lifted array */
  private lift(): true {
    const { hi, lo, odd } = this.hashes.build();
    this.lifted.push({ hi, lo, odd });
    this.open = false;
    return true;
  }
}
