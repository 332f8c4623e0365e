/**
 * JSON Schemas of the message contracts, generated from the zod schemas, for producers written in other
 * languages (Python's jsonschema, Scala's networknt validator, ...). `npm run schemas` writes them to schemas/;
 * a test fails when the committed files differ from what the contracts generate.
 */
import { z } from 'zod';
import {
  Baseline,
  CampaignResults,
  MAX_SEGMENT_KEYS,
  OutcomeBatch,
  PredictionBatch,
  UpliftBatch,
} from '../shared/contracts/index.js';

export const contracts = {
  'baseline.schema.json': { schema: Baseline, title: 'liftwatch Baseline (topic baselines)' },
  'prediction-batch.schema.json': {
    schema: PredictionBatch,
    title: 'liftwatch PredictionBatch (topic predictions)',
  },
  'outcome-batch.schema.json': { schema: OutcomeBatch, title: 'liftwatch OutcomeBatch (topic outcomes)' },
  'campaign-results.schema.json': {
    schema: CampaignResults,
    title: 'liftwatch CampaignResults (topic campaign-results)',
  },
  'uplift-batch.schema.json': { schema: UpliftBatch, title: 'liftwatch UpliftBatch (topic uplift-outcomes)' },
} as const;

export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [file, { schema, title }] of Object.entries(contracts)) {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
    addRefinements(json);
    files[file] =
      `${JSON.stringify({ $id: `https://liftwatch.dev/schemas/${file}`, title, ...json }, null, 2)}\n`;
  }
  return files;
}

/** The suffix of a compact encoding (predictionsF32, outcomesU8) of a plain JSON array field. */
const COMPACT = /(F32|U8)$/;

/** The rules zod checks in refinements, which toJSONSchema cannot see, stated for the producers too. */
function addRefinements(json: Record<string, unknown>): void {
  const properties = (json.properties ?? {}) as Record<string, Record<string, unknown>>;
  if (properties.segment) properties.segment.maxProperties = MAX_SEGMENT_KEYS;
  const encodings = Object.keys(properties).filter((key) => COMPACT.test(key));
  if (encodings.length > 0) {
    // Each value field comes in exactly one of its two encodings, e.g. predictions xor predictionsF32.
    json.allOf = encodings.map((compact) => {
      const plain = compact.replace(COMPACT, '');
      return { oneOf: [{ required: [plain] }, { required: [compact] }] };
    });
  }
}
