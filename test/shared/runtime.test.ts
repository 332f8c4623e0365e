/** The environment is parsed at the boundary like a message: defaults, overrides, and errors naming the variable. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MINIMUMS, parseEnvironment } from '../../shared/runtime.js';

test('unset or empty settings keep the code defaults; set ones override them', () => {
  const env = parseEnvironment({ GOOGLE_CLOUD_PROJECT: 'p', LIFTWATCH_DRIFT_MIN_SAMPLE: '', PATH: '/bin' });
  assert.equal(env.projectId, 'p');
  assert.equal(env.LIFTWATCH_DRIFT_MIN_SAMPLE, DEFAULT_MINIMUMS.driftMinSample);
  assert.equal(env.LIFTWATCH_BASELINE_CACHE_SECONDS, 300);
  const set = parseEnvironment({ GCLOUD_PROJECT: 'q', LIFTWATCH_CALIBRATION_MIN_EXPECTED: '25' });
  assert.equal(set.projectId, 'q');
  assert.equal(set.LIFTWATCH_CALIBRATION_MIN_EXPECTED, 25);
});

test('a bad environment is refused naming every bad variable', () => {
  assert.throws(
    () =>
      parseEnvironment({
        LIFTWATCH_DRIFT_MIN_SAMPLE: '-3',
        LIFTWATCH_LIFT_MIN_CAMPAIGNS: 'five',
        LIFTWATCH_MONITORING_ENDPOINT: 'localhost',
      }),
    (error: Error) =>
      /LIFTWATCH_DRIFT_MIN_SAMPLE must be a positive number, not "-3"/.test(error.message) &&
      /LIFTWATCH_LIFT_MIN_CAMPAIGNS must be a positive number, not "five"/.test(error.message) &&
      /LIFTWATCH_MONITORING_ENDPOINT must be host:port/.test(error.message),
  );
  assert.throws(() => parseEnvironment({}), /GOOGLE_CLOUD_PROJECT must name the project/);
  assert.throws(
    () => parseEnvironment({ GOOGLE_CLOUD_PROJECT: 'p', LIFTWATCH_UPLIFT_MIN_PER_ARM: 'Infinity' }),
    /LIFTWATCH_UPLIFT_MIN_PER_ARM/,
  );
});
