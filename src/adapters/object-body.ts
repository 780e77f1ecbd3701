// An object body as bytes, for the stores that need it whole (memory; S3's PutObject, whose
// size must be known up front).
import type { ObjectBody } from '../ports/object-store.port.js';

export const bytesOfBody = async (body: ObjectBody): Promise<Uint8Array> => {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  const parts: Uint8Array[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts);
};
