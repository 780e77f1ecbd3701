// An object body as bytes, for a store that keeps it whole (the in-memory one).
import type { ObjectBody } from '../ports/object-store.port.js';

export const bytesOfBody = async (body: ObjectBody): Promise<Uint8Array> => {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  const parts: Uint8Array[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts);
};
