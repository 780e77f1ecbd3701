// The keys a landing registered, read back from its content-addressed staged Parquet: what
// rebuilding (or checking) the reference index from the log needs of each FileLanded.
import type { FileLanded, RecordedEvent } from '../domain/events.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { LandingKeys } from '../ports/reference-index.port.js';
import type { StagingCodec } from '../ports/staging-codec.port.js';
import { LandingKeysBuilder } from './landing-keys.js';

export const stagedLandingKeys = async (
  objects: ObjectStore,
  staging: StagingCodec,
  landed: RecordedEvent<FileLanded>,
): Promise<LandingKeys> => {
  const { stagedKey, dataset, fileKey } = landed.data;
  const bytes = await objects.get(stagedKey);
  if (bytes === null) throw new Error(`staged file missing: ${stagedKey}`);
  const keys = new LandingKeysBuilder(dataset);
  // the hashes stored with the rows (files staged before they were are hashed again)
  for await (const { batch, hashes } of staging.readHashed(bytes, dataset, { batchSize: 65_536 }))
    keys.add(batch, hashes ?? undefined);
  return keys.build(fileKey, stagedKey);
};
