/**
 * The JSON Schemas against liftwatch, as a Python producer reads them: Python's jsonschema (Draft 2020-12 with a
 * FormatChecker, test/scripts/validate_schemas.py) and the functions' own decoding must accept the same messages
 * of a generated corpus, except for the rules JSON Schema cannot state, each listed here by its refusal.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import {
  Baseline,
  CampaignResults,
  decodeFeatureColumns,
  decodeMessage,
  FeatureBaseline,
  FeatureBatch,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  OutcomeBatch,
  outcomePairs,
  PredictionBatch,
  predictionValues,
  UpliftBatch,
  upliftUnits,
} from '../../shared/contracts/index.js';
import { InvalidMessageError } from '../../shared/errors.js';
import { type CorpusMessage, schemaCorpus } from './support/schemaCorpus.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('validate_schemas.py', import.meta.url).pathname;

/** What each function does with a message before its window is checked against the clock. */
const FUNCTION_DECODING: Record<string, (data: Buffer) => unknown> = {
  'baseline.schema.json': (data) => predictionValues(decodeMessage(Baseline, data), MAX_BASELINE_VALUES),
  // A binned window's counts are checked against the baseline's binning once it is loaded (not a message rule).
  'prediction-batch.schema.json': (data) => {
    const batch = decodeMessage(PredictionBatch, data);
    return batch.binCounts ?? predictionValues(batch, MAX_BATCH_VALUES);
  },
  'outcome-batch.schema.json': (data) => outcomePairs(decodeMessage(OutcomeBatch, data)),
  'campaign-results.schema.json': (data) => decodeMessage(CampaignResults, data),
  'uplift-batch.schema.json': (data) => upliftUnits(decodeMessage(UpliftBatch, data)),
  'feature-baseline.schema.json': (data) =>
    decodeFeatureColumns(decodeMessage(FeatureBaseline, data), MAX_BASELINE_VALUES),
  'feature-batch.schema.json': (data) =>
    decodeFeatureColumns(decodeMessage(FeatureBatch, data), MAX_BATCH_VALUES),
};

/** The refusals of rules JSON Schema cannot state, matched by their reason; the README lists them. */
export const UNSTATABLE_RULES: { rule: string; reason: RegExp }[] = [
  {
    rule: 'predictions and outcomes (and uplift, treatment, outcomes) of equal length',
    reason: /must pair up/,
  },
  { rule: 'an uplift batch has treated and control units', reason: /uplift needs both arms/ },
  { rule: 'conversions <= units in each arm', reason: /conversions must not exceed units/ },
  { rule: 'predictedLiftInterval lower <= upper', reason: /lower must not exceed upper/ },
  { rule: 'campaign IDs unique in a message', reason: /duplicates campaigns\[\d+\]\.campaignId/ },
  {
    rule: "a campaign's segment with the message's has at most 4 keys",
    reason: /with the message's segment/,
  },
  { rule: 'float32 values finite and within ±1e9', reason: /not a finite number|beyond ±/ },
  { rule: 'bin counts total at most 2^53 - 1', reason: /more than 2\^53 - 1 values in total/ },
  {
    rule: "a counted feature column's rows (its counts' total + missing) at most 2^53 - 1",
    reason: /with missing counts more than 2\^53 - 1 rows in total/,
  },
  {
    rule: 'every column of a feature message has the same number of rows',
    reason: /rows, but features\..+ has \d+; every column carries one value per row/,
  },
  {
    rule: "a categorical column's codes (codes, codesU16) index into its categories",
    reason: /but categories has \d+ entries/,
  },
  {
    rule: 'rows x features at most 1,000,000 in a FeatureBatch, 1,750,000 in a FeatureBaseline',
    reason: /features x \d+ rows = \d+ values, more than/,
  },
  { rule: 'float32 predictions of an OutcomeBatch in [0, 1]', reason: /not a probability in \[0, 1\]/ },
  {
    rule: 'message data at most 10,000,000 bytes (JSON Schema sees values, not their text)',
    reason: /byte limit/,
  },
];

function liftwatchRefusal(message: CorpusMessage): InvalidMessageError | undefined {
  try {
    FUNCTION_DECODING[message.schema]!(Buffer.from(message.text, 'utf8'));
    return undefined;
  } catch (error) {
    if (error instanceof InvalidMessageError) return error;
    throw error;
  }
}

/** The unstatable rule behind a refusal, when every issue of it is one (a single statable issue is not). */
function unstatableRule(refusal: InvalidMessageError): string | undefined {
  const rules = refusal.issues.map(
    ({ message }) => UNSTATABLE_RULES.find(({ reason }) => reason.test(message))?.rule,
  );
  return rules.every((rule) => rule !== undefined) ? rules[0] : undefined;
}

interface PythonVerdict {
  parsed: boolean;
  valid: boolean;
  errors: string[];
}

/** Python's verdicts on the messages, or the reason Python's jsonschema cannot run here. */
function pythonVerdicts(messages: CorpusMessage[]): PythonVerdict[] | string {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const input = messages.map(({ schema, text }) => JSON.stringify({ schema, data: text })).join('\n');
  const run = spawnSync(PYTHON, [SCRIPT], { input, maxBuffer: 1024 ** 3, encoding: 'utf8' });
  if (run.status === 3) return 'python3-jsonschema is not installed (apt-get install python3-jsonschema)';
  assert.equal(run.status, 0, run.stderr);
  return run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as PythonVerdict);
}

test("Python's jsonschema and the functions accept the same messages, but for the rules JSON Schema cannot state", (t) => {
  const corpus = schemaCorpus();
  const verdicts = pythonVerdicts(corpus);
  if (typeof verdicts === 'string') {
    t.skip(verdicts);
    return;
  }
  assert.equal(verdicts.length, corpus.length);
  const unexplained: string[] = [];
  const explained = new Map<string, number>();
  corpus.forEach((message, index) => {
    const refusal = liftwatchRefusal(message);
    const python = verdicts[index]!;
    if ((refusal === undefined) === python.valid) return;
    const rule = refusal !== undefined && python.valid ? unstatableRule(refusal) : undefined;
    if (rule !== undefined) explained.set(rule, (explained.get(rule) ?? 0) + 1);
    else
      unexplained.push(
        `${message.name.slice(0, 120)}: liftwatch ${refusal === undefined ? 'accepts' : `refuses (${refusal.message.slice(0, 160)})`}, Python ${python.valid ? 'accepts' : `refuses (${python.errors.join('; ').slice(0, 160)})`}`,
      );
  });
  t.diagnostic(`${corpus.length} messages; disagreements explained by a rule JSON Schema cannot state:`);
  for (const [rule, count] of explained) t.diagnostic(`  ${count} ${rule}`);
  assert.deepEqual(unexplained, [], `${unexplained.length} disagreements`);
});
