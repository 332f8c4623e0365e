/**
 * The gap that late publication opens, on the scenario's own drift: the hourly prediction windows of `de`
 * around its injected drift, computed by the monitors' handlers in process and each written (so visible) a
 * publish delay after its window end. With the catalog's lookbacks (cadence + publish delay + slack) the drift
 * pages even when every window comes at the maximum publish delay; with a lookback of one cadence and windows
 * published past the slack, the same drift never pages: the point of hour k has left the range before the
 * point of hour k + 1 is visible, so the conditions never hold for an alert's duration. Both are asserted, so
 * shortening the lookbacks again fails here.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { type Alert, alertCatalog, alertPlan, type Timing } from '../../alerting/alerts.js';
import { evaluateAlerts, type Incident, type MetricSample } from '../../alerting/evaluation.js';
import { loadScenario, withDays } from '../../local/scenario/config.js';
import { buildScenario, DAY_MS, HOUR_MS } from '../../local/scenario/generate.js';
import { inProcessMonitors } from '../../local/scenario/inProcess.js';
import { ONE_CADENCE_DRIFT } from '../support/timing.js';

const MINUTE_MS = 60_000;
const scenario = buildScenario({ ...withDays(loadScenario(), 9), markets: ['se', 'de'] }, 1);
const drift = scenario.problems.find((injected) => injected.monitor === 'drift')!;
const driftAlerts = alertCatalog.alerts.filter((alert: Alert) => alert.monitor === 'drift');
const { timing } = alertCatalog;
const MAX_DELAY_MS = timing.monitors.drift.publishDelaySeconds * 1000;

/** The drift windows of `de` from day 7 to day 9, each handled (written) `delayMs` after its end. */
async function driftWindows(delayMs: number): Promise<MetricSample[]> {
  const monitors = inProcessMonitors();
  await monitors.register(scenario);
  const from = drift.startMs - DAY_MS;
  for (const event of scenario.events) {
    if (event.kind !== 'predictions' || event.market !== drift.problem.market || event.simTimeMs <= from) {
      continue;
    }
    await monitors.handle(event.kind, event.message(new Date(event.simTimeMs)), event.simTimeMs + delayMs);
  }
  return monitors.samples();
}

const pages = (samples: MetricSample[], timingOf: Timing = timing): Incident[] =>
  evaluateAlerts(driftAlerts, samples, {
    startMs: drift.startMs - DAY_MS,
    endMs: scenario.endMs,
    timing: timingOf,
  });

let atMaximumDelay: MetricSample[];
let twentyMinutesLate: MetricSample[];
before(async () => {
  atMaximumDelay = await driftWindows(MAX_DELAY_MS);
  twentyMinutesLate = await driftWindows(20 * MINUTE_MS);
});

describe('late publication and the lookback', () => {
  test('the catalog tolerates at least the delays the default scenario publishes with', () => {
    const { publishDelayMinutes } = loadScenario();
    for (const [monitor, minutes] of Object.entries(publishDelayMinutes)) {
      const tolerated = timing.monitors[monitor as keyof typeof timing.monitors].publishDelaySeconds;
      assert.ok(
        tolerated >= minutes * 60,
        `${monitor}: ${tolerated} s tolerated, published ${minutes} min late`,
      );
    }
  });

  test('each point is visible from its write, the publish delay after its window end', () => {
    assert.ok(atMaximumDelay.length > 0);
    for (const sample of atMaximumDelay) assert.equal(sample.visibleAtMs! - sample.timeMs, MAX_DELAY_MS);
    for (const sample of twentyMinutesLate) assert.equal(sample.visibleAtMs! - sample.timeMs, 20 * MINUTE_MS);
  });

  test('with the catalog lookbacks, every window at the maximum publish delay, the injected drift pages in time', () => {
    for (const alert of driftAlerts) {
      assert.equal(alertPlan(alert).lookbackMs, HOUR_MS + MAX_DELAY_MS + timing.ingestionSlackSeconds * 1000);
    }
    const incidents = pages(atMaximumDelay);
    assert.ok(incidents.length > 0, 'the drift pages');
    assert.ok(
      incidents.every((incident) => incident.openedAtMs > drift.startMs),
      'nothing before the drift',
    );
    const first = Math.min(...incidents.map((incident) => incident.openedAtMs));
    const boundMs = (drift.problem.maxDetectionHours ?? 0) * HOUR_MS;
    assert.ok(
      first - drift.startMs <= boundMs,
      `first page ${(first - drift.startMs) / HOUR_MS} h after the start`,
    );
  });

  test('with a lookback of one cadence, windows 20 minutes late never page the same drift', () => {
    for (const alert of driftAlerts) assert.equal(alertPlan(alert, ONE_CADENCE_DRIFT).lookbackMs, HOUR_MS);
    assert.deepEqual(pages(twentyMinutesLate, ONE_CADENCE_DRIFT), []);
  });

  test('the same points read at their window end do page with one cadence: the lateness hides the drift', () => {
    const atWindowEnd = twentyMinutesLate.map(({ visibleAtMs: _, ...sample }) => sample);
    assert.ok(pages(atWindowEnd, ONE_CADENCE_DRIFT).length > 0);
  });
});
