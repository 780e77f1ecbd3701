// group.conflicting-versions: the first version seen of each key of one dataset, found by the
// key's KeySlots slot (no Map and no object per key: a big group has 10^6 item keys). A later
// row whose hash differs from its key's first version fails the rule. Only where each first
// version is (source, row) is kept: its hash is read back from the source's hash words, so no
// per-key copy of the hashes is built.
import { rowCount, type SourcedBatch } from '../group-data.js';
import { KeySlots } from '../key-slots.js';
import type { RuleCounter } from './rule-counter.js';

export class FirstVersions {
  readonly keys: KeySlots;
  /** where each key's first version is: index into `sources`, row in that batch */
  readonly batches: Int32Array;
  readonly rows: Int32Array;

  /** `hashes[s]`: the content hash of each row of `sources[s]` ([lo, hi] words per row,
   *  rowHashWords' layout) */
  constructor(
    private readonly tally: RuleCounter,
    private readonly keyColumn: string,
    private readonly sources: readonly SourcedBatch[],
    private readonly hashes: readonly Uint32Array[],
  ) {
    const rows = rowCount(sources);
    // a dataset has at most as many distinct keys as rows: room for all of them up front
    this.keys = new KeySlots(rows);
    this.batches = new Int32Array(rows);
    this.rows = new Int32Array(rows);
  }

  /** the key's slot (`~slot` when the key is new), after checking row `row` of
   *  `sources[source]` against the key's first version */
  see(source: number, key: string, row: number): number {
    this.tally.check(1);
    const slot = this.keys.slotOf(key);
    if (slot < 0) {
      this.batches[~slot] = source;
      this.rows[~slot] = row;
      return slot;
    }
    const firstSource = this.batches[slot] as number;
    const firstRow = this.rows[slot] as number;
    const words = this.hashes[source] as Uint32Array;
    const firstWords = this.hashes[firstSource] as Uint32Array;
    if (
      firstWords[2 * firstRow] !== words[2 * row] ||
      firstWords[2 * firstRow + 1] !== words[2 * row + 1]
    ) {
      const { file, batch } = this.sources[source] as SourcedBatch;
      const first = this.sources[firstSource] as SourcedBatch;
      const firstLine = first.batch.lines[firstRow] ?? 0;
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
