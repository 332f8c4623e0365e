/**
 * JSON Schema rules for the base64 encodings, stating what decodeFloat32, decodeBits and decodeUint16Codes accept. Node decodes
 * base64 leniently: padding is optional and ignored, and n characters decode to floor(3n / 4) bytes (the bits of
 * a last character that completes no byte are dropped), so the rules count characters the same way.
 */

const CHAR = '[A-Za-z0-9+/]';
const END = '={0,2}(?![\\s\\S])';

/** Most base64 characters (padding aside) that decode to at most `bytes` bytes. */
function maxChars(bytes: number): number {
  return Math.ceil((4 * (bytes + 1)) / 3) - 1;
}

/**
 * Base64 of 1 to maxValues little-endian float32s: the bytes are a whole number of float32s. n characters make
 * floor(3n / 4) bytes, a multiple of 4 exactly when n mod 16 is 0, 1, 6 or 11; n = 1 decodes to nothing. The
 * next such n after any accepted one is at least 5 characters on, so maxLength (the longest accepted count plus
 * two padding characters) refuses every longer count. Finiteness and the ±1e9 bound are not stated.
 */
export function float32Base64Rule(maxValues: number): { pattern: string; maxLength: number } {
  return {
    pattern: `^(?:${CHAR}{16})*(?:${CHAR}{6}|${CHAR}{11}|${CHAR}{16}${CHAR}?)${END}`,
    maxLength: maxChars(4 * maxValues) + 2,
  };
}

/**
 * Base64 of 1 to maxValues bytes, each 0 or 1. Three such bytes encode as A[AQ][AE][AB]; a last byte as A and a
 * character of value below 32 (its low bits are dropped), two last bytes as A[AQ] and a character below 8; a
 * lone last character completes no byte and may be anything.
 */
export function bitsBase64Rule(maxValues: number): { pattern: string; maxLength: number } {
  const chars = maxChars(maxValues);
  return {
    pattern: `^(?=${CHAR}{2})(?!${CHAR}{${chars + 1}})(?:A[AQ][AE][AB])*(?:A[A-Za-f]|A[AQ][A-H]|${CHAR})?${END}`,
    maxLength: chars + 2,
  };
}

/**
 * Base64 of 1 to maxValues little-endian uint16s: the bytes are a whole number of uint16s. n characters make
 * floor(3n / 4) bytes, even exactly when n mod 8 is 0, 1, 3 or 6; n = 1 decodes to nothing. Accepted counts can
 * be one character apart (8 and 9), so the maximum is a lookahead on the characters, as for bits, and maxLength
 * adds the two padding characters. The codes' range (below the column's category count, or 65535) is not stated.
 */
export function uint16Base64Rule(maxValues: number): { pattern: string; maxLength: number } {
  const chars = maxChars(2 * maxValues);
  return {
    pattern: `^(?!${CHAR}{${chars + 1}})(?:${CHAR}{8})*(?:${CHAR}{3}|${CHAR}{6}|${CHAR}{8}${CHAR}?)${END}`,
    maxLength: chars + 2,
  };
}
