// One rule for object keys, shared by every object-store adapter so a key that one store
// accepts is never refused by another (and a file-system store can never be led outside its
// root). Keys are relative, '/'-separated, with no empty, '.' or '..' segment.
import { InvalidObjectKey } from '../../ports/object-store.port.js';

const FORBIDDEN = /[\\\0]/;

const badSegment = (s: string): boolean => s === '' || s === '.' || s === '..';

/** Throws InvalidObjectKey unless key is a safe relative key. */
export const assertObjectKey = (key: string): void => {
  if (key.length === 0 || FORBIDDEN.test(key) || key.startsWith('/')) {
    throw new InvalidObjectKey(key);
  }
  if (key.split('/').some(badSegment)) throw new InvalidObjectKey(key);
};

/** A list prefix may be empty or end in '/', but obeys the key rules otherwise. */
export const assertObjectPrefix = (prefix: string): void => {
  if (prefix === '') return;
  if (FORBIDDEN.test(prefix) || prefix.startsWith('/')) throw new InvalidObjectKey(prefix);
  const segments = prefix.split('/');
  // the last segment is a partial name ('' after a trailing '/'), but never '..'
  const last = segments.pop() ?? '';
  if (segments.some(badSegment) || last === '..' || last === '.') {
    throw new InvalidObjectKey(prefix);
  }
};

export const toBytes = (body: Uint8Array | string): Uint8Array =>
  typeof body === 'string' ? new TextEncoder().encode(body) : body;
