// What every Hasher adapter must do: sha-256, lower-case hex, the same streamed or whole.
import { describe, expect, it } from 'vitest';
import type { Hasher } from '../../src/ports/hasher.port.js';

export function describeHasherContract(adapterName: string, factory: () => Hasher) {
  describe(`Hasher contract: ${adapterName}`, () => {
    it('hashes text and bytes as sha-256 hex', () => {
      const h = factory();
      const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
      expect(h.hash('abc')).toBe(abc);
      expect(h.hash(new Uint8Array([0x61, 0x62, 0x63]))).toBe(abc);
      expect(h.hash('ü')).toBe(h.hash(new TextEncoder().encode('ü')));
    });

    it('gives the same digest streamed in any chunking', () => {
      const h = factory();
      const bytes = new TextEncoder().encode('order_id,user_id\n1,2\n'.repeat(50));
      const s = h.stream();
      for (let i = 0; i < bytes.length; i += 7) s.update(bytes.subarray(i, i + 7));
      expect(s.digest()).toBe(h.hash(bytes));
      expect(h.stream().digest()).toBe(h.hash(''));
    });
  });
}
