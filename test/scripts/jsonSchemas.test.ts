import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { jsonSchemaFiles, portablePattern } from '../../scripts/jsonSchemas.js';

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
    { oneOf: [{ required: ['predictions'] }, { required: ['predictionsF32'] }, { required: ['binCounts'] }] },
  ]);
  assert.equal(schema.additionalProperties, false);
  // A Baseline has no binned encoding.
  const baseline = JSON.parse(jsonSchemaFiles()['baseline.schema.json']!);
  assert.deepEqual(baseline.allOf, [
    { oneOf: [{ required: ['predictions'] }, { required: ['predictionsF32'] }] },
  ]);
  // Counts: 1 to 1000 non-negative safe integers, in a closed object with a 16-hex-digit fingerprint.
  assert.deepEqual(schema.properties.binCounts.properties.counts.items, {
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
  });
  assert.equal(schema.properties.binCounts.properties.counts.maxItems, 1000);
  assert.equal(schema.properties.binCounts.additionalProperties, false);
});

test('the JSON Schemas state the open interval of plannedTreatmentShare', () => {
  const files = jsonSchemaFiles();
  const campaign = JSON.parse(files['campaign-results.schema.json']!).properties.campaigns.items;
  const uplift = JSON.parse(files['uplift-batch.schema.json']!);
  for (const share of [campaign.properties.plannedTreatmentShare, uplift.properties.plannedTreatmentShare]) {
    assert.deepEqual(share, {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      not: { maximum: 0 },
    });
  }
  assert.ok(!campaign.required.includes('plannedTreatmentShare'));
  assert.ok(!uplift.required.includes('plannedTreatmentShare'));
});

test("the JSON Schemas' patterns read alike in Python, Java and ECMA-262: ASCII digits, nothing after the end", () => {
  const patterns = Object.values(jsonSchemaFiles()).flatMap((text) =>
    [...text.matchAll(/"pattern": ("(?:[^"\\]|\\.)*")/g)].map((match) => JSON.parse(match[1]!) as string),
  );
  assert.ok(patterns.length > 20);
  for (const pattern of patterns) {
    assert.ok(pattern.endsWith('(?![\\s\\S])'), pattern);
    assert.ok(!pattern.includes('\\d') && !/[^\\]\$/.test(pattern), pattern);
  }
  assert.equal(portablePattern('^\\d{4}$'), '^[0-9]{4}(?![\\s\\S])');
  assert.throws(() => portablePattern('[a-z]+'), /anchored/);
});

test("a campaign's own segment has at most 4 keys too", () => {
  const campaign = JSON.parse(jsonSchemaFiles()['campaign-results.schema.json']!).properties.campaigns.items;
  assert.equal(campaign.properties.segment.maxProperties, 4);
});

test('the base64 fields state their decoded size: whole float32s, 0/1 bytes, at most the contract maximum', () => {
  const files = jsonSchemaFiles();
  const baseline = JSON.parse(files['baseline.schema.json']!).properties.predictionsF32;
  const batch = JSON.parse(files['outcome-batch.schema.json']!).properties;
  // 4 bytes per value, base64 of 4n bytes with padding: 4 * ceil(4n / 3) characters.
  assert.equal(baseline.maxLength, 4 * Math.ceil((4 * 1_750_000) / 3));
  assert.equal(batch.predictionsF32.maxLength, 4 * Math.ceil((4 * 1_000_000) / 3));
  assert.equal(batch.outcomesU8.maxLength, 4 * Math.ceil(1_000_000 / 3));
  for (const [field, accepted, refused] of [
    [
      baseline,
      ['AAAAAA==', 'AAAAAA', 'AACAPwAAgD8=', 'AAAAAAAAAAAAAAAA'],
      ['AAAA', 'AAAAAAA=', '', 'AAAAAA==\n'],
    ],
    [batch.outcomesU8, ['AA==', 'AQ==', 'AAEBAQ==', 'AQAB', 'AAE'], ['Ag==', 'A', 'AP8=', 'AQ==\n']],
  ] as const) {
    const pattern = new RegExp(field.pattern);
    for (const text of accepted) assert.ok(pattern.test(text), text);
    for (const text of refused) assert.ok(!pattern.test(text), text);
  }
});

test('every bounded number refuses NaN in Python too, by stating its lower bound positively', () => {
  const schema = JSON.parse(jsonSchemaFiles()['outcome-batch.schema.json']!);
  assert.deepEqual(schema.properties.predictions.items, {
    type: 'number',
    minimum: 0,
    maximum: 1,
    not: { exclusiveMaximum: 0 },
  });
});

test('codesU16 states its decoded size: whole uint16s, 1 to the contract maximum, counted without padding', () => {
  const files = jsonSchemaFiles();
  const column = (file: string) =>
    JSON.parse(files[file]!).properties.features.additionalProperties.oneOf[1].properties.codesU16;
  const batch = column('feature-batch.schema.json');
  // 2 bytes per code: base64 of 2n bytes with padding is 4 * ceil(2n / 3) characters.
  assert.equal(batch.maxLength, 4 * Math.ceil((2 * 1_000_000) / 3) + 1);
  assert.equal(column('feature-baseline.schema.json').maxLength, 4 * Math.ceil((2 * 1_750_000) / 3) + 1);
  const pattern = new RegExp(batch.pattern);
  // n characters decode to floor(3n / 4) bytes: a whole number of uint16s when n mod 8 is 0, 1, 3 or 6.
  for (const text of ['AAA', 'AAA=', 'AAAAAA', 'AAAAAA==', 'AAAAAAAA', 'AAAAAAAAA', '//8=', 'AAAAAAAAAAA=']) {
    assert.ok(pattern.test(text), text);
  }
  for (const text of ['', 'A', 'AA', 'AA==', 'AAAA', 'AAAAA', 'AAAAAAA', 'AAA\n', 'AA-_']) {
    assert.ok(!pattern.test(text), text);
  }
  const bits = Buffer.alloc(2 * 1_000_000)
    .toString('base64')
    .replace(/=+$/, '');
  assert.ok(pattern.test(bits));
  assert.ok(!pattern.test(Buffer.alloc(2 * 1_000_001).toString('base64')));
});

test('the feature schemas state names, counts, encodings and importance', () => {
  const files = jsonSchemaFiles();
  const baseline = JSON.parse(files['feature-baseline.schema.json']!).properties.features;
  const batch = JSON.parse(files['feature-batch.schema.json']!).properties.features;
  assert.deepEqual([baseline.minProperties, baseline.maxProperties], [1, 100]);
  assert.equal(baseline.propertyNames.pattern, '^[a-z][a-z0-9_]{0,62}(?![\\s\\S])');
  const [numeric, categorical] = baseline.additionalProperties.oneOf;
  assert.deepEqual(numeric.oneOf, [{ required: ['values'] }, { required: ['valuesF32'] }]);
  assert.deepEqual(categorical.dependentRequired, { codes: ['categories'], codesU16: ['categories'] });
  assert.deepEqual(categorical.not, { required: ['values', 'categories'] });
  assert.equal(categorical.properties.categories.uniqueItems, true);
  assert.deepEqual(numeric.properties.importance, {
    type: 'number',
    minimum: 0,
    maximum: 1e9,
    not: { exclusiveMaximum: 0 },
  });
  assert.equal(batch.additionalProperties.oneOf[0].properties.importance, undefined);
});
