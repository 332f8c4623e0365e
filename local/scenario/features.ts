/**
 * The scenario's listeners and the fixed logistic model that scores them: five features (three numeric, two
 * categorical) drawn per listener, the model's logit of what the serving path hands it, and the columns a
 * FeatureBaseline or FeatureBatch carries. A feature pipeline break changes what is served (nulls, a category
 * the model was never trained on), not the listeners: the model's predictions drift because of what it is fed.
 */
import { MISSING_CODE, MISSING_CODE_U16 } from '../../shared/contracts/featureColumns.js';
import { encodeFloat32 } from '../../shared/contracts/float32.js';
import { encodeUint16Codes } from '../../shared/contracts/uint16.js';
import type { FeatureBinning } from '../../shared/monitors/binning.js';
import { binCountsSorted } from '../../shared/stats/drift/quantileBins.js';
import type { RandomStream } from './random.js';

export const NUMERIC_FEATURES = ['artist_followers', 'track_age_days', 'playlist_reach'] as const;
export const CATEGORICAL_FEATURES = ['market_tier', 'device'] as const;
export const FEATURE_NAMES = [...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES] as const;
export type NumericFeature = (typeof NUMERIC_FEATURES)[number];
export type CategoricalFeature = (typeof CATEGORICAL_FEATURES)[number];
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * A numeric feature: the listener's value is round(base^(center + spread z)) with z standard normal (a
 * log-normal count), and the model reads its standardized log, (log_base(1 + value) - center) / spread.
 */
interface NumericDefinition {
  base: number;
  center: number;
  spread: number;
  /** The model's coefficient on the standardized log, before scaling to the population's logit spread. */
  weight: number;
}

/** Category shares of the population, and the model's effect of each on the logit (0: the reference level). */
interface CategoricalDefinition {
  shares: Readonly<Record<string, number>>;
  effects: Readonly<Record<string, number>>;
}

export const NUMERIC: Readonly<Record<NumericFeature, NumericDefinition>> = {
  // Followers of the promoted artist: median about 8,000.
  artist_followers: { base: 10, center: 3.9, spread: 0.65, weight: 0.6 },
  // Days since the track's release: median about 90; older tracks respond less to a promotion.
  track_age_days: { base: Math.E, center: 4.5, spread: 1, weight: -0.3 },
  // Listeners reached by the playlists carrying the track: median about 30,000.
  playlist_reach: { base: 10, center: 4.5, spread: 0.8, weight: 0.4 },
};

export const CATEGORICAL: Readonly<Record<CategoricalFeature, CategoricalDefinition>> = {
  // The tier of the listener's region within the market.
  market_tier: {
    shares: { tier_1: 0.45, tier_2: 0.35, tier_3: 0.2 },
    effects: { tier_1: 0.2, tier_2: 0, tier_3: -0.25 },
  },
  device: {
    shares: { mobile: 0.62, desktop: 0.22, tablet: 0.1, smart_tv: 0.06 },
    effects: { mobile: 0.1, desktop: 0, tablet: -0.1, smart_tv: -0.2 },
  },
};

/** Listeners as columns: numeric values (NaN: missing as served) and categories (null: missing as served). */
export interface ListenerRows {
  count: number;
  numeric: Record<NumericFeature, Float64Array>;
  categorical: Record<CategoricalFeature, (string | null)[]>;
}

const mean = (record: Readonly<Record<string, number>>, weights: Readonly<Record<string, number>>) =>
  Object.entries(weights).reduce((sum, [key, share]) => sum + share * (record[key] ?? 0), 0);

/**
 * The fixed logistic model: logit = intercept + scale * sum(weight * standardized log) + sum(category effect).
 * The intercept and the scale are set once from the population, so that the logit has mean `logitMean` and
 * standard deviation `logitStd` over the listeners (the standardized logs are standard normal up to rounding),
 * what the scenario file's `population` promises. A category the model was not trained on gets the reference
 * level's 0, as a one-hot encoder fitted at training time gives it; a missing number is imputed as the serving
 * path does (`imputed`).
 */
export class ListenerModel {
  readonly intercept: number;
  readonly scale: number;

  constructor(population: { logitMean: number; logitStd: number }) {
    const categoricalVariance = CATEGORICAL_FEATURES.reduce((sum, name) => {
      const { shares, effects } = CATEGORICAL[name];
      const average = mean(effects, shares);
      const squares = mean(
        Object.fromEntries(Object.entries(effects).map(([key, effect]) => [key, effect ** 2])),
        shares,
      );
      return sum + squares - average ** 2;
    }, 0);
    const numericVariance = NUMERIC_FEATURES.reduce((sum, name) => sum + NUMERIC[name].weight ** 2, 0);
    if (population.logitStd ** 2 <= categoricalVariance) {
      throw new RangeError(
        `population.logitStd must exceed ${Math.sqrt(categoricalVariance).toFixed(3)}, the categories' own spread`,
      );
    }
    this.scale = Math.sqrt((population.logitStd ** 2 - categoricalVariance) / numericVariance);
    this.intercept =
      population.logitMean -
      CATEGORICAL_FEATURES.reduce(
        (sum, name) => sum + mean(CATEGORICAL[name].effects, CATEGORICAL[name].shares),
        0,
      );
  }

  /** The model's term of a numeric value (undefined: the serving path's imputation first). */
  numericTerm(name: NumericFeature, value: number): number {
    const { base, center, spread, weight } = NUMERIC[name];
    const standardized = (Math.log1p(Math.max(0, value)) / Math.log(base) - center) / spread;
    return this.scale * weight * standardized;
  }

  categoricalTerm(name: CategoricalFeature, category: string | null): number {
    return category === null ? 0 : (CATEGORICAL[name].effects[category] ?? 0);
  }

  /** The logit of row i, missing numbers imputed as `imputed` (the serving path's fill value). */
  logit(rows: ListenerRows, i: number, imputed: number): number {
    let logit = this.intercept;
    for (const name of NUMERIC_FEATURES) {
      const value = rows.numeric[name][i]!;
      logit += this.numericTerm(name, Number.isNaN(value) ? imputed : value);
    }
    for (const name of CATEGORICAL_FEATURES) logit += this.categoricalTerm(name, rows.categorical[name][i]!);
    return logit;
  }

  /**
   * Each feature's importance on `rows`: mean |SHAP| in logit space, which for a linear model is the mean
   * absolute deviation of the feature's term from its mean (Lundberg and Lee 2017, linear models).
   */
  importances(rows: ListenerRows): Record<FeatureName, number> {
    const meanAbsoluteDeviation = (terms: Float64Array) => {
      const average = terms.reduce((sum, term) => sum + term, 0) / terms.length;
      return terms.reduce((sum, term) => sum + Math.abs(term - average), 0) / terms.length;
    };
    const terms = (term: (i: number) => number) =>
      Float64Array.from({ length: rows.count }, (_, i) => term(i));
    const importance = {} as Record<FeatureName, number>;
    for (const name of NUMERIC_FEATURES) {
      importance[name] = meanAbsoluteDeviation(terms((i) => this.numericTerm(name, rows.numeric[name][i]!)));
    }
    for (const name of CATEGORICAL_FEATURES) {
      importance[name] = meanAbsoluteDeviation(
        terms((i) => this.categoricalTerm(name, rows.categorical[name][i]!)),
      );
    }
    return importance;
  }
}

/** Each categorical feature's categories and their cumulative shares (the last one takes the rounding). */
const CUMULATIVE = Object.fromEntries(
  CATEGORICAL_FEATURES.map((name) => {
    const entries = Object.entries(CATEGORICAL[name].shares);
    let total = 0;
    return [
      name,
      {
        categories: entries.map(([category]) => category),
        upTo: entries.map(([, share]) => (total += share)),
      },
    ];
  }),
) as Record<CategoricalFeature, { categories: string[]; upTo: number[] }>;

/** One category drawn by its share. */
function drawCategory(random: RandomStream, name: CategoricalFeature): string {
  const { categories, upTo } = CUMULATIVE[name];
  const u = random.uniform();
  let index = 0;
  while (index < categories.length - 1 && u >= upTo[index]!) index++;
  return categories[index]!;
}

/** `count` listeners as they are (nothing missing, only the categories the model knows). */
export function drawListeners(random: RandomStream, count: number): ListenerRows {
  const rows: ListenerRows = {
    count,
    numeric: {
      artist_followers: new Float64Array(count),
      track_age_days: new Float64Array(count),
      playlist_reach: new Float64Array(count),
    },
    categorical: { market_tier: new Array(count), device: new Array(count) },
  };
  for (let i = 0; i < count; i++) {
    for (const name of NUMERIC_FEATURES) {
      const { base, center, spread } = NUMERIC[name];
      rows.numeric[name][i] = Math.round(base ** (center + spread * random.normal()));
    }
    for (const name of CATEGORICAL_FEATURES) {
      rows.categorical[name][i] = drawCategory(random, name);
    }
  }
  return rows;
}

/** What a broken feature pipeline serves instead of the listeners' features (see the scenario config). */
export interface PipelineBreak {
  /** A numeric feature arriving null for a share of the rows. */
  nulls?: { feature: NumericFeature; share: number };
  /** A categorical feature arriving as a category the model never saw, for a share of the rows. */
  unseenCategory?: { feature: CategoricalFeature; category: string; share: number };
}

/**
 * The rows as served through a broken pipeline, each at `severity(row)` (0 to 1) of the break. Draws two uniforms per row
 * whatever the break, so the listeners of every batch stay the same with or without it.
 */
export function serve(
  random: RandomStream,
  rows: ListenerRows,
  broken: PipelineBreak,
  severity: (row: number) => number,
): ListenerRows {
  const served: ListenerRows = {
    count: rows.count,
    numeric: { ...rows.numeric },
    categorical: { ...rows.categorical },
  };
  const { nulls, unseenCategory } = broken;
  const nulled = nulls ? Float64Array.from(rows.numeric[nulls.feature]) : undefined;
  const recoded = unseenCategory ? [...rows.categorical[unseenCategory.feature]] : undefined;
  for (let i = 0; i < rows.count; i++) {
    const [nullDraw, categoryDraw] = [random.uniform(), random.uniform()];
    const share = severity(i);
    if (nulled && nulls && nullDraw < share * nulls.share) nulled[i] = Number.NaN;
    if (recoded && unseenCategory && categoryDraw < share * unseenCategory.share) {
      recoded[i] = unseenCategory.category;
    }
  }
  if (nulls && nulled) served.numeric[nulls.feature] = nulled;
  if (unseenCategory && recoded) served.categorical[unseenCategory.feature] = recoded;
  return served;
}

/** A categorical column as categories (in order of first appearance) and codes, -1 or 65535 for missing. */
function categoryCodes(values: readonly (string | null)[], missing: number) {
  const categories: string[] = [];
  const index = new Map<string, number>();
  const codes = values.map((value) => {
    if (value === null) return missing;
    let code = index.get(value);
    if (code === undefined) {
      code = categories.push(value) - 1;
      index.set(value, code);
    }
    return code;
  });
  return { categories, codes };
}

/**
 * The rows as the `features` object of a FeatureBaseline or FeatureBatch, in the compact encodings: numeric
 * columns as `valuesF32` (NaN missing), categorical ones as `categories` and `codesU16` (65535 missing), or as
 * JSON `codes` (-1 missing) with `jsonCodes`; importances added to each column when given.
 */
export function featureColumns(
  rows: ListenerRows,
  { importance, jsonCodes = false }: { importance?: Record<FeatureName, number>; jsonCodes?: boolean } = {},
): Record<FeatureName, Record<string, unknown>> {
  const withImportance = (name: FeatureName, column: Record<string, unknown>) =>
    importance ? { ...column, importance: importance[name] } : column;
  const columns = {} as Record<FeatureName, Record<string, unknown>>;
  for (const name of NUMERIC_FEATURES) {
    columns[name] = withImportance(name, { kind: 'numeric', valuesF32: encodeFloat32(rows.numeric[name]) });
  }
  for (const name of CATEGORICAL_FEATURES) {
    const values = rows.categorical[name];
    if (jsonCodes) {
      const { categories, codes } = categoryCodes(values, MISSING_CODE);
      columns[name] = withImportance(name, { kind: 'categorical', categories, codes });
    } else {
      const { categories, codes } = categoryCodes(values, MISSING_CODE_U16);
      columns[name] = withImportance(name, {
        kind: 'categorical',
        categories,
        codesU16: encodeUint16Codes(codes),
      });
    }
  }
  return columns;
}

/**
 * The rows as a FeatureBatch's counted columns, as a Beam or BigQuery producer sends them: numeric values (as
 * float32, what valuesF32 carries) counted in the feature's fine bins, categorical values by name, missing values
 * apart.
 */
export function countedFeatureColumns(
  rows: ListenerRows,
  binnings: Record<string, FeatureBinning>,
): Record<FeatureName, Record<string, unknown>> {
  const columns = {} as Record<FeatureName, Record<string, unknown>>;
  for (const name of NUMERIC_FEATURES) {
    const binning = binnings[name];
    if (!binning || !('edges' in binning)) throw new Error(`no numeric binning for feature ${name}`);
    const values = Float64Array.from(Float32Array.from(rows.numeric[name]));
    const present = values.filter((value) => !Number.isNaN(value)).sort();
    columns[name] = {
      kind: 'numeric',
      binCounts: {
        binning: binning.binning,
        counts: binCountsSorted(present, Float64Array.from(binning.edges)),
      },
      missing: values.length - present.length,
    };
  }
  for (const name of CATEGORICAL_FEATURES) {
    const counts = new Map<string, number>();
    let missing = 0;
    for (const value of rows.categorical[name]) {
      if (value === null) missing++;
      else counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    columns[name] = { kind: 'categorical', counts: Object.fromEntries(counts), missing };
  }
  return columns;
}
