// The memory behind unique.order-product: the line each (order, product) pair first appeared on.
// A hash table of pairs touches a random place of a table of 10^6+ positions per row (48 MB at
// 3M items: a cache miss each, and the time per row grows with the file). An export lists an
// order's items together, so here each order (numbered by a KeySlots) has a short list of its
// pairs, appended to shared typed arrays as they come: a row reads the few entries just written
// for its order. An order with more than LONG pairs moves them to a pair KeySlots, so no row
// ever walks a long list.
import { KeySlots, roomFor } from '../key-slots.js';
import { tagOf } from '../key-tags.js';

const LONG = 16;
const NONE = 0;
const SPILLED = -1;

export class PairLines {
  private readonly orders: KeySlots;
  /** per order slot: 1 + index of its newest entry, NONE, or SPILLED (see `spill`) */
  private heads: Int32Array;
  /** the entries: 1 + index of the order's previous entry (or NONE), the second part's tag, the
   *  line; the second part's text only once one is not a number (until then null) */
  private next: Int32Array;
  private tags: Int32Array;
  private lines: Uint32Array;
  private seconds: string[] | null = null;
  private used = 0;
  private spill: KeySlots | null = null;
  private spillLines = new Uint32Array(0);

  /** `expected`: how many pairs to make room for up front */
  constructor(expected = 0) {
    this.orders = new KeySlots(expected);
    this.heads = new Int32Array(16);
    this.next = new Int32Array(Math.max(16, expected));
    this.tags = new Int32Array(this.next.length);
    this.lines = new Uint32Array(this.next.length);
  }

  /** the line the pair (`first`, `second`) first appeared on; or, when new, -1 after
   *  remembering `line` for it */
  firstLine(first: string, second: string, line: number): number {
    const seen = this.orders.slotOf(first);
    const order = seen < 0 ? ~seen : seen;
    this.heads = roomFor(this.heads, order);
    const head = this.heads[order] as number;
    if (head === SPILLED) return this.spilled(first, second, line);
    const tag = tagOf(second);
    let length = 0;
    for (let at = head; at !== NONE; at = this.next[at - 1] as number, length++) {
      if (this.tags[at - 1] !== tag) continue;
      if (tag < 0 && (this.seconds as string[])[at - 1] !== second) continue;
      return this.lines[at - 1] as number;
    }
    if (length >= LONG) {
      this.spillOrder(order, first);
      return this.spilled(first, second, line);
    }
    const at = this.used++;
    this.next = roomFor(this.next, at);
    this.tags = roomFor(this.tags, at);
    this.lines = roomFor(this.lines, at);
    this.next[at] = head;
    this.tags[at] = tag;
    this.lines[at] = line;
    if (tag < 0 && this.seconds === null) this.seconds = new Array<string>(at).fill('');
    this.seconds?.push(second);
    this.heads[order] = at + 1;
    return -1;
  }

  /** moves an order's pairs to the pair table (a number's text is its tag written out) */
  private spillOrder(order: number, first: string): void {
    const entries: number[] = [];
    for (let at = this.heads[order] as number; at !== NONE; at = this.next[at - 1] as number) {
      entries.push(at - 1);
    }
    // oldest first, so lines keep meaning "first seen"
    for (const e of entries.reverse()) {
      const tag = this.tags[e] as number;
      const second = tag >= 0 ? String(tag) : ((this.seconds as string[])[e] as string);
      this.spilled(first, second, this.lines[e] as number);
    }
    this.heads[order] = SPILLED;
  }

  private spilled(first: string, second: string, line: number): number {
    this.spill ??= new KeySlots(0, true);
    const slot = this.spill.slotOf(first, second);
    if (slot >= 0) return this.spillLines[slot] as number;
    this.spillLines = roomFor(this.spillLines, ~slot);
    this.spillLines[~slot] = line;
    return -1;
  }
}
