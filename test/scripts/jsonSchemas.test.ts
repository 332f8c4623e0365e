import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { jsonSchemaFiles } from '../../scripts/jsonSchemas.js';

test('every committed JSON Schema is still generated (a schema of a removed contract is deleted)', () => {
  const committed = readdirSync(new URL('../../schemas/', import.meta.url)).filter((file) =>
    file.endsWith('.json'),
  );
  assert.deepEqual(committed.sort(), Object.keys(jsonSchemaFiles()).sort());
});

test('the committed JSON Schemas are what the zod contracts generate (run npm run schemas after changing a contract)', () => {
  for (const [file, text] of Object.entries(jsonSchemaFiles())) {
    const committed = readFileSync(new URL(`../../schemas/${file}`, import.meta.url), 'utf8');
    assert.equal(committed, text, `schemas/${file} is stale`);
  }
});

test('the JSON Schemas state the refinements zod checks in code', () => {
  const schema = JSON.parse(jsonSchemaFiles()['prediction-batch.schema.json']!);
  assert.equal(schema.properties.segment.maxProperties, 4);
  assert.deepEqual(schema.allOf, [
    { oneOf: [{ required: ['predictions'] }, { required: ['predictionsF32'] }] },
  ]);
  assert.equal(schema.additionalProperties, false);
});

test('the JSON Schemas state the open interval of plannedTreatmentShare', () => {
  const files = jsonSchemaFiles();
  const campaign = JSON.parse(files['campaign-results.schema.json']!).properties.campaigns.items;
  const uplift = JSON.parse(files['uplift-batch.schema.json']!);
  for (const share of [campaign.properties.plannedTreatmentShare, uplift.properties.plannedTreatmentShare]) {
    assert.deepEqual(share, { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 });
  }
  assert.ok(!campaign.required.includes('plannedTreatmentShare'));
  assert.ok(!uplift.required.includes('plannedTreatmentShare'));
});
