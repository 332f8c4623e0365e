/**
 * The unit-level uplift suite: how well one batch of predicted uplift scores ranks the units by the uplift they
 * realized, in scikit-uplift 0.5.1's definitions. The units are ranked once; every statistic reads that ranking.
 */
import { type CurvePoint, downsampleCurve } from './downsampleCurve.js';
import { qiniAuc } from './qiniAuc.js';
import { qiniAucInterval } from './qiniAucInterval.js';
import { qiniCurve } from './qiniCurve.js';
import { overallCounts, rankByUplift } from './rankByUplift.js';
import { upliftAtK } from './upliftAtK.js';
import { upliftAuc } from './upliftAuc.js';
import { type UpliftBin, upliftByPercentile } from './upliftByPercentile.js';

/** sklift's default k for uplift_at_k. */
export const UPLIFT_AT_K = 0.3;
export const UPLIFT_BINS = 10;
/** 100 segments: enough for a chart, small enough for a metric label or a Firestore document. */
export const QINI_CHART_POINTS = 101;

export interface UpliftStatistics {
  /** Units in the batch. */
  n: number;
  /** Treated units. */
  treated: number;
  /** Control units. */
  control: number;
  /** sklift qini_auc_score(negative_effect=True); null where sklift divides by zero. */
  qiniAuc: number | null;
  /** 2.5% percentile of the Poisson-bootstrap Qini AUC (qiniAucInterval); null with qiniAuc or a thin resample. */
  qiniAucLower: number | null;
  /** 97.5% percentile of the same replicates. */
  qiniAucUpper: number | null;
  /** sklift uplift_auc_score; null where sklift divides by zero. */
  upliftAuc: number | null;
  /** sklift uplift_at_k(k=0.3, strategy='overall'); null when the top 30% lacks an arm. */
  upliftAt30: number | null;
  /** Ten bins of the ranking, highest predicted uplift first (fewer when n < 10). */
  deciles: UpliftBin[];
  /** The Qini curve (x in units, y in incremental conversions), at most 101 of its points. */
  qiniCurve: CurvePoint[];
}

/** Computes the unit-level suite; throws a RangeError for empty or mismatched arrays and non-binary labels. */
export function computeUplift(
  uplift: Float64Array,
  treatment: Uint8Array,
  outcomes: Uint8Array,
): UpliftStatistics {
  const ranked = rankByUplift(uplift, treatment, outcomes);
  const { units: n, treated } = overallCounts(ranked.thresholds);
  const qini = qiniAuc(ranked);
  const interval = qini === null ? null : qiniAucInterval(ranked);
  return {
    n,
    treated,
    control: n - treated,
    qiniAuc: qini,
    qiniAucLower: interval?.lower ?? null,
    qiniAucUpper: interval?.upper ?? null,
    upliftAuc: upliftAuc(ranked),
    upliftAt30: upliftAtK(ranked, UPLIFT_AT_K),
    deciles: upliftByPercentile(ranked, UPLIFT_BINS),
    qiniCurve: downsampleCurve(qiniCurve(ranked.thresholds), QINI_CHART_POINTS),
  };
}
