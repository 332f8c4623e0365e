/**
 * Simulated time onto writable time. Cloud Monitoring (and so the functions, which refuse a window they could
 * never write, and the local MetricService) accepts points at most 25 h old, while a scenario spans days. The
 * replay therefore stamps each message with a compressed real time: the simulated span is laid, `factor` times
 * faster, over the real hours just before the run, so every point is writable and keeps its order and spacing
 * (4 minutes per simulated hour for 14 days, far above the 5 s sampling period). The span runs to the last
 * publication (the last window plus its publish delay), so the publication times the local MetricService's
 * clock is set to are in the past too. Points read back, their end and visible times, are mapped
 * to simulated time exactly (integer milliseconds both ways), and the alerts are evaluated there, with
 * alerts.json's lookbacks and durations unscaled: the compression changes only the wall-clock stamps the
 * functions check, never what an alert sees.
 */

export interface TimeMap {
  /** Simulated milliseconds per real millisecond. */
  factor: number;
  simStartMs: number;
  realStartMs: number;
  toReal(simMs: number): number;
  toSim(realMs: number): number;
}

export interface CompressionOptions {
  /** Real span the simulation may cover, under the 25 h write limit with room for the run itself. */
  maxRealSpanMs?: number;
  /** How far before `realNowMs` the last simulated instant lands. */
  leadMs?: number;
  /** Simulated times are whole multiples of this (default a minute), so they map to whole real ms. */
  simGrainMs?: number;
}

/** The smallest factor that fits [simStartMs, simEndMs] into maxRealSpanMs ending just before realNowMs. */
export function compressedTimeMap(
  simStartMs: number,
  simEndMs: number,
  realNowMs: number,
  { maxRealSpanMs = 23 * 3_600_000, leadMs = 60_000, simGrainMs = 60_000 }: CompressionOptions = {},
): TimeMap {
  const span = simEndMs - simStartMs;
  if (!(span > 0) || span % simGrainMs !== 0) {
    throw new RangeError('compressedTimeMap requires a positive simulated span of whole grains');
  }
  let factor = Math.max(1, Math.ceil(span / maxRealSpanMs));
  while (simGrainMs % factor !== 0) factor++;
  const realEndMs = Math.floor((realNowMs - leadMs) / simGrainMs) * simGrainMs;
  const realStartMs = realEndMs - span / factor;
  return {
    factor,
    simStartMs,
    realStartMs,
    toReal(simMs) {
      const offset = simMs - simStartMs;
      if (offset % factor !== 0)
        throw new RangeError(`simulated time ${simMs} does not map to a whole millisecond`);
      return realStartMs + offset / factor;
    },
    toSim: (realMs) => simStartMs + (realMs - realStartMs) * factor,
  };
}
