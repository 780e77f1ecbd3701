// The group manifest: which orders a group holds and where each row's current version is staged.
// Written once by the landing that completed the orders; read by every workflow stage.
import * as t from 'io-ts';
import { isLeft, type Either, left, right } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import {
  completionColumnsJson,
  completionColumnsJsonBytes,
  completionColumnsOf,
  decodeCompletionColumns,
  parseJsonLifted,
  type CompletionColumns,
} from './completion-columns.js';
import type { LiftedHashes } from './location-columns.codec.js';
import { PackedCompletionsC, unpackCompletions } from './packed-completions.codec.js';

const RowLocationC = t.readonly(t.type({ key: t.string, stagedKey: t.string, hash: t.string }));

const CompletedOrderC = t.readonly(
  t.type({
    orderId: t.string,
    fingerprint: t.string,
    createdAt: t.number,
    order: RowLocationC,
    items: t.readonlyArray(RowLocationC),
    products: t.readonlyArray(RowLocationC),
  }),
);

/** the spelled-out form of the first manifests (still read) */
const SpelledManifestC = t.readonly(
  t.type({
    groupId: t.string,
    /** the landed file whose rows completed these orders */
    fileKey: t.string,
    orders: t.readonlyArray(CompletedOrderC),
  }),
);

/** structurally the reference index's CompletedOrder (domain does not import ports) */
export type ManifestOrder = t.TypeOf<typeof CompletedOrderC>;

export interface GroupManifest {
  readonly groupId: string;
  /** the landed file whose rows completed these orders */
  readonly fileKey: string;
  readonly completions: CompletionColumns;
}

export interface ManifestInvalid {
  readonly _tag: 'ManifestInvalid';
  readonly message: string;
}

export const manifestKeyFor = (groupId: string): string => `groups/${groupId}/manifest.json`;

/**
 * The text a group id is hashed from: the landing that completed the orders (its staged key,
 * which names the file's content) and the orders' ids and content fingerprints, sorted. So a
 * landing run again after a crash forms the same group (the reference index answers a staged key
 * with its first answer), while a later landing that brings old content back (A -> B -> A) forms
 * a new group, with its own stream and execution name, and is processed again.
 */
export const groupIdSource = (stagedKey: string, c: CompletionColumns): string =>
  [`landing:${stagedKey}`, ...c.orderIds.map((id, i) => `${id}:${c.fingerprints[i]}`).sort()].join(
    '\n',
  );

/** groupIdSource's text in parts (their concatenation is that text): never one big string */
export function* groupIdSourceParts(stagedKey: string, c: CompletionColumns): Generator<string> {
  yield `landing:${stagedKey}`;
  const lines = c.orderIds.map((id, i) => `${id}:${c.fingerprints[i]}`).sort();
  for (let start = 0; start < lines.length; start += 65_536)
    yield `\n${lines.slice(start, start + 65_536).join('\n')}`;
}

/** the packed form of the second manifests (still read) */
const PackedManifestC = t.type({
  groupId: t.string,
  fileKey: t.string,
  packedOrders: PackedCompletionsC,
});

// written as JSON with the completion columns spliced in as text, so the reference index's JSON
// of the same value is reused
export const encodeManifest = (manifest: GroupManifest): string =>
  `{"groupId":${JSON.stringify(manifest.groupId)},"fileKey":${JSON.stringify(manifest.fileKey)},` +
  `"completions":${completionColumnsJson(manifest.completions)}}`;

/** encodeManifest's text as UTF-8 bytes in parts, the hashes written from their words */
export function* encodeManifestBytes(manifest: GroupManifest): Generator<Uint8Array> {
  const utf8 = new TextEncoder();
  yield utf8.encode(
    `{"groupId":${JSON.stringify(manifest.groupId)},"fileKey":${JSON.stringify(manifest.fileKey)},` +
      '"completions":',
  );
  yield* completionColumnsJsonBytes(manifest.completions);
  yield utf8.encode('}');
}

const invalid = (message: string): Either<ManifestInvalid, never> =>
  left({ _tag: 'ManifestInvalid', message });

/** the column form, parsed with its hash arrays lifted (parseJsonLifted), checked */
export const decodeManifestColumns = (
  json: object,
  lifted: readonly LiftedHashes[],
): Either<ManifestInvalid, GroupManifest> => {
  const { groupId, fileKey, completions } = json as Record<string, unknown>;
  if (typeof groupId !== 'string' || typeof fileKey !== 'string')
    return invalid('groupId and fileKey must be strings');
  const decoded = decodeCompletionColumns(completions, lifted);
  if (decoded instanceof Error) return invalid(decoded.message);
  return right({ groupId, fileKey, completions: decoded });
};

/** the packed form, unpacked (a file index out of range makes it invalid) */
const decodePacked = (json: unknown): Either<ManifestInvalid, GroupManifest> => {
  const decoded = PackedManifestC.decode(json);
  if (isLeft(decoded)) return invalid(PathReporter.report(decoded).join('; '));
  const { groupId, fileKey, packedOrders } = decoded.right;
  try {
    return right({
      groupId,
      fileKey,
      completions: completionColumnsOf(unpackCompletions(packedOrders)),
    });
  } catch (error) {
    return invalid(String(error));
  }
};

export const decodeManifest = (text: string): Either<ManifestInvalid, GroupManifest> => {
  let json: unknown;
  let lifted: LiftedHashes[];
  try {
    // the column form's hash arrays go straight into words, never one string per row
    ({ json, lifted } = parseJsonLifted(text));
  } catch (error) {
    return left({ _tag: 'ManifestInvalid', message: `not JSON: ${String(error)}` });
  }
  if (typeof json === 'object' && json !== null && 'completions' in json)
    return decodeManifestColumns(json, lifted);
  if (typeof json === 'object' && json !== null && 'packedOrders' in json)
    return decodePacked(json);
  const decoded = SpelledManifestC.decode(json);
  if (isLeft(decoded)) return invalid(PathReporter.report(decoded).join('; '));
  const { groupId, fileKey, orders } = decoded.right;
  return right({ groupId, fileKey, completions: completionColumnsOf(orders) });
};
