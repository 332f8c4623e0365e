/**
 * Units ranked by predicted uplift exactly as scikit-uplift 0.5.1 ranks them, with the cumulative counts its
 * curves read. Every unit-level uplift statistic starts from this one sort.
 */

/** Cumulative counts over the top units, taken at the last unit of each run of equal scores. */
export interface UpliftThresholds {
  /** Units ranked so far (sklift's num_all = threshold_indices + 1). */
  units: Float64Array;
  /** Treated units among them (num_trmnt). */
  treated: Float64Array;
  /** Converted treated units (y_trmnt). */
  treatedConversions: Float64Array;
  /** Converted control units (y_ctrl). */
  controlConversions: Float64Array;
}

export interface RankedUnits {
  /** Scores in descending order; equal scores keep the reverse of their input order, -0 becomes 0. */
  scores: Float64Array;
  /** 1 for a treated unit, in the same order. */
  treatment: Uint8Array;
  /** 1 for a converted unit, in the same order. */
  outcomes: Uint8Array;
  thresholds: UpliftThresholds;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const HIGH = LITTLE_ENDIAN ? 1 : 0;
const LOW = 1 - HIGH;
const RADIX_BITS = 16;
const RADIX = 1 << RADIX_BITS;

/**
 * Ranks units by score, descending, in sklift's order: `np.argsort(uplift, kind="mergesort")[::-1]`, so equal
 * scores come out in reverse input order (this decides which tied units fall inside a top-k cut or a decile).
 * Runs of equal scores form one threshold, as sklift's `np.where(np.diff(uplift))` does; -0 and 0 are equal.
 *
 * Method: a stable least-significant-digit radix sort on the IEEE-754 bits (sign-flipped so unsigned order is
 * numeric order), four 16-bit passes carrying the treatment and outcome bits, passes whose digit is constant
 * skipped. Stable ascending then read backwards is exactly the reversed stable argsort. O(n); measured faster
 * than `Float64Array.prototype.sort` on the scores alone.
 *
 * Edges: throws for no units, arrays of different lengths, a non-finite score, or a treatment or outcome other
 * than 0 and 1. Unlike sklift, it accepts a single arm or a single outcome value (sklift's check_is_binary
 * refuses them); the statistics then follow sklift's formulas and return null where those divide by zero.
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `uplift_curve` and `qini_curve`.
 *
 * @example rankByUplift(Float64Array.of(0.1, 0.3, 0.1), Uint8Array.of(1, 0, 0), Uint8Array.of(0, 1, 1)).scores
 * // => Float64Array [0.3, 0.1, 0.1] (units 1, 2, 0), thresholds.units [1, 3]
 */
export function rankByUplift(uplift: Float64Array, treatment: Uint8Array, outcomes: Uint8Array): RankedUnits {
  const n = uplift.length;
  if (n === 0) throw new RangeError('rankByUplift requires at least one unit');
  if (treatment.length !== n || outcomes.length !== n) {
    throw new RangeError('rankByUplift requires uplift, treatment and outcomes of the same length');
  }
  const bits = new Float64Array(n);
  const words = new Uint32Array(bits.buffer);
  let low = new Uint32Array(n);
  let high = new Uint32Array(n);
  let arms = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const score = uplift[i]!;
    const treated = treatment[i]!;
    const converted = outcomes[i]!;
    if (!Number.isFinite(score)) throw new RangeError('rankByUplift requires finite uplift scores');
    if (treated > 1 || converted > 1)
      throw new RangeError('rankByUplift requires treatment and outcomes of 0 or 1');
    bits[i] = score + 0; // -0 + 0 is 0: sklift's np.diff sees no step between -0 and 0
    const h = words[2 * i + HIGH]!;
    const l = words[2 * i + LOW]!;
    // Negative numbers: flip every bit; others: set the sign bit. Unsigned order is then numeric order.
    const negative = h >>> 31 === 1;
    high[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    low[i] = negative ? ~l >>> 0 : l;
    arms[i] = (treated << 1) | converted;
  }

  const counts = new Uint32Array(4 * RADIX);
  for (let i = 0; i < n; i++) {
    const l = low[i]!;
    const h = high[i]!;
    counts[l & 0xffff]!++;
    counts[RADIX + (l >>> 16)]!++;
    counts[2 * RADIX + (h & 0xffff)]!++;
    counts[3 * RADIX + (h >>> 16)]!++;
  }
  let nextLow = new Uint32Array(n);
  let nextHigh = new Uint32Array(n);
  let nextArms = new Uint8Array(n);
  const offsets = new Uint32Array(RADIX);
  for (let pass = 0; pass < 4; pass++) {
    if (!scatterOffsets(counts.subarray(pass * RADIX, (pass + 1) * RADIX), offsets, n)) continue;
    const keys = pass < 2 ? low : high;
    const shift = pass % 2 === 0 ? 0 : 16;
    for (let i = 0; i < n; i++) {
      const j = offsets[(keys[i]! >>> shift) & 0xffff]!++;
      nextLow[j] = low[i]!;
      nextHigh[j] = high[i]!;
      nextArms[j] = arms[i]!;
    }
    [low, nextLow] = [nextLow, low];
    [high, nextHigh] = [nextHigh, high];
    [arms, nextArms] = [nextArms, arms];
  }

  // Read backwards into descending order, undoing the bit transform, and count the runs of equal scores.
  const scores = bits;
  const rankedTreatment = new Uint8Array(n);
  const rankedOutcomes = new Uint8Array(n);
  let runs = 0;
  for (let j = 0; j < n; j++) {
    const i = n - 1 - j;
    const h = high[i]!;
    const l = low[i]!;
    const negative = h >>> 31 === 0;
    words[2 * j + HIGH] = negative ? ~h : h & 0x7fffffff;
    words[2 * j + LOW] = negative ? ~l : l;
    const arm = arms[i]!;
    rankedTreatment[j] = arm >>> 1;
    rankedOutcomes[j] = arm & 1;
    if (j > 0 && (h !== high[i + 1] || l !== low[i + 1])) runs++;
  }
  return {
    scores,
    treatment: rankedTreatment,
    outcomes: rankedOutcomes,
    thresholds: cumulativeAtRunEnds(scores, rankedTreatment, rankedOutcomes, runs + 1),
  };
}

/** Units, treated units and the conversions of each arm. */
export interface ArmCounts {
  units: number;
  treated: number;
  treatedConversions: number;
  controlConversions: number;
}

/** Counts over all units: the last threshold. */
export function overallCounts(thresholds: UpliftThresholds): ArmCounts {
  const last = thresholds.units.length - 1;
  return {
    units: thresholds.units[last]!,
    treated: thresholds.treated[last]!,
    treatedConversions: thresholds.treatedConversions[last]!,
    controlConversions: thresholds.controlConversions[last]!,
  };
}

/** Counts over the ranked positions start (inclusive) to end (exclusive). */
export function countRange(ranked: RankedUnits, start: number, end: number): ArmCounts {
  let treated = 0;
  let treatedConversions = 0;
  let controlConversions = 0;
  for (let j = start; j < end; j++) {
    const t = ranked.treatment[j]!;
    const y = ranked.outcomes[j]!;
    treated += t;
    treatedConversions += t & y;
    controlConversions += (t ^ 1) & y;
  }
  return { units: end - start, treated, treatedConversions, controlConversions };
}

/** Turns digit counts into start offsets; false when one digit holds every unit (the pass would not move anything). */
function scatterOffsets(digitCounts: Uint32Array, offsets: Uint32Array, n: number): boolean {
  let start = 0;
  for (let d = 0; d < RADIX; d++) {
    const count = digitCounts[d]!;
    if (count === n) return false;
    offsets[d] = start;
    start += count;
  }
  return true;
}

function cumulativeAtRunEnds(
  scores: Float64Array,
  treatment: Uint8Array,
  outcomes: Uint8Array,
  runs: number,
): UpliftThresholds {
  const thresholds: UpliftThresholds = {
    units: new Float64Array(runs),
    treated: new Float64Array(runs),
    treatedConversions: new Float64Array(runs),
    controlConversions: new Float64Array(runs),
  };
  const n = scores.length;
  let treated = 0;
  let treatedConversions = 0;
  let controlConversions = 0;
  let run = 0;
  for (let j = 0; j < n; j++) {
    const t = treatment[j]!;
    const y = outcomes[j]!;
    treated += t;
    treatedConversions += t & y;
    controlConversions += (t ^ 1) & y;
    if (j === n - 1 || scores[j + 1] !== scores[j]) {
      thresholds.units[run] = j + 1;
      thresholds.treated[run] = treated;
      thresholds.treatedConversions[run] = treatedConversions;
      thresholds.controlConversions[run] = controlConversions;
      run++;
    }
  }
  return thresholds;
}
