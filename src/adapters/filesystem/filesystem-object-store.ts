// The embedded bucket: each key is a file under rootDir. Writes go to a temp file in the
// target directory, are fsynced, then renamed (or hard-linked for putIfAbsent), so a reader or
// a crash never sees half an object, and two racing putIfAbsent calls cannot both win.
// Keys under the `gzipped` prefixes are stored gzip'd and read back as written (what is kept
// only for the record: raw files in archive/, about 4x smaller); list() gives their own size.
import { randomUUID } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  InvalidObjectKey,
  ObjectNotFound,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
} from '../../ports/object-store.port.js';
import { assertObjectKey, assertObjectPrefix, toBytes } from '../in-memory/object-key.js';
import { GzipAhead } from './gzip-ahead.js';
import { identityOf } from './gzip-ahead-protocol.js';
import { gunzipChunks, gzipChunks, startsWithGzip } from './gzip-body.js';

// temp files live next to their target (rename is atomic only within one file system);
// list() hides them and keys that look like one are refused
const TEMP = /^\.~[0-9a-f-]{36}\.tmp$/;
const tempName = (): string => `.~${randomUUID()}.tmp`;

const codeOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
const isAbsent = (e: unknown): boolean => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes(codeOf(e) ?? '');

export class FileSystemObjectStore implements ObjectStore {
  private readonly root: string;
  /** copies into a gzip'd prefix compressed ahead, when told of them (gzip-ahead.ts) */
  private ahead: GzipAhead | undefined;

  constructor(
    rootDir: string,
    private readonly options: {
      readonly gzipped?: readonly string[];
      /**
       * gzip'd prefixes whose objects are written by Huffman coding alone (gzip-body.ts
       * GzipOptions): what is mostly base64 of hashes, as group manifests
       */
      readonly huffmanOnly?: readonly string[];
      /** the gzip's part size ahead (tests: the default is the store's) */
      readonly aheadPartBytes?: number;
    } = {},
  ) {
    this.root = resolve(rootDir);
  }

  /** a copy from a plain prefix into a gzip'd one: the copy compresses (the costly copy) */
  private compressedBy(fromKey: string, toKey: string): boolean {
    return this.gzipped(toKey) && !this.gzipped(fromKey);
  }

  private gzipped(key: string): boolean {
    return (this.options.gzipped ?? []).some((prefix) => key.startsWith(prefix));
  }

  /** the key's object gzip'd, as its prefix is */
  private gzip(key: string, body: ObjectBody): AsyncIterable<Uint8Array> {
    const huffmanOnly = (this.options.huffmanOnly ?? []).some((prefix) => key.startsWith(prefix));
    return gzipChunks(body, { huffmanOnly });
  }

  private pathOf(key: string): string {
    assertObjectKey(key);
    const segments = key.split('/');
    if (segments.some((s) => TEMP.test(s))) throw new InvalidObjectKey(key);
    const path = join(this.root, ...segments);
    // belt and braces: the key rules already forbid this
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new InvalidObjectKey(key);
    return path;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const path = this.pathOf(key);
    try {
      if (this.gzipped(key)) return await this.gathered(key);
      return ownBytes(await readFile(path));
    } catch (e) {
      if (isAbsent(e)) return null;
      throw e;
    }
  }

  async *getStream(key: string): AsyncIterable<Uint8Array> {
    if (this.gzipped(key)) yield* gunzipChunks(this.rawStream(key));
    else yield* this.rawStream(key);
  }

  /** a gzip'd object whole (its stream gathered); ObjectNotFound surfaces as absent */
  private async gathered(key: string): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    try {
      for await (const chunk of this.getStream(key)) parts.push(chunk);
    } catch (e) {
      if (e instanceof ObjectNotFound) throw Object.assign(new Error(key), { code: 'ENOENT' });
      throw e;
    }
    return ownBytes(Buffer.concat(parts));
  }

  /** the file's bytes as stored */
  private async *rawStream(key: string): AsyncIterable<Uint8Array> {
    const path = this.pathOf(key);
    let handle;
    try {
      handle = await open(path, constants.O_RDONLY);
      if (!(await handle.stat()).isFile()) throw Object.assign(new Error(path), { code: 'EISDIR' });
    } catch (e) {
      await handle?.close();
      if (isAbsent(e)) throw new ObjectNotFound(key);
      throw e;
    }
    // the stream closes the handle when it ends or the consumer stops early
    for await (const chunk of handle.createReadStream({ highWaterMark: 256 * 1024 })) {
      yield ownBytes(chunk as Buffer);
    }
  }

  async put(key: string, body: ObjectBody): Promise<void> {
    const path = this.pathOf(key);
    const temp = await this.writeTemp(path, this.gzipped(key) ? this.gzip(key, body) : body);
    await rename(temp, path);
    await this.syncDir(dirname(path));
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    const path = this.pathOf(key);
    const temp = await this.writeTemp(
      path,
      this.gzipped(key) ? this.gzip(key, body) : toBytes(body),
    );
    try {
      // link() fails with EEXIST when the target exists: the kernel picks one winner
      await link(temp, path);
      await this.syncDir(dirname(path));
      return true;
    } catch (e) {
      if (codeOf(e) === 'EEXIST') return false;
      throw e;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    assertObjectPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const startKey = slash < 0 ? '' : prefix.slice(0, slash + 1);
    const out: ObjectInfo[] = [];
    await this.walk(join(this.root, ...startKey.split('/')), startKey, prefix, out);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** the file's identity (gzip-ahead-protocol.ts), the one the gzip ahead trusts for a copy */
  async revision(key: string): Promise<string | null> {
    try {
      const s = await stat(this.pathOf(key), { bigint: true });
      if (!s.isFile()) return null;
      return identityOf(s);
    } catch (e) {
      if (isAbsent(e)) return null;
      throw e;
    }
  }

  /**
   * A copy into a gzip'd prefix (a raw file archived) is compressed ahead into a temp file on a
   * low-priority worker (gzip-ahead.ts), which copy then renames into place; other copies are
   * cheap here and are not prepared.
   */
  prepareCopy(fromKey: string, toKey: string): void {
    if (!this.compressedBy(fromKey, toKey)) return;
    const to = this.pathOf(toKey);
    const { aheadPartBytes } = this.options;
    this.ahead ??= new GzipAhead(aheadPartBytes === undefined ? {} : { partBytes: aheadPartBytes });
    this.ahead.prepare(this.pathOf(fromKey), to, join(dirname(to), tempName()));
  }

  /** once the copies prepared so far are compressed ahead, or failed (tests) */
  async preparedCopies(): Promise<void> {
    await this.ahead?.settled();
  }

  /** drops the copies prepared and not made (also done at the process's exit) */
  dropPreparedCopies(): void {
    this.ahead?.discard();
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const from = this.pathOf(fromKey);
    const to = this.pathOf(toKey);
    if (this.compressedBy(fromKey, toKey)) {
      // compressed ahead from this very file (synced by the worker): renamed into place
      const ready = await this.ahead?.take(from, to);
      if (ready !== undefined && ready !== null) {
        await rename(ready, to);
        await this.syncDir(dirname(to));
        return;
      }
    }
    // into or out of a gzip'd prefix: streamed through zlib (getStream says ObjectNotFound)
    if (this.gzipped(fromKey) !== this.gzipped(toKey))
      return this.put(toKey, this.getStream(fromKey));
    await mkdir(dirname(to), { recursive: true });
    const temp = join(dirname(to), tempName());
    try {
      await copyFile(from, temp);
      const handle = await open(temp, 'r+');
      await handle.sync().finally(() => handle.close());
      await rename(temp, to);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      if (isAbsent(e) && (await this.get(fromKey)) === null) throw new ObjectNotFound(fromKey);
      throw e;
    }
    await this.syncDir(dirname(to));
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (e) {
      if (!isAbsent(e)) throw e;
    }
  }

  /**
   * Deletes temp files a killed process left behind (they are invisible to list() but hold
   * disk). Only files untouched for `olderThanMs`, so a write under way in another process is
   * never cut short. Returns how many were removed.
   */
  async sweepAbandonedTemps(olderThanMs: number, now: number = Date.now()): Promise<number> {
    let removed = 0;
    const visit = async (dir: string): Promise<void> => {
      for (const entry of await this.entriesOf(dir)) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await visit(path);
        else if (entry.isFile() && TEMP.test(entry.name)) {
          const age = now - (await stat(path)).mtimeMs;
          if (
            age >= olderThanMs &&
            (await unlink(path).then(
              () => true,
              () => false,
            ))
          )
            removed++;
        }
      }
    };
    await visit(this.root);
    return removed;
  }

  private async writeTemp(path: string, body: ObjectBody): Promise<string> {
    await mkdir(dirname(path), { recursive: true });
    const temp = join(dirname(path), tempName());
    const handle = await open(temp, 'wx');
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        await handle.writeFile(toBytes(body));
      } else {
        // streamed: each chunk written as it comes, so a big file is never held whole
        for await (const chunk of body) {
          for (let at = 0; at < chunk.length;) {
            at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
          }
        }
      }
      await handle.sync();
    } catch (e) {
      await handle.close();
      await unlink(temp).catch(() => undefined);
      throw e;
    }
    await handle.close();
    return temp;
  }

  /** the object's size; a gzip'd one's from its trailer (ISIZE: the size mod 2^32) */
  private async sizeOf(key: string, path: string): Promise<number> {
    const { size } = await stat(path);
    if (!this.gzipped(key) || size < 18) return size;
    const handle = await open(path, 'r');
    try {
      const [head, trailer] = [Buffer.alloc(2), Buffer.alloc(4)];
      await handle.read(head, 0, 2, 0);
      if (!startsWithGzip(head)) return size; // written plain, by an older version
      await handle.read(trailer, 0, 4, size - 4);
      return trailer.readUInt32LE(0);
    } finally {
      await handle.close();
    }
  }

  // makes the rename itself durable (the directory entry), not only the file's bytes
  private async syncDir(dir: string): Promise<void> {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  }

  /** a directory's entries; none when it does not exist */
  private async entriesOf(dir: string): Promise<Dirent[]> {
    try {
      return await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isAbsent(e)) return [];
      throw e;
    }
  }

  private async walk(dir: string, keyPrefix: string, prefix: string, out: ObjectInfo[]) {
    for (const entry of await this.entriesOf(dir)) {
      if (TEMP.test(entry.name)) continue;
      const key = keyPrefix + entry.name;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if ((key + '/').startsWith(prefix) || prefix.startsWith(key + '/')) {
          await this.walk(path, key + '/', prefix, out);
        }
      } else if (entry.isFile() && key.startsWith(prefix)) {
        out.push({ key, size: await this.sizeOf(key, path) });
      }
    }
  }
}

/**
 * A Buffer as a plain Uint8Array: a view of its memory when it holds its whole ArrayBuffer (not a
 * slice of Node's shared pool), else a copy. `new Uint8Array(buffer)` always copied, and a big
 * copy is slow here: fresh pages are touched one fault at a time (a 25 MB staged file's copy took
 * 0.4-0.8 s in Validate's staged rows load, 1M items, busy machine).
 */
const ownBytes = (b: Buffer): Uint8Array =>
  b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
    ? new Uint8Array(b.buffer, 0, b.byteLength)
    : new Uint8Array(b);
