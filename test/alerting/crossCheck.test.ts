/**
 * The local evaluation that judges `npm start` against Prometheus's own engine, on the scenario's own series:
 * the default 14-day scenario run through the monitors in process, each window published late (drift 20 min,
 * the daily monitors 3 h, the default scenario's delays), evaluated by alerting/evaluation.ts with visibility,
 * and by promtool over the same points stamped at their visible time with each range shortened by the delay
 * (exact for a uniform delay: see promtool.test.ts). Every alert's firing series must agree at every
 * evaluation step of the 14 days.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertCatalog, alertPlan, Monitor, promqlMetricName } from '../../alerting/alerts.js';
import { evaluateAlerts, type MetricSample } from '../../alerting/evaluation.js';
import { ruleGroup } from '../../alerting/prometheusRules.js';
import { loadScenario } from '../../local/scenario/config.js';
import { buildScenario } from '../../local/scenario/generate.js';
import { inProcessMonitors } from '../../local/scenario/inProcess.js';
import { promtoolPath, promtoolTest, type RuleTest, seriesSelector, valuesAt } from '../support/promtool.js';

const skip = promtoolPath
  ? false
  : 'promtool is not installed (Debian package prometheus; .ci/run installs it)';
const MINUTE = 60_000;
const DELAY_MS: Record<Monitor, number> = {
  drift: 20 * MINUTE,
  calibration: 180 * MINUTE,
  lift: 180 * MINUTE,
  uplift: 180 * MINUTE,
  // FeatureBatches travel with the prediction batches.
  features: 20 * MINUTE,
};
const PROJECT = 'liftwatch-local';
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const s = (ms: number) => `${ms / 1000}s`;

test('the local evaluation fires exactly when promtool does, step by step, over the late-published scenario', {
  skip,
}, async () => {
  const scenario = buildScenario(loadScenario(), 7);
  const monitors = inProcessMonitors();
  await monitors.register(scenario);
  for (const event of scenario.events) {
    await monitors.handle(event.kind, event.message(new Date(event.simTimeMs)), event.simTimeMs);
  }
  // The per-feature metrics (feature/*) belong to the features monitor, as its per-window ones (features/*).
  const monitorOf = (metric: string) => {
    const prefix = metric.split('/')[0]!;
    return (prefix === 'feature' ? 'features' : prefix) as Monitor;
  };
  const samples: MetricSample[] = monitors.samples().map((sample) => ({
    ...sample,
    labels: { ...sample.labels, project_id: PROJECT },
    visibleAtMs: sample.timeMs + DELAY_MS[monitorOf(sample.metric)],
  }));
  const origin = scenario.startMs;
  const endMs = scenario.endMs + 2 * 86_400_000;
  let compared = 0;
  let firingSteps = 0;
  for (const monitor of Monitor) {
    const alerts = alertCatalog.alerts.filter((alert) => alert.monitor === monitor);
    const plans = alerts.map((alert) => alertPlan(alert));
    const step = plans[0]!.evaluationIntervalMs;
    const incidents = evaluateAlerts(alerts, samples, { startMs: origin, endMs });
    const delay = DELAY_MS[monitor];
    const ofMonitor = samples.filter((sample) => monitorOf(sample.metric) === monitor);
    const interval = ofMonitor.reduce((divisor, sample) => gcd(divisor, sample.visibleAtMs! - origin), step);
    const bySeries = new Map<
      string,
      { labels: Record<string, string>; metric: string; points: { atMs: number; value: number }[] }
    >();
    for (const sample of ofMonitor) {
      const labels = { monitored_resource: 'global', ...sample.labels };
      const key = seriesSelector(promqlMetricName(sample.metric), labels);
      const entry = bySeries.get(key) ?? {
        labels,
        metric: sample.metric,
        points: [] as { atMs: number; value: number }[],
      };
      entry.points.push({ atMs: sample.visibleAtMs! - origin, value: sample.value });
      bySeries.set(key, entry);
    }
    const ruleTests: RuleTest['alert_rule_test'] = [];
    for (const alert of alerts) {
      for (let t = 0; t <= endMs - origin; t += step) {
        const at = origin + t;
        const open = incidents.filter(
          (incident) =>
            incident.alert === alert.name &&
            incident.openedAtMs <= at &&
            (incident.closedAtMs ?? Infinity) > at,
        );
        firingSteps += open.length;
        ruleTests.push({
          eval_time: s(t),
          alertname: alert.name,
          exp_alerts: open.map((incident) => ({
            exp_labels: { alertname: alert.name, monitored_resource: 'global', ...incident.labels },
          })),
        });
      }
    }
    compared += ruleTests.length;
    const rules = { groups: [ruleGroup(monitor, plans, (plan) => plan.lookbackMs - delay)] };
    const result = promtoolTest(
      rules,
      [
        {
          name: `${monitor} over the scenario`,
          interval: s(interval),
          input_series: [...bySeries].map(([series, entry]) => ({
            series,
            values: valuesAt(entry.points, interval),
          })),
          alert_rule_test: ruleTests,
        },
      ],
      s(step),
    );
    assert.ok(
      result.ok,
      `${monitor}: the local evaluation and promtool disagree:\n${result.output.slice(0, 4000)}`,
    );
  }
  // The comparison is worth something only if alerts fired: the scenario injects drift, calibration decay and
  // lift over-prediction.
  assert.ok(firingSteps > 100, `only ${firingSteps} firing steps compared`);
  assert.ok(compared > 10_000);
  console.log(
    `local evaluation = promtool at ${compared} (alert, evaluation time) pairs, ${firingSteps} of them firing`,
  );
});
