/**
 * JSON Schemas of the message contracts, generated from the zod schemas, for producers written in other
 * languages (Python's jsonschema, Scala's networknt validator, ...). `npm run schemas` writes them to schemas/;
 * a test fails when the committed files differ from what the contracts generate.
 */
import { z } from 'zod';
import {
  Baseline,
  CampaignResults,
  FeatureBaseline,
  FeatureBatch,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  MAX_SEGMENT_KEYS,
  OutcomeBatch,
  PredictionBatch,
  UpliftBatch,
} from '../shared/contracts/index.js';
import { bitsBase64Rule, float32Base64Rule, uint16Base64Rule } from './base64Patterns.js';

/** Each contract's schema file, title, and the most values its compact encodings may decode to. */
export const contracts = {
  'baseline.schema.json': {
    schema: Baseline,
    title: 'liftwatch Baseline (topic baselines)',
    maxValues: MAX_BASELINE_VALUES,
  },
  'prediction-batch.schema.json': {
    schema: PredictionBatch,
    title: 'liftwatch PredictionBatch (topic predictions)',
    maxValues: MAX_BATCH_VALUES,
  },
  'outcome-batch.schema.json': {
    schema: OutcomeBatch,
    title: 'liftwatch OutcomeBatch (topic outcomes)',
    maxValues: MAX_BATCH_VALUES,
  },
  'campaign-results.schema.json': {
    schema: CampaignResults,
    title: 'liftwatch CampaignResults (topic campaign-results)',
    maxValues: MAX_BATCH_VALUES,
  },
  'uplift-batch.schema.json': {
    schema: UpliftBatch,
    title: 'liftwatch UpliftBatch (topic uplift-outcomes)',
    maxValues: MAX_BATCH_VALUES,
  },
  'feature-baseline.schema.json': {
    schema: FeatureBaseline,
    title: 'liftwatch FeatureBaseline (topic feature-baselines)',
    maxValues: MAX_BASELINE_VALUES,
  },
  'feature-batch.schema.json': {
    schema: FeatureBatch,
    title: 'liftwatch FeatureBatch (topic features)',
    maxValues: MAX_BATCH_VALUES,
  },
} as const;

export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [file, { schema, title, maxValues }] of Object.entries(contracts)) {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
    portablePatterns(json);
    refuseNaN(json);
    addRefinements(json, maxValues);
    files[file] =
      `${JSON.stringify({ $id: `https://liftwatch.dev/schemas/${file}`, title, ...json }, null, 2)}\n`;
  }
  return files;
}

/** The suffix of a compact encoding (predictionsF32, outcomesU8, a feature's codesU16) of a JSON array field. */
const COMPACT = /(F32|U8|U16)$/;

const BASE64_RULES: Record<string, (maxValues: number) => { pattern: string; maxLength: number }> = {
  F32: float32Base64Rule,
  U8: bitsBase64Rule,
  U16: uint16Base64Rule,
};

/** The rules zod checks in refinements, which toJSONSchema cannot see, stated for the producers too. */
function addRefinements(json: Record<string, unknown>, maxValues: number): void {
  const properties = (json.properties ?? {}) as Record<string, Record<string, unknown>>;
  const campaign = (properties.campaigns?.items ?? {}) as {
    properties?: Record<string, Record<string, unknown>>;
  };
  for (const segment of [properties.segment, campaign.properties?.segment]) {
    if (segment) segment.maxProperties = MAX_SEGMENT_KEYS;
  }
  // Bin counts count at least one value: some count is positive. (That they total at most 2^53 - 1, and that there
  // is one per bin of the registered baseline, JSON Schema cannot state.)
  const binCounts = properties.binCounts?.properties as Record<string, Record<string, unknown>> | undefined;
  if (binCounts?.counts) binCounts.counts.contains = { minimum: 1 };
  // The decoded bytes must be a whole number of values, at least one and at most maxValues (a feature column's
  // encodings too: one column may hold every value of a message).
  eachObject(json, (object) => {
    const fields = (object.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [field, rule] of Object.entries(fields)) {
      const suffix = COMPACT.exec(field)?.[1];
      if (suffix !== undefined) Object.assign(rule, BASE64_RULES[suffix]!(maxValues));
    }
  });
  // A feature column states its own encoding rules (features.ts); the top-level fields' are stated here.
  const encodings = Object.keys(properties).filter((key) => COMPACT.test(key));
  if (encodings.length > 0) {
    // Each value field comes in exactly one of its two encodings, e.g. predictions xor predictionsF32.
    // A PredictionBatch may carry its predictions as counts instead (binCounts): one of three.
    json.allOf = encodings.map((compact) => {
      const plain = compact.replace(COMPACT, '');
      const counted = plain === 'predictions' && properties.binCounts ? [{ required: ['binCounts'] }] : [];
      return { oneOf: [{ required: [plain] }, { required: [compact] }, ...counted] };
    });
  }
}

/** Calls visit on every object in a JSON Schema, innermost first. */
function eachObject(node: unknown, visit: (object: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) eachObject(item, visit);
  } else if (typeof node === 'object' && node !== null) {
    for (const value of Object.values(node)) eachObject(value, visit);
    visit(node as Record<string, unknown>);
  }
}

/**
 * Rewrites every pattern so that Python's re, Java's regex and ECMA-262 read it alike: `\d` becomes `[0-9]`
 * (Python's `\d` matches any Unicode digit, such as a full-width 2) and the final `$` becomes `(?![\s\S])`
 * (Python's and Java's `$` also match before a trailing newline, so `"v7\n"` would pass).
 */
function portablePatterns(json: unknown): void {
  eachObject(json, (object) => {
    if (typeof object.pattern === 'string') object.pattern = portablePattern(object.pattern);
  });
}

export function portablePattern(pattern: string): string {
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) {
    throw new Error(`portablePattern requires a pattern anchored with ^ and $: ${pattern}`);
  }
  if (/\[[^\]]*\\d/.test(pattern))
    throw new Error(`portablePattern cannot rewrite \\d inside a class: ${pattern}`);
  return `${pattern.slice(0, -1).replaceAll('\\d', '[0-9]')}(?![\\s\\S])`;
}

/**
 * Adds to each bounded number its lower bound stated positively, `not: {exclusiveMaximum: minimum}`: the same
 * rule for every number, but it refuses NaN, which passes minimum and maximum in Python (every comparison with
 * NaN is false) and which json.dumps writes as `NaN`, text that liftwatch refuses as not JSON.
 */
function refuseNaN(json: unknown): void {
  eachObject(json, (object) => {
    if (object.type !== 'number') return;
    if (typeof object.minimum === 'number') object.not = { exclusiveMaximum: object.minimum };
    else if (typeof object.exclusiveMinimum === 'number') object.not = { maximum: object.exclusiveMinimum };
  });
}
