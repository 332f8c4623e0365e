/**
 * Binned windows and the alerts: the statistics a binned window writes as bounds (computeBinnedDrift's
 * `approximate`) err towards "no drift" (KS statistic and Wasserstein never above the values', the KS p-value never
 * below), so every alert condition on them must compare in the direction in which that error cannot page; and on
 * simulated hourly windows, the binned windows of a drifting series page no earlier than its raw windows.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type AlertCondition, alertCatalog } from '../../alerting/alerts.js';
import { evaluateAlerts, type MetricSample } from '../../alerting/evaluation.js';
import { catalog } from '../../shared/monitoring/catalog.js';
import { summarizeBaseline } from '../../shared/stats/drift/baselineSummary.js';
import { APPROXIMATE_BINNED_STATISTICS, computeBinnedDrift } from '../../shared/stats/drift/binnedSuite.js';
import { binCountsSorted } from '../../shared/stats/drift/quantileBins.js';
import { computeDrift } from '../../shared/stats/drift/suite.js';

/** The comparisons under which a value that errs low (high) can only hold less often than the true value. */
const SAFE_OPS: Record<(typeof APPROXIMATE_BINNED_STATISTICS)[number], readonly string[]> = {
  ksStatistic: ['>', '>='], // binned <= true
  wasserstein: ['>', '>='], // binned <= true
  wassersteinNormed: ['>', '>='], // binned <= true
  ksPValue: ['<', '<='], // binned >= true
};

const approximateMetric = new Map(
  catalog.metrics
    .filter((entry) => entry.writtenBy === 'driftMonitor')
    .filter((entry) => (APPROXIMATE_BINNED_STATISTICS as readonly string[]).includes(entry.statistic))
    .map((entry) => [entry.name, entry.statistic as keyof typeof SAFE_OPS]),
);

/** Each (metric, op) a condition compares with a constant, or 'unsafe' for a comparison no direction makes safe. */
function comparisons(condition: AlertCondition): { metric: string; op: string }[] {
  if ('anyOf' in condition) return condition.anyOf.map(({ metric, op }) => ({ metric, op }));
  if ('interval' in condition) return condition.interval.map((metric) => ({ metric, op: 'outside' }));
  if ('band' in condition) return [{ metric: condition.metric, op: 'outside' }];
  if ('otherMetric' in condition)
    return [
      { metric: condition.metric, op: condition.op },
      { metric: condition.otherMetric, op: 'versus' },
    ];
  return [{ metric: condition.metric, op: condition.op }];
}

describe('alerts on the statistics a binned window bounds', () => {
  test('the approximate statistics are the KS and Wasserstein metrics of drift', () => {
    assert.deepEqual([...approximateMetric.keys()].sort(), [
      'drift/ks_p_value',
      'drift/ks_statistic',
      'drift/wasserstein',
      'drift/wasserstein_normed',
    ]);
  });

  test('every alert condition on one of them compares in the direction the binning error cannot page', () => {
    const checked: string[] = [];
    for (const alert of alertCatalog.alerts) {
      for (const condition of alert.conditions) {
        for (const { metric, op } of comparisons(condition)) {
          const statistic = approximateMetric.get(metric);
          if (!statistic) continue;
          assert.ok(
            SAFE_OPS[statistic].includes(op),
            `${alert.name}: ${metric} ${op} could page on binning error`,
          );
          checked.push(`${alert.name} ${metric} ${op}`);
        }
      }
    }
    assert.deepEqual(checked, [
      'drift_distribution_warning drift/wasserstein_normed >',
      'drift_distribution_warning drift/ks_p_value <',
    ]);
  });
});

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 26);
const labels = { project_id: 'p', model: 'promo-lift', model_version: 'v1', segment: 'market=se' };

/** A deterministic stand-in for predictions: a skewed score distribution on [0, 1). */
function scores(count: number, seed: number, shift = 0): number[] {
  let state = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state / 2 ** 32) ** 3 + shift;
  });
}

const reference = summarizeBaseline(scores(5000, 7));

function samplesOf(statistics: Record<string, unknown>[]): MetricSample[] {
  return statistics.flatMap((values, hour) =>
    catalog.metrics
      .filter((entry) => entry.writtenBy === 'driftMonitor')
      .map((entry) => ({
        metric: entry.name,
        labels,
        timeMs: T0 + (hour + 1) * HOUR,
        value: values[entry.statistic] as number,
      })),
  );
}

function incidents(statistics: Record<string, unknown>[]) {
  const alerts = alertCatalog.alerts.filter((alert) => alert.monitor === 'drift');
  return evaluateAlerts(alerts, samplesOf(statistics), {
    startMs: T0,
    endMs: T0 + (statistics.length + 3) * HOUR,
    timing: alertCatalog.timing,
  }).map(({ alert, openedAtMs }) => ({ alert, openedAtMs }));
}

/** Raw and binned statistics of the same hourly windows. */
function windows(shifts: number[], size: number) {
  const raw: Record<string, unknown>[] = [];
  const binned: Record<string, unknown>[] = [];
  shifts.forEach((shift, hour) => {
    const values = Float64Array.from(scores(size, 100 + hour, shift));
    raw.push({ ...computeDrift(reference, Float64Array.from(values)) });
    binned.push({ ...computeBinnedDrift(reference, binCountsSorted(values.sort(), reference.fine!.edges)) });
  });
  return { raw: incidents(raw), binned: incidents(binned) };
}

describe('the drift alerts on binned windows (simulated hours)', () => {
  test('a clear shift pages from binned windows when it pages from raw ones, at the same evaluation', () => {
    const { raw, binned } = windows([0, 0.1, 0.1, 0.1, 0.1, 0.1], 2000);
    assert.ok(
      raw.some(({ alert }) => alert === 'drift_distribution_warning'),
      JSON.stringify(raw),
    );
    assert.deepEqual(binned, raw);
  });

  test('binned windows never open an incident that raw windows of the same values do not open earlier or together', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.12, noNaN: true }), { minLength: 3, maxLength: 6 }),
        fc.integer({ min: 100, max: 3000 }),
        (shifts, size) => {
          const { raw, binned } = windows(shifts, size);
          for (const incident of binned) {
            const rawIncident = raw.find(({ alert }) => alert === incident.alert);
            assert.ok(rawIncident, `${incident.alert} pages on binned windows only`);
            assert.ok(rawIncident.openedAtMs <= incident.openedAtMs);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
