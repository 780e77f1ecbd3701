// A long text (given whole or in parts) cut into slices of at most `units` UTF-16 code units,
// never inside a surrogate pair: each slice can then be encoded to UTF-8 on its own (a cut pair
// would become two U+FFFD) and the whole is never copied into one string or one buffer. Used for
// the landing record's parts, the manifest's bytes and its group id, and gzip'd text bodies.
export function* textSlices(text: string, units: number): Generator<string> {
  for (let at = 0; at < text.length;) {
    let end = Math.min(text.length, at + units);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - at > 1 && last >= 0xd800 && last <= 0xdbff) end--;
    yield text.slice(at, end);
    at = end;
  }
}

/**
 * textSlices of the concatenation of `parts`, the same slices, made without joining the parts
 * into one string (a 3M-item landing record is ~200 MB of JSON given in parts)
 */
export function* textSlicesOfParts(parts: Iterable<string>, units: number): Generator<string> {
  let pending = '';
  for (const part of parts) {
    pending += part;
    // more text follows the cut, as when textSlices cuts inside the whole
    while (pending.length > units) {
      const [slice] = textSlices(pending, units);
      yield slice as string;
      pending = pending.slice((slice as string).length);
    }
  }
  yield* textSlices(pending, units);
}

const PIECE_UNITS = 1 << 20;

/**
 * Text given as parts, encoded to UTF-8 in pieces of ~1 MB (textSlicesOfParts' slices, so no
 * pair is cut and the bytes are exactly those of the whole text): a 3M-item group's manifest
 * (~200 MB) is written and hashed without ever being one string or one buffer.
 */
export function* utf8Parts(
  parts: Iterable<string>,
  pieceUnits = PIECE_UNITS,
): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  // a slice of one unit could not keep a pair whole
  for (const slice of textSlicesOfParts(parts, Math.max(2, pieceUnits)))
    if (slice !== '') yield encoder.encode(slice);
}
