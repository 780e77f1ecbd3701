// group.conflicting-versions: the first version seen of each key of one dataset, held in flat
// arrays indexed by the key's KeySlots slot (no Map and no object per key: a big group has
// 10^6 item keys). A later row whose hash differs from its key's first version fails the rule.
import type { SourcedBatch } from '../group-data.js';
import { KeySlots } from './key-slots.js';
import type { RuleCounter } from './rule-counter.js';

export class FirstVersions {
  readonly keys: KeySlots;
  /** each key's first version's hash words, [lo, hi] per slot */
  private readonly hashes: Uint32Array;
  /** where each key's first version is: index into `sources`, row in that batch */
  private readonly batches: Int32Array;
  private readonly rows: Int32Array;

  constructor(
    private readonly tally: RuleCounter,
    private readonly keyColumn: string,
    private readonly sources: readonly SourcedBatch[],
  ) {
    const rows = sources.reduce((n, s) => n + s.batch.length, 0);
    // a dataset has at most as many distinct keys as rows: room for all of them up front
    this.keys = new KeySlots(rows);
    this.batches = new Int32Array(rows);
    this.rows = new Int32Array(rows);
    this.hashes = new Uint32Array(2 * rows);
  }

  /** the key's slot (`~slot` when the key is new), after checking row `row` of
   *  `sources[source]` (whose content hashes are `hashes`, rowHashWords' layout) against the
   *  key's first version */
  see(source: number, key: string, hashes: Uint32Array, row: number): number {
    this.tally.check(1);
    const slot = this.keys.slotOf(key);
    const lo = hashes[2 * row] as number;
    const hi = hashes[2 * row + 1] as number;
    if (slot < 0) {
      this.hashes[2 * ~slot] = lo;
      this.hashes[2 * ~slot + 1] = hi;
      this.batches[~slot] = source;
      this.rows[~slot] = row;
      return slot;
    }
    if (this.hashes[2 * slot] !== lo || this.hashes[2 * slot + 1] !== hi) {
      const { file, batch } = this.sources[source] as SourcedBatch;
      const first = this.sources[this.batches[slot] as number] as SourcedBatch;
      const firstLine = first.batch.lines[this.rows[slot] as number] ?? 0;
      this.tally.fail({
        file,
        line: batch.lines[row] ?? 0,
        key,
        column: this.keyColumn,
        value: key,
        message: `${batch.dataset} ${this.keyColumn}=${key} differs from its version at ${first.file}:${firstLine}`,
      });
    }
    return slot;
  }
}
