// Content hashes with node:crypto: sha-256 as lower-case hex.
import { createHash } from 'node:crypto';
import type { Hasher } from '../../ports/hasher.port.js';

export class Sha256Hasher implements Hasher {
  hash(content: Uint8Array | string): string {
    return createHash('sha256').update(content).digest('hex');
  }

  stream(): { update(chunk: Uint8Array): void; digest(): string } {
    const h = createHash('sha256');
    return {
      update: (chunk) => void h.update(chunk),
      digest: () => h.digest('hex'),
    };
  }
}
