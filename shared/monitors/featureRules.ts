/**
 * When one feature drifts or its data quality is broken, and how features rank for on-call: the thresholds are
 * data (featureRules.json, read here once and by the alert runbooks), the rules that apply them are here.
 */
import * as z from 'zod';
import type { FeatureStatistics } from '../stats/features/suite.js';
import rulesJson from './featureRules.json' with { type: 'json' };

const Share = z.number().min(0).max(1);

export const FeatureRules = z.strictObject({
  description: z.string(),
  drift: z.strictObject({ psi: z.number().positive(), lInfinity: Share, chiSquarePValue: Share }),
  quality: z.strictObject({ missingShareRise: Share, outOfRangeShare: Share, unseenShare: Share }),
  topImportance: z.int().positive(),
  rankedInLog: z.int().positive(),
});
export type FeatureRules = z.infer<typeof FeatureRules>;

export const featureRules: FeatureRules = FeatureRules.parse(rulesJson);

export interface FeatureAssessment {
  drifting: boolean;
  qualityBroken: boolean;
  /** Why, one entry per rule that fired, e.g. `psi 0.4213 > 0.1 and > psiNull99 0.0311`. */
  reasons: string[];
}

const shown = (value: number) => String(Number(value.toPrecision(4)));

/**
 * Judges one feature's statistics of a window (`undefined`: the feature is absent from the batch). A statistic
 * that is absent (withheld below the minimum sample, or undefined because a side has no values) fires no rule:
 * the missing-share rule needs only the counts, so it is always judged.
 *
 * Drift: PSI above its band and above its 99% null quantile psiNull99; for a categorical feature also L-infinity
 * above its band with the chi-squared test's p below its level. Quality: the lower end of the Newcombe interval
 * of the missing share's rise above its band, or the out-of-range (numeric) or unseen (categorical) share above
 * its band, or the feature absent.
 */
export function assessFeature(
  statistics: FeatureStatistics | undefined,
  rules: FeatureRules = featureRules,
): FeatureAssessment {
  if (statistics === undefined) {
    return { drifting: false, qualityBroken: true, reasons: ['absent from the batch'] };
  }
  const drift: string[] = [];
  const quality: string[] = [];
  const { psi, psiNull99 } = statistics;
  if (psi !== undefined && psiNull99 !== undefined && psi > rules.drift.psi && psi > psiNull99) {
    drift.push(`psi ${shown(psi)} > ${rules.drift.psi} and > psiNull99 ${shown(psiNull99)}`);
  }
  if (statistics.missingShareDiffLower > rules.quality.missingShareRise) {
    quality.push(
      `missing share ${shown(statistics.missingShare)} vs ${shown(statistics.missingShareReference)}: rise > ${rules.quality.missingShareRise} beyond noise (lower bound ${shown(statistics.missingShareDiffLower)})`,
    );
  }
  if (statistics.kind === 'numeric') {
    const { outOfRangeShare } = statistics;
    if (outOfRangeShare !== undefined && outOfRangeShare > rules.quality.outOfRangeShare) {
      quality.push(`out-of-range share ${shown(outOfRangeShare)} > ${rules.quality.outOfRangeShare}`);
    }
  } else {
    const { lInfinity, chiSquarePValue, unseenShare } = statistics;
    if (
      lInfinity !== undefined &&
      chiSquarePValue !== undefined &&
      lInfinity > rules.drift.lInfinity &&
      chiSquarePValue < rules.drift.chiSquarePValue
    ) {
      drift.push(
        `lInfinity ${shown(lInfinity)} > ${rules.drift.lInfinity} with chiSquarePValue ${shown(chiSquarePValue)} < ${rules.drift.chiSquarePValue}`,
      );
    }
    if (unseenShare !== undefined && unseenShare > rules.quality.unseenShare) {
      quality.push(`unseen share ${shown(unseenShare)} > ${rules.quality.unseenShare}`);
    }
  }
  return { drifting: drift.length > 0, qualityBroken: quality.length > 0, reasons: [...drift, ...quality] };
}

/** What ranking reads of a judged feature. */
export interface RankedFeature {
  name: string;
  importance?: number | undefined;
  psi?: number | undefined;
  drifting: boolean;
  qualityBroken: boolean;
}

/**
 * The features ordered as on-call reads them: drifting or broken first; then, within each group, the features
 * with an importance by importance x PSI, and after them those without one by PSI, largest first (a feature
 * without a PSI, absent or withheld, last of its kind, the more important first); ties by name.
 */
export function rankFeatures<T extends RankedFeature>(features: readonly T[]): T[] {
  const flagged = (feature: T) => (feature.drifting || feature.qualityBroken ? 0 : 1);
  const hasImportance = (feature: T) => (feature.importance === undefined ? 1 : 0);
  const score = (feature: T) =>
    feature.psi === undefined ? Number.NEGATIVE_INFINITY : feature.psi * (feature.importance ?? 1);
  return [...features].sort(
    (a, b) =>
      flagged(a) - flagged(b) ||
      hasImportance(a) - hasImportance(b) ||
      score(b) - score(a) ||
      (b.importance ?? 0) - (a.importance ?? 0) ||
      compareNames(a.name, b.name),
  );
}

/**
 * The names of the `rules.topImportance` features of highest importance (ties by name); features without an
 * importance are never among them, so a baseline without importances has none.
 */
export function topImportanceFeatures(
  features: readonly { name: string; importance?: number | undefined }[],
  rules: FeatureRules = featureRules,
): Set<string> {
  const ranked = features
    .filter((feature) => feature.importance !== undefined)
    .sort((a, b) => b.importance! - a.importance! || compareNames(a.name, b.name));
  return new Set(ranked.slice(0, rules.topImportance).map((feature) => feature.name));
}

const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
