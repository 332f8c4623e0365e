/** Decoding of the compact `...U16` encoding of category codes: base64 of little-endian uint16 values. */
import { InvalidMessageError } from '../errors.js';
import { MISSING_CODE, MISSING_CODE_U16 } from './featureColumns.js';
import { wholeValues } from './wholeValues.js';

/**
 * Decodes base64 little-endian uint16 category codes (numpy: codes.astype('<u2').tobytes()) into Int32 codes,
 * MISSING_CODE_U16 (65535) becoming MISSING_CODE (-1). Refuses a byte count that is not a whole number of
 * uint16s, no values, more than maxValues, and a code that is not an index into the column's `categories`.
 */
export function decodeUint16Codes(
  base64: string,
  field: string,
  maxValues: number,
  categoryCount: number,
): Int32Array {
  const bytes = wholeValues(base64, field, maxValues, 2, 'uint16');
  const count = bytes.length / 2;
  const codes = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const code = bytes.readUInt16LE(i * 2);
    if (code === MISSING_CODE_U16) {
      codes[i] = MISSING_CODE;
      continue;
    }
    if (code >= categoryCount) {
      throw new InvalidMessageError([
        { path: `${field}[${i}]`, message: codeOutOfRange(code, categoryCount, MISSING_CODE_U16) },
      ]);
    }
    codes[i] = code;
  }
  return codes;
}

/** The refusal of a code that indexes no category: the same words for `codes` and `codesU16`. */
export function codeOutOfRange(code: number, categoryCount: number, missing: number): string {
  return `is ${code}, but categories has ${categoryCount} entries (codes 0 to ${categoryCount - 1}, ${missing} = missing)`;
}

/** Encodes category codes as base64 little-endian uint16 (MISSING_CODE as MISSING_CODE_U16). */
export function encodeUint16Codes(codes: ArrayLike<number>): string {
  const bytes = Buffer.allocUnsafe(codes.length * 2);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    bytes.writeUInt16LE(code === MISSING_CODE ? MISSING_CODE_U16 : code, i * 2);
  }
  return bytes.toString('base64');
}
