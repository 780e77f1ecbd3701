// The compact form of completed orders (group manifests, the SQLite landing record): packing and
// unpacking gives back equal orders, the manifest still reads its older spelled-out form, and a
// corrupt file index is reported, not guessed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashAt, type LocationColumns } from '../../../src/domain/location-columns.js';
import { completedOrder } from './completion-arbitraries.js';
import {
  decodeManifest,
  encodeManifest,
  type GroupManifest,
} from '../../../src/domain/group-manifest.codec.js';
import {
  packCompletions,
  unpackCompletions,
  type LocatedOrder,
} from '../../../src/domain/packed-completions.codec.js';
import {
  completionColumnsJson,
  completionColumnsOf,
  type CompletionColumns,
} from '../../../src/domain/completion-columns.js';

const order = completedOrder(false);

const spelled = (l: LocationColumns) => ({
  file: [...l.file],
  hash: Array.from(l.file, (_, j) => hashAt(l, j)),
});
/** the columns with each location's hash spelled out: the shape the stored JSON has */
const spelledOut = (c: CompletionColumns) => ({
  ...c,
  orders: spelled(c.orders),
  items: spelled(c.items),
  products: spelled(c.products),
});

const manifestOf = (orders: LocatedOrder[]): GroupManifest => ({
  groupId: 'g1',
  fileKey: 'incoming/b.csv',
  completions: completionColumnsOf(orders),
});

describe('packed completions', () => {
  it('unpack(JSON round trip of pack(orders)) equals the orders', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 20 }), (orders) => {
        const packed = JSON.parse(JSON.stringify(packCompletions(orders)));
        expect(unpackCompletions(packed)).toEqual(orders);
      }),
    );
  });

  it('lists each (key, stagedKey) once, so a big group stays small', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      orderId: String(i),
      fingerprint: 'f',
      createdAt: i,
      order: { key: 'incoming/orders.csv', stagedKey: 'staging/orders/x.parquet', hash: `o${i}` },
      items: [
        { key: 'incoming/items.csv', stagedKey: 'staging/order_items/y.parquet', hash: `i${i}` },
      ],
      products: [],
    }));
    const packed = packCompletions(many);
    expect(packed.files).toHaveLength(2);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(many).length / 3);
  });

  it('encodeManifest/decodeManifest round-trip any manifest', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 20 }), (orders) => {
        expect(decodeManifest(encodeManifest(manifestOf(orders)))).toEqual({
          _tag: 'Right',
          right: manifestOf(orders),
        });
      }),
    );
  });

  it('encodeManifest writes the same text as the stored codec, with any group id and file key', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(order, { maxLength: 10 }), (g, f, orders) => {
        const completions = completionColumnsOf(orders);
        // the stored form spells each hash out as text, as when the columns held strings
        const stored = { groupId: g, fileKey: f, completions: spelledOut(completions) };
        expect(encodeManifest({ groupId: g, fileKey: f, completions })).toBe(
          JSON.stringify(stored),
        );
        // the JSON is shared with the reference index's record, not redone per caller
        expect(completionColumnsJson(completions)).toBe(JSON.stringify(stored.completions));
      }),
    );
  });

  it('still reads a manifest written in the packed form of the second manifests', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 10 }), (orders) => {
        const text = JSON.stringify({
          groupId: 'g1',
          fileKey: 'incoming/b.csv',
          packedOrders: packCompletions(orders),
        });
        expect(decodeManifest(text)).toEqual({ _tag: 'Right', right: manifestOf(orders) });
      }),
    );
  });

  it('still reads a manifest written in the older spelled-out form', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 10 }), (orders) => {
        const spelled = { groupId: 'g1', fileKey: 'incoming/b.csv', orders };
        expect(decodeManifest(JSON.stringify(spelled))).toEqual({
          _tag: 'Right',
          right: manifestOf(orders),
        });
      }),
    );
  });

  it('reports a packed manifest naming a file it does not list as invalid', () => {
    const text = JSON.stringify({
      groupId: 'g1',
      fileKey: 'f',
      packedOrders: { files: [['k', 's']], orders: [['o1', 'fp', 1, [1, 'h'], [[], []]]] },
    });
    const decoded = decodeManifest(text);
    expect(decoded._tag).toBe('Left');
    if (decoded._tag === 'Left') expect(decoded.left.message).toMatch(/file 1 of 1/);
  });

  it('reports a packed manifest of the wrong shape as invalid', () => {
    const decoded = decodeManifest(
      JSON.stringify({
        groupId: 'g1',
        fileKey: 'f',
        packedOrders: { files: [], orders: [['o1']] },
      }),
    );
    expect(decoded._tag).toBe('Left');
  });
});
