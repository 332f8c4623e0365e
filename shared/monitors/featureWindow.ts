/**
 * One window of features against their baseline, judged: per feature its statistics (withheld below the minimum
 * sample), drifting and quality flags; per window the counts, the largest PSI, the importance-weighted drift and
 * the ranking. featureMonitor writes and logs it; the CLI prints it; both build it here.
 */
import type { DecodedFeature } from '../contracts/featureColumns.js';
import { type FieldIssue, InvalidMessageError } from '../errors.js';
import type { FeatureStatistics } from '../stats/features/suite.js';
import { computeFeatureStatistics } from '../stats/features/suite.js';
import type { StoredFeature } from '../store/featureBaselineStore.js';
import { binnedCounts } from './binning.js';
import {
  assessFeature,
  type FeatureRules,
  featureRules,
  rankFeatures,
  topImportanceFeatures,
} from './featureRules.js';

export interface FeatureResult {
  name: string;
  kind: FeatureStatistics['kind'];
  importance?: number | undefined;
  /** The batch omits this feature of the baseline: no statistics, data quality broken. */
  absent: boolean;
  /** Fewer non-missing values than the minimum: only the counts and missing shares are kept. */
  withheld: boolean;
  /** Undefined when absent. */
  statistics?: FeatureStatistics | undefined;
  psi?: number | undefined;
  drifting: boolean;
  qualityBroken: boolean;
  reasons: string[];
}

/** The per-window values, named as the catalog's features/* statistics. */
export interface FeatureWindowTotals {
  drifted: number;
  qualityBroken: number;
  /** Drifting, and broken, features among the top-importance ones (featureRules.topImportance). */
  topDrifted: number;
  topQualityBroken: number;
  /** Largest PSI over the features with enough values; undefined when none has. */
  maxPsi?: number | undefined;
  /** sum importance x JS / sum importance over the features with both; undefined when none has both. */
  importanceWeightedDrift?: number | undefined;
}

export interface FeatureWindow extends FeatureWindowTotals {
  /** Every feature of the baseline, in the baseline's order. */
  features: FeatureResult[];
  /** Every feature's name, ranked as on-call reads them (rankFeatures). */
  ranking: string[];
}

/** What every feature's statistics carry, also when the distribution statistics are withheld. */
const COUNT_STATISTICS = [
  'n',
  'nReference',
  'missingShare',
  'missingShareReference',
  'missingShareDiffLower',
  'missingShareDiffUpper',
] as const;

/** The distribution statistics of each kind, in the order the CLI and the log line print them. */
export const KIND_STATISTICS = {
  numeric: [
    'psi',
    'psiNull99',
    'jsDistance',
    'ksStatistic',
    'ksPValue',
    'wassersteinNormed',
    'outOfRangeShare',
  ],
  categorical: ['psi', 'psiNull99', 'jsDistance', 'lInfinity', 'chiSquarePValue', 'unseenShare'],
} as const;

/** What a binned numeric column reports beside its statistics: which are bounds, and the upper bounds. */
const BINNED_BOUNDS = ['approximate', 'ksStatisticUpperBound', 'wassersteinNormedUpperBound'] as const;

/**
 * Compares a batch's decoded features with the baseline's summaries. Refuses, naming the field, a feature the
 * baseline lacks and a feature whose kind differs from the baseline's; a binned numeric column counted in another
 * binning than the feature's is a binning mismatch, one with the wrong number of counts an invalid message. A
 * feature needs `minSample` non-missing values for its distribution statistics to be kept (and judged); its missing share is always judged, since
 * the Newcombe interval carries its own noise and a minimum must not hide a column that arrives all null.
 */
export function compareFeatureWindow(
  baseline: readonly StoredFeature[],
  batch: readonly DecodedFeature[],
  minSample: number,
  claimed: { model: string; modelVersion: string },
  rules: FeatureRules = featureRules,
): FeatureWindow {
  const reference = new Map(baseline.map((feature) => [feature.name, feature]));
  const issues: FieldIssue[] = [];
  for (const { name, column } of batch) {
    const stored = reference.get(name);
    const summary = stored?.summary;
    if (!summary) {
      issues.push({
        path: `features.${name}`,
        message: `is not a feature of the baseline of ${claimed.model}@${claimed.modelVersion}`,
      });
    } else if (summary.kind !== column.kind) {
      issues.push({
        path: `features.${name}.kind`,
        message: `is ${column.kind}, but the baseline of ${claimed.model}@${claimed.modelVersion} has it ${summary.kind}`,
      });
    }
  }
  if (issues.length > 0) throw new InvalidMessageError(issues, claimed);
  for (const { name, column } of batch) {
    const stored = reference.get(name)!;
    if ('binCounts' in column && stored.summary.kind === 'numeric') {
      binnedCounts(
        column.binCounts,
        { binning: stored.binning, summary: stored.summary.values },
        `features.${name}.binCounts`,
      );
    }
  }

  const columns = new Map(batch.map((feature) => [feature.name, feature.column]));
  const features = baseline.map(({ name, summary }): FeatureResult => {
    const column = columns.get(name);
    const importance = summary.importance;
    if (!column) {
      return {
        name,
        kind: summary.kind,
        importance,
        absent: true,
        withheld: false,
        ...assessFeature(undefined, rules),
      };
    }
    const computed = computeFeatureStatistics(summary, column);
    const withheld = computed.n < minSample;
    const statistics = withheld ? countsOnly(computed) : computed;
    return {
      name,
      kind: summary.kind,
      importance,
      absent: false,
      withheld,
      statistics,
      psi: statistics.psi,
      ...assessFeature(statistics, rules),
    };
  });
  return {
    features,
    ranking: rankFeatures(features).map((feature) => feature.name),
    ...windowTotals(features, rules),
  };
}

function windowTotals(features: readonly FeatureResult[], rules: FeatureRules): FeatureWindowTotals {
  const top = topImportanceFeatures(features, rules);
  const count = (predicate: (feature: FeatureResult) => boolean) => features.filter(predicate).length;
  const psis = features.flatMap((feature) => (feature.psi === undefined ? [] : [feature.psi]));
  const weighted = features.flatMap(({ importance, statistics }) =>
    importance === undefined || statistics?.jsDistance === undefined
      ? []
      : [{ importance, jsDistance: statistics.jsDistance }],
  );
  const totalImportance = weighted.reduce((sum, feature) => sum + feature.importance, 0);
  return {
    drifted: count((feature) => feature.drifting),
    qualityBroken: count((feature) => feature.qualityBroken),
    topDrifted: count((feature) => feature.drifting && top.has(feature.name)),
    topQualityBroken: count((feature) => feature.qualityBroken && top.has(feature.name)),
    maxPsi: psis.length > 0 ? Math.max(...psis) : undefined,
    // All-zero importances weigh nothing: undefined, like no importance at all, rather than 0/0.
    importanceWeightedDrift:
      totalImportance > 0
        ? weighted.reduce((sum, feature) => sum + feature.importance * feature.jsDistance, 0) /
          totalImportance
        : undefined,
  };
}

/** The statistics kept below the minimum sample: counts and missing shares. */
function countsOnly(statistics: FeatureStatistics): FeatureStatistics {
  const kept: Record<string, unknown> = { kind: statistics.kind };
  for (const key of COUNT_STATISTICS) kept[key] = statistics[key];
  return kept as unknown as FeatureStatistics;
}

/**
 * One feature as the CLI prints it and the feature_drift log line lists it: name, kind, the counts and missing
 * shares, the statistics of its kind, a binned column's `approximate` and upper bounds, then the flags. An absent
 * feature has `absent: true` and no statistics; a withheld one `withheld: true` and only the counts and missing
 * shares.
 */
export function featureReport(feature: FeatureResult): Record<string, unknown> {
  const report: Record<string, unknown> = { name: feature.name, kind: feature.kind };
  if (feature.absent) report.absent = true;
  const statistics = feature.statistics as unknown as Record<string, unknown> | undefined;
  if (statistics) {
    for (const key of [...COUNT_STATISTICS, ...KIND_STATISTICS[feature.kind], ...BINNED_BOUNDS]) {
      if (statistics[key] !== undefined) report[key] = statistics[key];
    }
  }
  if (feature.withheld) report.withheld = true;
  report.drifting = feature.drifting;
  report.qualityBroken = feature.qualityBroken;
  return report;
}
