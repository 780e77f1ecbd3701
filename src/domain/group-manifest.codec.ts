// The group manifest: which orders a group holds and where each row's current version is staged.
// Written once by the landing that completed the orders; read by every workflow stage.
import * as t from 'io-ts';
import { isLeft, type Either, left, right } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';

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
 * The text a group id is hashed from: the orders' ids and content fingerprints, sorted, so the
 * same content always gives the same id whatever order the index returned it in.
 */
export const groupIdSource = (orders: readonly ManifestOrder[]): string =>
  orders
    .map((o) => `${o.orderId}:${o.fingerprint}`)
    .sort()
    .join('\n');

export const encodeManifest = (manifest: GroupManifest): string =>
  JSON.stringify(GroupManifestC.encode(manifest));

export const decodeManifest = (text: string): Either<ManifestInvalid, GroupManifest> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return left({ _tag: 'ManifestInvalid', message: `not JSON: ${String(error)}` });
  }
  const decoded = GroupManifestC.decode(json);
  return isLeft(decoded)
    ? left({ _tag: 'ManifestInvalid', message: PathReporter.report(decoded).join('; ') })
    : right(decoded.right);
};
