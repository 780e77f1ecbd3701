// The manifest and the group id's source are written and hashed in parts (never one ~200 MB
// string at 3M items): the parts must give exactly the bytes of the readable one-string forms
// (encodeManifest, groupIdSource, completionColumnsJson, locationColumnsJson), which existing
// manifests, group ids and the manifest head reader depend on.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { completedOrder } from './completion-arbitraries.js';
import {
  completionColumnsJson,
  completionColumnsJsonBytes,
  completionColumnsOf,
} from '../../../src/domain/completion-columns.js';
import {
  encodeManifest,
  encodeManifestBytes,
  encodeManifestCompact,
  groupIdSource,
  groupIdSourceBytes,
  type GroupManifest,
} from '../../../src/domain/group-manifest.codec.js';
import {
  locationColumnsJson,
  locationColumnsJsonBytes,
} from '../../../src/domain/location-columns.codec.js';
import { LocationColumnsBuilder } from '../../../src/domain/location-columns.js';
import { utf8Parts } from '../../../src/domain/text-slices.js';
import { Sha256Hasher } from '../../../src/adapters/node/sha256-hasher.js';
import type { OrderCompletion } from '../../../src/domain/order-completion.types.js';

const order = completedOrder(true);
const bytesOf = (pieces: Iterable<Uint8Array>): Buffer => Buffer.concat([...pieces]);

/** more orders and locations than one part holds (65,536), so several parts are made */
const bigOrders = (n: number): OrderCompletion[] =>
  Array.from({ length: n }, (_, i) => ({
    orderId: `o${i}\u{1f600}`,
    fingerprint: (i * 2654435761).toString(16).padStart(16, '0').slice(-16),
    createdAt: i % 7 === 0 ? Number.NaN : i * 1000,
    order: { key: 'incoming/o.csv', stagedKey: 'staging/orders/1.parquet', hash: i.toString(16) },
    items: [
      { key: 'incoming/i.csv', stagedKey: 'staging/order_items/2.parquet', hash: `${i}a` },
      { key: 'incoming/j.csv', stagedKey: 'staging/order_items/3.parquet', hash: `${i}b` },
    ],
    products: [],
  }));

describe('manifest parts', () => {
  it('encodeManifestBytes gives the bytes of encodeManifestCompact', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 20 }), fc.string(), fc.string(), (os, g, f) => {
        const m: GroupManifest = { groupId: g, fileKey: f, completions: completionColumnsOf(os) };
        // the hashes written from their words
        expect(bytesOf(encodeManifestBytes(m)).equals(Buffer.from(encodeManifestCompact(m)))).toBe(
          true,
        );
      }),
    );
  });

  it('completion and location columns in several parts join to their one-string JSON', () => {
    const c = completionColumnsOf(bigOrders(66_000));
    const parts = [...completionColumnsJsonBytes(c)];
    expect(parts.length).toBeGreaterThan(20);
    expect(bytesOf(parts).equals(Buffer.from(completionColumnsJson(c)))).toBe(true);
    expect(
      bytesOf(locationColumnsJsonBytes(c.items)).equals(Buffer.from(locationColumnsJson(c.items))),
    ).toBe(true);
    const m: GroupManifest = { groupId: 'g', fileKey: 'f', completions: c };
    // Buffer.equals: a deep toEqual of MBs of bytes is slow (odd hashes: the array form)
    expect(bytesOf(encodeManifestBytes(m)).equals(Buffer.from(encodeManifestCompact(m)))).toBe(
      true,
    );
    expect(encodeManifestCompact(m)).toBe(encodeManifest(m));
  });

  it('location columns with any hash text (quotes, escapes, not hex) join to their one-string JSON', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(3),
            fc.oneof(
              fc.string(),
              fc.stringMatching(/^[0-9a-f]{16}$/),
              // longer than a usual hash once written: the bytes' room grows
              fc.string({ unit: 'binary', minLength: 12, maxLength: 40 }),
            ),
          ),
        ),
        (locations) => {
          const b = new LocationColumnsBuilder();
          for (const [file, hash] of locations) b.add(file, hash);
          const l = b.build();
          expect(bytesOf(locationColumnsJsonBytes(l))).toEqual(
            Buffer.from(locationColumnsJson(l), 'utf8'),
          );
        },
      ),
    );
  });

  it('groupIdSourceBytes gives the UTF-8 of groupIdSource, and hashing them gives the same id', () => {
    const hasher = new Sha256Hasher();
    const idOfBytes = (key: string, os: OrderCompletion[]): string => {
      const h = hasher.stream();
      for (const b of groupIdSourceBytes(key, completionColumnsOf(os))) h.update(b);
      return h.digest();
    };
    // any text in the ids and the key: lone surrogates and pairs, escapes, non-ASCII
    const oddText = fc.string({
      unit: fc.constantFrom('a', '1', ':', '\n', '\ud83d', '\ude00', 'é', '"'),
    });
    const oddOrder = fc
      .tuple(order, oddText, oddText)
      .map(([o, id, fp]) => ({ ...o, orderId: id, fingerprint: fp }));
    // shop-like ids: numbers, many a prefix of another ("1", "10", "100"), some repeated, some
    // followed by `:` and more (then the lines first differ past the shorter id's `:`)
    const shopId = fc.oneof(
      fc.nat(300).map(String),
      fc.tuple(fc.nat(30), fc.nat(30)).map(([a, b]) => `${a}:${b}`),
    );
    const shopOrder = fc
      .tuple(order, shopId, fc.oneof(oddText, fc.stringMatching(/^[0-9a-f]{16}$/)))
      .map(([o, id, fp]) => ({ ...o, orderId: id, fingerprint: fp }));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), oddText),
        fc.oneof(
          fc.array(fc.oneof(order, oddOrder), { maxLength: 20 }),
          fc.array(shopOrder, { maxLength: 60 }),
        ),
        (key, os) => {
          const c = completionColumnsOf(os);
          expect(
            bytesOf(groupIdSourceBytes(key, c)).equals(Buffer.from(groupIdSource(key, c))),
          ).toBe(true);
          expect(idOfBytes(key, os)).toBe(hasher.hash(groupIdSource(key, c)));
        },
      ),
    );
    const big = bigOrders(66_000);
    expect(
      [...groupIdSourceBytes('staging/x.parquet', completionColumnsOf(big))].length,
    ).toBeGreaterThan(1);
    expect(idOfBytes('staging/x.parquet', big)).toBe(
      hasher.hash(groupIdSource('staging/x.parquet', completionColumnsOf(big))),
    );
  });
});

describe('the group id of ids given in increasing order (as the SQLite index answers them)', () => {
  it('gives the bytes of groupIdSource, with ids that are prefixes of one another', () => {
    const unit = fc.constantFrom('1', '0', '9', ';', 'a', '/', 'é', '\ud83d', '\ude00', '\uffff');
    const ids = fc.oneof(
      fc.uniqueArray(fc.string({ unit, maxLength: 5 }), { maxLength: 80 }),
      fc.uniqueArray(fc.nat(3000).map(String), { maxLength: 300 }),
      // a `:` in an id: the lines are sorted as before
      fc.uniqueArray(fc.string({ unit: fc.constantFrom('1', ':', '0'), maxLength: 4 }), {
        maxLength: 30,
      }),
    );
    fc.assert(
      fc.property(ids, fc.string(), fc.boolean(), (given, key, sorted) => {
        const os = (sorted ? [...given].sort() : given).map((id, i) => ({
          orderId: id,
          fingerprint: `${i % 3}f`,
          createdAt: 0,
          order: { key: 'k', stagedKey: 's', hash: '0123456789abcdef' },
          items: [],
          products: [],
        }));
        const c = completionColumnsOf(os);
        expect(bytesOf(groupIdSourceBytes(key, c)).equals(Buffer.from(groupIdSource(key, c)))).toBe(
          true,
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('utf8Parts', () => {
  it('gives the bytes of the joined text, whatever the parts and piece size (pairs split across parts included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 12 }),
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 8 }),
        (strings, more, pieceUnits) => {
          // a pair cut between two parts: the high half ends one part, the low begins the next
          const parts = [...strings, '\ud83d', '\ude00', ...more];
          const pieces = [...utf8Parts(parts, pieceUnits)];
          expect(Buffer.concat(pieces)).toEqual(Buffer.from(parts.join(''), 'utf8'));
          expect(pieces.every((p) => p.length > 0)).toBe(true);
        },
      ),
    );
  });
});
