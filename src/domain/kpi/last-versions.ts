// Which rows of a list of keys are the versions to keep: a key seen more than once keeps its
// first position and takes its last row's values (a re-delivered item replaces the earlier one,
// where the earlier one stood). A Map from 10^6 keys to row numbers costs ~80 MB and ~1 s; the
// keys are numbered by KeySlots instead (one probe a key; shop ids, numbers, are held by value
// without reading a string), which also replaced a sort of (hash, row) pairs: 1M item ids of
// the bench shop, ~0.3 s -> ~0.05 s.
import { KeySlots } from '../key-slots.js';

/**
 * null when every key is distinct; else, per row, the row whose values it takes, or -1 when the
 * row is dropped (a later version of a key seen before).
 */
export const lastVersions = (keys: readonly string[], length: number): Int32Array | null => {
  if (length < 2) return null;
  const slots = new KeySlots(length);
  // per slot (a distinct key, numbered as first seen): the row where it was first seen
  const firstRow = new Int32Array(length);
  let source: Int32Array | null = null;
  for (let row = 0; row < length; row++) {
    const slot = slots.slotOf(keys[row] as string);
    if (slot < 0) {
      firstRow[~slot] = row;
      continue;
    }
    if (source === null) {
      source = new Int32Array(length);
      for (let i = 0; i < length; i++) source[i] = i;
    }
    // rows come in ascending order: the last repeat seen is the key's last version
    source[firstRow[slot] as number] = row;
    source[row] = -1;
  }
  return source;
};
