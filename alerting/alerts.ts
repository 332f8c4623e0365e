/**
 * The alert catalog (alerts.json), typed and checked against the metric catalog at load, and what each
 * alert becomes in Cloud Monitoring: one PromQL query and one Markdown runbook. Terraform reads the same
 * alerts.json and the rendering committed in terraform/generated/alert-queries.json (npm run alert-queries).
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { type Catalog, catalog as metricCatalog } from '../shared/monitoring/catalog.js';

export const Monitor = ['drift', 'calibration', 'lift', 'uplift', 'features'] as const;
export type Monitor = (typeof Monitor)[number];

/** The alert policy severities of Cloud Monitoring; alerts.tf routes CRITICAL to PagerDuty, the rest to email. */
export const Severity = ['CRITICAL', 'ERROR', 'WARNING'] as const;

/** What a condition proves; see the catalog's description. */
export const ConditionRole = ['effect', 'evidence', 'interval', 'judged', 'support'] as const;
export type ConditionRole = (typeof ConditionRole)[number];

export const Comparison = ['>', '>=', '<', '<='] as const;

/**
 * The labels every alerted series carries, and on which the conditions of one alert are matched. project_id is
 * the `global` resource's label: in a metrics scope spanning staging and production, two projects write series
 * with identical metric labels, and a join without it would pair one project's effect with the other's evidence
 * (or fail as many-to-many).
 */
export const SERIES_LABELS = ['project_id', 'model', 'model_version', 'segment'] as const;

/** The labels an absence is judged on: a model version stops reporting when none of its segments does. */
export const VERSION_LABELS = ['project_id', 'model', 'model_version'] as const;

const MetricName = z.string().regex(/^[a-z][a-z0-9_]*(\/[a-z][a-z0-9_]*)+$/, 'must be a catalog metric name');
const Band = z
  .tuple([z.number(), z.number()])
  .refine(([lower, upper]) => lower < upper, 'band must be [lower, upper] with lower < upper');
const common = { role: z.enum(ConditionRole), note: z.string().optional() };

/** metric op threshold, e.g. drift/psi > 0.25. */
const ThresholdCondition = z.strictObject({
  ...common,
  metric: MetricName,
  op: z.enum(Comparison),
  threshold: z.number(),
});
/** metric op otherMetric, e.g. drift/psi > drift/psi_null99. */
const VersusCondition = z.strictObject({
  ...common,
  metric: MetricName,
  op: z.enum(Comparison),
  otherMetric: MetricName,
});
/** metric outside [lower, upper], e.g. calibration/slope outside [0.8, 1.25]. */
const OutsideBandCondition = z.strictObject({
  ...common,
  metric: MetricName,
  op: z.literal('outside'),
  band: Band,
});
/** The interval [lowerMetric, upperMetric] lies wholly outside [lower, upper]. */
const IntervalOutsideBandCondition = z.strictObject({
  ...common,
  interval: z.tuple([MetricName, MetricName]),
  op: z.literal('outside'),
  band: Band,
});

/**
 * Any of several thresholds on metrics of the same series, e.g. features/drifted >= 3 or features/top_drifted
 * > 0: one condition, hence one incident, when either or both hold (the conditions of an alert are AND-ed).
 */
const AnyOfCondition = z.strictObject({
  ...common,
  anyOf: z
    .array(z.strictObject({ metric: MetricName, op: z.enum(Comparison), threshold: z.number() }))
    .min(2, 'anyOf needs at least two comparisons (one is a threshold condition)'),
});

export const AlertCondition = z.union([
  ThresholdCondition,
  VersusCondition,
  OutsideBandCondition,
  IntervalOutsideBandCondition,
  AnyOfCondition,
]);
export type AlertCondition = z.infer<typeof AlertCondition>;

const Runbook = z.strictObject({
  /** What the alert means, in a paragraph an on-call engineer reads first. */
  meaning: z.string().min(1),
  /** The CLI command that recomputes the window's statistics from its message; rendered as the first check. */
  replay: z
    .string()
    .regex(/^npx liftwatch [a-z]+( --[a-z]+ [A-Za-z0-9._-]+)+$/, 'must be an npx liftwatch command'),
  /** The next things to check, in order (with the replay, at least three). */
  checks: z.array(z.string().min(1)).min(2),
});

const Seconds = z.number().int().min(60).multipleOf(60);

/** When a monitor's points are visible, and how long each stays current (see timing.description). */
export const MonitorTiming = z.strictObject({
  cadenceSeconds: Seconds,
  publishDelaySeconds: z.number().int().min(0).multipleOf(60),
  evaluationIntervalSeconds: z
    .number()
    .int()
    .min(30)
    .multipleOf(30, 'Cloud Monitoring evaluates PromQL conditions on multiples of 30 s'),
  absenceMetric: MetricName,
});
export type MonitorTiming = z.infer<typeof MonitorTiming>;

const Timing = z.strictObject({
  description: z.string(),
  ingestionSlackSeconds: z.number().int().min(0).multipleOf(60),
  /** How long a model version that stopped reporting is remembered (and its absence pages) before it is forgotten. */
  absenceMemorySeconds: Seconds,
  monitors: z.strictObject(
    Object.fromEntries(Monitor.map((monitor) => [monitor, MonitorTiming])) as {
      [M in Monitor]: typeof MonitorTiming;
    },
  ),
});
export type Timing = z.infer<typeof Timing>;

export const Alert = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lower-case label value'),
  displayName: z.string().min(1).max(200),
  monitor: z.enum(Monitor),
  severity: z.enum(Severity),
  /**
   * How long a window's point stays current (last_over_time range); by default the monitor's
   * cadence + publish delay + slack (currentSeconds), and never shorter.
   */
  lookbackSeconds: Seconds.optional(),
  /** How long all conditions must hold before the policy fires: the persistence requirement. */
  durationSeconds: z.number().int().min(60).multipleOf(60),
  conditions: z.array(AlertCondition).min(1),
  runbook: Runbook,
});
export type Alert = z.infer<typeof Alert>;

export const AlertCatalog = z
  .strictObject({
    description: z.string(),
    fetchingMessages: z.string(),
    silencing: z.string(),
    timing: Timing,
    alerts: z.array(Alert).min(1),
  })
  .superRefine((alerts, context) => {
    const seen = new Set<string>();
    alerts.alerts.forEach((alert, index) => {
      if (seen.has(alert.name)) {
        context.addIssue({
          code: 'custom',
          path: ['alerts', index, 'name'],
          message: `duplicate ${alert.name}`,
        });
      }
      seen.add(alert.name);
    });
  });
export type AlertCatalog = z.infer<typeof AlertCatalog>;

/** The metric names a condition reads. */
export function conditionMetrics(condition: AlertCondition): string[] {
  if ('interval' in condition) return [...condition.interval];
  if ('anyOf' in condition) return [...new Set(condition.anyOf.map((comparison) => comparison.metric))];
  if ('otherMetric' in condition) return [condition.metric, condition.otherMetric];
  return [condition.metric];
}

/**
 * Problems of an alert catalog against a metric catalog: unknown metrics, per-bin or per-decile gauges (their
 * extra label breaks the one-series-per-(model, version, segment) matching), counts (not alert-bearing) used as
 * effect size, and alerts that lack effect size or evidence.
 */
export function alertProblems(alerts: AlertCatalog, metrics: Catalog): string[] {
  const byName = new Map(metrics.metrics.map((entry) => [entry.name, entry]));
  const problems: string[] = [];
  for (const monitor of Monitor) {
    const timing = alerts.timing.monitors[monitor];
    const entry = byName.get(timing.absenceMetric);
    if (!entry?.alertBearing || entry.extraLabels?.length || !entry.name.startsWith(`${monitor}/`))
      problems.push(
        `timing.${monitor}.absenceMetric ${timing.absenceMetric} must be an alert-bearing ${monitor} metric`,
      );
  }
  for (const alert of alerts.alerts) {
    const minimum = currentSeconds(alerts.timing, alert.monitor);
    if (alert.lookbackSeconds !== undefined && alert.lookbackSeconds < minimum)
      problems.push(
        `${alert.name}: lookbackSeconds ${alert.lookbackSeconds} is shorter than cadence + publish delay + slack (${minimum} s): windows published late would leave gaps and the alert would never fire`,
      );
    for (const condition of alert.conditions) {
      for (const name of conditionMetrics(condition)) {
        const entry = byName.get(name);
        if (!entry) problems.push(`${alert.name}: ${name} is not in the metric catalog`);
        else if (entry.extraLabels?.length)
          problems.push(`${alert.name}: ${name} carries extra labels and cannot be alerted on`);
        else if (condition.role !== 'evidence' && condition.role !== 'support' && !entry.alertBearing)
          problems.push(`${alert.name}: ${name} is not alert-bearing; it can be evidence or support only`);
        else if (!entry.name.startsWith(`${alert.monitor}/`))
          problems.push(`${alert.name}: ${name} belongs to another monitor than ${alert.monitor}`);
      }
    }
    problems.push(...evidenceGaps(alert).map((gap) => `${alert.name}: ${gap}`));
  }
  return problems;
}

/**
 * What keeps an alert from paging on noise: effect size, evidence and persistence. An interval beyond its band,
 * and a count of items each judged by its own effect-and-evidence rule, are both at once.
 */
export function evidenceGaps(alert: Alert): string[] {
  const roles = new Set(alert.conditions.map((condition) => condition.role));
  const both = roles.has('interval') || roles.has('judged');
  const gaps: string[] = [];
  if (!roles.has('effect') && !both) gaps.push('has no effect-size condition');
  const evidence = roles.has('evidence') || both;
  if (!evidence) gaps.push('has no evidence condition');
  if (!(alert.durationSeconds > 0)) gaps.push('has no duration');
  return gaps;
}

const require = createRequire(import.meta.url);

/** Parses and checks an alert catalog; throws with every problem listed. */
export function loadAlertCatalog(raw: unknown, metrics: Catalog = metricCatalog): AlertCatalog {
  const alerts = AlertCatalog.parse(raw);
  const problems = alertProblems(alerts, metrics);
  if (problems.length > 0) throw new Error(`alerts.json has problems:\n${problems.join('\n')}`);
  return alerts;
}

export const alertCatalog: AlertCatalog = loadAlertCatalog(require('./alerts.json'));

/**
 * The PromQL name of a catalog metric: the metric type with its first '/' replaced by ':' and every other
 * character outside [a-zA-Z0-9_] by '_' (Cloud Monitoring's PromQL mapping), e.g.
 * custom.googleapis.com/liftwatch/drift/psi => custom_googleapis_com:liftwatch_drift_psi.
 */
export function promqlMetricName(name: string, metrics: Catalog = metricCatalog): string {
  const type = `${metrics.typePrefix}${name}`;
  const slash = type.indexOf('/');
  const underscored = (part: string) => part.replace(/[^a-zA-Z0-9_]/g, '_');
  return `${underscored(type.slice(0, slash))}:${underscored(type.slice(slash + 1))}`;
}

/** A PromQL duration, in the largest whole unit: 4500 => 75m, 93600 => 26h. */
export function promqlDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * How long a point of the monitor stays current after its window ends: cadence + publish delay + slack. When
 * every window is published up to the maximum delay late, window k+1 becomes visible before window k leaves
 * the range, so the series never has a gap and a `for` timer is never restarted by lateness alone.
 */
export function currentSeconds(timing: Timing, monitor: Monitor): number {
  const { cadenceSeconds, publishDelaySeconds } = timing.monitors[monitor];
  return cadenceSeconds + publishDelaySeconds + timing.ingestionSlackSeconds;
}

export type ComparisonOp = (typeof Comparison)[number];

/** One side of a PromQL comparison: a metric's current value against a number or another metric's value. */
export type PlannedComparison =
  | { metric: string; op: ComparisonOp; threshold: number }
  | { metric: string; op: ComparisonOp; otherMetric: string };

/**
 * An alert as both its PromQL and the local evaluation read it: clauses joined by `and`, each clause an `or`
 * of comparisons, over points current for lookbackMs, holding for durationMs, evaluated every
 * evaluationIntervalMs.
 */
export interface AlertPlan {
  alert: string;
  lookbackMs: number;
  durationMs: number;
  evaluationIntervalMs: number;
  clauses: PlannedComparison[][];
}

/** The comparisons of one condition (an interval or band becomes its two sides, anyOf its comparisons). */
function plannedClause(condition: AlertCondition): PlannedComparison[] {
  if ('anyOf' in condition) {
    return condition.anyOf.map(({ metric, op, threshold }) => ({ metric, op, threshold }));
  }
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

/** The plan of an alert under a catalog's timing (Terraform may override cadence and delay per monitor). */
export function alertPlan(alert: Alert, timing: Timing = alertCatalog.timing): AlertPlan {
  const lookbackSeconds = Math.max(alert.lookbackSeconds ?? 0, currentSeconds(timing, alert.monitor));
  return {
    alert: alert.name,
    lookbackMs: lookbackSeconds * 1000,
    durationMs: alert.durationSeconds * 1000,
    evaluationIntervalMs: timing.monitors[alert.monitor].evaluationIntervalSeconds * 1000,
    clauses: alert.conditions.map(plannedClause),
  };
}

/** The metric names a plan reads. */
export function planMetrics(plan: AlertPlan): string[] {
  return [
    ...new Set(
      plan.clauses.flat().flatMap((c) => ('otherMetric' in c ? [c.metric, c.otherMetric] : [c.metric])),
    ),
  ];
}

const MATCH = `on(${SERIES_LABELS.join(', ')})`;

/** Stands for the lookback range in the queries Terraform reads; Terraform puts in the (overridable) range. */
export const LOOKBACK_TOKEN = '__LOOKBACK__';

/** A range selector of a catalog metric on its resource. */
function selector(name: string, range: string, metrics: Catalog, matchers = ''): string {
  return `${promqlMetricName(name, metrics)}{monitored_resource="${metrics.resourceType}"${matchers}}[${range}]`;
}

/**
 * The PromQL query of a plan: every comparison over last_over_time of its metrics (the points are sparse: a
 * window's value stays current for the lookback), the clauses joined with `and` on (project_id, model,
 * model_version, segment). The first condition's value is the series' value in the incident. `range` is the
 * lookback as PromQL writes it (default: the plan's own, e.g. 100m).
 * @example promqlOfPlan(alertPlan(drift_psi_critical))
 * // => (last_over_time(custom_googleapis_com:liftwatch_drift_psi{monitored_resource="global"}[100m]) > 0.25)
 * //    and on(project_id, model, model_version, segment)
 * //    (last_over_time(...drift_psi...[100m]) > on(project_id, model, model_version, segment) last_over_time(...drift_psi_null99...[100m]))
 */
export function promqlOfPlan(
  plan: AlertPlan,
  range = promqlDuration(plan.lookbackMs / 1000),
  metrics: Catalog = metricCatalog,
): string {
  const current = (name: string) => `last_over_time(${selector(name, range, metrics)})`;
  const comparison = (c: PlannedComparison) =>
    'otherMetric' in c
      ? `${current(c.metric)} ${c.op} ${MATCH} ${current(c.otherMetric)}`
      : `${current(c.metric)} ${c.op} ${c.threshold}`;
  return plan.clauses.map((clause) => `(${clause.map(comparison).join(' or ')})`).join(`\nand ${MATCH}\n`);
}

/** The PromQL query of an alert under the catalog's timing. */
export function promqlFor(alert: Alert, metrics: Catalog = metricCatalog, timing?: Timing): string {
  return promqlOfPlan(alertPlan(alert, timing), undefined, metrics);
}

/**
 * The absence query of a monitor, per model version: a version that wrote the monitor's alert-bearing metric
 * (in any segment) within the memory but not within the current span (cadence + publish delay + slack: the
 * same span as the lookback, so "late" and "missing" are one definition). The alert-bearing metric is withheld
 * below the minimum sample, so a version whose windows stay thin pages like a missing one. Cloud Monitoring's
 * condition_absent caps its duration at 23.5 h, which a daily monitor plus its delay exceeds; PromQL has no cap.
 */
export function absenceQuery(
  monitor: Monitor,
  { current, memory }: { current: string; memory: string },
  alerts: AlertCatalog = alertCatalog,
  metrics: Catalog = metricCatalog,
): string {
  const metric = alerts.timing.monitors[monitor].absenceMetric;
  const by = `max by (${VERSION_LABELS.join(', ')})`;
  return [
    `${by} (last_over_time(${selector(metric, memory, metrics)}))`,
    `unless on(${VERSION_LABELS.join(', ')})`,
    `${by} (last_over_time(${selector(metric, current, metrics)}))`,
  ].join('\n');
}

/** A PromQL string literal (label values here are restricted to [A-Za-z0-9._=,-], so quoting is enough). */
const quoted = (value: string) => JSON.stringify(value);

/**
 * The absence query of one segment that must keep reporting (Terraform's required_segments): absent_over_time
 * is 1 when the segment wrote no alert-bearing point within the current span, even if it never wrote one.
 * Its labels are the matchers' (project_id, model, segment).
 */
export function segmentAbsenceQuery(
  monitor: Monitor,
  { project, model, segment, current }: { project: string; model: string; segment: string; current: string },
  alerts: AlertCatalog = alertCatalog,
  metrics: Catalog = metricCatalog,
): string {
  const metric = alerts.timing.monitors[monitor].absenceMetric;
  const matchers = `, project_id=${quoted(project)}, model=${quoted(model)}, segment=${quoted(segment)}`;
  return `absent_over_time(${selector(metric, current, metrics, matchers)})`;
}

const ROLE_WORDS: Record<ConditionRole, string> = {
  effect: 'effect size',
  evidence: 'evidence',
  interval: 'interval beyond the band',
  judged: 'a count of items each beyond its band with evidence',
  support: 'enough data',
};

/** One condition in words, e.g. `drift/psi > drift/psi_null99` (evidence). */
export function describeCondition(condition: AlertCondition): string {
  let text: string;
  if ('anyOf' in condition) {
    text = condition.anyOf.map((c) => `\`${c.metric} ${c.op} ${c.threshold}\``).join(' or ');
  } else if ('interval' in condition) {
    text = `the 95% interval [${condition.interval.join(', ')}] lies wholly outside [${condition.band.join(', ')}]`;
  } else if ('band' in condition) {
    text = `\`${condition.metric}\` outside [${condition.band.join(', ')}]`;
  } else if ('otherMetric' in condition) {
    text = `\`${condition.metric} ${condition.op} ${condition.otherMetric}\``;
  } else {
    text = `\`${condition.metric} ${condition.op} ${condition.threshold}\``;
  }
  return `${text} (${ROLE_WORDS[condition.role]}${condition.note ? `: ${condition.note}` : ''})`;
}

/** A duration for people: 5400 => 1 h 30 min. */
function humanDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return (
    [hours ? `${hours} h` : '', minutes ? `${minutes} min` : ''].filter(Boolean).join(' ') || `${seconds} s`
  );
}

/** The notification subject: Cloud Monitoring truncates it at 255 bytes after variable expansion. */
export function subjectFor(alert: Alert): string {
  return `[liftwatch ${alert.severity}] ${alert.displayName}`;
}

/** The alert's documentation in Markdown: meaning, conditions, first checks (the replay first), silencing. */
export function runbookFor(alert: Alert, alerts: AlertCatalog = alertCatalog): string {
  const checks = [
    `Replay the window's statistics from its message: \`${alert.runbook.replay}\`. ${alerts.fetchingMessages}`,
    ...alert.runbook.checks,
  ];
  return [
    `## ${alert.displayName}`,
    '',
    alert.runbook.meaning,
    '',
    `**Fires when**, for one project, model, model version and segment, all of these have held together for ${humanDuration(alert.durationSeconds)} (a point stays current for ${humanDuration(alertPlan(alert, alerts.timing).lookbackMs / 1000)} after its window ends: its cadence, ${humanDuration(alerts.timing.monitors[alert.monitor].publishDelaySeconds)} of tolerated publication delay and ${humanDuration(alerts.timing.ingestionSlackSeconds)} of slack; the first page comes at most window end + delay + ${humanDuration(alert.durationSeconds)} after the first affected window):`,
    ...alert.conditions.map((condition) => `- ${describeCondition(condition)}`),
    '',
    '**First checks**',
    ...checks.map((check, index) => `${index + 1}. ${check}`),
    '',
    `**Silencing.** ${alerts.silencing}`,
    '',
  ].join('\n');
}

/** A horizontal line on a dashboard chart, in the shape of the Dashboard API's Threshold. */
export interface DashboardThreshold {
  label: string;
  value: number;
  color: 'YELLOW' | 'RED';
  direction: 'ABOVE' | 'BELOW';
}

/**
 * The thresholds of the alerts' effect, evidence and interval conditions, per metric, for the dashboard's
 * charts (so the dashboard draws the bands the alerts use, from the same file). A band or an interval's band
 * is drawn on each metric it involves: its lower edge as BELOW, its upper edge as ABOVE.
 */
export function dashboardThresholds(
  alerts: AlertCatalog = alertCatalog,
  metrics: Catalog = metricCatalog,
): Record<string, DashboardThreshold[]> {
  const byMetric: Record<string, DashboardThreshold[]> = {};
  const add = (metric: string, alert: Alert, value: number, direction: DashboardThreshold['direction']) => {
    byMetric[metric] ??= [];
    const lines = byMetric[metric];
    const color = alert.severity === 'CRITICAL' ? 'RED' : 'YELLOW';
    const label = `${alert.severity.toLowerCase()}: ${alert.name}`;
    const same = lines.find((line) => line.value === value && line.direction === direction);
    if (!same) lines.push({ label, value, color, direction });
    else if (color === 'RED' && same.color !== 'RED') Object.assign(same, { label, color });
  };
  const alertBearing = new Set(
    metrics.metrics.filter((entry) => entry.alertBearing).map((entry) => entry.name),
  );
  for (const alert of alerts.alerts) {
    for (const condition of alert.conditions) {
      // Sample-size floors are not lines anyone reads off a chart of the statistic.
      if (
        condition.role === 'support' ||
        !conditionMetrics(condition).every((name) => alertBearing.has(name))
      )
        continue;
      if ('anyOf' in condition) {
        for (const c of condition.anyOf)
          add(c.metric, alert, c.threshold, c.op.startsWith('>') ? 'ABOVE' : 'BELOW');
      } else if ('band' in condition) {
        for (const metric of conditionMetrics(condition)) {
          add(metric, alert, condition.band[0], 'BELOW');
          add(metric, alert, condition.band[1], 'ABOVE');
        }
      } else if ('threshold' in condition) {
        add(condition.metric, alert, condition.threshold, condition.op.startsWith('>') ? 'ABOVE' : 'BELOW');
      }
    }
  }
  return byMetric;
}

/**
 * terraform/generated/alert-queries.json: each alert's query, subject and runbook, and the alert thresholds
 * per metric for the dashboard, as Terraform reads them.
 */
export function alertQueriesFile(
  alerts: AlertCatalog = alertCatalog,
  metrics: Catalog = metricCatalog,
): string {
  const rendered = Object.fromEntries(
    alerts.alerts.map((alert) => [
      alert.name,
      {
        query: promqlOfPlan(alertPlan(alert, alerts.timing), LOOKBACK_TOKEN, metrics),
        subject: subjectFor(alert),
        content: runbookFor(alert, alerts),
      },
    ]),
  );
  const absence = Object.fromEntries(
    Monitor.map((monitor) => [
      monitor,
      {
        metric: alerts.timing.monitors[monitor].absenceMetric,
        query: absenceQuery(monitor, { current: LOOKBACK_TOKEN, memory: '__MEMORY__' }, alerts, metrics),
        segmentQuery: segmentAbsenceQuery(
          monitor,
          { project: '__PROJECT__', model: '__MODEL__', segment: '__SEGMENT__', current: LOOKBACK_TOKEN },
          alerts,
          metrics,
        ),
      },
    ]),
  );
  const file = {
    description: `Generated by scripts/generate-alert-queries.ts from alerting/alerts.json and the metric catalog; do not edit. Run npm run alert-queries after changing either. Terraform replaces ${LOOKBACK_TOKEN} by each monitor's cadence + publish delay + slack in seconds, and __MEMORY__, __PROJECT__, __MODEL__, __SEGMENT__ in the absence queries.`,
    alerts: rendered,
    absence,
    thresholds: dashboardThresholds(alerts, metrics),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
