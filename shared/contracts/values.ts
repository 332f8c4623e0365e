/** The numbers a message carries, whichever encoding it chose, as float64. */
import { decodeFloat32 } from './float32.js';

export function predictionValues(
  message: { predictions?: number[] | undefined; predictionsF32?: string | undefined },
  maxValues: number,
): Float64Array {
  if (message.predictions !== undefined) return Float64Array.from(message.predictions);
  return decodeFloat32(message.predictionsF32 ?? '', 'predictionsF32', maxValues);
}
