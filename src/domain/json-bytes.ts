// The byte codes of JSON's structural characters, for the codecs that read and write JSON as
// UTF-8 bytes (the manifest and its location columns) rather than as strings.
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const OPEN = 0x5b;
export const CLOSE = 0x5d;
