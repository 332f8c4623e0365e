/** Decoding of the compact `...F32` encodings: base64 of little-endian IEEE 754 float32 values. */
import { endianness } from 'node:os';
import { InvalidMessageError } from '../errors.js';
import { MAX_VALUE_MAGNITUDE } from './common.js';
import { wholeValues } from './wholeValues.js';

// Copying the bytes into a Float32Array reads them in host order, which is little-endian on every GCP machine.
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Decodes base64 little-endian float32 values into float64, refusing a byte count that is not a whole
 * number of float32s, any NaN or infinite value (a bit pattern JSON could never have carried), and any value
 * beyond ±MAX_VALUE_MAGNITUDE (the bound JSON values obey too).
 */
export function decodeFloat32(base64: string, field: string, maxValues: number): Float64Array {
  return decode(base64, field, maxValues, false);
}

/**
 * decodeFloat32 for a column with missing values (a feature's `valuesF32`): any NaN bit pattern marks a missing
 * value and is kept as NaN (numpy writes np.nan as 0x7fc00000); ±Infinity and values beyond ±MAX_VALUE_MAGNITUDE
 * are refused as in decodeFloat32.
 */
export function decodeFloat32WithMissing(base64: string, field: string, maxValues: number): Float64Array {
  return decode(base64, field, maxValues, true);
}

function decode(base64: string, field: string, maxValues: number, nanIsMissing: boolean): Float64Array {
  const bytes = wholeValues(base64, field, maxValues, 4, 'float32');
  const count = bytes.length / 4;
  const floats = new Float32Array(count);
  new Uint8Array(floats.buffer).set(bytes);
  if (!LITTLE_ENDIAN) for (let i = 0; i < count; i++) floats[i] = bytes.readFloatLE(i * 4);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const value = floats[i]!;
    if (nanIsMissing && Number.isNaN(value)) {
      values[i] = Number.NaN;
      continue;
    }
    if (!Number.isFinite(value)) {
      throw new InvalidMessageError([
        {
          path: `${field}[${i}]`,
          message: `is ${value}, not a finite number${nanIsMissing ? ' (NaN marks a missing value)' : ''}`,
        },
      ]);
    }
    if (Math.abs(value) > MAX_VALUE_MAGNITUDE) {
      throw new InvalidMessageError([
        { path: `${field}[${i}]`, message: `is ${value}, beyond ±${MAX_VALUE_MAGNITUDE}` },
      ]);
    }
    values[i] = value;
  }
  return values;
}

/** Encodes numbers as base64 little-endian float32 (rounding each to the nearest float32; NaN stays NaN). */
export function encodeFloat32(values: ArrayLike<number>): string {
  const bytes = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4);
  return bytes.toString('base64');
}
