// Reads and decodes a group's manifest; a missing or malformed manifest is a data error.
import { left, type Either } from 'fp-ts/lib/Either.js';
import { decodeManifest, type GroupManifest } from '../domain/group-manifest.codec.js';
import type { ObjectStore } from '../ports/object-store.port.js';

export interface WorkflowDataError {
  readonly _tag: 'ManifestMissing' | 'ManifestInvalid' | 'InvalidTransition';
  readonly message: string;
}

export const readManifest = async (
  objects: ObjectStore,
  manifestKey: string,
  groupId: string,
): Promise<Either<WorkflowDataError, GroupManifest>> => {
  const bytes = await objects.get(manifestKey);
  if (bytes === null) {
    return left({ _tag: 'ManifestMissing', message: `no group manifest at ${manifestKey}` });
  }
  const decoded = decodeManifest(new TextDecoder().decode(bytes));
  if (decoded._tag === 'Right' && decoded.right.groupId !== groupId) {
    return left({
      _tag: 'ManifestInvalid',
      message: `manifest ${manifestKey} is for group ${decoded.right.groupId}, not ${groupId}`,
    });
  }
  return decoded;
};
