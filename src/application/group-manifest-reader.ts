// Reads and decodes a group's manifest; a missing or malformed manifest is a data error.
// Validate, Transform and Archive of one group each read it; when they run in one process, the
// same bytes give back the same decoded value while it is still in use (StagedRows keeps it from
// Validate until Transform releases it), so the ~2.3M-entry columns of a 1M-item group are
// parsed once and the rows StagedRows selected for them are reused.
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { Hash64 } from '../domain/fingerprint.js';
import { decodeManifest, type GroupManifest } from '../domain/group-manifest.codec.js';
import type { ObjectStore } from '../ports/object-store.port.js';

export interface WorkflowDataError {
  readonly _tag: 'ManifestMissing' | 'ManifestInvalid' | 'InvalidTransition';
  readonly message: string;
}

/** a digest of the bytes: a rewritten manifest is decoded again, never mistaken for the old */
const digestOf = (bytes: Uint8Array): string => {
  const h = new Hash64();
  const words = Math.floor(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words; i++) h.code(view.getUint32(i * 4, true));
  for (let i = words * 4; i < bytes.byteLength; i++) h.code(bytes[i] as number);
  return `${bytes.byteLength}:${h.digest()}`;
};

/** manifest key -> the last value decoded from it, held weakly (it may be collected) */
const decoded = new Map<
  string,
  { readonly digest: string; readonly value: WeakRef<GroupManifest> }
>();

const remembered = (manifestKey: string, digest: string): GroupManifest | undefined => {
  for (const [key, entry] of decoded) if (entry.value.deref() === undefined) decoded.delete(key);
  const entry = decoded.get(manifestKey);
  return entry?.digest === digest ? entry.value.deref() : undefined;
};

export const readManifest = async (
  objects: ObjectStore,
  manifestKey: string,
  groupId: string,
): Promise<Either<WorkflowDataError, GroupManifest>> => {
  const bytes = await objects.get(manifestKey);
  if (bytes === null) {
    return left({ _tag: 'ManifestMissing', message: `no group manifest at ${manifestKey}` });
  }
  const digest = digestOf(bytes);
  let manifest = remembered(manifestKey, digest);
  if (manifest === undefined) {
    const result = decodeManifest(new TextDecoder().decode(bytes));
    if (result._tag === 'Left') return result;
    manifest = result.right;
    decoded.set(manifestKey, { digest, value: new WeakRef(manifest) });
  }
  if (manifest.groupId !== groupId) {
    return left({
      _tag: 'ManifestInvalid',
      message: `manifest ${manifestKey} is for group ${manifest.groupId}, not ${groupId}`,
    });
  }
  return right(manifest);
};
