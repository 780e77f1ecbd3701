// Which staged rows a group's completion columns name, worked out from the columns themselves:
// per staged file a set of the wanted content hashes, then each staged row kept when its hash is
// taken out of that set. No object per row location (a 1M-item group names ~2.3M rows).
import type { CompletionColumns } from '../domain/completion-columns.js';

/** the staged keys a group's rows live in, each with the raw file it was staged from */
export const stagedSources = (c: CompletionColumns): Map<string, string> => {
  const sources = new Map<string, string>();
  for (const [key, stagedKey] of c.files) sources.set(stagedKey, key);
  return sources;
};

/**
 * per staged key, the content hashes the group names in it (the content hash covers the key
 * columns, so it names the row within its staged file); built from the location columns
 */
export const wantedHashes = (c: CompletionColumns): Map<string, Set<string>> => {
  const byStaged = new Map<string, Set<string>>();
  // files holding the same staged key share one set
  const sets = c.files.map(([, stagedKey]) => {
    let set = byStaged.get(stagedKey);
    if (set === undefined) byStaged.set(stagedKey, (set = new Set()));
    return set;
  });
  for (const cols of [c.orders, c.items, c.products]) {
    const { file, hash } = cols;
    for (let j = 0; j < hash.length; j++)
      (sets[file[j] as number] as Set<string>).add(hash[j] as string);
  }
  return byStaged;
};

/**
 * the rows of `hashes` whose hash `keys` holds, each taken out of `keys` (one row per version,
 * even when a file holds the same row twice); null when that is every row
 */
export const pick = (hashes: readonly string[], keys: Set<string>): number[] | null => {
  let rows: number[] | null = null;
  for (let r = 0; r < hashes.length; r++) {
    if (keys.delete(hashes[r] as string)) rows?.push(r);
    else if (rows === null) rows = Array.from({ length: r }, (_, i) => i);
  }
  return rows;
};
