// A bucket of objects addressed by key (S3, a folder on disk, memory).
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
}

/** an object's content: bytes, text (UTF-8), or chunks streamed in (never held whole) */
export type ObjectBody = Uint8Array | string | AsyncIterable<Uint8Array>;

export interface ObjectStore {
  /** null when absent */
  get(key: string): Promise<Uint8Array | null>;
  /** the object's bytes in chunks, without holding it whole; throws ObjectNotFound when absent */
  getStream(key: string): AsyncIterable<Uint8Array>;
  /** a streamed body is written as it comes where the store can (the file system) */
  put(key: string, body: ObjectBody): Promise<void>;
  /** writes only when no object has the key; false when one already does (never overwrites) */
  putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean>;
  /** keys starting with prefix, sorted ascending */
  list(prefix: string): Promise<ObjectInfo[]>;
  copy(fromKey: string, toKey: string): Promise<void>;
  /**
   * A hint that copy(fromKey, toKey) is likely soon: a store whose copy is costly (the embedded
   * bucket gzips into archive/) may do that work ahead, beside, on an idle core. It never
   * changes what copy does nor fails; a store without a costly copy (S3's is server-side) has
   * none.
   */
  prepareCopy?(fromKey: string, toKey: string): void;
  /**
   * A token of the object's stored state, null when absent: equal tokens mean the bytes were not
   * rewritten nor edited in between (the embedded bucket: the file's identity, size and times).
   * Cheap next to a read; a reader that hashed the bytes between two equal tokens may take the
   * hash as the object's while the token stays. A store that cannot tell cheaply has none.
   */
  revision?(key: string): Promise<string | null>;
  /** deleting an absent key is not an error */
  delete(key: string): Promise<void>;
}

export class ObjectNotFound extends Error {
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
    this.name = 'ObjectNotFound';
  }
}

/** A key with `..`, a leading `/`, a backslash or a NUL is refused by every adapter. */
export class InvalidObjectKey extends Error {
  constructor(readonly key: string) {
    super(`invalid object key: ${JSON.stringify(key)} (keys are relative, without '..' or NUL)`);
    this.name = 'InvalidObjectKey';
  }
}

export const OBJECT_STORE = Symbol.for('ObjectStore');
