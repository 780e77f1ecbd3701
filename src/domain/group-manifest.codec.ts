// The group manifest: which orders a group holds and where each row's current version is staged.
// Written once by the landing that completed the orders; read by every workflow stage.
import * as t from 'io-ts';
import { isLeft, type Either, left, right } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import {
  PackedCompletionsC,
  packedCompletionsJson,
  unpackCompletions,
} from './packed-completions.codec.js';

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

export const GroupManifestC = t.readonly(
  t.type({
    groupId: t.string,
    /** the landed file whose rows completed these orders */
    fileKey: t.string,
    orders: t.readonlyArray(CompletedOrderC),
  }),
);

/** structurally the reference index's CompletedOrder (domain does not import ports) */
export type ManifestOrder = t.TypeOf<typeof CompletedOrderC>;
export type GroupManifest = t.TypeOf<typeof GroupManifestC>;

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
export const groupIdSource = (stagedKey: string, orders: readonly ManifestOrder[]): string =>
  [`landing:${stagedKey}`, ...orders.map((o) => `${o.orderId}:${o.fingerprint}`).sort()].join('\n');

/** As written: the orders packed (files listed once); `orders` is the older, spelled-out form. */
const StoredManifestC = t.type({
  groupId: t.string,
  fileKey: t.string,
  packedOrders: PackedCompletionsC,
});

// written as StoredManifestC's JSON (its codecs are all identities), the packed orders spliced
// in as text so the reference index's packing of the same orders is reused
export const encodeManifest = (manifest: GroupManifest): string =>
  `{"groupId":${JSON.stringify(manifest.groupId)},"fileKey":${JSON.stringify(manifest.fileKey)},` +
  `"packedOrders":${packedCompletionsJson(manifest.orders)}}`;

const invalid = (message: string): Either<ManifestInvalid, never> =>
  left({ _tag: 'ManifestInvalid', message });

/** the packed form, unpacked (a file index out of range makes it invalid) */
const decodePacked = (json: unknown): Either<ManifestInvalid, GroupManifest> => {
  const decoded = StoredManifestC.decode(json);
  if (isLeft(decoded)) return invalid(PathReporter.report(decoded).join('; '));
  const { groupId, fileKey, packedOrders } = decoded.right;
  try {
    return right({ groupId, fileKey, orders: unpackCompletions(packedOrders) });
  } catch (error) {
    return invalid(String(error));
  }
};

export const decodeManifest = (text: string): Either<ManifestInvalid, GroupManifest> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return left({ _tag: 'ManifestInvalid', message: `not JSON: ${String(error)}` });
  }
  if (typeof json === 'object' && json !== null && 'packedOrders' in json)
    return decodePacked(json);
  const decoded = GroupManifestC.decode(json);
  return isLeft(decoded)
    ? left({ _tag: 'ManifestInvalid', message: PathReporter.report(decoded).join('; ') })
    : right(decoded.right);
};
