// An order_items landing fed to the SQLite index as its register's worker feeds it: openLanding,
// then addToLanding batch by batch, then registerOpened. Shared by the SQLite properties that
// compare that path with the decider.
import type { SqliteReferenceIndex } from '../../../src/adapters/sqlite/sqlite-reference-index.js';
import { wireBatch } from '../../../src/adapters/sqlite/sqlite-reference-worker-protocol.js';
import { hexWord } from '../../../src/domain/hex-words.js';
import type { KeyBatch, LandingKeys } from '../../../src/ports/reference-index.port.js';

/** rows [from, to) of an items landing, its hashes as words or as text */
const batchOf = (landing: LandingKeys, from: number, to: number, words: boolean): KeyBatch => {
  if (landing.dataset !== 'order_items') throw new Error('items only');
  const hashes = landing.hashes.slice(from, to);
  const ids = {
    itemIds: landing.itemIds.slice(from, to),
    orderIds: landing.orderIds.slice(from, to),
    productIds: landing.productIds.slice(from, to),
  };
  return words && hashes.every((h) => hexWord(h, 0) >= 0 && hexWord(h, 8) >= 0)
    ? {
        dataset: 'order_items',
        ...ids,
        hashWords: Uint32Array.from(hashes.flatMap((h) => [hexWord(h, 8), hexWord(h, 0)])),
      }
    : { dataset: 'order_items', ...ids, hashes };
};

/**
 * an items landing through openLanding / addToLanding / registerOpened, in batches of the
 * given sizes (cycled), each batch's hashes as words where `words` says so, and its ids as the
 * keys the worker's batches carry (wireBatch) where `wire` says so
 */
export const registerOpened = async (
  index: SqliteReferenceIndex,
  landing: LandingKeys,
  now: number,
  sizes: readonly number[],
  words: readonly boolean[],
  wire: readonly boolean[] = [false],
) => {
  if (landing.dataset !== 'order_items') return index.register(landing, now);
  const staged = {
    dataset: landing.dataset,
    fileKey: landing.fileKey,
    stagedKey: landing.stagedKey,
  };
  index.openLanding(staged);
  let at = 0;
  for (let b = 0; at < landing.itemIds.length; b++) {
    const size = sizes[b % sizes.length] ?? 1;
    const batch = batchOf(landing, at, at + size, words[b % words.length] ?? true);
    index.addToLanding(wire[b % wire.length] === true ? wireBatch(batch) : batch);
    at += size;
  }
  return index.registerOpened(staged, now);
};
