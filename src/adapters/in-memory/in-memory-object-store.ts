// Objects in a Map: the honest fake of the bucket (passes the object-store contract suite).
import {
  ObjectNotFound,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
} from '../../ports/object-store.port.js';
import { bytesOfBody } from '../object-body.js';
import { assertObjectKey, assertObjectPrefix, toBytes } from './object-key.js';

export class InMemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Uint8Array>();

  async get(key: string): Promise<Uint8Array | null> {
    assertObjectKey(key);
    const body = this.objects.get(key);
    // a copy, so a caller mutating the result cannot change the stored object
    return body === undefined ? null : body.slice();
  }

  async *getStream(key: string): AsyncIterable<Uint8Array> {
    const body = await this.get(key);
    if (body === null) throw new ObjectNotFound(key);
    const chunk = 64 * 1024;
    for (let i = 0; i < body.length; i += chunk) yield body.subarray(i, i + chunk);
  }

  async put(key: string, body: ObjectBody): Promise<void> {
    assertObjectKey(key);
    this.objects.set(key, (await bytesOfBody(body)).slice());
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    assertObjectKey(key);
    if (this.objects.has(key)) return false;
    this.objects.set(key, toBytes(body).slice());
    return true;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    assertObjectPrefix(prefix);
    const out: ObjectInfo[] = [];
    for (const [key, body] of this.objects) {
      if (key.startsWith(prefix)) out.push({ key, size: body.length });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    assertObjectKey(fromKey);
    assertObjectKey(toKey);
    const body = this.objects.get(fromKey);
    if (body === undefined) throw new ObjectNotFound(fromKey);
    this.objects.set(toKey, body.slice());
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    this.objects.delete(key);
  }
}
