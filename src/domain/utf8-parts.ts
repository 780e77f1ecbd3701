// Text given as a sequence of string parts, encoded to UTF-8 in pieces of ~1 MB: a big text
// (a 3M-item group's manifest, ~200 MB) is written and hashed without ever being one string or
// one buffer. A part ending in the first half of a surrogate pair keeps it for the next piece, so
// the bytes are exactly those of the whole text encoded at once.
const PIECE_UNITS = 1 << 20;

const endsInHighSurrogate = (s: string): boolean => {
  const last = s.charCodeAt(s.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
};

export function* utf8Parts(
  parts: Iterable<string>,
  pieceUnits = PIECE_UNITS,
): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  let pending = '';
  for (const part of parts) {
    pending += part;
    if (pending.length < pieceUnits) continue;
    const cut = endsInHighSurrogate(pending) ? pending.length - 1 : pending.length;
    if (cut === 0) continue;
    yield encoder.encode(pending.slice(0, cut));
    pending = pending.slice(cut);
  }
  if (pending !== '') yield encoder.encode(pending);
}
