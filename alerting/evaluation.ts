/**
 * The alerts of alerts.json evaluated locally over recorded points, from the same plan (alertPlan) that
 * promqlOfPlan renders into Terraform's PromQL policies, so `npm start` and the tests judge a run by the same
 * rules that page on-call. test/alerting/promtool.test.ts checks the two against Prometheus's own engine
 * (promtool) over the same series, to the evaluation step.
 *
 * - each condition reads `last_over_time(metric[lookback])`: at evaluation time t, the latest point of the
 *   series with end time in [t - lookback, t] (closed, as in Prometheus 2.x, whose 2.44 Cloud Monitoring
 *   matches and whose promtool judges these rules; Prometheus 3 made ranges left-open; the bounds only matter
 *   when a point lies exactly one lookback before an evaluation) among the points visible at t (visibleAtMs);
 * - a condition is an `or` of comparisons (a band or an interval has two sides), the conditions are joined with
 *   `and on(project_id, model, model_version, segment)`, and `metric op on(...) otherMetric` compares the two
 *   series of the same identity;
 * - the rule is evaluated every `evaluation_interval` (the monitor's evaluationIntervalSeconds, as
 *   terraform/alerts.tf sets it, on a grid aligned to the epoch); it is pending from the first evaluation where it holds and fires at the first evaluation at least
 *   `durationSeconds` later at which it has held at every evaluation since (PromQL `for`); it resolves at the
 *   first evaluation where it no longer holds.
 *
 * The truth of a rule only changes when a point appears or leaves its lookback, so the evaluation visits those
 * instants (rounded up to the grid) instead of every grid step; the result is the same as stepping the grid
 * (a test checks it against a step-by-step evaluation).
 */
import {
  type Alert,
  type AlertPlan,
  alertPlan,
  type ComparisonOp,
  planMetrics,
  SERIES_LABELS,
  type Timing,
} from './alerts.js';

/**
 * A recorded point of a catalog metric: `metric` is the catalog name (drift/psi), `timeMs` its end time (the
 * window end), `visibleAtMs` when a query could first read it (written and ingested; defaults to timeMs). A
 * point published late is in last_over_time's range by its end time, but only from the moment it is visible.
 */
export interface MetricSample {
  metric: string;
  labels: Readonly<Record<string, string>>;
  timeMs: number;
  visibleAtMs?: number;
  value: number;
}

export type SeriesLabels = Record<(typeof SERIES_LABELS)[number], string>;

/** One alert instance: pending from `pendingSinceMs`, firing from `openedAtMs`, resolved at `closedAtMs`. */
export interface Incident {
  alert: string;
  severity: Alert['severity'];
  monitor: Alert['monitor'];
  labels: SeriesLabels;
  pendingSinceMs: number;
  openedAtMs: number;
  /** Absent while it still fires at the end of the evaluated range. */
  closedAtMs?: number;
}

export interface EvaluationRange {
  startMs: number;
  endMs: number;
  /** Replaces every plan's evaluation interval (by default each monitor's, as terraform/alerts.tf sets it). */
  evaluationIntervalMs?: number;
  /** The timing the plans are made with (default alerts.json's). */
  timing?: Timing;
}

function compare(left: number, op: ComparisonOp, right: number): boolean {
  switch (op) {
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
  }
}

const identityKey = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(SERIES_LABELS.map((key) => labels[key] ?? ''));

/** Samples per series identity and metric, each list in time order (a later duplicate time wins). */
function indexSamples(samples: readonly MetricSample[]): Map<string, Map<string, MetricSample[]>> {
  const bySeries = new Map<string, Map<string, MetricSample[]>>();
  for (const sample of samples) {
    if (!Number.isFinite(sample.value) || !Number.isFinite(sample.timeMs)) continue;
    const key = identityKey(sample.labels);
    const byMetric = bySeries.get(key) ?? new Map<string, MetricSample[]>();
    bySeries.set(key, byMetric);
    const list = byMetric.get(sample.metric) ?? [];
    list.push(sample);
    byMetric.set(sample.metric, list);
  }
  for (const byMetric of bySeries.values()) {
    for (const list of byMetric.values()) list.sort((a, b) => a.timeMs - b.timeMs);
  }
  return bySeries;
}

const visibleAt = (sample: MetricSample): number =>
  Math.max(sample.timeMs, sample.visibleAtMs ?? sample.timeMs);

/**
 * last_over_time(metric[lookback]) at t over what is visible at t: the latest sample by end time with
 * t - lookback <= time <= t among those visible by t.
 */
function currentValue(list: readonly MetricSample[], t: number, lookbackMs: number): number | undefined {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.timeMs <= t) low = middle + 1;
    else high = middle;
  }
  for (let index = low - 1; index >= 0 && list[index]!.timeMs >= t - lookbackMs; index--) {
    if (visibleAt(list[index]!) <= t) return list[index]!.value;
  }
  return undefined;
}

/** Whether the plan's query returns the series at evaluation time t. */
function holdsAt(plan: AlertPlan, byMetric: Map<string, MetricSample[]>, t: number): boolean {
  const value = (metric: string) => currentValue(byMetric.get(metric) ?? [], t, plan.lookbackMs);
  return plan.clauses.every((clause) =>
    clause.some((comparison) => {
      const left = value(comparison.metric);
      const right = 'otherMetric' in comparison ? value(comparison.otherMetric) : comparison.threshold;
      return left !== undefined && right !== undefined && compare(left, comparison.op, right);
    }),
  );
}

const gridCeil = (t: number, step: number) => Math.ceil(t / step) * step;

/** The incidents of one alert over one series identity. */
function evaluateSeries(
  plan: AlertPlan,
  byMetric: Map<string, MetricSample[]>,
  metrics: ReadonlySet<string>,
  range: EvaluationRange,
): { pendingSinceMs: number; openedAtMs: number; closedAtMs?: number }[] {
  const step = range.evaluationIntervalMs ?? plan.evaluationIntervalMs;
  const first = gridCeil(range.startMs, step);
  if (first > range.endMs) return [];
  // Grid times at which the visible points (hence the truth) may change: a point appears, or leaves its lookback.
  const changes = new Set<number>([first]);
  for (const metric of metrics) {
    for (const sample of byMetric.get(metric) ?? []) {
      // A point leaves the closed range [t - lookback, t] just after its end time + lookback.
      for (const at of [visibleAt(sample), sample.timeMs + plan.lookbackMs + 1]) {
        const t = gridCeil(at, step);
        if (t > first && t <= range.endMs) changes.add(t);
      }
    }
  }
  const times = [...changes].sort((a, b) => a - b);
  const incidents: { pendingSinceMs: number; openedAtMs: number; closedAtMs?: number }[] = [];
  const fireDelay = gridCeil(plan.durationMs, step);
  let runStart: number | undefined;
  const closeRun = (end: number | undefined) => {
    if (runStart === undefined) return;
    const openedAtMs = runStart + fireDelay;
    // It fires when it still holds at runStart + duration, i.e. before the run ends and within the range.
    if (openedAtMs <= range.endMs && (end === undefined || openedAtMs < end)) {
      incidents.push({
        pendingSinceMs: runStart,
        openedAtMs,
        ...(end !== undefined ? { closedAtMs: end } : {}),
      });
    }
    runStart = undefined;
  };
  for (const t of times) {
    const holds = holdsAt(plan, byMetric, t);
    if (holds && runStart === undefined) runStart = t;
    else if (!holds) closeRun(t);
  }
  closeRun(undefined);
  return incidents;
}

/**
 * Evaluates every alert over the samples between range.startMs and range.endMs (grid times inside it; samples
 * before the start still count while within their lookback). Incidents come sorted by opening time, then alert.
 */
export function evaluateAlerts(
  alerts: readonly Alert[],
  samples: readonly MetricSample[],
  range: EvaluationRange,
): Incident[] {
  if (!(range.startMs <= range.endMs) || !((range.evaluationIntervalMs ?? 1) > 0)) {
    throw new RangeError('evaluateAlerts requires startMs <= endMs and a positive evaluation interval');
  }
  const bySeries = indexSamples(samples);
  const incidents: Incident[] = [];
  for (const alert of alerts) {
    const plan = alertPlan(alert, range.timing);
    const metrics = new Set(planMetrics(plan));
    for (const [key, byMetric] of bySeries) {
      if (![...metrics].some((metric) => byMetric.has(metric))) continue;
      const values = JSON.parse(key) as string[];
      const labels = Object.fromEntries(SERIES_LABELS.map((name, i) => [name, values[i]!])) as SeriesLabels;
      for (const times of evaluateSeries(plan, byMetric, metrics, range)) {
        incidents.push({
          alert: alert.name,
          severity: alert.severity,
          monitor: alert.monitor,
          labels,
          ...times,
        });
      }
    }
  }
  return incidents.sort((a, b) => a.openedAtMs - b.openedAtMs || a.alert.localeCompare(b.alert));
}
