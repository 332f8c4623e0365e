/**
 * The local evaluation and Terraform's alert policies must not drift apart: the PromQL that Terraform applies
 * (terraform/generated/alert-queries.json, rendered by promqlFor) is parsed back into metrics, comparisons,
 * thresholds and lookback, and must equal the plan the evaluator runs; duration and evaluation interval are read
 * from terraform/alerts.tf.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { alertCatalog, promqlFor, promqlMetricName } from '../../alerting/alerts.js';
import {
  type AlertPlan,
  alertPlan,
  type ComparisonOp,
  DEFAULT_EVALUATION_INTERVAL_MS,
  type PlannedComparison,
} from '../../alerting/evaluation.js';
import { catalog } from '../../shared/monitoring/catalog.js';

const root = new URL('../../../', import.meta.url);
const generated = JSON.parse(
  readFileSync(new URL('terraform/generated/alert-queries.json', root), 'utf8'),
) as {
  alerts: Record<string, { query: string }>;
};
const alertsTf = readFileSync(new URL('terraform/alerts.tf', root), 'utf8');

const catalogName = new Map(catalog.metrics.map((entry) => [promqlMetricName(entry.name), entry.name]));
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };
const MATCH = 'on(model, model_version, segment)';
const SERIES = String.raw`last_over_time\(([a-z_]+:[a-z0-9_]+)\{monitored_resource="global"\}\[(\d+)([smh])\]\)`;
const TERM = new RegExp(
  String.raw`^${SERIES} (>=|<=|>|<) (?:${MATCH.replace(/[()]/g, '\\$&')} ${SERIES}|(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?))$`,
);

/** The plan a PromQL query of promqlFor's shape expresses (throws on anything else). */
function planOfQuery(name: string, query: string): Omit<AlertPlan, 'durationMs'> {
  const lookbacks = new Set<number>();
  const metric = (promqlName: string | undefined, amount: string | undefined, unit: string | undefined) => {
    const found = catalogName.get(promqlName ?? '');
    assert.ok(found, `${name}: ${promqlName} is not a catalog metric`);
    lookbacks.add(Number(amount) * UNIT_MS[unit ?? '']!);
    return found;
  };
  const clauses = query.split(`\nand ${MATCH}\n`).map((clause) => {
    assert.match(clause, /^\(.*\)$/s, `${name}: clause ${clause}`);
    return clause
      .slice(1, -1)
      .split(' or ')
      .map((term): PlannedComparison => {
        const parts = TERM.exec(term);
        assert.ok(parts, `${name}: cannot read ${term}`);
        const [, left, amount, unit, op, right, rightAmount, rightUnit, threshold] = parts;
        const comparison = { metric: metric(left, amount, unit), op: op as ComparisonOp };
        return right !== undefined
          ? { ...comparison, otherMetric: metric(right, rightAmount, rightUnit) }
          : { ...comparison, threshold: Number(threshold) };
      });
  });
  assert.equal(lookbacks.size, 1, `${name}: one lookback for every series`);
  return { alert: name, lookbackMs: [...lookbacks][0]!, clauses };
}

test('the evaluator reads the same metrics, comparisons, thresholds and lookback as the PromQL Terraform applies', () => {
  assert.deepEqual(
    Object.keys(generated.alerts).sort(),
    alertCatalog.alerts.map((alert) => alert.name).sort(),
  );
  for (const alert of alertCatalog.alerts) {
    const { durationMs, ...plan } = alertPlan(alert);
    assert.deepEqual(planOfQuery(alert.name, generated.alerts[alert.name]!.query), plan, alert.name);
    assert.deepEqual(planOfQuery(alert.name, promqlFor(alert)), plan, alert.name);
    assert.equal(durationMs, alert.durationSeconds * 1000, alert.name);
  }
});

test("the evaluator's duration and evaluation interval are the alert policy's", () => {
  assert.match(alertsTf, /\n\s*duration\s*=\s*"\$\{each\.value\.durationSeconds\}s"\n/);
  const interval = /\n\s*evaluation_interval\s*=\s*"(\d+)s"\n/.exec(alertsTf);
  assert.ok(interval, 'terraform/alerts.tf sets evaluation_interval');
  assert.equal(Number(interval[1]) * 1000, DEFAULT_EVALUATION_INTERVAL_MS);
});

test('the PromQL reader is strict: a changed threshold, operator or range is noticed', () => {
  const alert = alertCatalog.alerts.find((candidate) => candidate.name === 'drift_psi_critical')!;
  const { durationMs: _, ...plan } = alertPlan(alert);
  const query = promqlFor(alert);
  for (const changed of [
    query.replace('> 0.25', '> 0.2'),
    query.replace('> 0.25', '>= 0.25'),
    query.replaceAll('[75m]', '[60m]'),
  ]) {
    assert.notDeepEqual(planOfQuery(alert.name, changed), plan);
  }
});
