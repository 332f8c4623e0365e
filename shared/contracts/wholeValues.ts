/** The bytes of the compact base64 encodings of fixed-width values (float32, uint16), checked for their count. */
import { InvalidMessageError } from '../errors.js';

/**
 * The decoded bytes of `base64`, refused (naming `field`) unless they are 1 to maxValues whole values of
 * `width` bytes each, e.g. wholeValues(text, 'predictionsF32', 1_000_000, 4, 'float32').
 */
export function wholeValues(
  base64: string,
  field: string,
  maxValues: number,
  width: number,
  type: string,
): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % width !== 0) {
    throw new InvalidMessageError([
      { path: field, message: `decodes to ${bytes.length} bytes, not a whole number of ${type} values` },
    ]);
  }
  const count = bytes.length / width;
  if (count === 0) throw new InvalidMessageError([{ path: field, message: 'must not be empty' }]);
  if (count > maxValues) {
    throw new InvalidMessageError([{ path: field, message: `carries more than ${maxValues} values` }]);
  }
  return bytes;
}
