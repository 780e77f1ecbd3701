// Content hashes for dedupe and content-derived ids (sha-256, hex).
export interface Hasher {
  hash(content: Uint8Array | string): string;
  /** incremental hashing for streamed content */
  stream(): { update(chunk: Uint8Array): void; digest(): string };
}
export const HASHER = Symbol.for('Hasher');
