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
import { JsonBytesWriter } from './json-bytes-writer.js';
import type { LiftedHashes } from './location-columns.codec.js';
import { PackedCompletionsC, unpackCompletions } from './packed-completions.codec.js';

const NEWLINE = 0x0a;

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

const SOURCE_PART_BYTES = 1 << 20;
const COLON = 0x3a;

/**
 * The orders' indices in the order of their lines `${id}:${fingerprint}` (groupIdSource's sort:
 * UTF-16 code units), found without making the lines: at 1M items the 401k line strings were
 * made right after the register's answer, into a heap of ~200 MB, and the young collections
 * that copied and promoted them cost more than the sort itself. Two lines first differ within
 * their ids, or where the shorter id ends (its `:` against the other id's next unit), or, when
 * one id is the other's prefix followed by `:`, further on: that rare case compares the lines.
 */
const lineOrder = (ids: readonly string[], fingerprints: readonly string[]): number[] => {
  const line = (i: number): string => `${ids[i]}:${fingerprints[i]}`;
  const compare = (a: number, b: number): number => {
    const x = ids[a] as string;
    const y = ids[b] as string;
    if (x === y) {
      const p = fingerprints[a] as string;
      const q = fingerprints[b] as string;
      return p < q ? -1 : p > q ? 1 : 0;
    }
    const n = Math.min(x.length, y.length);
    for (let k = 0; k < n; k++) {
      const d = x.charCodeAt(k) - y.charCodeAt(k);
      if (d !== 0) return d;
    }
    const d = x.length < y.length ? COLON - y.charCodeAt(n) : x.charCodeAt(n) - COLON;
    if (d !== 0) return d;
    const p = line(a);
    const q = line(b);
    return p < q ? -1 : p > q ? 1 : 0;
  };
  return Array.from({ length: ids.length }, (_, i) => i).sort(compare);
};

/**
 * groupIdSource's text as UTF-8 bytes in parts of ~1 MB (their concatenation is its UTF-8), never
 * one big string: the lines, in their sorted order (lineOrder), are written straight into bytes
 * (joining them per 65,536 and encoding that was ~0.15-0.25 s of a 1M-item landing). Each id and
 * fingerprint is encoded on its own: a `:` or a newline stands between them, so no surrogate
 * pair is cut (a lone surrogate is one on its own too).
 */
export function* groupIdSourceBytes(
  stagedKey: string,
  c: CompletionColumns,
): Generator<Uint8Array> {
  const { orderIds, fingerprints } = c;
  const w = new JsonBytesWriter(SOURCE_PART_BYTES + 4096);
  w.text(`landing:${stagedKey}`);
  for (const i of lineOrder(orderIds, fingerprints)) {
    w.byte(NEWLINE);
    w.text(orderIds[i] as string);
    w.byte(COLON);
    w.text(fingerprints[i] as string);
    if (w.size >= SOURCE_PART_BYTES) yield w.take();
  }
  yield w.take();
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
