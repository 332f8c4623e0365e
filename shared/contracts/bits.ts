/** Decoding of the compact `...U8` encodings of 0/1 arrays: base64 of one byte per value. */
import { InvalidMessageError } from '../errors.js';
import { Base64, MAX_BATCH_VALUES } from './common.js';

/** Base64 of one byte per value, each 0 or 1 (numpy: array.astype(np.uint8).tobytes()); checked by decodeBits. */
export const BitsBase64 = Base64;

/** Base64 of one byte per unit, each 0 or 1 (numpy: array.astype(np.uint8).tobytes()). */
export function decodeBits(base64: string, field: string): Uint8Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new InvalidMessageError([{ path: field, message: 'must not be empty' }]);
  if (bytes.length > MAX_BATCH_VALUES) {
    throw new InvalidMessageError([{ path: field, message: `carries more than ${MAX_BATCH_VALUES} values` }]);
  }
  const bits = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const value = bytes[i]!;
    if (value > 1)
      throw new InvalidMessageError([{ path: `${field}[${i}]`, message: `is ${value}, must be 0 or 1` }]);
    bits[i] = value;
  }
  return bits;
}
