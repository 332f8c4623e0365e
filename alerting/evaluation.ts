/**
 * The alerts of alerts.json evaluated locally over recorded points, with the semantics of the PromQL that
 * alerts.ts (promqlFor) generates for Terraform's alert policies, so `npm start` and the tests judge a run by
 * the same rules that page on-call:
 *
 * - each condition reads `last_over_time(metric[lookback])`: at evaluation time t, the latest point of the
 *   series with end time in (t - lookback, t] (left-open, as Prometheus 3 ranges; the bounds only matter when
 *   a point lies exactly one lookback before an evaluation);
 * - a condition is an `or` of comparisons (a band or an interval has two sides), the conditions are joined with
 *   `and on(model, model_version, segment)`, and `metric op on(...) otherMetric` compares the two series of the
 *   same identity;
 * - the rule is evaluated every `evaluation_interval` (terraform/alerts.tf: 60 s, on a grid aligned to the
 *   epoch); it is pending from the first evaluation where it holds and fires at the first evaluation at least
 *   `durationSeconds` later at which it has held at every evaluation since (PromQL `for`); it resolves at the
 *   first evaluation where it no longer holds.
 *
 * The truth of a rule only changes when a point appears or leaves its lookback, so the evaluation visits those
 * instants (rounded up to the grid) instead of every grid step; the result is the same as stepping the grid
 * (a test checks it against a step-by-step evaluation).
 */
import { type Alert, type AlertCondition, type Comparison, SERIES_LABELS } from './alerts.js';

export type ComparisonOp = (typeof Comparison)[number];

/** One side of a PromQL comparison: a metric's current value against a number or another metric's value. */
export type PlannedComparison =
  | { metric: string; op: ComparisonOp; threshold: number }
  | { metric: string; op: ComparisonOp; otherMetric: string };

/** An alert as its PromQL reads it: clauses joined by `and`, each clause an `or` of comparisons. */
export interface AlertPlan {
  alert: string;
  lookbackMs: number;
  durationMs: number;
  clauses: PlannedComparison[][];
}

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
  /** terraform/alerts.tf evaluation_interval; default 60 s. */
  evaluationIntervalMs?: number;
}

export const DEFAULT_EVALUATION_INTERVAL_MS = 60_000;

/** The comparisons promqlFor renders for one condition (an interval or band becomes its two sides). */
function plannedClause(condition: AlertCondition): PlannedComparison[] {
  if ('interval' in condition) {
    const [lowerMetric, upperMetric] = condition.interval;
    const [lower, upper] = condition.band;
    return [
      { metric: upperMetric, op: '<', threshold: lower },
      { metric: lowerMetric, op: '>', threshold: upper },
    ];
  }
  if ('band' in condition) {
    const [lower, upper] = condition.band;
    return [
      { metric: condition.metric, op: '<', threshold: lower },
      { metric: condition.metric, op: '>', threshold: upper },
    ];
  }
  if ('otherMetric' in condition) {
    return [{ metric: condition.metric, op: condition.op, otherMetric: condition.otherMetric }];
  }
  return [{ metric: condition.metric, op: condition.op, threshold: condition.threshold }];
}

export function alertPlan(alert: Alert): AlertPlan {
  return {
    alert: alert.name,
    lookbackMs: alert.lookbackSeconds * 1000,
    durationMs: alert.durationSeconds * 1000,
    clauses: alert.conditions.map(plannedClause),
  };
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

const seriesKey = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(SERIES_LABELS.map((key) => labels[key] ?? ''));

/** Samples per series identity and metric, each list in time order (a later duplicate time wins). */
function indexSamples(samples: readonly MetricSample[]): Map<string, Map<string, MetricSample[]>> {
  const bySeries = new Map<string, Map<string, MetricSample[]>>();
  for (const sample of samples) {
    if (!Number.isFinite(sample.value) || !Number.isFinite(sample.timeMs)) continue;
    const key = seriesKey(sample.labels);
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
 * t - lookback < time <= t among those visible by t.
 */
function currentValue(list: readonly MetricSample[], t: number, lookbackMs: number): number | undefined {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.timeMs <= t) low = middle + 1;
    else high = middle;
  }
  for (let index = low - 1; index >= 0 && list[index]!.timeMs > t - lookbackMs; index--) {
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
  range: Required<EvaluationRange>,
): { pendingSinceMs: number; openedAtMs: number; closedAtMs?: number }[] {
  const step = range.evaluationIntervalMs;
  const first = gridCeil(range.startMs, step);
  if (first > range.endMs) return [];
  // Grid times at which the visible points (hence the truth) may change: a point appears, or leaves its lookback.
  const changes = new Set<number>([first]);
  for (const metric of metrics) {
    for (const sample of byMetric.get(metric) ?? []) {
      for (const at of [visibleAt(sample), sample.timeMs + plan.lookbackMs]) {
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
  const fullRange = { evaluationIntervalMs: DEFAULT_EVALUATION_INTERVAL_MS, ...range };
  if (!(fullRange.evaluationIntervalMs > 0) || !(fullRange.startMs <= fullRange.endMs)) {
    throw new RangeError('evaluateAlerts requires startMs <= endMs and a positive evaluation interval');
  }
  const bySeries = indexSamples(samples);
  const incidents: Incident[] = [];
  for (const alert of alerts) {
    const plan = alertPlan(alert);
    const metrics = new Set(
      plan.clauses.flat().flatMap((c) => ('otherMetric' in c ? [c.metric, c.otherMetric] : [c.metric])),
    );
    for (const [key, byMetric] of bySeries) {
      if (![...metrics].some((metric) => byMetric.has(metric))) continue;
      const values = JSON.parse(key) as string[];
      const labels = Object.fromEntries(SERIES_LABELS.map((name, i) => [name, values[i]!])) as SeriesLabels;
      for (const times of evaluateSeries(plan, byMetric, metrics, fullRange)) {
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
