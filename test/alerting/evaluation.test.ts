/**
 * The local alert evaluation: PromQL last_over_time over what is visible, and/or, on(project_id, model,
 * model_version, segment) and `for`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type Alert,
  type AlertCondition,
  alertCatalog,
  alertPlan,
  type PlannedComparison,
  type Timing,
} from '../../alerting/alerts.js';
import { evaluateAlerts, type MetricSample } from '../../alerting/evaluation.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 2, 1);

function alertOf(
  conditions: AlertCondition[],
  timing: { lookbackSeconds?: number; durationSeconds?: number } = {},
): Alert {
  return {
    name: 'test_alert',
    displayName: 'test',
    monitor: 'drift',
    severity: 'WARNING',
    lookbackSeconds: timing.lookbackSeconds ?? 4500,
    durationSeconds: timing.durationSeconds ?? 3600,
    conditions,
    runbook: { meaning: 'm', replay: 'npx liftwatch drift --batch b.json', checks: ['a', 'b'] },
  };
}

/**
 * A timing under which an alert's own lookbackSeconds is used as written (no publish delay, no slack), with
 * the one-minute evaluation grid these cases were worked out on.
 */
const EXACT: Timing = {
  ...alertCatalog.timing,
  ingestionSlackSeconds: 0,
  monitors: {
    ...alertCatalog.timing.monitors,
    drift: {
      ...alertCatalog.timing.monitors.drift,
      cadenceSeconds: 60,
      publishDelaySeconds: 0,
      evaluationIntervalSeconds: 60,
    },
  },
};

const se = { project_id: 'p', model: 'promo-lift', model_version: 'v1', segment: 'market=se' };
const de = { ...se, segment: 'market=de' };

const sample = (metric: string, atMs: number, value: number, labels = se): MetricSample => ({
  metric,
  labels,
  timeMs: atMs,
  value,
});

/** Hourly points of one metric from T0: values[i] at T0 + (i + 1) h. */
const hourly = (metric: string, values: number[], labels = se) =>
  values.map((value, i) => sample(metric, T0 + (i + 1) * HOUR, value, labels));

const evaluate = (alert: Alert, samples: MetricSample[], hours = 24, timing: Timing = EXACT) =>
  evaluateAlerts([alert], samples, { startMs: T0, endMs: T0 + hours * HOUR, timing }).map(
    ({ pendingSinceMs, openedAtMs, closedAtMs, labels }) => ({
      pendingSince: (pendingSinceMs - T0) / MINUTE,
      opened: (openedAtMs - T0) / MINUTE,
      closed: closedAtMs === undefined ? undefined : (closedAtMs - T0) / MINUTE,
      segment: labels.segment,
    }),
  );

const psiAbove = { role: 'effect', metric: 'drift/psi', op: '>', threshold: 0.1 } as const;

describe('evaluateAlerts', () => {
  test('a threshold condition fires after holding for the duration and resolves when a window is back below', () => {
    const incidents = evaluate(alertOf([psiAbove]), hourly('drift/psi', [0.05, 0.2, 0.3, 0.4, 0.05]));
    // Holds from the window at 2 h until the window at 5 h replaces it; fires 60 min after it started.
    assert.deepEqual(incidents, [{ pendingSince: 120, opened: 180, closed: 300, segment: 'market=se' }]);
  });

  test('the duration is a persistence requirement: a single high window within it pages nothing', () => {
    const alert = alertOf([psiAbove], { durationSeconds: 5400 });
    assert.deepEqual(evaluate(alert, hourly('drift/psi', [0.05, 0.3, 0.05, 0.05])), []);
    // Two consecutive windows keep it true for 2 h (points at 2 h and 3 h): it fires at 2 h + 90 min.
    assert.deepEqual(evaluate(alert, hourly('drift/psi', [0.05, 0.3, 0.3, 0.05])), [
      { pendingSince: 120, opened: 210, closed: 240, segment: 'market=se' },
    ]);
  });

  test('a point stops counting one lookback after its time: a missing window resolves the alert', () => {
    const samples = [sample('drift/psi', T0 + HOUR, 0.5)];
    assert.deepEqual(evaluate(alertOf([psiAbove], { durationSeconds: 60 }), samples), [
      // Still current at 60 + 75 (the range is closed), gone at the next evaluation.
      { pendingSince: 60, opened: 61, closed: 60 + 75 + 1, segment: 'market=se' },
    ]);
  });

  test('the lookback range is closed, as in Prometheus 2.x: a point exactly one lookback old still counts', () => {
    const alert = alertOf([psiAbove], { lookbackSeconds: 3600, durationSeconds: 3600 });
    // Current on [60, 120] min: at 120 it is exactly one lookback old and still read, so the alert fires then.
    assert.deepEqual(evaluate(alert, [sample('drift/psi', T0 + HOUR, 0.5)]), [
      { pendingSince: 60, opened: 120, closed: 121, segment: 'market=se' },
    ]);
    // One minute less of duration than of lookback plus one step: a lone window pages nothing.
    const longer = alertOf([psiAbove], { lookbackSeconds: 3600, durationSeconds: 3660 });
    assert.deepEqual(evaluate(longer, [sample('drift/psi', T0 + HOUR, 0.5)]), []);
  });

  test('an otherMetric condition compares the two current values of the same series', () => {
    const alert = alertOf([
      psiAbove,
      { role: 'evidence', metric: 'drift/psi', op: '>', otherMetric: 'drift/psi_null99' },
    ]);
    const samples = [
      ...hourly('drift/psi', [0.2, 0.2, 0.2, 0.2, 0.2, 0.2]),
      ...hourly('drift/psi_null99', [0.5, 0.5, 0.15, 0.15, 0.15, 0.5]),
    ];
    assert.deepEqual(evaluate(alert, samples), [
      { pendingSince: 180, opened: 240, closed: 360, segment: 'market=se' },
    ]);
  });

  test('conditions are matched on model, version and segment: metrics of two segments never combine', () => {
    const alert = alertOf([
      psiAbove,
      { role: 'evidence', metric: 'drift/psi', op: '>', otherMetric: 'drift/psi_null99' },
    ]);
    const samples = [
      ...hourly('drift/psi', [0.3, 0.3, 0.3, 0.3], se),
      ...hourly('drift/psi_null99', [0.5, 0.5, 0.5, 0.5], se),
      ...hourly('drift/psi', [0.05, 0.05, 0.05, 0.05], de),
      ...hourly('drift/psi_null99', [0.01, 0.01, 0.01, 0.01], de),
    ];
    assert.deepEqual(evaluate(alert, samples), []);
    const versionTwo = { ...se, model_version: 'v2' };
    const split = [
      ...hourly('drift/psi', [0.3, 0.3, 0.3], se),
      ...hourly('drift/psi_null99', [0.01, 0.01, 0.01], versionTwo),
    ];
    assert.deepEqual(evaluate(alert, split), []);
  });

  test('a band condition holds outside the band on either side, never on its edges', () => {
    const alert = alertOf(
      [{ role: 'effect', metric: 'calibration/slope', op: 'outside', band: [0.8, 1.25] }],
      {
        lookbackSeconds: 93600,
        durationSeconds: 3600,
      },
    );
    const daily = (values: number[]) =>
      values.map((value, i) => sample('calibration/slope', T0 + (i + 1) * 24 * HOUR, value));
    assert.deepEqual(evaluate(alert, daily([1, 0.8, 1.25, 1]), 24 * 5), []);
    assert.deepEqual(evaluate(alert, daily([1, 0.7, 1, 1.3]), 24 * 5), [
      { pendingSince: 2 * 1440, opened: 2 * 1440 + 60, closed: 3 * 1440, segment: 'market=se' },
      { pendingSince: 4 * 1440, opened: 4 * 1440 + 60, closed: undefined, segment: 'market=se' },
    ]);
  });

  test('an interval condition holds only when the whole interval lies outside the band', () => {
    const alert = alertOf(
      [
        {
          role: 'interval',
          interval: ['calibration/oe_ratio_lower', 'calibration/oe_ratio_upper'],
          op: 'outside',
          band: [0.9, 1.1],
        },
      ],
      { lookbackSeconds: 93600 },
    );
    const batch = (day: number, lower: number, upper: number) => [
      sample('calibration/oe_ratio_lower', T0 + day * 24 * HOUR, lower),
      sample('calibration/oe_ratio_upper', T0 + day * 24 * HOUR, upper),
    ];
    const samples = [
      ...batch(1, 0.85, 0.95),
      ...batch(2, 0.7, 0.88),
      ...batch(3, 1.05, 1.2),
      ...batch(4, 1.12, 1.3),
    ];
    assert.deepEqual(evaluate(alert, samples, 24 * 5), [
      { pendingSince: 2 * 1440, opened: 2 * 1440 + 60, closed: 3 * 1440, segment: 'market=se' },
      { pendingSince: 4 * 1440, opened: 4 * 1440 + 60, closed: undefined, segment: 'market=se' },
    ]);
  });

  test('an anyOf condition holds while either comparison does: one incident, its duration not restarted by the switch', () => {
    const alert = alertOf([
      {
        role: 'judged',
        anyOf: [
          { metric: 'features/drifted', op: '>=', threshold: 3 },
          { metric: 'features/top_drifted', op: '>', threshold: 0 },
        ],
      },
    ]);
    const samples = [
      ...hourly('features/drifted', [0, 3, 1, 4, 2, 0]),
      ...hourly('features/top_drifted', [0, 0, 1, 1, 0, 0]),
    ];
    // 3 drifted at 2 h, one top-5 feature at 3 h, both at 4 h, neither (2 drifted) at 5 h.
    assert.deepEqual(evaluate(alert, samples), [
      { pendingSince: 120, opened: 180, closed: 300, segment: 'market=se' },
    ]);
    assert.deepEqual(evaluate(alert, hourly('features/drifted', [2, 2, 2, 2])), []);
  });

  test("the catalog's feature alerts: a broken top-5 feature pages on its first window, a broken feature only on two", () => {
    const byName = (name: string) => alertCatalog.alerts.find((alert) => alert.name === name)!;
    const run = (name: string, metric: string, values: number[]) =>
      evaluate(byName(name), hourly(metric, values), 24, alertCatalog.timing);
    // Visible at its window end, current for 100 min, replaced by the clean window at 3 h.
    assert.deepEqual(run('feature_quality_critical', 'features/top_quality_broken', [0, 1, 0, 0]), [
      { pendingSince: 120, opened: 125, closed: 180, segment: 'market=se' },
    ]);
    assert.deepEqual(run('feature_quality_warning', 'features/quality_broken', [0, 1, 0, 0]), []);
    assert.deepEqual(run('feature_quality_warning', 'features/quality_broken', [0, 2, 1, 0]), [
      { pendingSince: 120, opened: 225, closed: 240, segment: 'market=se' },
    ]);
    assert.deepEqual(run('feature_drift_warning', 'features/drifted', [0, 3, 0, 0]), []);
  });

  test('a rule still pending at the end of the range opens nothing; one still firing has no closing time', () => {
    const alert = alertOf([psiAbove], { durationSeconds: 5400 });
    assert.deepEqual(evaluate(alert, hourly('drift/psi', [0.05, 0.3, 0.3]), 3), []);
    assert.deepEqual(evaluate(alert, hourly('drift/psi', [0.05, 0.3, 0.3, 0.3]), 4), [
      { pendingSince: 120, opened: 210, closed: undefined, segment: 'market=se' },
    ]);
  });

  test('points before the range still count while within their lookback', () => {
    const samples = [sample('drift/psi', T0 - 30 * MINUTE, 0.5)];
    assert.deepEqual(evaluate(alertOf([psiAbove], { durationSeconds: 1800 }), samples), [
      { pendingSince: 0, opened: 30, closed: 46, segment: 'market=se' },
    ]);
  });

  test("drift_psi_critical from alerts.json pages on the third consecutive hourly window's evaluation", () => {
    const critical = alertCatalog.alerts.find((alert) => alert.name === 'drift_psi_critical')!;
    const samples = [
      ...hourly('drift/psi', [0.01, 0.3, 0.3, 0.3, 0.3]),
      ...hourly('drift/psi_null99', [0.02, 0.02, 0.02, 0.02, 0.02]),
    ];
    // Lookback 100 min (cadence 60 + delay 30 + slack 10), duration 165 min, evaluated every 5 min; the last
    // point is still read at 300 + 100 (closed range) and gone at the next evaluation.
    assert.deepEqual(evaluate(critical, samples, 8, alertCatalog.timing), [
      { pendingSince: 120, opened: 285, closed: 300 + 100 + 5, segment: 'market=se' },
    ]);
  });

  test('a point is read from when it became visible: a late window holds the alert back, then counts by its end time', () => {
    const alert = alertOf([psiAbove], { lookbackSeconds: 3600, durationSeconds: 60 });
    const late = { ...sample('drift/psi', T0 + HOUR, 0.3), visibleAtMs: T0 + HOUR + 20 * MINUTE };
    // Visible 20 min after its window ended, current until its end time + lookback.
    assert.deepEqual(evaluate(alert, [late], 4), [
      { pendingSince: 80, opened: 81, closed: 121, segment: 'market=se' },
    ]);
    // Visible only after its lookback ran out: never read.
    assert.deepEqual(evaluate(alert, [{ ...late, visibleAtMs: T0 + 2 * HOUR }], 4), []);
  });
});

/** The reference: PromQL's rule evaluation literally, at every grid step. */
function stepwise(alert: Alert, samples: MetricSample[], startMs: number, endMs: number, stepMs = MINUTE) {
  const plan = alertPlan(alert, EXACT);
  const value = (metric: string, t: number) => {
    let latest: MetricSample | undefined;
    for (const s of samples) {
      const visible = (s.visibleAtMs ?? s.timeMs) <= t;
      if (s.metric === metric && visible && s.timeMs <= t && s.timeMs >= t - plan.lookbackMs) {
        if (!latest || s.timeMs >= latest.timeMs) latest = s;
      }
    }
    return latest?.value;
  };
  const holds = (c: PlannedComparison, t: number) => {
    const left = value(c.metric, t);
    const right = 'otherMetric' in c ? value(c.otherMetric, t) : c.threshold;
    if (left === undefined || right === undefined) return false;
    return { '>': left > right, '>=': left >= right, '<': left < right, '<=': left <= right }[c.op];
  };
  const incidents: { pendingSinceMs: number; openedAtMs: number; closedAtMs?: number }[] = [];
  let active: { pendingSinceMs: number; openedAtMs?: number } | undefined;
  for (let t = Math.ceil(startMs / stepMs) * stepMs; t <= endMs; t += stepMs) {
    const now = plan.clauses.every((clause) => clause.some((c) => holds(c, t)));
    if (now) {
      active ??= { pendingSinceMs: t };
      if (active.openedAtMs === undefined && t - active.pendingSinceMs >= plan.durationMs)
        active.openedAtMs = t;
    } else if (active) {
      if (active.openedAtMs !== undefined)
        incidents.push({
          pendingSinceMs: active.pendingSinceMs,
          openedAtMs: active.openedAtMs,
          closedAtMs: t,
        });
      active = undefined;
    }
  }
  if (active?.openedAtMs !== undefined)
    incidents.push({ pendingSinceMs: active.pendingSinceMs, openedAtMs: active.openedAtMs });
  return incidents;
}

test('visiting only the instants where points appear or expire gives what stepping every minute gives, late points included', () => {
  const alert = alertOf(
    [
      { role: 'effect', metric: 'drift/psi', op: '>', threshold: 0.2 },
      { role: 'evidence', metric: 'drift/psi', op: '>=', otherMetric: 'drift/psi_null99' },
      { role: 'effect', metric: 'drift/ks_p_value', op: 'outside', band: [0.45, 0.55] },
    ],
    { lookbackSeconds: 3600, durationSeconds: 600 },
  );
  const point = (metric: string) =>
    fc.record({
      metric: fc.constant(metric),
      labels: fc.constant(se),
      // Any millisecond, not only whole minutes: the grid rounding is what is tested.
      timeMs: fc.integer({ min: T0 - HOUR, max: T0 + 8 * HOUR }),
      // Published up to 40 min late (or on time).
      delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 * MINUTE })),
      value: fc.integer({ min: 0, max: 1000 }).map((thousandths) => thousandths / 1000),
    });
  const points = fc
    .tuple(
      fc.array(point('drift/psi'), { minLength: 3, maxLength: 25 }),
      fc.array(point('drift/psi_null99'), { minLength: 3, maxLength: 25 }),
      fc.array(point('drift/ks_p_value'), { minLength: 3, maxLength: 25 }),
    )
    .map((lists) =>
      lists
        .flat()
        .map(({ delayMs, ...point }): MetricSample => ({ ...point, visibleAtMs: point.timeMs + delayMs })),
    );
  const distinctTimes = (samples: MetricSample[]) => {
    // The evaluator keeps the later of two points at the same time and metric; avoid ties in the reference.
    const seen = new Set<string>();
    return samples.filter((s) => !seen.has(`${s.metric}@${s.timeMs}`) && seen.add(`${s.metric}@${s.timeMs}`));
  };
  let runsWithIncidents = 0;
  fc.assert(
    fc.property(points, fc.integer({ min: 0, max: 119 }), (raw, offsetMinutes) => {
      const samples = distinctTimes(raw);
      const startMs = T0 + offsetMinutes * MINUTE + 7;
      const endMs = T0 + 7 * HOUR;
      const fast = evaluateAlerts([alert], samples, { startMs, endMs, timing: EXACT }).map(
        ({ pendingSinceMs, openedAtMs, closedAtMs }) => ({
          pendingSinceMs,
          openedAtMs,
          ...(closedAtMs !== undefined ? { closedAtMs } : {}),
        }),
      );
      assert.deepEqual(fast, stepwise(alert, samples, startMs, endMs));
      if (fast.length > 0) runsWithIncidents++;
    }),
    { numRuns: 300 },
  );
  // The comparison is only worth something when incidents occur in a good share of the runs.
  assert.ok(runsWithIncidents >= 30, `only ${runsWithIncidents} of 300 runs had an incident`);
});
