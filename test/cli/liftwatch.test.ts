import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertClose } from '../support/assertClose.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import { type DriftGoldenCase, readGolden } from '../support/golden.js';
import { invalidPredictionMessages } from '../support/invalidPredictionMessages.js';
import { baseline, json, predictionBatch } from '../support/messages.js';

const folder = messageFolder();
after(() => folder.cleanup());
const file = (contents: Buffer | string) => folder.file(contents);

const baselineFile = file(JSON.stringify(baseline()));

describe('liftwatch drift', () => {
  const golden = readGolden<{ cases: DriftGoldenCase[] }>('drift.json');
  for (const { name, reference, current, expected } of golden.cases.slice(0, 6)) {
    test(`prints scipy's values for the published messages: ${name}`, async () => {
      const result = await liftwatch(
        'drift',
        '--baseline',
        file(JSON.stringify(baseline({ predictionsF32: undefined, predictions: reference }))),
        '--batch',
        file(JSON.stringify(predictionBatch({ predictions: current }))),
      );
      assert.equal(result.code, 0, result.stderr);
      const printed = JSON.parse(result.stdout);
      for (const key of [
        'n',
        'nReference',
        'psi',
        'psiNull99',
        'psiPValue',
        'jsDistance',
        'ksStatistic',
        'ksPValue',
        'wasserstein',
        'wassersteinNormed',
      ] as const) {
        assertClose(printed[key], expected[key], { relative: 1e-9, absolute: 1e-12 }, key);
      }
    });
  }

  test('computes the statistics below the minimum sample size the function applies', async () => {
    const result = await liftwatch(
      'drift',
      '--baseline',
      baselineFile,
      '--batch',
      file(JSON.stringify(predictionBatch({ predictions: [0.05] }))),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).n, 1);
  });

  test('reads a message inside a Pub/Sub envelope, as pulled from a dead-letter subscription', async () => {
    const data = Buffer.from(JSON.stringify(predictionBatch())).toString('base64');
    const pulled = file(JSON.stringify([{ ackId: 'x', message: { data, messageId: '7', attributes: {} } }]));
    const direct = await liftwatch(
      'drift',
      '--baseline',
      baselineFile,
      '--batch',
      file(JSON.stringify(predictionBatch())),
    );
    const enveloped = await liftwatch('drift', '--baseline', baselineFile, '--batch', pulled);
    assert.equal(enveloped.code, 0, enveloped.stderr);
    assert.deepEqual(JSON.parse(enveloped.stdout), JSON.parse(direct.stdout));
  });

  for (const { name, data, field } of invalidPredictionMessages.filter((c) => c.data.length < 1_000_000)) {
    test(`refuses ${name} with the function's reason on one stderr line and exit 65`, async () => {
      const batchFile = file(data);
      const result = await liftwatch('drift', '--baseline', baselineFile, '--batch', batchFile);
      assert.equal(result.code, 65);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.ok(lines[0]!.startsWith(`liftwatch drift: ${batchFile}: `), lines[0]);
      assert.ok(lines[0]!.includes(`${field}: `), lines[0]);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('refuses an invalid baseline, naming its file', async () => {
    const bad = file(JSON.stringify(baseline({ model: 'Bad' })));
    const result = await liftwatch('drift', '--baseline', bad, '--batch', file(json(predictionBatch())));
    assert.equal(result.code, 65);
    assert.match(result.stderr, new RegExp(`^liftwatch drift: ${bad}: model: must match`));
  });
});

describe('liftwatch usage', () => {
  test('--help prints the usage on stdout and exits 0', async () => {
    const result = await liftwatch('--help');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: liftwatch <command>/);
    assert.match(result.stdout, /drift --baseline BASELINE\.json --batch BATCH\.json/);
  });

  test('no command prints the usage on stderr and exits 64', async () => {
    const result = await liftwatch();
    assert.equal(result.code, 64);
    assert.match(result.stderr, /Usage: liftwatch/);
  });

  test('an unknown command or option exits 64 with the usage', async () => {
    const unknown = await liftwatch('drfit');
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /unknown command 'drfit'/);
    const option = await liftwatch(
      'drift',
      '--baseline',
      baselineFile,
      '--batch',
      baselineFile,
      '--bins',
      '5',
    );
    assert.equal(option.code, 64);
    assert.match(option.stderr, /Unknown option '--bins'/);
  });

  test('a missing argument exits 64 and says what is needed', async () => {
    const result = await liftwatch('drift', '--batch', baselineFile);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /drift needs --baseline FILE and --batch FILE/);
  });

  test('an unreadable file exits 66 naming it', async () => {
    const result = await liftwatch(
      'drift',
      '--baseline',
      join(folder.path, 'missing.json'),
      '--batch',
      baselineFile,
    );
    assert.equal(result.code, 66);
    assert.match(result.stderr, /cannot read .*missing\.json/);
  });
});
