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
import { JsonBytesWriter, jsonArrayBytes } from './json-bytes-writer.js';
import {
  atWidth,
  compactable,
  decodeCompactLocations,
  dedupes,
  locationColumnsCompactBytes,
  type LiftedHashes,
} from './location-columns.codec.js';
import { hashAt, locationCount, type LocationColumns } from './location-columns.js';
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
  return inIdOrder(ids) ?? Array.from({ length: ids.length }, (_, i) => i).sort(compare);
};

/**
 * The line order without a sort, when the ids come distinct, in increasing order (UTF-16 code
 * units) and without a `:` (the SQLite index answers them so: its query groups by order id; ~0.1 s
 * of a 1M-item landing's sort). The lines are then ordered by `${id}:` alone, which differs from
 * the ids' order only where an id is another's prefix: "10:" comes before "1:" ('0' < ':'), and
 * "1a:" after it. The ids extending one id follow it at once in the given order, so a stack of
 * the ids not yet placed (each extending the one below by a character before ':') places each
 * id once the next one is not such an extension of it. undefined: not in that order (sorted).
 */
const inIdOrder = (ids: readonly string[]): number[] | undefined => {
  const n = ids.length;
  for (let i = 0; i < n; i++) {
    const id = ids[i] as string;
    if (id.includes(':') || (i > 0 && !((ids[i - 1] as string) < id))) return undefined;
  }
  const order = new Array<number>(n);
  const stack: number[] = [];
  let out = 0;
  for (let i = 0; i < n; i++) {
    const q = ids[i] as string;
    while (stack.length > 0) {
      const s = ids[stack[stack.length - 1] as number] as string;
      if (q.startsWith(s) && q.charCodeAt(s.length) < COLON) break;
      order[out++] = stack.pop() as number;
    }
    stack.push(i);
  }
  while (stack.length > 0) order[out++] = stack.pop() as number;
  return order;
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

/**
 * The column form with its hashes spelled out in arrays, as manifests were written up to round 9
 * (still read: a home or bucket keeps them, and an execution started before an upgrade reads
 * its own): the completion columns spliced in as text, so the reference index's JSON of the
 * same value is reused.
 */
export const encodeManifest = (manifest: GroupManifest): string =>
  `{"groupId":${JSON.stringify(manifest.groupId)},"fileKey":${JSON.stringify(manifest.fileKey)},` +
  `"completions":${completionColumnsJson(manifest.completions)}}`;

/** whether a manifest is written in the compact form: every hash is 16 hex digits */
const compactManifest = (c: CompletionColumns): boolean =>
  compactable(c.orders) && compactable(c.items) && compactable(c.products);

const base64Of = (bytes: Uint8Array): string => {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 8192)
    binary += String.fromCharCode(...bytes.subarray(at, at + 8192));
  return btoa(binary);
};

/** a location column in the compact form, spelled simply (encodeManifestCompact) */
const compactColumn = (l: LocationColumns, repeats: boolean): object => {
  const n = locationCount(l);
  const index = new Map<string, number>();
  const distinct: number[] = [];
  const at: number[] = [];
  for (let j = 0; j < n; j++) {
    const key = `${l.file[j]}:${hashAt(l, j)}`;
    let d = index.get(key);
    if (d === undefined) index.set(key, (d = distinct.push(j) - 1));
    at.push(d);
  }
  const shared = repeats && dedupes(n, distinct.length);
  const rows = shared ? distinct : Array.from({ length: n }, (_, j) => j);
  const hashBytes = new Uint8Array(8 * rows.length);
  const view = new DataView(hashBytes.buffer);
  rows.forEach((j, k) => {
    view.setUint32(8 * k, l.hi[j] as number);
    view.setUint32(8 * k + 4, l.lo[j] as number);
  });
  const column: Record<string, unknown> = {
    file: rows.map((j) => l.file[j]),
    hash: base64Of(hashBytes),
  };
  if (shared) {
    const width = atWidth(distinct.length);
    const atBytes = new Uint8Array(width * n);
    const atView = new DataView(atBytes.buffer);
    at.forEach((d, j) =>
      width === 2 ? atView.setUint16(2 * j, d, true) : atView.setUint32(4 * j, d, true),
    );
    column.at = base64Of(atBytes);
  }
  return column;
};

/**
 * The form written today, as one readable string (encodeManifestBytes writes its bytes in parts):
 * the column form, each location column compact (location-columns.codec.ts: its hashes as base64
 * of their bytes, an order's products as distinct locations and indexes where they repeat), ~40%
 * fewer bytes than the hash arrays at 1M items, so less to write, gzip, hash and read back. A
 * manifest holding a hash that is not 16 hex digits (tests, hand-written ones) keeps the arrays.
 */
export const encodeManifestCompact = (manifest: GroupManifest): string => {
  const c = manifest.completions;
  if (!compactManifest(c)) return encodeManifest(manifest);
  return JSON.stringify({
    groupId: manifest.groupId,
    fileKey: manifest.fileKey,
    completions: {
      files: c.files,
      orderIds: c.orderIds,
      fingerprints: c.fingerprints,
      createdAt: c.createdAt,
      orders: compactColumn(c.orders, false),
      itemStart: c.itemStart,
      items: compactColumn(c.items, false),
      productStart: c.productStart,
      products: compactColumn(c.products, true),
    },
  });
};

/**
 * encodeManifestCompact's text as UTF-8 bytes in parts made one at a time (at 3M items the whole
 * is ~130 MB): the arrays written straight into bytes (jsonArrayBytes), the location columns
 * from their words (locationColumnsCompactBytes)
 */
export function* encodeManifestBytes(manifest: GroupManifest): Generator<Uint8Array> {
  const utf8 = new TextEncoder();
  const c = manifest.completions;
  yield utf8.encode(
    `{"groupId":${JSON.stringify(manifest.groupId)},"fileKey":${JSON.stringify(manifest.fileKey)},` +
      '"completions":',
  );
  if (!compactManifest(c)) {
    yield* completionColumnsJsonBytes(c);
  } else {
    yield utf8.encode(`{"files":${JSON.stringify(c.files)},"orderIds":`);
    yield* jsonArrayBytes(c.orderIds);
    yield utf8.encode(',"fingerprints":');
    yield* jsonArrayBytes(c.fingerprints);
    yield utf8.encode(',"createdAt":');
    yield* jsonArrayBytes(c.createdAt);
    yield utf8.encode(',"orders":');
    yield* locationColumnsCompactBytes(c.orders, false);
    yield utf8.encode(',"itemStart":');
    yield* jsonArrayBytes(c.itemStart);
    yield utf8.encode(',"items":');
    yield* locationColumnsCompactBytes(c.items, false);
    yield utf8.encode(',"productStart":');
    yield* jsonArrayBytes(c.productStart);
    yield utf8.encode(',"products":');
    yield* locationColumnsCompactBytes(c.products, true);
    yield utf8.encode('}');
  }
  yield utf8.encode('}');
}

const LOCATED = ['orders', 'items', 'products'] as const;

/**
 * the completions of a compact manifest, parsed by JSON.parse, in the shape decodeCompletionColumns
 * reads (each column's file indexes and its hashes lifted); as they are when not compact (any
 * column not in the compact form leaves them to decodeCompletionColumns, which says what is
 * wrong)
 */
const compactLifted = (
  completions: unknown,
  lifted: readonly LiftedHashes[],
): { completions: unknown; lifted: readonly LiftedHashes[] } => {
  if (lifted.length !== 0 || typeof completions !== 'object' || completions === null)
    return { completions, lifted };
  const c = completions as Record<string, unknown>;
  if (!LOCATED.some((name) => typeof (c[name] as { hash?: unknown } | null)?.hash === 'string'))
    return { completions, lifted };
  const out: Record<string, unknown> = { ...c };
  const hashes: LiftedHashes[] = [];
  for (const [index, name] of LOCATED.entries()) {
    const column = decodeCompactLocations(c[name]);
    if (column === null) return { completions: { ...c, [name]: null }, lifted };
    out[name] = { file: column.file, hash: index };
    hashes.push(column.hashes);
  }
  return { completions: out, lifted: hashes };
};

const invalid = (message: string): Either<ManifestInvalid, never> =>
  left({ _tag: 'ManifestInvalid', message });

/**
 * the column form, parsed with its hash arrays lifted (parseJsonLifted) or in the compact form
 * (its location columns' base64 as JSON.parse gives it, or already decoded by the streamed
 * decode: file indexes and lifted hashes), checked
 */
export const decodeManifestColumns = (
  json: object,
  lifted: readonly LiftedHashes[],
): Either<ManifestInvalid, GroupManifest> => {
  const { groupId, fileKey } = json as Record<string, unknown>;
  if (typeof groupId !== 'string' || typeof fileKey !== 'string')
    return invalid('groupId and fileKey must be strings');
  const compact = compactLifted((json as Record<string, unknown>).completions, lifted);
  const decoded = decodeCompletionColumns(compact.completions, compact.lifted);
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
