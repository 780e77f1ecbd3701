// Reads and decodes a group's manifest; a missing or malformed manifest is a data error. It is
// decoded as it streams in (ManifestStreamDecoder), hashed in the same pass, never held whole.
// Validate, Transform and Archive of one group each read it; when they run in one process, the
// same bytes give back the same decoded value while it is still in use (StagedRows keeps it from
// Validate until Transform releases it), so the ~2.3M-entry columns of a 1M-item group are
// parsed once and the rows StagedRows selected for them are reused; such a second read only
// hashes the object as a stream. The same holds for the manifest a landing of this process
// wrote (rememberWrittenManifest): its Validate hashes the bytes and uses the landing's value,
// or, where the store gave the object's revision after the put, does not read them at all.
// Where the store tells an object's revision (ObjectStore.revision: the embedded bucket), a read
// whose revision is the one the bytes were hashed under does not read them again (Transform's
// read after Validate's: ~0.3-0.5 s of a 1M-item group's gunzip, with the main thread idle).
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { BytesDigest } from './bytes-digest.js';
import { completionCount, type CompletionColumns } from '../domain/completion-columns.js';
import {
  decodeManifest,
  type GroupManifest,
  type ManifestInvalid,
} from '../domain/group-manifest.codec.js';
import { ManifestStreamDecoder } from '../domain/group-manifest-stream.codec.js';
import { ObjectNotFound, type ObjectStore } from '../ports/object-store.port.js';

export interface WorkflowDataError {
  readonly _tag: 'ManifestMissing' | 'ManifestInvalid' | 'InvalidTransition';
  readonly message: string;
}

const digestOf = (bytes: Uint8Array): string => new BytesDigest().add(bytes).digest();

/** the digest of an object read as a stream (a few chunks held at once); null when absent */
const streamedDigest = async (objects: ObjectStore, key: string): Promise<string | null> => {
  const digest = new BytesDigest();
  try {
    for await (const chunk of objects.getStream(key)) digest.add(chunk);
  } catch (error) {
    if (error instanceof ObjectNotFound) return null;
    throw error;
  }
  return digest.digest();
};

/**
 * manifest key -> the last value decoded from it. The completion columns are held weakly (they
 * are what StagedRows keeps between Validate and Transform; the small ids strongly), so an
 * entry lives exactly as long as someone still uses the columns.
 */
const decoded = new Map<
  string,
  {
    readonly digest: string;
    readonly groupId: string;
    readonly fileKey: string;
    readonly completions: WeakRef<CompletionColumns>;
    /** the object's revision while it held the bytes of `digest`; null: unknown */
    readonly revision: string | null;
  }
>();

/** the object's revision, null where the store has none (or the object is absent) */
const revisionOf = async (objects: ObjectStore, key: string): Promise<string | null> =>
  (await objects.revision?.(key)) ?? null;

/** a revision read before and after a read of the bytes: the bytes are its when both agree */
const steady = (before: string | null, after: string | null): string | null =>
  before !== null && before === after ? before : null;

/**
 * The completions of the manifest a landing of this process just wrote, held strongly until a
 * read takes them (or the next landing starts): in one process the group's Validate comes right
 * after, and so gets the value the landing had instead of decoding the manifest again (~1 s at
 * 1M items, ~3.4 s at 3M); its bytes are still read and hashed, so a changed object is decoded.
 */
let held: CompletionColumns | undefined;

/**
 * Groups above this many orders are decoded from their bytes, as before: the landing's columns
 * cost more memory than the decoded ones, and at 3M items (~1M orders) they lifted the run's
 * peak RSS from 1,222 to 1,339 MB for 1.5 s saved (docs/performance.md, "Round 4 on merged
 * main"), where the 1.5 GB budget matters more than the time.
 */
export const MAX_WRITTEN_MANIFEST_ORDERS = 500_000;

/**
 * The manifest a landing wrote, with the digest of the bytes it wrote (BytesDigest) and the
 * object's revision read right after its put (null: unknown, and the first read hashes the
 * bytes). A read at that revision takes the value unread: Validate's read of a 1M-item group's
 * manifest was ~0.3 s of gunzip and hashing, to find the bytes the landing had just written.
 * The revision is read after the put, not made by it: a write between the two would be trusted.
 * The key is content-named (the group id hashes the landing's staged key and the orders'
 * fingerprints), so such a write is another landing of the same group, writing the same value;
 * any later write or edit moves the revision, and the bytes are then read again.
 */
export const rememberWrittenManifest = (
  manifestKey: string,
  manifest: GroupManifest,
  digest: string,
  revision: string | null = null,
  maxOrders = MAX_WRITTEN_MANIFEST_ORDERS,
): void => {
  const { groupId, fileKey, completions } = manifest;
  if (completionCount(completions) > maxOrders) return;
  decoded.set(manifestKey, {
    digest,
    groupId,
    fileKey,
    completions: new WeakRef(completions),
    revision,
  });
  held = completions;
};

/** the object's revision where the store tells one (the landing reads it after its put) */
export const manifestRevision = revisionOf;

/** a landing starts: the manifest an earlier one wrote is no longer held for a read */
export const releaseWrittenManifest = (): void => {
  held = undefined;
};

const remembered = (manifestKey: string, digest: string): GroupManifest | undefined => {
  for (const [key, entry] of decoded) {
    if (entry.completions.deref() === undefined) decoded.delete(key);
  }
  const entry = decoded.get(manifestKey);
  const completions = entry?.digest === digest ? entry.completions.deref() : undefined;
  return entry === undefined || completions === undefined
    ? undefined
    : { groupId: entry.groupId, fileKey: entry.fileKey, completions };
};

/**
 * The manifest decoded as it streams in (ManifestStreamDecoder: never the whole text at once, at
 * 3M items ~220 MB), with its digest; a manifest not in the form written today (an older one, or
 * a broken one) is read whole and decoded as before. null when absent.
 */
const decodedAnew = async (
  objects: ObjectStore,
  manifestKey: string,
): Promise<{ result: Either<ManifestInvalid, GroupManifest>; digest: string } | null> => {
  const digest = new BytesDigest();
  const decoder = new ManifestStreamDecoder();
  let streamed = true;
  try {
    for await (const chunk of objects.getStream(manifestKey)) {
      digest.add(chunk);
      if (decoder.push(chunk)) continue;
      streamed = false;
      break;
    }
  } catch (error) {
    if (error instanceof ObjectNotFound) return null;
    throw error;
  }
  const result = streamed ? decoder.finish() : null;
  if (result !== null) return { result, digest: digest.digest() };
  const bytes = await objects.get(manifestKey);
  if (bytes === null) return null;
  return { result: decodeManifest(new TextDecoder().decode(bytes)), digest: digestOf(bytes) };
};

const missingManifest = (manifestKey: string): Either<WorkflowDataError, never> =>
  left({ _tag: 'ManifestMissing', message: `no group manifest at ${manifestKey}` });

export const readManifest = async (
  objects: ObjectStore,
  manifestKey: string,
  groupId: string,
): Promise<Either<WorkflowDataError, GroupManifest>> => {
  // decoded before (Validate, in this process) and still in use: the bytes are only hashed, as
  // a stream, to check they did not change, unless the object's revision shows they did not.
  // Read whole, a 1M-item group's manifest is a ~70 MB buffer (~200 MB at 3M) that lives on, as
  // garbage, through the Transform's peak.
  let manifest: GroupManifest | undefined;
  const entry = decoded.get(manifestKey);
  if (entry?.completions.deref() !== undefined) {
    if (entry.revision !== null && (await revisionOf(objects, manifestKey)) === entry.revision) {
      // not rewritten nor edited since its bytes were hashed: they are not read again
      manifest = remembered(manifestKey, entry.digest);
    } else {
      const before = await revisionOf(objects, manifestKey);
      const digest = await streamedDigest(objects, manifestKey);
      if (digest === null) return missingManifest(manifestKey);
      manifest = remembered(manifestKey, digest);
      const revision = steady(before, await revisionOf(objects, manifestKey));
      const kept = decoded.get(manifestKey);
      if (manifest !== undefined && kept?.digest === digest)
        decoded.set(manifestKey, { ...kept, revision });
    }
  }
  if (manifest === undefined) {
    // not decoded in this process, or its value is gone, or the bytes changed: decoded anew
    const before = await revisionOf(objects, manifestKey);
    const read = await decodedAnew(objects, manifestKey);
    if (read === null) return missingManifest(manifestKey);
    if (read.result._tag === 'Left') return read.result;
    manifest = read.result.right;
    const { groupId: id, fileKey, completions } = manifest;
    decoded.set(manifestKey, {
      digest: read.digest,
      groupId: id,
      fileKey,
      completions: new WeakRef(completions),
      revision: steady(before, await revisionOf(objects, manifestKey)),
    });
  }
  // taken: from here its users (StagedRows) keep it, as a value decoded here would be kept
  if (held === manifest.completions) held = undefined;
  if (manifest.groupId !== groupId) {
    return left({
      _tag: 'ManifestInvalid',
      message: `manifest ${manifestKey} is for group ${manifest.groupId}, not ${groupId}`,
    });
  }
  return right(manifest);
};

/** what Archive needs of a manifest: the [raw file key, staged key] pairs its rows live in */
export interface ManifestFiles {
  readonly groupId: string;
  readonly files: readonly (readonly [key: string, stagedKey: string])[];
}

// A manifest as written today starts with its ids and the completions' file list (encodeManifest
// puts them first), and the file list ends at the first `],"orderIds":` (a quote inside a JSON
// string is escaped, so that text is never inside one). Reading up to there is a few KB, where the
// whole manifest of a 1M-item group is ~70 MB of JSON to gunzip and parse.
const HEAD =
  /^\{"groupId":"(?:[^"\\]|\\.)*","fileKey":"(?:[^"\\]|\\.)*","completions":\{"files":\[/;
const FILES_END = '],"orderIds":';
/** a head longer than this is not the file list of a manifest written today: read it whole */
const MAX_HEAD = 1 << 20;

const isFilePair = (f: unknown): f is [string, string] =>
  Array.isArray(f) && f.length === 2 && typeof f[0] === 'string' && typeof f[1] === 'string';

/** the manifest's head, parsed; null when it is not the shape written today */
const filesOfHead = (head: string): ManifestFiles | null => {
  if (!HEAD.test(head)) return null;
  try {
    const json = JSON.parse(`${head}}}`) as {
      groupId: string;
      completions: { files: unknown[] };
    };
    const { files } = json.completions;
    return files.every(isFilePair) ? { groupId: json.groupId, files } : null;
  } catch {
    return null;
  }
};

/** reads the manifest up to the end of its file list (or whole, for an older form) */
const headOf = async (objects: ObjectStore, manifestKey: string): Promise<string | null> => {
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const chunk of objects.getStream(manifestKey)) {
      text += decoder.decode(chunk, { stream: true });
      const end = text.indexOf(FILES_END);
      if (end >= 0) return text.slice(0, end + 1);
      if (text.length > MAX_HEAD) return '';
    }
    return '';
  } catch (error) {
    if (error instanceof ObjectNotFound) return null;
    throw error;
  }
};

/** the file list of a group's manifest, without decoding its completions */
export const readManifestFiles = async (
  objects: ObjectStore,
  manifestKey: string,
  groupId: string,
): Promise<Either<WorkflowDataError, ManifestFiles>> => {
  const head = await headOf(objects, manifestKey);
  if (head === null) {
    return left({ _tag: 'ManifestMissing', message: `no group manifest at ${manifestKey}` });
  }
  const quick = filesOfHead(head);
  if (quick === null) {
    const whole = await readManifest(objects, manifestKey, groupId);
    return whole._tag === 'Left' ? whole : right({ groupId, files: whole.right.completions.files });
  }
  if (quick.groupId !== groupId) {
    return left({
      _tag: 'ManifestInvalid',
      message: `manifest ${manifestKey} is for group ${quick.groupId}, not ${groupId}`,
    });
  }
  return right(quick);
};
