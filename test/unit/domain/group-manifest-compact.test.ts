// The compact manifest form (round 10): location columns' hashes as base64 of their bytes, an
// order's products as distinct locations and indexes where they repeat. The fast writer gives the
// bytes of the simple one (encodeManifestCompact), both decodes (whole text, streamed in chunks
// cut anywhere) give back the columns written, and the forms written before are still read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  completionColumnsOf,
  type CompletionColumns,
} from '../../../src/domain/completion-columns.js';
import {
  decodeManifest,
  encodeManifest,
  encodeManifestBytes,
  encodeManifestCompact,
  type GroupManifest,
} from '../../../src/domain/group-manifest.codec.js';
import { ManifestStreamDecoder } from '../../../src/domain/group-manifest-stream.codec.js';
import {
  Base64Decoder,
  base64Bytes,
  base64Into,
  base64Length,
} from '../../../src/domain/json-bytes-base64.js';
import { distinctLocations } from '../../../src/domain/location-columns.codec.js';
import type { OrderCompletion } from '../../../src/domain/order-completion.types.js';

const hex16 = fc.stringMatching(/^[0-9a-f]{16}$/);
const files = [
  ['incoming/o.csv', 'staging/orders/1.parquet'],
  ['incoming/i.csv', 'staging/order_items/2.parquet'],
  ['incoming/p.csv', 'staging/products/3.parquet'],
  ['incoming/p2.csv', 'staging/products/4.parquet'],
] as const;
const at = (f: number, hash: string) => ({
  key: (files[f] as readonly string[])[0] as string,
  stagedKey: (files[f] as readonly string[])[1] as string,
  hash,
});

/** orders whose hashes are all 16 hex digits (as rowHashes writes them); products drawn from a
 *  small catalogue (so they repeat, as in a shop) or from any hash */
const order = (catalogue: readonly string[]): fc.Arbitrary<OrderCompletion> =>
  fc.record({
    orderId: fc.oneof(fc.stringMatching(/^[0-9]{1,7}$/), fc.string({ maxLength: 6 })),
    fingerprint: hex16,
    createdAt: fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(Number.NaN)),
    order: hex16.map((h) => at(0, h)),
    items: fc.array(
      hex16.map((h) => at(1, h)),
      { maxLength: 5 },
    ),
    products: fc.array(
      fc.oneof(
        fc.constantFrom(...catalogue).map((h) => at(2, h)),
        fc.constantFrom(...catalogue).map((h) => at(3, h)),
        hex16.map((h) => at(2, h)),
      ),
      { maxLength: 5 },
    ),
  });

const manifest: fc.Arbitrary<GroupManifest> = fc
  .tuple(
    fc.array(hex16, { minLength: 1, maxLength: 4 }),
    fc.string({ maxLength: 8 }),
    fc.string({ maxLength: 8 }),
  )
  .chain(([catalogue, groupId, fileKey]) =>
    fc.array(order(catalogue), { maxLength: 14 }).map((os) => ({
      groupId,
      fileKey,
      completions: completionColumnsOf(os),
    })),
  );

const bytesOf = (m: GroupManifest): Buffer => Buffer.concat([...encodeManifestBytes(m)]);
const whole = (bytes: Uint8Array) => decodeManifest(new TextDecoder().decode(bytes));
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 });
const chunked = (bytes: Uint8Array, points: readonly number[]): Uint8Array[] => {
  const c = [0, ...points.map((p) => Math.floor(p * bytes.length)).sort((a, b) => a - b)];
  return c.map((from, i) => bytes.subarray(from, c[i + 1] ?? bytes.length));
};
const streamed = (chunks: readonly Uint8Array[]) => {
  const decoder = new ManifestStreamDecoder();
  for (const chunk of chunks) if (!decoder.push(chunk)) break;
  return decoder.finish();
};
const parsed = (m: GroupManifest) =>
  JSON.parse(encodeManifestCompact(m)) as { completions: Record<string, Record<string, unknown>> };

describe('base64 in parts', () => {
  it("writes Buffer's base64 of any bytes, in parts of whole quads", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(20), (bytes, partTriples) => {
        const part = 3 * (partTriples + 1);
        const out = new Uint8Array(base64Length(bytes.length));
        let o = 0;
        for (let from = 0; from < bytes.length; from += part) {
          const piece = bytes.subarray(from, from + part);
          o = base64Into(piece, piece.length, out, o);
        }
        expect(o).toBe(out.length);
        expect(new TextDecoder().decode(out)).toBe(Buffer.from(bytes).toString('base64'));
      }),
    );
  });

  it('reads base64 fed in runs of whole quads back to its bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(20), (bytes, runQuads) => {
        const text = Buffer.from(bytes).toString('base64');
        const d = new Base64Decoder(1);
        const run = 4 * (runQuads + 1);
        for (let from = 0; from < text.length; from += run)
          expect(d.push(text, from, Math.min(text.length, from + run))).toBe(true);
        expect(Buffer.from(d.finish() ?? [])).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('takes exactly the canonical base64 texts (one text per byte string)', () => {
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('base64')),
      fc.string({
        unit: fc.constantFrom('A', 'B', 'Q', 'w', '+', '/', '=', '-', '_', ' '),
        maxLength: 12,
      }),
    );
    fc.assert(
      fc.property(text, (s) => {
        const canonical = Buffer.from(Buffer.from(s, 'base64').toString('base64')).toString() === s;
        const bytes = base64Bytes(s);
        expect(bytes !== null).toBe(canonical);
        if (bytes !== null) expect(Buffer.from(bytes)).toEqual(Buffer.from(s, 'base64'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the compact manifest', () => {
  it('encodeManifestBytes gives the bytes of encodeManifestCompact', () => {
    fc.assert(
      fc.property(manifest, (m) => {
        expect(bytesOf(m).equals(Buffer.from(encodeManifestCompact(m)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes, whole or streamed in chunks cut anywhere, to the columns written', () => {
    fc.assert(
      fc.property(manifest, cuts, (m, points) => {
        const bytes = bytesOf(m);
        expect(whole(bytes)).toEqual({ _tag: 'Right', right: m });
        expect(streamed(chunked(bytes, points))).toEqual({ _tag: 'Right', right: m });
      }),
      { numRuns: 400 },
    );
  });

  it('reads a compact manifest fed one byte at a time', () => {
    fc.assert(
      fc.property(manifest, (m) => {
        const bytes = bytesOf(m);
        expect(streamed(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)))).toEqual({
          _tag: 'Right',
          right: m,
        });
      }),
      { numRuns: 40 },
    );
  });

  it('still reads the array form of the same manifest to the same value', () => {
    fc.assert(
      fc.property(manifest, cuts, (m, points) => {
        const old = new TextEncoder().encode(encodeManifest(m));
        expect(whole(old)).toEqual({ _tag: 'Right', right: m });
        expect(streamed(chunked(old, points))).toEqual({ _tag: 'Right', right: m });
      }),
      { numRuns: 200 },
    );
  });

  it('answers an altered compact text as the whole decode does, or hands it to it', () => {
    const altered = fc
      .tuple(manifest, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 }))
      .chain(([m, where, byte]) => {
        const bytes = bytesOf(m);
        const i = Math.floor(where * bytes.length);
        return fc.constantFrom(
          bytes.subarray(0, i),
          Uint8Array.from(bytes, (b, j) => (j === i ? byte : b)),
          Buffer.concat([bytes.subarray(0, i), Uint8Array.of(byte), bytes.subarray(i)]),
        );
      });
    fc.assert(
      fc.property(altered, cuts, (bytes, points) => {
        const answer = streamed(chunked(bytes, points));
        if (answer !== null) expect(answer).toEqual(whole(bytes));
      }),
      { numRuns: 800 },
    );
  });

  it('refuses an `at` past the distinct locations, a hash cut short, and a stray key', () => {
    const m: GroupManifest = {
      groupId: 'g',
      fileKey: 'f',
      completions: completionColumnsOf(
        Array.from({ length: 4 }, (_, i) => ({
          orderId: String(i),
          fingerprint: '0123456789abcdef',
          createdAt: i,
          order: at(0, `${i}`.padStart(16, '0')),
          items: [],
          products: [at(2, 'ffffffffffffffff'), at(3, 'eeeeeeeeeeeeeeee')],
        })),
      ),
    };
    const text = encodeManifestCompact(m);
    const json = parsed(m);
    expect(json.completions.products?.at).toBe(
      Buffer.from([0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]).toString('base64'),
    );
    const broken = [
      // index 2 of two distinct products
      text.replace(/"at":"[^"]*"/, `"at":"${Buffer.from([2, 0]).toString('base64')}"`),
      text.replace(/("products":\{"file":\[[^\]]*\],"hash":")[^"]{4}/, '$1'),
      text.replace('"at":', '"is":'),
    ];
    for (const b of broken) {
      expect(b).not.toBe(text);
      const bytes = new TextEncoder().encode(b);
      expect(whole(bytes)._tag).toBe('Left');
      const answer = streamed([bytes]);
      if (answer !== null) expect(answer._tag).toBe('Left');
    }
  });

  it('writes repeated products once, with 2- or 4-byte indexes by their number', () => {
    // 65,537 distinct products, each named by two orders: more than 2 bytes index
    const n = 65_537;
    const hash = (i: number) => i.toString(16).padStart(16, '0');
    const orders: OrderCompletion[] = Array.from({ length: n }, (_, i) => ({
      orderId: String(i),
      fingerprint: hash(i),
      createdAt: i,
      order: at(0, hash(i)),
      items: [at(1, hash(i))],
      products: [at(2, hash(i)), at(2, hash((i + 1) % n))],
    }));
    const m: GroupManifest = {
      groupId: 'g',
      fileKey: 'f',
      completions: completionColumnsOf(orders),
    };
    const products = parsed(m).completions.products as { file: number[]; at: string };
    expect(products.file).toHaveLength(n);
    expect(Buffer.from(products.at, 'base64')).toHaveLength(4 * 2 * n);
    const bytes = bytesOf(m);
    expect(streamed(chunked(bytes, [0.3, 0.6, 0.9]))).toEqual({ _tag: 'Right', right: m });
    // the items do not repeat: no `at`, and the whole is well under the array form
    expect(parsed(m).completions.items?.at).toBeUndefined();
    expect(bytes.length).toBeLessThan(0.9 * Buffer.byteLength(encodeManifest(m)));
  });

  it('distinctLocations gives each location its first equal one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.nat(5), fc.nat(5)), { maxLength: 3000 }),
        (rows) => {
          const l = {
            file: Uint32Array.from(rows, (r) => r[0]),
            hi: Uint32Array.from(rows, (r) => r[1] * 0x10000001),
            lo: Uint32Array.from(rows, (r) => r[2]),
            odd: new Map<number, string>(),
          };
          const { distinct, at: where } = distinctLocations(l);
          const seen = new Map<string, number>();
          rows.forEach((r, j) => {
            const key = r.join(':');
            if (!seen.has(key)) seen.set(key, seen.size);
            expect(where[j]).toBe(seen.get(key));
            const d = where[j] as number;
            expect([distinct.file[d], distinct.hi[d], distinct.lo[d]]).toEqual([
              l.file[j],
              l.hi[j],
              l.lo[j],
            ]);
          });
          expect(distinct.file.length).toBe(seen.size);
        },
      ),
    );
  });

  it('keeps the array form when a hash is not 16 hex digits', () => {
    const c: CompletionColumns = completionColumnsOf([
      {
        orderId: '1',
        fingerprint: 'f',
        createdAt: 0,
        order: at(0, 'short'),
        items: [],
        products: [],
      },
    ]);
    const m = { groupId: 'g', fileKey: 'f', completions: c };
    expect(encodeManifestCompact(m)).toBe(encodeManifest(m));
    expect(bytesOf(m).toString()).toBe(encodeManifest(m));
  });
});
