// Buffers whose memory V8 maps itself, so that freeing (or shrinking) one gives its pages back
// to the system at once. A plain ArrayBuffer or SharedArrayBuffer comes from malloc: freed, its
// memory stays in the C allocator's arena of the thread that made it (a worker gone by then, or
// the main thread) and in the process's RSS; a resizable or growable one is mapped by V8, and
// the memory returns when it is collected or resized to 0 (docs/performance.md, "Round 10:
// mem3m", "Round 13: tail8"). Made at their final size, never grown.

/** ArrayBuffer as ES2024 has it: a resizable one takes a maximum length, and can shrink */
interface ResizableArrayBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  resize(byteLength: number): void;
}
const Resizable = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

/** SharedArrayBuffer as ES2024 has it: a growable one takes a maximum length */
const GrowableShared = SharedArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => SharedArrayBuffer;

/** an ArrayBuffer of `bytes` that V8 maps itself (resizable, never grown) */
export const mappedBuffer = (bytes: number): ArrayBuffer =>
  new Resizable(bytes, { maxByteLength: bytes });

/** a SharedArrayBuffer of `bytes` that V8 maps itself (growable, never grown) */
export const mappedSharedBuffer = (bytes: number): SharedArrayBuffer =>
  new GrowableShared(bytes, { maxByteLength: bytes });

/**
 * gives a mapped buffer's memory back now (every view of it is then empty); a plain buffer is
 * left to the collector
 */
export const releaseBuffer = (buffer: ArrayBufferLike): void => {
  const b = buffer as ResizableArrayBuffer;
  if (b.resizable === true) b.resize(0);
};
