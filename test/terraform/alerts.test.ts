/** The alert catalog (alerting/alerts.json), what it generates, and how Terraform reads both. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type Alert,
  type AlertCatalog,
  alertCatalog,
  alertPlan,
  alertProblems,
  alertQueriesFile,
  evidenceGaps,
  Monitor,
  promqlDuration,
  promqlFor,
  promqlMetricName,
  runbookFor,
  subjectFor,
} from '../../alerting/alerts.js';
import { catalog } from '../../shared/monitoring/catalog.js';
import { type Body, readConfig, repoRoot, tf } from './support/hcl.js';

const alertByName = (name: string): Alert => {
  const alert = alertCatalog.alerts.find((candidate) => candidate.name === name);
  assert.ok(alert, name);
  return alert;
};

test('terraform/generated/alert-queries.json is what alerts.json generates (run npm run alert-queries after changing it)', () => {
  const committed = readFileSync(join(repoRoot, 'terraform/generated/alert-queries.json'), 'utf8');
  assert.equal(committed, alertQueriesFile(), 'terraform/generated/alert-queries.json is stale');
});

test('PromQL names follow Cloud Monitoring: first / to :, other special characters to _', () => {
  assert.equal(promqlMetricName('drift/psi'), 'custom_googleapis_com:liftwatch_drift_psi');
  assert.equal(
    promqlMetricName('calibration/oe_ratio_upper'),
    'custom_googleapis_com:liftwatch_calibration_oe_ratio_upper',
  );
  assert.deepEqual([4500, 93600, 90, 3600].map(promqlDuration), ['75m', '26h', '90s', '1h']);
});

test('an effect-and-evidence alert becomes last_over_time conditions joined on project, model, version and segment', () => {
  const psi = 'last_over_time(custom_googleapis_com:liftwatch_drift_psi{monitored_resource="global"}[100m])';
  const null99 =
    'last_over_time(custom_googleapis_com:liftwatch_drift_psi_null99{monitored_resource="global"}[100m])';
  const on = 'on(project_id, model, model_version, segment)';
  assert.equal(
    promqlFor(alertByName('drift_psi_critical')),
    `(${psi} > 0.25)\nand ${on}\n(${psi} > ${on} ${null99})`,
  );
});

test('every lookback is cadence + publish delay + slack: a point stays current until the next one, published as late as tolerated, is visible', () => {
  const { timing } = alertCatalog;
  for (const alert of alertCatalog.alerts) {
    const { cadenceSeconds, publishDelaySeconds } = timing.monitors[alert.monitor];
    const lookback = alertPlan(alert).lookbackMs / 1000;
    assert.ok(lookback >= cadenceSeconds + publishDelaySeconds + timing.ingestionSlackSeconds, alert.name);
  }
  assert.deepEqual(
    Object.fromEntries(
      Object.entries(timing.monitors).map(([m, t]) => [m, [t.cadenceSeconds, t.publishDelaySeconds]]),
    ),
    {
      drift: [3600, 1800],
      calibration: [86400, 21600],
      lift: [86400, 21600],
      uplift: [86400, 21600],
      features: [3600, 1800],
    },
  );
});

test('an anyOf condition is one clause of comparisons joined with or, so either or both open one incident', () => {
  const series = (name: string) =>
    `last_over_time(custom_googleapis_com:liftwatch_features_${name}{monitored_resource="global"}[100m])`;
  assert.equal(
    promqlFor(alertByName('feature_drift_warning')),
    `(${series('drifted')} >= 3 or ${series('top_drifted')} > 0)`,
  );
  assert.equal(promqlFor(alertByName('feature_quality_critical')), `(${series('top_quality_broken')} > 0)`);
});

test('an interval condition fires only when the whole interval lies outside the band', () => {
  const series = (name: string) =>
    `last_over_time(custom_googleapis_com:liftwatch_calibration_${name}{monitored_resource="global"}[1810m])`;
  assert.equal(
    promqlFor(alertByName('calibration_oe_critical')),
    `(${series('oe_ratio_upper')} < 0.8 or ${series('oe_ratio_lower')} > 1.25)`,
  );
});

test('every alert names catalog metrics without extra labels, and has effect size, evidence and persistence', () => {
  assert.deepEqual(alertProblems(alertCatalog, catalog), []);
  for (const alert of alertCatalog.alerts) {
    assert.deepEqual(evidenceGaps(alert), [], alert.name);
    assert.ok(alert.durationSeconds > 0 && alert.durationSeconds % 60 === 0, alert.name);
  }
});

test('each monitor has a WARNING and a CRITICAL alert', () => {
  for (const monitor of Monitor) {
    const severities = new Set(
      alertCatalog.alerts.filter((alert) => alert.monitor === monitor).map((alert) => alert.severity),
    );
    assert.ok(severities.has('WARNING') && severities.has('CRITICAL'), monitor);
  }
});

test('hourly drift and feature alerts need consecutive windows: the duration outlasts one window plus its lookback', () => {
  const hourly = alertCatalog.alerts.filter(
    (candidate) =>
      (candidate.monitor === 'drift' || candidate.monitor === 'features') &&
      candidate.name !== 'feature_quality_critical',
  );
  assert.equal(hourly.length, 5);
  for (const alert of hourly) {
    assert.ok(alert.durationSeconds * 1000 > alertPlan(alert).lookbackMs, alert.name);
  }
});

test('a broken top-5 feature pages on its first window, one evaluation after it is visible', () => {
  const alert = alertByName('feature_quality_critical');
  const plan = alertPlan(alert);
  assert.equal(plan.durationMs, plan.evaluationIntervalMs);
  assert.ok(plan.durationMs < plan.lookbackMs);
});

const broken = (change: (alert: Alert) => Alert): AlertCatalog => ({
  ...alertCatalog,
  alerts: [change(structuredClone(alertByName('drift_psi_critical')))],
});

const problemCases: { name: string; catalog: AlertCatalog; problem: RegExp }[] = [
  {
    name: 'a lookback shorter than cadence + publish delay + slack',
    catalog: broken((alert) => ({ ...alert, lookbackSeconds: 3600 })),
    problem: /lookbackSeconds 3600 is shorter than cadence \+ publish delay \+ slack \(6000 s\)/,
  },
  {
    name: 'an absence metric that is not alert-bearing',
    catalog: {
      ...alertCatalog,
      timing: {
        ...alertCatalog.timing,
        monitors: {
          ...alertCatalog.timing.monitors,
          drift: { ...alertCatalog.timing.monitors.drift, absenceMetric: 'drift/sample_size' },
        },
      },
    },
    problem: /absenceMetric drift\/sample_size must be an alert-bearing drift metric/,
  },
  {
    name: 'a metric missing from the catalog',
    catalog: broken((alert) => ({
      ...alert,
      conditions: [{ role: 'effect', metric: 'drift/pis', op: '>', threshold: 0.25 }],
    })),
    problem: /drift\/pis is not in the metric catalog/,
  },
  {
    name: 'a per-bin gauge',
    catalog: broken((alert) => ({
      ...alert,
      monitor: 'calibration',
      conditions: [{ role: 'interval', metric: 'calibration/bin_observed_rate', op: '<', threshold: 0.1 }],
    })),
    problem: /carries extra labels/,
  },
  {
    name: 'a count as effect size',
    catalog: broken((alert) => ({
      ...alert,
      conditions: [
        { role: 'effect', metric: 'drift/sample_size', op: '>', threshold: 10 },
        ...alert.conditions.slice(1),
      ],
    })),
    problem: /not alert-bearing/,
  },
  {
    name: 'no evidence condition',
    catalog: broken((alert) => ({ ...alert, conditions: alert.conditions.slice(0, 1) })),
    problem: /has no evidence condition/,
  },
  {
    name: 'no effect-size condition',
    catalog: broken((alert) => ({ ...alert, conditions: alert.conditions.slice(1) })),
    problem: /has no effect-size condition/,
  },
  {
    name: 'a judged count that is not alert-bearing',
    catalog: broken((alert) => ({
      ...alert,
      conditions: [{ role: 'judged', metric: 'drift/sample_size', op: '>', threshold: 0 }],
    })),
    problem: /drift\/sample_size is not alert-bearing/,
  },
  {
    name: 'an anyOf comparison on a per-feature gauge',
    catalog: broken((alert) => ({
      ...alert,
      monitor: 'features',
      conditions: [
        {
          role: 'judged',
          anyOf: [
            { metric: 'features/drifted', op: '>=', threshold: 3 },
            { metric: 'feature/psi', op: '>', threshold: 0.1 },
          ],
        },
      ],
    })),
    problem: /feature\/psi carries extra labels/,
  },
  {
    name: "another monitor's metric",
    catalog: broken((alert) => ({ ...alert, monitor: 'lift' })),
    problem: /belongs to another monitor/,
  },
];

for (const { name, catalog: alerts, problem } of problemCases) {
  test(`the alert check rejects ${name}`, () => {
    const problems = alertProblems(alerts, catalog);
    assert.ok(
      problems.some((text) => problem.test(text)),
      problems.join('\n') || 'no problems',
    );
  });
}

test('each runbook says what the alert means, lists at least three checks starting with the replay, and how to silence it', () => {
  for (const alert of alertCatalog.alerts) {
    const content = runbookFor(alert);
    assert.ok(content.length <= 8192, `${alert.name}: documentation content is limited to 8,192 characters`);
    assert.ok(Buffer.byteLength(subjectFor(alert)) <= 255, `${alert.name}: subject over 255 bytes`);
    assert.ok(content.includes(alert.runbook.meaning), alert.name);
    assert.match(content, new RegExp(`1\\. Replay .*\`${alert.runbook.replay}\``), alert.name);
    assert.match(content, /\n3\. /, `${alert.name}: fewer than three checks`);
    assert.match(content, /\*\*Silencing\.\*\*/, alert.name);
  }
});

test('Terraform builds one alert policy per alert from alerts.json and the generated queries', async () => {
  const config = await readConfig();
  assert.equal(
    config.locals.get('alert_catalog'),
    tf(`jsondecode(file("${tf('path.module')}/../alerting/alerts.json"))`),
  );
  assert.equal(
    config.locals.get('alert_generated'),
    tf(`jsondecode(file("${tf('path.module')}/generated/alert-queries.json"))`),
  );
  assert.equal(config.locals.get('alert_rendering'), tf('local.alert_generated.alerts'));
  const policy = config.resources.find(
    (block) => block.type === 'google_monitoring_alert_policy' && block.name === 'monitor',
  );
  assert.ok(policy);
  assert.equal(policy.body.severity, tf('each.value.severity'));
  const condition = (
    (policy.body.conditions as Body[])[0]!.condition_prometheus_query_language as Body[]
  )[0]!;
  assert.equal(condition.query, tf('each.value.query'));
  assert.equal(condition.duration, `${tf('each.value.durationSeconds')}s`);
  const documentation = (policy.body.documentation as Body[])[0]!;
  assert.deepEqual(
    [documentation.subject, documentation.content, documentation.mime_type],
    [tf('each.value.subject'), tf('each.value.content'), 'text/markdown'],
  );
  // Thresholds live in alerts.json only: no alert threshold is a Terraform variable.
  assert.ok(![...config.variables.keys()].some((name) => /threshold|psi|oe_|lift_ratio/.test(name)));
});
