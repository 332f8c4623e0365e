/**
 * Prometheus's own engine judges every alert: for each alert of alerts.json, its rule (rendered from the same
 * plan as Terraform's PromQL) is run by `promtool test rules` over hourly or daily points:
 * - every condition held -> fires for that project, model, version and segment only, once the duration has
 *   passed and not before;
 * - each condition not held, at its boundary (a `>` threshold met with equality) -> silent;
 * - each comparison of a condition of several (a band's sides, an interval's ends, anyOf) holding alone
 *   -> fires; all of them holding at once -> one alert per series, not one per comparison;
 * - every point visible at the maximum publish delay -> still fires, at most window end + delay + duration;
 * - two projects with identical labels -> one alert per project, no query error;
 * - the regression: a lookback of one cadence with points published past the slack never pages (drift) or
 *   resolves every day (the daily monitors), while the catalog's lookback keeps firing.
 * Mutations of a query, threshold, operator, duration or lookback, and of an anyOf condition (a comparison
 * dropped, or joined with and), make these tests fail.
 *
 * Late visibility in promtool: Cloud Monitoring reads a point with end time T from when it is visible, T + d,
 * while the range selects by end time: at t it reads the points with T + d <= t and T >= t - L. promtool has no
 * notion of ingestion, but for a uniform delay d the same set is {points stamped s = T + d with s <= t and
 * s >= t - (L - d)}: so the late case is promtool over points stamped at their visible time with the rule's range
 * shortened by d, exactly.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AlertPlan,
  alertCatalog,
  alertPlan,
  type ComparisonOp,
  currentSeconds,
  type Monitor,
  type PlannedComparison,
  planMetrics,
  promqlMetricName,
} from '../../alerting/alerts.js';
import { absenceRules, ruleGroup } from '../../alerting/prometheusRules.js';
import {
  type AlertTest,
  type InputSeries,
  promtoolPath,
  promtoolTest,
  type RuleTest,
  seriesSelector,
  valuesAt,
} from '../support/promtool.js';

const skip = promtoolPath
  ? false
  : 'promtool is not installed (Debian package prometheus; .ci/run installs it)';

const PRODUCTION = {
  monitored_resource: 'global',
  project_id: 'liftwatch-prod',
  model: 'promo-lift',
  model_version: 'v3',
  segment: 'market=de',
};
const OTHER_SEGMENT = { ...PRODUCTION, segment: 'market=se' };
const STAGING = { ...PRODUCTION, project_id: 'liftwatch-staging' };
type Identity = typeof PRODUCTION;

type Values = Map<string, number>;

const compare = (left: number, op: ComparisonOp, right: number) =>
  ({ '>': left > right, '>=': left >= right, '<': left < right, '<=': left <= right })[op];

/** A value on the holding side of `op threshold`, the threshold itself where the comparison includes it. */
function holding(op: ComparisonOp, threshold: number): number {
  if (op === '>=' || op === '<=') return threshold;
  const step = threshold > 0 ? threshold : 1;
  return op === '>' ? threshold + step : threshold - step / 2;
}

/** A value on the silent side: the threshold itself for a strict comparison (the boundary), else just past it. */
function silent(op: ComparisonOp, threshold: number): number {
  if (op === '>' || op === '<') return threshold;
  const step = threshold > 0 ? threshold / 2 : 1;
  return op === '>=' ? threshold - step : threshold + step;
}

const margin = (value: number) => Math.abs(value) / 2 + 0.01;

/** The other metric's value that makes `value op other` hold, or fail at its boundary. */
function otherFor(op: ComparisonOp, value: number, hold: boolean): number {
  const strict = op === '>' || op === '<';
  const below = op.startsWith('>');
  if (hold) return strict ? value + (below ? -margin(value) : margin(value)) : value;
  return strict ? value : value + (below ? margin(value) : -margin(value));
}

const holds = (comparison: PlannedComparison, values: Values) => {
  const left = values.get(comparison.metric)!;
  const right = 'otherMetric' in comparison ? values.get(comparison.otherMetric)! : comparison.threshold;
  return compare(left, comparison.op, right);
};

/**
 * Values of every metric of a plan under which each clause holds, except clause `broken`, which is silent with
 * every comparison at its boundary. In a holding clause the comparisons at the positions `held` picks hold
 * (by default the first; a metric shared by two comparisons, as a band's two sides, keeps the first value set)
 * and the others sit at their boundary. Checked against the plan before use, so a case never tests what it
 * claims not to.
 */
function valuesFor(
  plan: AlertPlan,
  broken?: number,
  held: (position: number, clause: readonly PlannedComparison[]) => boolean = (position) => position === 0,
): Values {
  const values: Values = new Map();
  const clauseHolds = (index: number) => index !== broken;
  plan.clauses.forEach((clause, index) => {
    const order = clause
      .map((comparison, position) => ({ comparison, hold: clauseHolds(index) && held(position, clause) }))
      .sort((a, b) => Number(b.hold) - Number(a.hold));
    for (const { comparison, hold } of order) {
      if ('otherMetric' in comparison) continue;
      if (!values.has(comparison.metric))
        values.set(comparison.metric, (hold ? holding : silent)(comparison.op, comparison.threshold));
    }
  });
  plan.clauses.forEach((clause, index) => {
    for (const comparison of clause) {
      if (!('otherMetric' in comparison)) continue;
      const value = values.get(comparison.metric) ?? 1;
      values.set(comparison.metric, value);
      values.set(comparison.otherMetric, otherFor(comparison.op, value, clauseHolds(index)));
    }
  });
  // With the values settled (a metric shared by two clauses keeps the first), every versus comparison again.
  plan.clauses.forEach((clause, index) => {
    for (const comparison of clause) {
      if ('otherMetric' in comparison)
        values.set(
          comparison.otherMetric,
          otherFor(comparison.op, values.get(comparison.metric)!, clauseHolds(index)),
        );
    }
  });
  plan.clauses.forEach((clause, index) => {
    assert.equal(
      clause.some((comparison) => holds(comparison, values)),
      clauseHolds(index),
      `${plan.alert}: clause ${index} with ${JSON.stringify([...values])}`,
    );
  });
  return values;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const s = (ms: number) => `${ms / 1000}s`;

interface Window {
  identity: Identity;
  values: Values;
}

/** Input series: `windows` consecutive windows per identity, the k-th stamped at k cadences + delay. */
function inputSeries(plan: AlertPlan, cadenceMs: number, delayMs: number, count: number, series: Window[]) {
  const interval = delayMs > 0 ? gcd(cadenceMs, delayMs) : cadenceMs;
  const input: InputSeries[] = series.flatMap(({ identity, values }) =>
    planMetrics(plan).map((metric) => ({
      series: seriesSelector(promqlMetricName(metric), identity),
      values: valuesAt(
        Array.from({ length: count }, (_, k) => ({
          atMs: k * cadenceMs + delayMs,
          value: values.get(metric)!,
        })),
        interval,
      ),
    })),
  );
  return { interval: s(interval), input_series: input };
}

const firing = (plan: AlertPlan, atMs: number, identities: Identity[]): AlertTest => ({
  eval_time: s(atMs),
  alertname: plan.alert,
  exp_alerts: identities.map((identity) => ({ exp_labels: { alertname: plan.alert, ...identity } })),
});

const ceilTo = (value: number, step: number) => Math.ceil(value / step) * step;

interface Scenario {
  label: string;
  /** The range the rule is rendered with, from the plan under test (late points shorten it by their delay). */
  rangeMs: (plan: AlertPlan) => number;
  tests: RuleTest[];
}

/** The promtool scenarios of one alert, built from its catalog plan. */
function scenarios(plan: AlertPlan, monitor: Monitor): Scenario[] {
  const timing = alertCatalog.timing.monitors[monitor];
  const cadence = timing.cadenceSeconds * 1000;
  const delay = timing.publishDelaySeconds * 1000;
  const slack = alertCatalog.timing.ingestionSlackSeconds * 1000;
  const step = plan.evaluationIntervalMs;
  const fires = ceilTo(plan.durationMs, step);
  const windows = Math.ceil((fires + 2 * cadence + delay) / cadence) + 1;
  const held = valuesFor(plan);
  const lastBroken = valuesFor(plan, plan.clauses.length - 1);
  const onTime: RuleTest[] = [
    {
      name: `${plan.alert}: every condition held fires for that series only, once the duration has passed`,
      ...inputSeries(plan, cadence, 0, windows, [
        { identity: PRODUCTION, values: held },
        { identity: OTHER_SEGMENT, values: lastBroken },
      ]),
      alert_rule_test: [
        firing(plan, fires - step, []),
        firing(plan, fires, [PRODUCTION]),
        firing(plan, fires + cadence, [PRODUCTION]),
      ],
    },
    ...plan.clauses.map(
      (_, index): RuleTest => ({
        name: `${plan.alert}: condition ${index} at its boundary is silent`,
        ...inputSeries(plan, cadence, 0, windows, [{ identity: PRODUCTION, values: valuesFor(plan, index) }]),
        alert_rule_test: [firing(plan, fires, []), firing(plan, fires + cadence, [])],
      }),
    ),
    // A clause of several comparisons (a band's sides, an interval's ends, anyOf) fires on each one alone.
    ...Array.from(
      { length: Math.max(...plan.clauses.map((clause) => clause.length)) - 1 },
      (_, k) => k + 1,
    ).map(
      (position): RuleTest => ({
        name: `${plan.alert}: comparison ${position} of each clause holding alone fires`,
        ...inputSeries(plan, cadence, 0, windows, [
          {
            identity: PRODUCTION,
            values: valuesFor(plan, undefined, (at, clause) => at === Math.min(position, clause.length - 1)),
          },
        ]),
        alert_rule_test: [firing(plan, fires - step, []), firing(plan, fires, [PRODUCTION])],
      }),
    ),
    {
      name: `${plan.alert}: every comparison that can hold at once holding pages once for the series`,
      ...inputSeries(plan, cadence, 0, windows, [
        { identity: PRODUCTION, values: valuesFor(plan, undefined, () => true) },
      ]),
      alert_rule_test: [firing(plan, fires, [PRODUCTION]), firing(plan, fires + cadence, [PRODUCTION])],
    },
    {
      name: `${plan.alert}: two projects with identical labels page once each`,
      ...inputSeries(plan, cadence, 0, windows, [
        { identity: PRODUCTION, values: held },
        { identity: STAGING, values: held },
      ]),
      alert_rule_test: [firing(plan, fires, [PRODUCTION, STAGING])],
    },
    {
      name: `${plan.alert}: one project's evidence never joins another project's effect`,
      ...inputSeries(plan, cadence, 0, windows, [
        { identity: PRODUCTION, values: lastBroken },
        { identity: STAGING, values: held },
      ]),
      alert_rule_test: [firing(plan, fires, [STAGING])],
    },
  ];
  const lateFires = ceilTo(delay + plan.durationMs, step);
  const late: RuleTest = {
    name: `${plan.alert}: every window visible ${delay / 60_000} min late still fires, at window end + delay + duration`,
    ...inputSeries(plan, cadence, delay, windows + 1, [{ identity: PRODUCTION, values: held }]),
    alert_rule_test: [
      firing(plan, lateFires - step, []),
      firing(plan, lateFires, [PRODUCTION]),
      firing(plan, lateFires + cadence, [PRODUCTION]),
    ],
  };
  // Past the slack: a lookback of one cadence leaves a gap before each window becomes visible.
  const pastSlack = slack + 10 * 60_000;
  const inGap = ceilTo(Math.max(pastSlack + plan.durationMs, cadence + pastSlack - step), step);
  const gapTest = (expected: Identity[], label: string): RuleTest => ({
    name: `${plan.alert}: windows ${pastSlack / 60_000} min late, ${label}`,
    ...inputSeries(plan, cadence, pastSlack, windows + 1, [{ identity: PRODUCTION, values: held }]),
    alert_rule_test: [firing(plan, inGap, expected)],
  });
  return [
    { label: 'on time', rangeMs: (p) => p.lookbackMs, tests: onTime },
    { label: 'at the maximum publish delay', rangeMs: (p) => p.lookbackMs - delay, tests: [late] },
    {
      label: 'past the slack, with the catalog lookback',
      rangeMs: (p) => p.lookbackMs - pastSlack,
      tests: [gapTest([PRODUCTION], 'the catalog lookback keeps firing')],
    },
    {
      label: 'past the slack, with a lookback of one cadence',
      rangeMs: () => cadence - pastSlack,
      tests: [gapTest([], 'a lookback of one cadence has a gap and pages nothing then')],
    },
  ];
}

function run(plan: AlertPlan, monitor: Monitor, scenario: Scenario) {
  const rules = { groups: [ruleGroup(monitor, [plan], scenario.rangeMs)] };
  return promtoolTest(rules, scenario.tests, s(plan.evaluationIntervalMs));
}

describe('promtool judges every alert of alerts.json', { skip }, () => {
  for (const alert of alertCatalog.alerts) {
    test(alert.name, () => {
      const plan = alertPlan(alert);
      for (const scenario of scenarios(plan, alert.monitor)) {
        const result = run(plan, alert.monitor, scenario);
        assert.ok(result.ok, `${alert.name}, ${scenario.label}:\n${result.output}`);
      }
    });
  }
});

describe('the promtool tests fail when a query, threshold, operator, duration or lookback is broken', {
  skip,
}, () => {
  const alert = alertCatalog.alerts.find((candidate) => candidate.name === 'drift_psi_critical')!;
  const plan = alertPlan(alert);
  const cases = scenarios(plan, alert.monitor).filter((scenario) => !scenario.label.includes('one cadence'));
  const [first, ...rest] = plan.clauses;
  const effect = first![0] as Extract<PlannedComparison, { threshold: number }>;
  const mutations: [string, AlertPlan][] = [
    [
      'the effect threshold doubled',
      { ...plan, clauses: [[{ ...effect, threshold: effect.threshold * 2 }], ...rest] },
    ],
    ['> written as >=', { ...plan, clauses: [[{ ...effect, op: '>=' }], ...rest] }],
    ['the evidence clause dropped from the query', { ...plan, clauses: [first!] }],
    ['the duration cut to one window', { ...plan, durationMs: 3_600_000 }],
    ['the lookback cut to one cadence', { ...plan, lookbackMs: 3_600_000 }],
  ];
  for (const [name, mutated] of mutations) {
    test(name, () => {
      const failed = cases
        .map((scenario) => run(mutated, alert.monitor, scenario))
        .filter((result) => !result.ok);
      assert.ok(failed.length > 0, `no promtool test noticed: ${name}`);
      // Noticed as a wrong alert, not as a rule promtool could not load.
      for (const result of failed)
        assert.match(
          result.output,
          /FAILED:\s+name: drift_psi_critical: [^\n]*,\s+alertname: drift_psi_critical, time: /,
        );
    });
  }
});

describe('the promtool tests fail when a comparison of an anyOf condition is lost or joined with and', {
  skip,
}, () => {
  const alert = alertCatalog.alerts.find((candidate) => candidate.name === 'feature_drift_warning')!;
  const plan = alertPlan(alert);
  const cases = scenarios(plan, alert.monitor).filter((scenario) => scenario.label === 'on time');
  const [anyOf] = plan.clauses;
  assert.equal(anyOf!.length, 2);
  const [count, top] = anyOf! as Extract<PlannedComparison, { threshold: number }>[];
  const mutations: [string, AlertPlan][] = [
    ['the top-5 comparison dropped', { ...plan, clauses: [[count!]] }],
    ['the count comparison dropped', { ...plan, clauses: [[top!]] }],
    ['or written as and', { ...plan, clauses: [[count!], [top!]] }],
    ['the count threshold raised by one', { ...plan, clauses: [[{ ...count!, threshold: 4 }, top!]] }],
  ];
  for (const [name, mutated] of mutations) {
    test(name, () => {
      const failed = cases
        .map((scenario) => run(mutated, alert.monitor, scenario))
        .filter((result) => !result.ok);
      assert.ok(failed.length > 0, `no promtool test noticed: ${name}`);
      for (const result of failed)
        assert.match(
          result.output,
          /FAILED:\s+name: feature_drift_warning: [^\n]*,\s+alertname: feature_drift_warning, time: /,
        );
    });
  }
});

describe('promtool judges the absence alerts', { skip }, () => {
  const monitor: Monitor = 'drift';
  const timing = alertCatalog.timing.monitors[monitor];
  const cadence = timing.cadenceSeconds * 1000;
  const current = currentSeconds(alertCatalog.timing, monitor) * 1000;
  const step = timing.evaluationIntervalSeconds * 1000;
  const metric = promqlMetricName(timing.absenceMetric);
  const sizes = promqlMetricName('drift/sample_size');
  const version = {
    project_id: PRODUCTION.project_id,
    model: PRODUCTION.model,
    model_version: PRODUCTION.model_version,
  };
  const rules = {
    groups: [
      absenceRules(monitor, [
        { project: PRODUCTION.project_id, model: PRODUCTION.model, segment: 'market=de' },
        { project: PRODUCTION.project_id, model: PRODUCTION.model, segment: 'market=br' },
      ]),
    ],
  };
  const hours = (count: number, value = 0.05) =>
    valuesAt(
      Array.from({ length: count }, (_, k) => ({ atMs: k * cadence, value })),
      cadence,
    );
  const lastPoint = 5 * cadence;
  const segmentAbsent = (segment: string) => ({
    exp_labels: {
      alertname: `${monitor}_segment_absent`,
      monitored_resource: 'global',
      project_id: PRODUCTION.project_id,
      model: PRODUCTION.model,
      segment,
    },
  });

  test('a version that stops writing its alert-bearing metric pages once its span has passed; a listed segment that never reported pages at once', () => {
    const tests: RuleTest[] = [
      {
        name: 'drift stops after 6 windows in one project; its sample sizes go on (thin windows count as missing)',
        interval: s(cadence),
        input_series: [
          { series: seriesSelector(metric, PRODUCTION), values: hours(6) },
          { series: seriesSelector(sizes, PRODUCTION), values: hours(20, 40) },
          { series: seriesSelector(metric, STAGING), values: hours(20) },
          { series: seriesSelector(metric, { ...STAGING, segment: 'market=br' }), values: hours(20) },
        ],
        alert_rule_test: [
          { eval_time: s(lastPoint + current), alertname: `${monitor}_version_absent`, exp_alerts: [] },
          {
            eval_time: s(ceilTo(lastPoint + current + 1, step)),
            alertname: `${monitor}_version_absent`,
            exp_alerts: [{ exp_labels: { alertname: `${monitor}_version_absent`, ...version } }],
          },
          {
            eval_time: s(ceilTo(lastPoint + current + 1, step)),
            alertname: `${monitor}_segment_absent`,
            exp_alerts: [segmentAbsent('market=br'), segmentAbsent('market=de')],
          },
          {
            eval_time: s(2 * cadence),
            alertname: `${monitor}_segment_absent`,
            exp_alerts: [segmentAbsent('market=br')],
          },
          { eval_time: s(2 * cadence), alertname: `${monitor}_version_absent`, exp_alerts: [] },
        ],
      },
    ];
    const result = promtoolTest(rules, tests, s(step));
    assert.ok(result.ok, result.output);
  });

  test('the absence span is the lookback: a window visible at the maximum delay is not missing', () => {
    // Hourly windows each visible 30 min late: stamped at visibility, the span shortened by the delay (exact).
    const delay = timing.publishDelaySeconds * 1000;
    const shortened = {
      groups: [
        {
          ...rules.groups[0]!,
          rules: [
            {
              ...rules.groups[0]!.rules[0]!,
              expr: rules.groups[0]!.rules[0]!.expr.replace(
                `[${current / 60_000}m]`,
                `[${(current - delay) / 1000}s]`,
              ),
            },
          ],
        },
      ],
    };
    assert.notEqual(shortened.groups[0]!.rules[0]!.expr, rules.groups[0]!.rules[0]!.expr);
    const late = valuesAt(
      Array.from({ length: 24 }, (_, k) => ({ atMs: k * cadence + delay, value: 0.05 })),
      gcd(cadence, delay),
    );
    const result = promtoolTest(
      shortened,
      [
        {
          name: 'late but never missing',
          interval: s(gcd(cadence, delay)),
          input_series: [{ series: seriesSelector(metric, PRODUCTION), values: late }],
          alert_rule_test: Array.from({ length: 20 }, (_, k) => ({
            eval_time: s(delay + k * cadence + cadence - step),
            alertname: `${monitor}_version_absent`,
            exp_alerts: [],
          })),
        },
      ],
      s(step),
    );
    assert.ok(result.ok, result.output);
  });
});
